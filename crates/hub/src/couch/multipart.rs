//! `multipart/related` bodies, as CouchDB reads and writes a document with its
//! attachments: the document as the first part (`application/json`, its attachments
//! marked `"follows": true`), then one part per such attachment, bound to it by the part's
//! `Content-Disposition` filename, or else in the order the JSON lists them. Binary, so a
//! photo costs its bytes plus a few hundred bytes of headers on the wire. Pure: no I/O.

use super::CouchError;
use serde::de::{IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;

/// A parsed `multipart/related` document.
#[derive(Debug)]
pub struct Related {
    /// The document (first part).
    pub doc: Value,
    /// Attachment names in the order the parts bind to (see the module doc).
    pub order: Vec<String>,
    /// The parts after the document, in order.
    pub parts: Vec<Vec<u8>>,
}

fn bad(reason: &str) -> CouchError {
    CouchError::BadRequest(format!("multipart/related body: {reason}"))
}

/// The boundary of a `multipart/related` content type, or None if it is another type.
pub fn boundary(content_type: &str) -> Option<Result<String, CouchError>> {
    let mut params = content_type.split(';');
    let kind = params.next()?.trim();
    if !kind.eq_ignore_ascii_case("multipart/related") {
        return None;
    }
    let b = params
        .filter_map(|p| p.split_once('='))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("boundary"))
        .map(|(_, v)| v.trim().trim_matches('"').to_owned())
        .filter(|b| !b.is_empty() && b.len() <= 70);
    Some(b.ok_or_else(|| bad("no boundary (1 to 70 characters) in Content-Type")))
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

/// Parses a body with `boundary`: the JSON document, then the attachment parts.
pub fn parse(boundary: &str, body: &[u8]) -> Result<Related, CouchError> {
    let open = format!("--{boundary}");
    let delim = format!("\r\n--{boundary}");
    let start = if body.starts_with(open.as_bytes()) {
        open.len()
    } else {
        find(body, delim.as_bytes()).ok_or_else(|| bad("the boundary never appears"))? + delim.len()
    };
    let mut rest = &body[start..];
    let mut sections: Vec<(Option<String>, bool, &[u8])> = Vec::new();
    loop {
        if rest.starts_with(b"--") {
            break;
        }
        rest = rest
            .strip_prefix(b"\r\n")
            .ok_or_else(|| bad("a boundary is not followed by a line break"))?;
        // A part without headers starts its content after one empty line.
        let (head, content) = match rest.strip_prefix(b"\r\n") {
            Some(content) => ("", content),
            None => {
                let end = find(rest, b"\r\n\r\n").ok_or_else(|| bad("a part has no header end"))?;
                let head = std::str::from_utf8(&rest[..end])
                    .map_err(|_| bad("part headers are not text"))?;
                (head, &rest[end + 4..])
            }
        };
        let end = find(content, delim.as_bytes())
            .ok_or_else(|| bad("a part never ends (the closing boundary is missing)"))?;
        let (filename, json) = headers(head)?;
        sections.push((filename, json, &content[..end]));
        rest = &content[end + delim.len()..];
    }
    let mut sections = sections.into_iter();
    let (_, is_json, first) = sections.next().ok_or_else(|| bad("no parts"))?;
    if !is_json {
        return Err(bad("the first part must be the document, application/json"));
    }
    let doc: Value = serde_json::from_slice(first)?;
    let listed = AttOrder::of(first)?;
    let mut names = Vec::new();
    let mut parts = Vec::new();
    for (filename, _, bytes) in sections {
        names.push(filename);
        parts.push(bytes.to_vec());
    }
    let order = if names.iter().all(Option::is_some) && !names.is_empty() {
        names.into_iter().flatten().collect()
    } else {
        listed
    };
    Ok(Related { doc, order, parts })
}

/// A part's filename (`Content-Disposition`) and whether it is `application/json`.
fn headers(head: &str) -> Result<(Option<String>, bool), CouchError> {
    let mut filename = None;
    let mut json = false;
    for line in head.split("\r\n").filter(|l| !l.is_empty()) {
        let (k, v) = line
            .split_once(':')
            .ok_or_else(|| bad("a malformed part header"))?;
        let (k, v) = (k.trim(), v.trim());
        if k.eq_ignore_ascii_case("content-type") {
            json = v
                .split(';')
                .next()
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"));
        } else if k.eq_ignore_ascii_case("content-disposition") {
            filename = v
                .split(';')
                .filter_map(|p| p.split_once('='))
                .find(|(k, _)| k.trim().eq_ignore_ascii_case("filename"))
                .map(|(_, v)| v.trim().trim_matches('"').to_owned());
        }
    }
    Ok((filename, json))
}

/// The names of `_attachments` in the order the JSON text lists them.
#[derive(Deserialize, Default)]
struct AttOrder {
    #[serde(rename = "_attachments", default)]
    atts: Keys,
}

#[derive(Default)]
struct Keys(Vec<String>);

impl<'de> Deserialize<'de> for Keys {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Keys;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object of attachments")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Keys, A::Error> {
                let mut keys = Vec::new();
                while let Some(k) = m.next_key::<String>()? {
                    m.next_value::<IgnoredAny>()?;
                    keys.push(k);
                }
                Ok(Keys(keys))
            }
            fn visit_unit<E>(self) -> Result<Keys, E> {
                Ok(Keys::default())
            }
        }
        d.deserialize_any(V)
    }
}

