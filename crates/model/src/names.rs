//! Finding people by name the way a cadre types on a phone: a Chinese substring (王), or the
//! pinyin initials (wjg for 王建国) when typing Chinese is slow. Owns matching only.

/// The pinyin initials of `name`, lower case (王建国 → wjg); other characters stay as they
/// are (lower-cased).
pub fn initials(name: &str) -> String {
    rust_pinyin::get_pinyin(name).to_lowercase()
}

/// Whether `name` matches `query`: empty matches all; otherwise a case-insensitive
/// substring of the name, or — for a query of Latin letters — of its pinyin initials.
pub fn matches_name(name: &str, query: &str) -> bool {
    let q = query.trim().to_lowercase();
    if q.is_empty() || name.to_lowercase().contains(&q) {
        return true;
    }
    q.chars().all(|c| c.is_ascii_alphabetic()) && initials(name).contains(&q)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_substring_or_pinyin_initials() {
        assert!(matches_name("王建国", ""));
        assert!(matches_name("王建国", "建国"));
        assert!(matches_name("王建国", "wjg"));
        assert!(matches_name("王建国", "WJ"));
        assert!(matches_name("王建国", " jg "));
        assert!(!matches_name("王建国", "wg"), "initials must be contiguous");
        assert!(!matches_name("王建国", "李"));
        assert!(
            !matches_name("王建国", "w1"),
            "only letters search the initials"
        );
        assert!(matches_name("Li Ming", "li m"));
    }

    #[test]
    fn initials_of_common_village_names() {
        assert_eq!(initials("张华强"), "zhq");
        assert_eq!(initials("赵志愿"), "zzy");
        // A first-letter table knows one reading per character: 长 reads c (chang), not z.
        assert_eq!(initials("钱长"), "qc");
        assert_eq!(initials("李医生2"), "lys2");
    }
}
