//! The smallest CSV writer that Excel and WPS open correctly: UTF-8 with a byte-order
//! mark, CRLF line ends and RFC 4180 quoting. Owns text formatting only.

/// The UTF-8 byte-order mark that tells Excel and WPS the file is UTF-8 (without it they
/// read Chinese headers as GBK and show mojibake).
pub const BOM: &str = "\u{feff}";

/// One CSV record ending in CRLF. A field is quoted when it holds a comma, a quote, a
/// line break or leading/trailing spaces; quotes inside are doubled (RFC 4180).
pub fn row(fields: &[&str]) -> String {
    let mut out = String::new();
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let quote = f.contains([',', '"', '\n', '\r']) || f.starts_with(' ') || f.ends_with(' ');
        if quote {
            out.push('"');
            out.push_str(&f.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(f);
        }
    }
    out.push_str("\r\n");
    out
}

/// A whole table: the BOM, the header row, then one row per record.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::from(BOM);
    out.push_str(&row(header));
    for r in rows {
        let fields: Vec<&str> = r.iter().map(String::as_str).collect();
        out.push_str(&row(&fields));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_what_needs_it() {
        assert_eq!(row(&["夜话", "42"]), "夜话,42\r\n");
        assert_eq!(
            row(&["a,b", "他说\"好\"", "两\n行", " x"]),
            "\"a,b\",\"他说\"\"好\"\"\",\"两\n行\",\" x\"\r\n"
        );
        assert_eq!(row(&[]), "\r\n");
    }

    #[test]
    fn a_table_starts_with_the_bom() {
        let t = table(&["月份", "场次"], &[vec!["2026-11".into(), "3".into()]]);
        assert!(t.starts_with('\u{feff}'));
        assert_eq!(t.trim_start_matches(BOM), "月份,场次\r\n2026-11,3\r\n");
    }
}
