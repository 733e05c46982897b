//! Revision ids (`N-hash`) and the deterministic hash of a new revision.

use crate::attachment::Attachments;
use md5::{Digest, Md5};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

/// A revision id: generation `pos` and a `hash`, written `pos-hash`.
///
/// Ordered as CouchDB orders revisions when it picks a winner: by generation, then by
/// the hash compared as a string.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RevId {
    /// The generation, starting at 1.
    pub pos: u64,
    /// The revision hash (32 lowercase hex digits for revisions made here).
    pub hash: String,
}

/// Why a revision id string could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RevParseError {
    /// No `-` between generation and hash.
    #[error("revision `{0}` is not of the form N-hash")]
    NoDash(String),
    /// The generation is not a positive integer.
    #[error("revision `{0}` has no positive generation number")]
    BadGeneration(String),
    /// The hash is empty.
    #[error("revision `{0}` has an empty hash")]
    EmptyHash(String),
}

impl RevId {
    /// Builds a revision id.
    pub fn new(pos: u64, hash: impl Into<String>) -> Self {
        Self {
            pos,
            hash: hash.into(),
        }
    }

    /// Whether `text` is this revision written out (`pos-hash`), compared without writing it.
    pub fn is(&self, text: &str) -> bool {
        text.split_once('-').is_some_and(|(pos, hash)| {
            hash == self.hash
                && !pos.starts_with('0')
                && pos.bytes().all(|b| b.is_ascii_digit())
                && pos.parse() == Ok(self.pos)
        })
    }
}

impl fmt::Display for RevId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.pos, self.hash)
    }
}

/// The highest generation accepted: the largest integer JSON peers (PouchDB, browsers)
/// represent exactly, so `new_rev` can always add one.
pub const MAX_GENERATION: u64 = (1 << 53) - 1;

impl FromStr for RevId {
    type Err = RevParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (pos, hash) = s
            .split_once('-')
            .ok_or_else(|| RevParseError::NoDash(s.into()))?;
        let pos: u64 = pos
            .parse()
            .map_err(|_| RevParseError::BadGeneration(s.into()))?;
        if pos == 0 || pos > MAX_GENERATION {
            return Err(RevParseError::BadGeneration(s.into()));
        }
        if hash.is_empty() {
            return Err(RevParseError::EmptyHash(s.into()));
        }
        Ok(Self::new(pos, hash))
    }
}

impl Ord for RevId {
    fn cmp(&self, other: &Self) -> Ordering {
        self.pos
            .cmp(&other.pos)
            .then_with(|| self.hash.cmp(&other.hash))
    }
}

impl PartialOrd for RevId {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Serialize for RevId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for RevId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// The revision that an edit of `parent` (None for a new document) to `body` makes.
///
/// The hash is the MD5 of the parent revision, the deleted flag and the canonical JSON
/// of `body` (whose `_`-prefixed metadata fields are ignored), so the same edit made on
/// two phones yields the same revision and they converge instead of conflicting.
pub fn new_rev(parent: Option<&RevId>, body: &Value, deleted: bool) -> RevId {
    new_rev_with(parent, body, deleted, &Attachments::new())
}

/// [`new_rev`] of a revision with attachments: their names and digests count too (as in
/// CouchDB), so two photos with the same fields get different revisions. Without
/// attachments it is exactly [`new_rev`].
pub fn new_rev_with(
    parent: Option<&RevId>,
    body: &Value,
    deleted: bool,
    atts: &Attachments,
) -> RevId {
    new_rev_text(parent, body, deleted, atts).0
}

/// [`new_rev_with`], also handing back the body's canonical JSON text the hash covered
/// (which is the body's `serde_json` text too: a record's JSON reuses it).
pub(crate) fn new_rev_text(
    parent: Option<&RevId>,
    body: &Value,
    deleted: bool,
    atts: &Attachments,
) -> (RevId, Vec<u8>) {
    let mut md5 = Md5::new();
    md5.update(parent.map(|p| p.to_string()).unwrap_or_default().as_bytes());
    md5.update([0, u8::from(deleted), 0]);
    // The body's canonical text, written without copying the body, hashed in one piece
    // (many small `update`s of keys and punctuation cost more than the buffer).
    let mut text = Vec::with_capacity(1024);
    crate::canonical::write_body(body, &mut text).expect("writing to a Vec cannot fail");
    md5.update(&text);
    for (name, stub) in atts {
        md5.update([0]);
        md5.update(name.as_bytes());
        md5.update([0]);
        md5.update(stub.digest.as_bytes());
    }
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut hash = String::with_capacity(32);
    for b in md5.finalize() {
        hash.push(HEX[usize::from(b >> 4)] as char);
        hash.push(HEX[usize::from(b & 15)] as char);
    }
    (RevId::new(parent.map_or(1, |p| p.pos + 1), hash), text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_hash_is_md5_of_parent_flag_and_canonical_body_in_lowercase_hex() {
        let body = json!({"type": "activity", "title": "夜话", "_id": "activity:x"});
        let parent: RevId = "1-0123456789abcdef0123456789abcdef".parse().unwrap();
        let mut md5 = Md5::new();
        md5.update(parent.to_string().as_bytes());
        md5.update([0, 0, 0]);
        md5.update(r#"{"title":"夜话","type":"activity"}"#.as_bytes());
        let expected: String = md5.finalize().iter().map(|b| format!("{b:02x}")).collect();
        let rev = new_rev(Some(&parent), &body, false);
        assert_eq!((rev.pos, rev.hash.as_str()), (2, expected.as_str()));
    }

    #[test]
    fn parses_and_prints() {
        let r: RevId = "12-abc".parse().unwrap();
        assert_eq!(r, RevId::new(12, "abc"));
        assert_eq!(r.to_string(), "12-abc");
        assert!(matches!(
            "abc".parse::<RevId>(),
            Err(RevParseError::NoDash(_))
        ));
        assert!(matches!(
            "0-a".parse::<RevId>(),
            Err(RevParseError::BadGeneration(_))
        ));
        assert!(matches!(
            "9007199254740992-a".parse::<RevId>(),
            Err(RevParseError::BadGeneration(_))
        ));
        assert!("9007199254740991-a".parse::<RevId>().is_ok());
        assert!(matches!(
            "x-a".parse::<RevId>(),
            Err(RevParseError::BadGeneration(_))
        ));
        assert!(matches!(
            "3-".parse::<RevId>(),
            Err(RevParseError::EmptyHash(_))
        ));
    }

    #[test]
    fn orders_by_generation_then_hash() {
        let a: RevId = "2-b".parse().unwrap();
        let b: RevId = "10-a".parse().unwrap();
        let c: RevId = "10-c".parse().unwrap();
        assert!(a < b && b < c);
    }

    #[test]
    fn same_edit_same_revision() {
        let parent = RevId::new(1, "x");
        let one = new_rev(
            Some(&parent),
            &json!({"a": 1, "b": "夜话", "_rev": "1-x"}),
            false,
        );
        let two = new_rev(Some(&parent), &json!({"b": "夜话", "a": 1}), false);
        assert_eq!(one, two);
        assert_eq!(one.pos, 2);
        assert_eq!(one.hash.len(), 32);
        assert_ne!(
            one,
            new_rev(Some(&parent), &json!({"a": 1, "b": "夜话"}), true)
        );
        assert_ne!(one, new_rev(None, &json!({"a": 1, "b": "夜话"}), false));
        assert_ne!(
            one,
            new_rev(Some(&parent), &json!({"a": 2, "b": "夜话"}), false)
        );
    }
}
