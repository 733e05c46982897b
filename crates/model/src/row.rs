//! The shape of a document row in the `docs` object store, and the index keys derived
//! from a document's winning body. Pure: no IndexedDB here, so it is tested natively.
//!
//! Index fields are *sparse*: a row carries `aa`/`av` only if it is live attendance,
//! `ca`/`cs` only if it is a live concern, `rs` only if it is a live response, `pa` only if it is a live photo, and
//! `t`/`u` only if it is live at all, `cf` only if it is live and has conflicting leaves. IndexedDB skips rows without the key path, so
//! tombstones never appear in listings, yet they stay in the store for replication.

use couch::DocRecord;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One row of the `docs` store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocRow {
    /// The document id (the store's key path).
    pub id: String,
    /// The local sequence of the row's latest write.
    pub seq: f64,
    /// The winning revision.
    pub rev: String,
    /// Whether the winning revision is a tombstone.
    pub deleted: bool,
    /// Document type, e.g. `activity` (absent on tombstones).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub t: Option<String>,
    /// Sort time for listings: the activity's start, else `updated_at` (absent on tombstones).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub u: Option<String>,
    /// Attendance: activity id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aa: Option<String>,
    /// Attendance: volunteer id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub av: Option<String>,
    /// Concern: activity id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca: Option<String>,
    /// Concern: status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cs: Option<String>,
    /// Response: survey id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rs: Option<String>,
    /// Photo: the activity or concern it shows (the gallery's index; the row holds only
    /// the attachment stubs, never the bytes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pa: Option<String>,
    /// Conflicted: the type, present only while the live document has conflicting leaves
    /// (the 冲突 list's index).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cf: Option<String>,
    /// The whole `couch::DocRecord` (revision tree + leaf bodies) as JSON text.
    pub rec: String,
}

impl DocRow {
    /// Builds the row for `record` written at local sequence `seq`.
    pub fn from_record(record: &DocRecord, seq: u64) -> Self {
        let mut row = Self::keys_of(record, seq);
        row.rec = serde_json::to_string(record).expect("a DocRecord always serializes");
        row
    }

    /// The row for `record` at `seq` without its record text (`rec` empty): the keys, for a
    /// writer that serializes the record elsewhere (a pack's bytes).
    pub fn keys_of(record: &DocRecord, seq: u64) -> Self {
        // The winning body borrowed, not copied: only a few of its fields become keys.
        let (rev, winner) = match record.winner_body() {
            Some((rev, body)) => (rev.to_string(), body),
            None => (String::new(), &Value::Null),
        };
        let deleted = record.is_deleted();
        let live = |v: Option<&str>| if deleted { None } else { v.map(str::to_owned) };
        let field = |k: &str| winner.get(k).and_then(Value::as_str);
        let ty = field("type");
        let when = field("start").or_else(|| field("updated_at")).or(Some(""));
        let of_type = |t: &str, k: &str| if ty == Some(t) { live(field(k)) } else { None };
        Self {
            id: record.id.clone(),
            seq: seq as f64,
            rev,
            deleted,
            t: live(ty),
            u: if ty.is_some() { live(when) } else { None },
            aa: of_type("attendance", "activity_id"),
            av: of_type("attendance", "volunteer_id"),
            ca: of_type("concern", "activity_id"),
            cs: of_type("concern", "status"),
            rs: of_type("response", "survey_id"),
            pa: of_type("photo", "activity_id").or_else(|| of_type("photo", "concern_id")),
            cf: if record.tree.has_conflicts() {
                live(ty)
            } else {
                None
            },
            rec: String::new(),
        }
    }

