//! The replication protocol's wire types (CouchDB 3 "Replication Protocol"), with serde.
//! Sequences are kept as raw JSON values: CouchDB sends opaque strings, PouchDB and the
//! hub send integers, and a replicator must only echo them back.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// An update sequence as a peer sent it (integer or opaque string).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Seq(pub Value);

impl Seq {
    /// The sequence `0` (the start of every feed).
    pub fn zero() -> Self {
        Seq(Value::from(0))
    }

    /// The sequence as a `since=` query value.
    pub fn as_query(&self) -> String {
        match &self.0 {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }
}

/// `{"error": ..., "reason": ...}` — every CouchDB error body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// Short error name, e.g. `not_found`, `conflict`, `unauthorized`.
    pub error: String,
    /// Human-readable reason.
    pub reason: String,
}

/// One revision in a change row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeRev {
    /// The revision id `N-hash`.
    pub rev: String,
}

/// One row of `_changes`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangeRow {
    /// The sequence of this change.
    pub seq: Seq,
    /// The document id.
    pub id: String,
    /// The winner (`style=main_only`) or every leaf (`style=all_docs`).
    pub changes: Vec<ChangeRev>,
    /// Whether the winning revision is deleted.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deleted: bool,
    /// The winning document, with `include_docs=true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc: Option<Value>,
}

impl ChangeRow {
    /// The row's document as a replicated revision, when the feed carried it
    /// (`include_docs=true`) and it is the document's only leaf: the body with a one-entry
    /// `_revisions`, i.e. the revision with its history stemmed to itself. CouchDB merges
    /// such a revision like any stemmed one: a later revision's `_revisions` reaches back
    /// to it. `None` when a `_bulk_get` is needed (several leaves, no body, or a body of
    /// another revision than the feed's).
    pub fn inline_revision(&self) -> Option<Value> {
        let [leaf] = self.changes.as_slice() else {
            return None;
        };
        let mut doc = self.doc.clone()?;
        if doc.get("_rev")?.as_str()? != leaf.rev || doc.get("_id")?.as_str()? != self.id {
            return None;
        }
        let rev: crate::RevId = leaf.rev.parse().ok()?;
        doc.as_object_mut()?.insert(
            "_revisions".into(),
            serde_json::json!({ "start": rev.pos, "ids": [rev.hash] }),
        );
        Some(doc)
    }
}

/// The body of `GET /{db}/_changes` (normal and longpoll feeds).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangesResponse {
    /// Changes in sequence order.
    pub results: Vec<ChangeRow>,
    /// The sequence to resume from.
    pub last_seq: Seq,
    /// How many changes remain after this batch, if the server says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending: Option<u64>,
}

/// The body of `POST /{db}/_revs_diff`: doc id → revisions the source has.
pub type RevsDiffRequest = BTreeMap<String, Vec<String>>;

/// One entry of a `_revs_diff` answer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RevsDiffEntry {
    /// Revisions the target lacks.
    pub missing: Vec<String>,
    /// Leaves the target has that may be ancestors of the missing ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub possible_ancestors: Option<Vec<String>>,
}

/// The answer of `_revs_diff`: only documents with something missing.
pub type RevsDiffResponse = BTreeMap<String, RevsDiffEntry>;

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

/// The body of `POST /{db}/_bulk_docs`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BulkDocsRequest {
    /// The documents (with `_revisions` when `new_edits` is false).
    pub docs: Vec<Value>,
    /// False for replication: store the given revisions as they are.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub new_edits: bool,
}

/// One per-document result of `_bulk_docs`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct BulkDocsResult {
    /// True when stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ok: Option<bool>,
    /// The document id.
    pub id: String,
    /// The stored revision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rev: Option<String>,
    /// The error name, when not stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The error reason, when not stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// One requested document of `_bulk_get`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkGetItem {
    /// The document id.
    pub id: String,
    /// The revision wanted (the winner if absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rev: Option<String>,
}

/// The body of `POST /{db}/_bulk_get`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkGetRequest {
    /// The wanted revisions.
    pub docs: Vec<BulkGetItem>,
}

/// The error of one `_bulk_get` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkGetError {
    /// The document id.
    pub id: String,
    /// The revision asked for.
    #[serde(default)]
    pub rev: Option<String>,
    /// Error name.
    pub error: String,
    /// Error reason.
    pub reason: String,
}

/// One answer of `_bulk_get`: the document or an error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum BulkGetDoc {
    /// The document (with `_revisions` when `revs=true`).
    #[serde(rename = "ok")]
    Ok(Value),
    /// Why it could not be read.
    #[serde(rename = "error")]
    Error(BulkGetError),
}

/// The answers for one id of `_bulk_get`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BulkGetResult {
    /// The document id.
    pub id: String,
    /// One answer per requested revision.
    pub docs: Vec<BulkGetDoc>,
}

/// The body answered by `_bulk_get`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BulkGetResponse {
    /// One entry per requested item.
    pub results: Vec<BulkGetResult>,
}

/// One entry of a checkpoint's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckpointHistory {
    /// The replication session that recorded it.
    pub session_id: String,
    /// The source sequence reached.
    pub recorded_seq: Seq,
}

