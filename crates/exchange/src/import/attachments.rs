//! The attachments of an export file's documents (a photo's JPEGs): every entry either
//! carries its bytes inline as CouchDB's `data` (base64) with the `digest` and `length`
//! they must match, or is a `stub: true` whose digest another entry of the same file
//! carries (a second leaf of a photo keeps the first leaf's bytes). Checked whole before
//! anything is written, so corrupted `data` is refused and nothing of the file is merged.
//! Pure: no I/O.

use super::DocProblem;
use couch::attachment::AttachmentError;
use serde_json::{Map, Value};

/// What one document's `_attachments` carries and refers to.
#[derive(Debug, Default)]
pub(super) struct Found {
    /// Digests whose bytes the document carries.
    pub carried: Vec<String>,
    /// `(name, digest)` of each stub.
    pub stubs: Vec<(String, String)>,
}

fn bad(name: &str, why: &'static str) -> DocProblem {
    DocProblem::BadAttachment {
        name: name.into(),
        why,
    }
}

/// Checks the `_attachments` of a document whose `_rev` is of generation `generation`.
pub(super) fn check(doc: &Map<String, Value>, generation: u64) -> Result<Found, DocProblem> {
    let mut found = Found::default();
    let atts = match doc.get("_attachments") {
        None => return Ok(found),
        Some(Value::Object(atts)) => atts,
        Some(_) => return Err(bad("_attachments", "must be an object")),
    };
    for (name, entry) in atts {
        let e = entry
            .as_object()
            .ok_or_else(|| bad(name, "must be an object"))?;
        if e.get("content_type").and_then(Value::as_str).is_none() {
            return Err(bad(name, "content_type must be a string"));
        }
        let declared = e
            .get("digest")
            .and_then(Value::as_str)
            .filter(|d| d.starts_with("md5-") && d.len() == 28)
            .ok_or_else(|| bad(name, "digest must be md5- and 24 base64 characters"))?;
        let length = e
            .get("length")
            .and_then(Value::as_u64)
            .ok_or_else(|| bad(name, "length must be a whole number"))?;
        e.get("revpos")
            .and_then(Value::as_u64)
            .filter(|p| (1..=generation).contains(p))
            .ok_or_else(|| bad(name, "revpos must be 1 to the _rev's generation"))?;
        if e.contains_key("follows") {
            return Err(bad(name, "follows has no place in a file"));
        }
        if e.get("stub") == Some(&Value::Bool(true)) {
            if e.contains_key("data") {
                return Err(bad(name, "a stub carries no data"));
            }
            found.stubs.push((name.clone(), declared.into()));
            continue;
        }
        let data = e
            .get("data")
            .ok_or_else(|| bad(name, "needs data (base64) or stub: true"))?;
        // The same check the hub and the phone make on the way in.
        let mut one = serde_json::json!({"_attachments": {name.clone(): {
            "data": data, "digest": declared, "length": length}}});
        match couch::attachment::take_inline(&mut one) {
            Ok(_) => found.carried.push(declared.into()),
            Err(AttachmentError::Malformed(..)) => return Err(bad(name, "data must be a string")),
            Err(_) => return Err(DocProblem::AttachmentCorrupt { name: name.clone() }),
        }
    }
    Ok(found)
}

/// Takes the inline bytes out of `doc` (checked by [`check`] already), leaving stubs as
/// a revision keeps them; the bytes by digest.
pub(super) fn blobs(doc: &mut Value) -> Vec<(String, Vec<u8>)> {
    couch::attachment::take_inline(doc)
        .map(|b| b.into_iter().map(|b| (b.digest, b.bytes)).collect())
        .unwrap_or_default()
}