    /// Decodes the stored revision record.
    pub fn record(&self) -> Result<DocRecord, serde_json::Error> {
        serde_json::from_str(&self.rec)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn row_of(doc: Value) -> DocRow {
        let id = doc["_id"].as_str().unwrap().to_owned();
        let mut rec = DocRecord::new(id);
        rec.update(doc).unwrap();
        DocRow::from_record(&rec, 7)
    }

    #[test]
    fn a_live_photo_row_names_what_it_shows_and_a_deleted_one_does_not() {
        let stub = json!({"content_type": "image/jpeg", "digest": "md5-AAAAAAAAAAAAAAAAAAAAAA==",
            "length": 3});
        let mut rec = DocRecord::new("photo:p1".into());
        let rev = rec
            .update(
                json!({"_id": "photo:p1", "type": "photo", "activity_id": "activity:a1",
                "taken_at": "2026-11-22T19:00:00+08:00",
                "_attachments": {"image.jpg": stub, "thumb.jpg": stub}}),
            )
            .unwrap();
        let row = DocRow::from_record(&rec, 1);
        assert_eq!(row.pa.as_deref(), Some("activity:a1"));
        assert!(!row.rec.contains("\"data\""));
        rec.update(json!({"_id": "photo:p1", "_rev": rev.to_string(), "_deleted": true}))
            .unwrap();
        assert_eq!(DocRow::from_record(&rec, 2).pa, None);
        let concern = row_of(json!({"_id": "photo:p2", "type": "photo",
            "concern_id": "concern:c1", "taken_at": "2026-11-22T19:00:00+08:00"}));
        assert_eq!(concern.pa.as_deref(), Some("concern:c1"));
    }

    #[test]
    fn attendance_row_carries_relation_keys() {
        let row = row_of(json!({"_id": "attendance:a1:v1", "type": "attendance",
            "activity_id": "a1", "volunteer_id": "v1", "updated_at": "2026-11-22T19:00:00+08:00"}));
        assert_eq!(row.aa.as_deref(), Some("a1"));
        assert_eq!(row.av.as_deref(), Some("v1"));
        assert_eq!(row.ca, None);
        assert_eq!(row.t.as_deref(), Some("attendance"));
        assert_eq!(row.u.as_deref(), Some("2026-11-22T19:00:00+08:00"));
        assert_eq!(row.seq, 7.0);
        assert!(row.rev.starts_with("1-"));
    }

    #[test]
    fn activity_sorts_by_start_and_concern_by_status() {
        let row = row_of(json!({"_id": "activity:x", "type": "activity",
            "start": "2026-01-02T19:30:00+08:00", "updated_at": "2026-11-01T00:00:00+08:00"}));
        assert_eq!(row.u.as_deref(), Some("2026-01-02T19:30:00+08:00"));
        let row = row_of(
            json!({"_id": "concern:c", "type": "concern", "activity_id": "a", "status": "open"}),
        );
        assert_eq!(
            (row.ca.as_deref(), row.cs.as_deref()),
            (Some("a"), Some("open"))
        );
    }

    #[test]
    fn a_conflicted_document_carries_the_conflict_key_until_resolved() {
        let doc = json!({"_id": "activity:x", "type": "activity", "title": "a"});
        let mut rec = DocRecord::new("activity:x".into());
        rec.update(doc.clone()).unwrap();
        assert_eq!(DocRow::from_record(&rec, 1).cf, None);
        let mut other = json!({"_id": "activity:x", "type": "activity", "title": "b",
            "_rev": "1-ffffffffffffffffffffffffffffffff"});
        rec.put_replicated(other.clone()).unwrap();
        let row = DocRow::from_record(&rec, 2);
        assert_eq!(row.cf.as_deref(), Some("activity"));
        // Deleting the losing leaf resolves it.
        let loser = rec.tree.conflicts()[0].to_string();
        other["_rev"] = json!(loser);
        other["_deleted"] = json!(true);
        rec.update(other).unwrap();
        assert!(rec.tree.conflicts().is_empty());
        assert_eq!(DocRow::from_record(&rec, 3).cf, None);
    }

    #[test]
    fn tombstone_has_no_index_keys_but_keeps_its_record() {
        let mut rec = DocRecord::new("concern:c".into());
        let rev = rec
            .update(json!({"_id": "concern:c", "type": "concern", "activity_id": "a", "status": "open"}))
            .unwrap();
        rec.update(json!({"_id": "concern:c", "_rev": rev.to_string(), "_deleted": true, "type": "concern"}))
            .unwrap();
        let row = DocRow::from_record(&rec, 9);
        assert!(row.deleted);
        assert_eq!(
            (&row.t, &row.u, &row.ca, &row.cs),
            (&None, &None, &None, &None)
        );
        assert_eq!(row.record().unwrap(), rec);
    }
}