/// A replication checkpoint, stored as `_local/<replication id>` on both peers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// `_local/<replication id>`.
    #[serde(rename = "_id")]
    pub id: String,
    /// The checkpoint document's own revision (`0-N` on CouchDB).
    #[serde(rename = "_rev", default, skip_serializing_if = "Option::is_none")]
    pub rev: Option<String>,
    /// The session that wrote it last.
    pub session_id: String,
    /// The last source sequence fully written to the target.
    pub source_last_seq: Seq,
    /// Recent sessions, newest first.
    #[serde(default)]
    pub history: Vec<CheckpointHistory>,
    /// The replication id algorithm version.
    #[serde(default = "one")]
    pub replication_id_version: u32,
}

fn one() -> u32 {
    1
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn changes_accept_integer_and_opaque_sequences() {
        let couch = json!({"results": [{"seq": "3-g1AAAA", "id": "a", "changes": [{"rev": "1-x"}], "deleted": true}],
            "last_seq": "3-g1AAAA", "pending": 0});
        let r: ChangesResponse = serde_json::from_value(couch.clone()).unwrap();
        assert!(r.results[0].deleted);
        assert_eq!(r.last_seq.as_query(), "3-g1AAAA");
        assert_eq!(serde_json::to_value(&r).unwrap(), couch);
        let pouch =
            json!({"results": [{"seq": 7, "id": "b", "changes": [{"rev": "2-y"}]}], "last_seq": 7});
        let r: ChangesResponse = serde_json::from_value(pouch).unwrap();
        assert_eq!(r.last_seq.as_query(), "7");
        assert!(!r.results[0].deleted);
    }

    #[test]
    fn bulk_docs_defaults_to_new_edits() {
        let r: BulkDocsRequest = serde_json::from_value(json!({"docs": []})).unwrap();
        assert!(r.new_edits);
        let r: BulkDocsRequest =
            serde_json::from_value(json!({"docs": [{"_id": "a"}], "new_edits": false})).unwrap();
        assert_eq!(
            serde_json::to_value(&r).unwrap(),
            json!({"docs": [{"_id": "a"}], "new_edits": false})
        );
    }

    #[test]
    fn bulk_get_results_are_ok_or_error() {
        let body = json!({"results": [{"id": "a", "docs": [
            {"ok": {"_id": "a", "_rev": "1-x"}},
            {"error": {"id": "a", "rev": "2-y", "error": "not_found", "reason": "missing"}}]}]});
        let r: BulkGetResponse = serde_json::from_value(body.clone()).unwrap();
        assert!(matches!(r.results[0].docs[0], BulkGetDoc::Ok(_)));
        assert!(matches!(&r.results[0].docs[1], BulkGetDoc::Error(e) if e.error == "not_found"));
        assert_eq!(serde_json::to_value(&r).unwrap(), body);
    }

    #[test]
    fn a_one_leaf_row_with_its_body_is_a_revision_stemmed_to_itself() {
        let row = |changes: &[&str], doc: Value| -> ChangeRow {
            serde_json::from_value(json!({"seq": 1, "id": "a", "doc": doc,
                "changes": changes.iter().map(|r| json!({"rev": r})).collect::<Vec<_>>()}))
            .unwrap()
        };
        let body = json!({"_id": "a", "_rev": "3-c0ffee", "title": "夜话"});
        assert_eq!(
            row(&["3-c0ffee"], body.clone()).inline_revision(),
            Some(json!({"_id": "a", "_rev": "3-c0ffee", "title": "夜话",
                "_revisions": {"start": 3, "ids": ["c0ffee"]}}))
        );
        let tomb = json!({"_id": "a", "_rev": "2-dead", "_deleted": true});
        assert_eq!(
            row(&["2-dead"], tomb).inline_revision().unwrap()["_revisions"],
            json!({"start": 2, "ids": ["dead"]})
        );
        // Two leaves (a conflict), another revision's body, no body, another id: ask.
        assert_eq!(
            row(&["3-c0ffee", "3-beef"], body.clone()).inline_revision(),
            None
        );
        assert_eq!(row(&["4-aaaa"], body.clone()).inline_revision(), None);
        assert_eq!(row(&["3-c0ffee"], Value::Null).inline_revision(), None);
        let mut other = body;
        other["_id"] = json!("b");
        assert_eq!(row(&["3-c0ffee"], other).inline_revision(), None);
    }

    #[test]
    fn revs_diff_and_checkpoint_shapes() {
        let r: RevsDiffResponse =
            serde_json::from_value(json!({"a": {"missing": ["2-b"]}})).unwrap();
        assert_eq!(r["a"].missing, vec!["2-b"]);
        let c: Checkpoint = serde_json::from_value(json!({"_id": "_local/abc", "_rev": "0-3",
            "session_id": "s", "source_last_seq": 42, "history": [{"session_id": "s", "recorded_seq": 42}]}))
        .unwrap();
        assert_eq!(c.source_last_seq, Seq(json!(42)));
        assert_eq!(c.replication_id_version, 1);
    }
}