impl AttOrder {
    fn of(json: &[u8]) -> Result<Vec<String>, CouchError> {
        let o: AttOrder =
            serde_json::from_slice(json).map_err(|_| bad("_attachments must be an object"))?;
        Ok(o.atts.0)
    }
}

/// A `multipart/related` body: `doc` as JSON, then each `(name, content type, bytes)`.
pub fn write(boundary: &str, doc: &Value, parts: &[(String, String, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(
        format!("--{boundary}\r\nContent-Type: application/json\r\n\r\n").as_bytes(),
    );
    out.extend_from_slice(doc.to_string().as_bytes());
    for (name, ctype, bytes) in parts {
        out.extend_from_slice(
            format!(
                "\r\n--{boundary}\r\nContent-Disposition: attachment; filename=\"{}\"\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n\r\n",
                name.replace('"', "%22"),
                bytes.len()
            )
            .as_bytes(),
        );
        out.extend_from_slice(bytes);
    }
    out.extend_from_slice(format!("\r\n--{boundary}--").as_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parts_bind_by_filename_or_json_order_and_round_trip() {
        let doc = json!({"_id": "photo:1", "_attachments": {
            "thumb.jpg": {"follows": true}, "image.jpg": {"follows": true}}});
        let parts = vec![
            (
                "thumb.jpg".to_string(),
                "image/jpeg".to_string(),
                b"\r\n--x".to_vec(),
            ),
            (
                "image.jpg".to_string(),
                "image/jpeg".to_string(),
                vec![0, 255, 13, 10],
            ),
        ];
        let body = write("abc", &doc, &parts);
        let r = parse("abc", &body).unwrap();
        assert_eq!(r.doc, doc);
        assert_eq!(r.order, ["thumb.jpg", "image.jpg"]);
        assert_eq!(r.parts, [b"\r\n--x".to_vec(), vec![0, 255, 13, 10]]);
        // Without filenames, the JSON text's order (not the sorted one) binds the parts.
        let bare = b"--b\r\nContent-Type: application/json\r\n\r\n{\"_attachments\":{\"z\":{\"follows\":true},\"a\":{\"follows\":true}}}\r\n--b\r\n\r\nZZ\r\n--b\r\n\r\nAA\r\n--b--";
        let r = parse("b", bare).unwrap();
        assert_eq!(r.order, ["z", "a"]);
        assert_eq!(r.parts, [b"ZZ".to_vec(), b"AA".to_vec()]);
    }

    #[test]
    fn broken_bodies_are_400() {
        let cases: [&[u8]; 5] = [
            b"no boundary here",
            b"--b\r\nContent-Type: application/json\r\n\r\n{}",
            b"--b\r\nContent-Type: text/plain\r\n\r\n{}\r\n--b--",
            b"--b\r\nContent-Type: application/json\r\n\r\n{not json\r\n--b--",
            b"--bX",
        ];
        for body in cases {
            let e = parse("b", body).unwrap_err();
            assert_eq!(e.status(), axum::http::StatusCode::BAD_REQUEST, "{e}");
        }
        assert!(boundary("application/json").is_none());
        assert!(boundary("multipart/related").unwrap().is_err());
        assert_eq!(
            boundary("multipart/related; boundary=\"x y\"")
                .unwrap()
                .unwrap(),
            "x y"
        );
    }
}
