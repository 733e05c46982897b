//! Canonical JSON: object keys sorted by code point, no whitespace, so that the same
//! body always hashes the same whatever order its fields were built in (and whether or
//! not some dependency turned on serde_json's `preserve_order`).

use serde_json::Value;
use std::io;

/// Writes `value` as canonical JSON text.
pub fn canonical_json(value: &Value) -> String {
    let mut out = Vec::new();
    write(value, &mut out, false).expect("writing to a Vec cannot fail");
    String::from_utf8(out).expect("JSON text is UTF-8")
}

/// Writes a document body as canonical JSON into `out` (a hasher, a buffer), leaving out
/// its top-level `_` fields — the text a revision's hash covers — without copying it.
pub fn write_body<W: io::Write>(body: &Value, out: &mut W) -> io::Result<()> {
    write(body, out, true)
}

/// Keys and scalars are written by `serde_json` (its escaping, its number format), so the
/// text is byte for byte what `Value::to_string` gives each part.
fn write<W: io::Write>(value: &Value, out: &mut W, skip_meta: bool) -> io::Result<()> {
    match value {
        Value::Object(map) => {
            let fields = map
                .iter()
                .filter(|(k, _)| !(skip_meta && k.starts_with('_')));
            // serde_json's map keeps its keys in order unless `preserve_order` is on
            // somewhere in the build: sort only a map that is not.
            if map.keys().is_sorted() {
                write_fields(fields, out)
            } else {
                let mut fields: Vec<(&String, &Value)> = fields.collect();
                fields.sort_unstable_by(|a, b| a.0.cmp(b.0));
                write_fields(fields.into_iter(), out)
            }
        }
        Value::Array(items) => {
            out.write_all(b"[")?;
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.write_all(b",")?;
                }
                write(item, out, false)?;
            }
            out.write_all(b"]")
        }
        scalar => Ok(serde_json::to_writer(&mut *out, scalar)?),
    }
}

fn write_fields<'a, W: io::Write>(
    fields: impl Iterator<Item = (&'a String, &'a Value)>,
    out: &mut W,
) -> io::Result<()> {
    out.write_all(b"{")?;
    for (i, (key, item)) in fields.enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        serde_json::to_writer(&mut *out, key)?;
        out.write_all(b":")?;
        write(item, out, false)?;
    }
    out.write_all(b"}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The text as the first implementation built it (a `String` per key and scalar):
    /// revision ids depend on it, so the writer must give the same bytes.
    fn reference(value: &Value) -> String {
        match value {
            Value::Object(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort();
                let parts: Vec<String> = keys
                    .into_iter()
                    .map(|k| format!("{}:{}", Value::String(k.clone()), reference(&map[k])))
                    .collect();
                format!("{{{}}}", parts.join(","))
            }
            Value::Array(items) => {
                let parts: Vec<String> = items.iter().map(reference).collect();
                format!("[{}]", parts.join(","))
            }
            scalar => scalar.to_string(),
        }
    }

    #[test]
    fn the_writer_gives_the_bytes_of_the_first_implementation() {
        for v in [
            json!({"title": "夜话\n\"引号\"\t\u{1}", "n": -0.5, "big": 12345678901234567890u64,
                "e": 1e-7, "list": [true, null, {"z": "", "_a": 1}], "_private": "x"}),
            json!([]),
            json!({}),
            json!("只是一个字符串"),
            json!(3.0),
        ] {
            assert_eq!(canonical_json(&v), reference(&v));
        }
    }

    #[test]
    fn a_body_is_written_without_its_top_level_meta_fields() {
        let v = json!({"_id": "x", "_rev": "1-a", "b": {"_keep": 1}, "a": 2});
        let mut out = Vec::new();
        write_body(&v, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#"{"a":2,"b":{"_keep":1}}"#
        );
    }

    #[test]
    fn keys_are_sorted_at_every_depth() {
        let v = json!({"b": 1, "a": {"z": [1, {"y": 2, "x": "夜话"}], "c": null}});
        assert_eq!(
            canonical_json(&v),
            r#"{"a":{"c":null,"z":[1,{"x":"夜话","y":2}]},"b":1}"#
        );
    }
}
