//! What a valid replicated document is: a JSON object whose `_` fields are all CouchDB
//! metadata ([`META_FIELDS`]), whose `_rev` is `N-<32 lowercase hex digits>`, and whose
//! `_revisions` describes a path ending at that `_rev` (`start` its generation, `ids[0]`
//! its hash, every id 32 lowercase hex digits, no more ids than generations). This is the
//! strict check an import applies before anything is written (`exchange`); the merge
//! itself is `DocRecord::put_replicated`, which also accepts what CouchDB accepts from a
//! peer (a missing `_revisions`, other hash shapes). Pure: no I/O.

use crate::rev::RevId;
use serde_json::{Map, Value};

/// Metadata fields a document body may carry; any other `_` field is refused.
pub const META_FIELDS: [&str; 7] = [
    "_id",
    "_rev",
    "_attachments",
    "_deleted",
    "_revisions",
    "_conflicts",
    "_deleted_conflicts",
];

/// The first top-level field of `doc` that starts with `_` but is not metadata.
pub fn reserved_field(doc: &Map<String, Value>) -> Option<&str> {
    doc.keys()
        .map(String::as_str)
        .find(|k| k.starts_with('_') && !META_FIELDS.contains(k))
}

/// Why a document is not a valid replicated revision.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReplicatedError {
    /// A top-level field starts with `_` but is not metadata.
    #[error("field `{0}` is reserved: top-level names must not start with _")]
    ReservedField(String),
    /// No `_rev`.
    #[error("has no _rev")]
    MissingRev,
    /// `_rev` is not `N-<32 lowercase hex digits>` (the text, or the JSON if not a string).
    #[error("_rev `{0}` is not of the form N-<32 lowercase hex digits>")]
    BadRev(String),
    /// No `_revisions`.
    #[error("has no _revisions")]
    MissingRevisions,
    /// `_revisions` is not `{start, ids}` as described above.
    #[error("_revisions is malformed: {0}")]
    BadRevisions(&'static str),
    /// `_revisions.start` is not the generation of `_rev`.
    #[error("_revisions.start {start} is not the generation {generation} of _rev")]
    StartMismatch {
        /// `_revisions.start`.
        start: u64,
        /// The generation of `_rev`.
        generation: u64,
    },
    /// `_revisions.ids[0]` is not the hash of `_rev`.
    #[error("_revisions.ids[0] `{first}` is not the hash of _rev `{rev}`")]
    HashMismatch {
        /// `_rev`.
        rev: String,
        /// `_revisions.ids[0]`.
        first: String,
    },
}

/// Whether `s` is 32 lowercase hex digits (an MD5 revision hash).
pub fn is_hex32(s: &str) -> bool {
    s.len() == 32
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Checks that `doc` is a valid replicated revision (rules in the module doc); returns its
/// `_rev`. Checks in this order: reserved fields, `_rev`, `_revisions`.
pub fn check_replicated(doc: &Map<String, Value>) -> Result<RevId, ReplicatedError> {
    if let Some(k) = reserved_field(doc) {
        return Err(ReplicatedError::ReservedField(k.to_owned()));
    }
    let rev_text = match doc.get("_rev") {
        Some(Value::String(r)) => r,
        Some(other) => return Err(ReplicatedError::BadRev(other.to_string())),
        None => return Err(ReplicatedError::MissingRev),
    };
    let rev: RevId = rev_text
        .parse()
        .ok()
        .filter(|r: &RevId| is_hex32(&r.hash))
        .ok_or_else(|| ReplicatedError::BadRev(rev_text.clone()))?;
    let revs = doc
        .get("_revisions")
        .ok_or(ReplicatedError::MissingRevisions)?;
    let start = revs
        .get("start")
        .and_then(Value::as_u64)
        .ok_or(ReplicatedError::BadRevisions(
            "start must be a positive integer",
        ))?;
    let ids = revs
        .get("ids")
        .and_then(Value::as_array)
        .filter(|ids| !ids.is_empty())
        .ok_or(ReplicatedError::BadRevisions(
            "ids must be a non-empty array",
        ))?;
    let ids: Vec<&str> = ids
        .iter()
        .map(|h| h.as_str().filter(|h| is_hex32(h)))
        .collect::<Option<_>>()
        .ok_or(ReplicatedError::BadRevisions(
            "every id must be 32 lowercase hex digits",
        ))?;
    if (ids.len() as u64) > start {
        return Err(ReplicatedError::BadRevisions("more ids than generations"));
    }
    if start != rev.pos {
        return Err(ReplicatedError::StartMismatch {
            start,
            generation: rev.pos,
        });
    }
    if ids[0] != rev.hash {
        return Err(ReplicatedError::HashMismatch {
            rev: rev_text.clone(),
            first: ids[0].into(),
        });
    }
    Ok(rev)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const A: &str = "0123456789abcdef0123456789abcdef";
    const B: &str = "fedcba9876543210fedcba9876543210";

    fn check(doc: Value, expect: Result<&str, ReplicatedError>) {
        let map = doc.as_object().expect("an object").clone();
        let got = check_replicated(&map).map(|r| r.to_string());
        assert_eq!(got, expect.map(str::to_owned), "{doc}");
    }

    #[test]
    fn a_path_ending_at_rev_is_valid() {
        let rev = format!("2-{A}");
        check(
            json!({"_id": "x:1", "_rev": rev, "_revisions": {"start": 2, "ids": [A, B]}, "_deleted": true}),
            Ok(&rev),
        );
        let stemmed = format!("9-{A}");
        check(
            json!({"_id": "x:1", "_rev": stemmed, "_revisions": {"start": 9, "ids": [A]}}),
            Ok(&stemmed),
        );
    }

    #[test]
    fn each_rule_is_checked() {
        use ReplicatedError::*;
        let rev = format!("2-{A}");
        let revs = json!({"start": 2, "ids": [A, B]});
        check(
            json!({"_rev": rev, "_revisions": revs, "_x": 1}),
            Err(ReservedField("_x".into())),
        );
        check(json!({"_revisions": revs}), Err(MissingRev));
        check(
            json!({"_rev": 2, "_revisions": revs}),
            Err(BadRev("2".into())),
        );
        check(
            json!({"_rev": "2-ABC", "_revisions": revs}),
            Err(BadRev("2-ABC".into())),
        );
        check(json!({"_rev": rev}), Err(MissingRevisions));
        check(
            json!({"_rev": rev, "_revisions": {"start": -1, "ids": [A]}}),
            Err(BadRevisions("start must be a positive integer")),
        );
        check(
            json!({"_rev": rev, "_revisions": {"start": 2, "ids": []}}),
            Err(BadRevisions("ids must be a non-empty array")),
        );
        check(
            json!({"_rev": rev, "_revisions": {"start": 2, "ids": [A, "B"]}}),
            Err(BadRevisions("every id must be 32 lowercase hex digits")),
        );
        check(
            json!({"_rev": format!("1-{A}"), "_revisions": {"start": 1, "ids": [A, B]}}),
            Err(BadRevisions("more ids than generations")),
        );
        check(
            json!({"_rev": rev, "_revisions": {"start": 3, "ids": [A]}}),
            Err(StartMismatch {
                start: 3,
                generation: 2,
            }),
        );
        check(
            json!({"_rev": rev, "_revisions": {"start": 2, "ids": [B]}}),
            Err(HashMismatch {
                rev: rev.clone(),
                first: B.into(),
            }),
        );
    }
}
