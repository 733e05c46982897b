//! A pack: many documents' rows in ONE IndexedDB value (the `packs` store, schema 6), so a
//! batch of 10,000 documents is ~100 puts instead of 10,000. Pure: no IndexedDB here, so
//! the layout is tested natively; `src/store` only moves packs in and out.
//!
//! Layout: parallel arrays, one position per document (`ids`, `sq` — each document's last
//! local sequence, ascending —, `ends` — where each document's `couch::DocRecord`, as UTF-8
//! JSON, ends in `body`), the records' bytes one after another in `body` (stored as a
//! `Uint8Array`: written and read as a copy of bytes, never decoded into JavaScript
//! strings or parsed there), and one array per index (`tu` = `[type, sort time, id]`, the relations `[key, id]`, `cf` =
//! `[type, id]`): IndexedDB's multiEntry indexes key every element, so one pack stands in
//! the indexes for each of its documents. The index arrays are sparse exactly as
//! [`DocRow`]'s fields are (live documents only), and each element ends with the id, so two
//! documents of one pack never share a key (a multiEntry index keeps one entry per equal
//! key of a value).
//!
//! Attendance, most of a station's documents, is also keyed once per key and pack
//! ([`COUNTED`], schema 7): its `aa` / `av` pairs stay in the value to pick the pack's own
//! documents, but the indexes key `[key, n]`, so a batch of attendance costs IndexedDB an
//! index entry per activity and volunteer, not per record.
//!
//! Invariants the store keeps with these operations: a document is in exactly one pack (a
//! rewrite [`Pack::remove`]s it from its old pack and [`Pack::push`]es it onto the newest);
//! a pack's key is the sequence of its first document when it was made, so packs in key
//! order hold ascending, disjoint sequence ranges — the change feed is the packs in key
//! order.

use crate::row::DocRow;
use couch::{DocRecord, Fresh};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How many documents a pack holds at most: big enough that a batch is a few puts, small
/// enough that reading one document, or rewriting a pack that lost one, stays cheap.
pub const PACK_CAP: usize = 100;

/// A pack takes no more documents once its records' bytes reach this, so a pack of large
/// documents stays cheap to read for one of them and to rewrite when one leaves it (packs
/// of 50 to 400 demo documents cost IndexedDB the same: `scripts/profile-put.mjs`).
pub const PACK_BYTES: usize = 128 * 1024;

/// One `packs` value. Field names are short: they are stored once per pack and are the
/// multiEntry indexes' key paths (`src/store/schema.rs`). Serialized (JSON) it is the
/// value's every field but `body`, which travels as bytes ([`Pack::body`], [`Pack::decode`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Pack {
    /// Document ids (index `p_id`).
    pub ids: Vec<String>,
    /// Each document's last local sequence, ascending.
    pub sq: Vec<u64>,
    /// Where each document's record ends in `body` (the first starts at 0).
    pub ends: Vec<u32>,
    /// The records, `couch::DocRecord` as UTF-8 JSON, one after another.
    #[serde(skip)]
    body: Vec<u8>,
    /// `[type, sort time, id]` of live documents (index `p_tu`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tu: Vec<[String; 3]>,
    /// `[activity, id]` of live attendance.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aa: Vec<[String; 2]>,
    /// `[volunteer, id]` of live attendance.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub av: Vec<[String; 2]>,
    /// `[activity, id]` of live concerns.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ca: Vec<[String; 2]>,
    /// `[status, id]` of live concerns.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cs: Vec<[String; 2]>,
    /// `[survey, id]` of live responses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rs: Vec<[String; 2]>,
    /// `[activity or concern, id]` of live photos.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pa: Vec<[String; 2]>,
    /// `[type, id]` of live documents with conflicting leaves.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cf: Vec<[String; 2]>,
}

/// The relations a stored pack keys by *counted* arrays (schema 7): beside its `[key, id]`
/// pairs (read only to filter the pack's own documents), the value carries each distinct
/// key once as `[key, n]`, `n` the number of its documents that name it, under this field
/// — so the `p_ka` / `p_kv` indexes hold one entry per key and pack, not one per record
/// (a pack of attendance names a few activities many times). A count is the sum of the
/// `n`s; a listing reads the packs the key names.
pub const COUNTED: [(Keys, &str); 2] = [
    (Keys::AttendanceActivity, "ka"),
    (Keys::AttendanceVolunteer, "kv"),
];

/// The fields of a stored pack besides `body` (what `JSON.stringify` is told to keep).
pub const META_FIELDS: [&str; 11] = [
    "ids", "sq", "ends", "tu", "aa", "av", "ca", "cs", "rs", "pa", "cf",
];

/// A stored pack that does not read back.
#[derive(Debug, thiserror::Error)]
pub enum PackError {
    /// Its fields are not a pack's.
    #[error("pack fields: {0}")]
    Fields(#[from] serde_json::Error),
    /// Its arrays or its record ends do not agree with each other or with the bytes.
    #[error("pack arrays disagree: {ids} ids, {seqs} sequences, {ends} ends, {bytes} bytes")]
    Shape {
        /// How many ids.
        ids: usize,
        /// How many sequences.
        seqs: usize,
        /// How many record ends.
        ends: usize,
        /// How many bytes of records.
        bytes: usize,
    },
}

/// One index array of a pack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keys {
    /// `tu`: live documents by type (and time).
    Type,
    /// `aa`: attendance by activity.
    AttendanceActivity,
    /// `av`: attendance by volunteer.
    AttendanceVolunteer,
    /// `ca`: concerns by activity.
    ConcernActivity,
    /// `cs`: concerns by status.
    ConcernStatus,
    /// `rs`: responses by survey.
    ResponseSurvey,
    /// `pa`: photos by what they show.
    PhotoOf,
    /// `cf`: conflicted documents by type.
    Conflicted,
}

impl Pack {
    /// How many documents the pack holds.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether another document may join it ([`PACK_CAP`], [`PACK_BYTES`]).
    pub fn has_room(&self) -> bool {
        self.len() < PACK_CAP && self.body.len() < PACK_BYTES
    }

    /// Whether it holds none (an empty pack is deleted, never stored).
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Where `id` is in the pack.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.ids.iter().position(|i| i == id)
    }

    /// The local sequence of the document at `i`.
    pub fn seq(&self, i: usize) -> u64 {
        self.sq[i]
    }

    /// The newest sequence in the pack (its last document's).
    pub fn last_seq(&self) -> Option<u64> {
        self.sq.last().copied()
    }

    /// The bytes of the document at `i`'s record.
    pub fn record_bytes(&self, i: usize) -> &[u8] {
        &self.body[self.start(i)..self.ends[i] as usize]
    }

    fn start(&self, i: usize) -> usize {
        if i == 0 {
            0
        } else {
            self.ends[i - 1] as usize
        }
    }

    /// Decodes the record of the document at `i`.
    pub fn record(&self, i: usize) -> Result<DocRecord, serde_json::Error> {
        serde_json::from_slice(self.record_bytes(i))
    }

    /// Every record's bytes, one after another (the stored value's `body`).
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The pack whose fields besides `body` are the JSON `meta`, with its records' `body`;
    /// refused unless every array and record end agrees.
    pub fn decode(meta: &str, body: Vec<u8>) -> Result<Self, PackError> {
        let mut pack: Pack = serde_json::from_str(meta)?;
        pack.body = body;
        let (n, bytes) = (pack.ids.len(), pack.body.len());
        let ends_fit = pack.ends.windows(2).all(|w| w[0] <= w[1])
            && pack
                .ends
                .last()
                .map_or(bytes == 0, |e| *e as usize == bytes);
        if pack.sq.len() != n || pack.ends.len() != n || !ends_fit {
            return Err(PackError::Shape {
                ids: n,
                seqs: pack.sq.len(),
                ends: pack.ends.len(),
                bytes,
            });
        }
        Ok(pack)
    }

    /// Adds `row` as the pack's newest document (its seq must be above every other's).
    pub fn push(&mut self, row: DocRow) {
        self.body.extend_from_slice(row.rec.as_bytes());
        self.push_keys(row);
    }

    /// Adds `record`, written at `seq`, as the pack's newest document: its keys, and the
    /// record serialized straight into the pack's bytes (no text of its own in between;
    /// the body of `fresh`, the leaf a local edit just made, copied from its text).
    pub fn push_record(&mut self, record: &DocRecord, seq: u64, fresh: Option<&Fresh>) {
        record
            .write_json(&mut self.body, fresh)
            .expect("writing a record to a Vec cannot fail");
        self.push_keys(DocRow::keys_of(record, seq));
    }

    /// The keys of `row` after its record's bytes were appended to `body`.
    fn push_keys(&mut self, row: DocRow) {
        let id = row.id;
        let pair = |k: Option<String>| k.map(|k| [k, id.clone()]);
        if let (Some(t), Some(u)) = (row.t, row.u) {
            self.tu.push([t, u, id.clone()]);
        }
        for (keys, key) in [
            (&mut self.aa, row.aa),
            (&mut self.av, row.av),
            (&mut self.ca, row.ca),
            (&mut self.cs, row.cs),
            (&mut self.rs, row.rs),
            (&mut self.pa, row.pa),
            (&mut self.cf, row.cf),
        ] {
            keys.extend(pair(key));
        }
        self.sq.push(row.seq as u64);
        self.ends.push(self.body.len() as u32);
        self.ids.push(id);
    }

    /// Takes document `id` out of the pack (every array); false if it was not there.
    pub fn remove(&mut self, id: &str) -> bool {
        let Some(i) = self.position(id) else {
            return false;
        };
        let (start, end) = (self.start(i), self.ends[i] as usize);
        self.body.drain(start..end);
        let gone = (end - start) as u32;
        self.ends.remove(i);
        for e in &mut self.ends[i..] {
            *e -= gone;
        }
        self.ids.remove(i);
        self.sq.remove(i);
        self.tu.retain(|k| k[2] != id);
        for keys in [
            &mut self.aa,
            &mut self.av,
            &mut self.ca,
            &mut self.cs,
            &mut self.rs,
            &mut self.pa,
            &mut self.cf,
        ] {
            keys.retain(|k| k[1] != id);
        }
        true
    }

    /// `(key, id)` of each entry of one index array (`Type`: the type).
    pub fn keyed(&self, which: Keys) -> Vec<(&str, &str)> {
        let pairs = match which {
            Keys::Type => {
                return self
                    .tu
                    .iter()
                    .map(|[t, _, id]| (t.as_str(), id.as_str()))
                    .collect()
            }
            Keys::AttendanceActivity => &self.aa,
            Keys::AttendanceVolunteer => &self.av,
            Keys::ConcernActivity => &self.ca,
            Keys::ConcernStatus => &self.cs,
            Keys::ResponseSurvey => &self.rs,
            Keys::PhotoOf => &self.pa,
            Keys::Conflicted => &self.cf,
        };
        pairs
            .iter()
            .map(|[k, id]| (k.as_str(), id.as_str()))
            .collect()
    }

    /// `(key, n)` for each distinct key of index array `which`, in key order: how many of
    /// the pack's documents name it ([`COUNTED`]).
    pub fn counted(&self, which: Keys) -> Vec<(&str, u32)> {
        let mut counts: BTreeMap<&str, u32> = BTreeMap::new();
        for (key, _) in self.keyed(which) {
            *counts.entry(key).or_default() += 1;
        }
        counts.into_iter().collect()
    }

    /// The pack as it is stored (without `body`): its fields and the [`COUNTED`] arrays.
    pub fn stored(&self) -> impl Serialize + '_ {
        #[derive(Serialize)]
        struct Stored<'a> {
            #[serde(flatten)]
            pack: &'a Pack,
            #[serde(skip_serializing_if = "Vec::is_empty")]
            ka: Vec<(&'a str, u32)>,
            #[serde(skip_serializing_if = "Vec::is_empty")]
            kv: Vec<(&'a str, u32)>,
        }
        Stored {
            pack: self,
            ka: self.counted(COUNTED[0].0),
            kv: self.counted(COUNTED[1].0),
        }
    }

    /// Positions of the documents after local sequence `since`, oldest first.
    pub fn after(&self, since: u64) -> impl Iterator<Item = usize> + '_ {
        let from = self.sq.partition_point(|s| *s <= since);
        from..self.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn row(doc: Value, seq: u64) -> DocRow {
        let mut rec = DocRecord::new(doc["_id"].as_str().unwrap().into());
        rec.update(doc).unwrap();
        DocRow::from_record(&rec, seq)
    }

    fn attendance(n: u32, seq: u64) -> DocRow {
        row(
            json!({"_id": format!("attendance:a:{n}"), "type": "attendance",
                "activity_id": "activity:a", "volunteer_id": format!("volunteer:{n}"),
                "updated_at": "2026-11-30T20:00:00+08:00"}),
            seq,
        )
    }

    #[test]
    fn a_pushed_row_is_found_with_its_keys_and_record() {
        let mut pack = Pack::default();
        pack.push(attendance(1, 5));
        pack.push(attendance(2, 6));
        assert_eq!(pack.len(), 2);
        assert_eq!(pack.position("attendance:a:2"), Some(1));
        assert_eq!(pack.seq(1), 6);
        assert_eq!(pack.last_seq(), Some(6));
        assert_eq!(pack.record(0).unwrap().id, "attendance:a:1");
        // Two attendances of one activity: distinct keys, so a multiEntry index keeps both.
        assert_eq!(
            pack.keyed(Keys::AttendanceActivity),
            [
                ("activity:a", "attendance:a:1"),
                ("activity:a", "attendance:a:2")
            ]
        );
        assert_eq!(pack.keyed(Keys::Type)[0], ("attendance", "attendance:a:1"));
        assert_eq!(pack.tu[1][2], "attendance:a:2");
    }

    #[test]
    fn a_record_pushed_as_bytes_equals_one_pushed_as_a_row() {
        let row = attendance(1, 5);
        let record = row.record().unwrap();
        let (mut a, mut b) = (Pack::default(), Pack::default());
        a.push(row);
        b.push_record(&record, 5, None);
        assert_eq!(a, b);
        // A local edit's record, its new body copied from the text its hash covered.
        let mut edited = DocRecord::new("attendance:a:9".into());
        let fresh = edited
            .update_fresh(json!({"_id": "attendance:a:9", "type": "attendance",
                "activity_id": "activity:a", "volunteer_id": "volunteer:v", "hours": 2.5,
                "updated_at": "2026-11-22T19:00:00+08:00"}))
            .unwrap();
        let (mut c, mut d) = (Pack::default(), Pack::default());
        c.push(DocRow::from_record(&edited, 6));
        d.push_record(&edited, 6, Some(&fresh));
        assert_eq!(c, d);
        assert_eq!(d.record(0).unwrap(), edited);
    }

    #[test]
    fn a_pack_is_full_at_its_count_or_its_bytes() {
        let mut pack = Pack::default();
        while pack.has_room() {
            let n = pack.len() as u32;
            pack.push(attendance(n, u64::from(n) + 1));
        }
        assert!(pack.len() == PACK_CAP || pack.body().len() >= PACK_BYTES);
        let mut big = Pack::default();
        let mut rec = DocRecord::new("activity:big".into());
        rec.update(json!({"_id": "activity:big", "type": "activity",
            "summary": "夜".repeat(PACK_BYTES / 3)}))
            .unwrap();
        big.push_record(&rec, 1, None);
        assert!(!big.has_room(), "one large record fills a pack");
    }

    #[test]
    fn removing_a_document_takes_it_out_of_every_array() {
        let mut pack = Pack::default();
        for n in 1..=3 {
            pack.push(attendance(n, u64::from(n)));
        }
        assert!(pack.remove("attendance:a:2"));
        assert!(!pack.remove("attendance:a:2"));
        assert_eq!(pack.ids, ["attendance:a:1", "attendance:a:3"]);
        assert_eq!(pack.sq, [1, 3]);
        assert_eq!(pack.ends.len(), 2);
        assert_eq!(
            pack.record(1).unwrap().id,
            "attendance:a:3",
            "the bytes after it moved"
        );
        assert_eq!(pack.record(0).unwrap().id, "attendance:a:1");
        assert!(pack.tu.iter().all(|k| k[2] != "attendance:a:2"));
        assert!(pack.av.iter().all(|k| k[1] != "attendance:a:2"));
        assert_eq!(pack.aa.len(), 2);
    }

    #[test]
    fn a_tombstone_is_kept_but_keyed_nowhere() {
        let mut rec = DocRecord::new("concern:c".into());
        let rev = rec
            .update(
                json!({"_id": "concern:c", "type": "concern", "activity_id": "a",
                "status": "open"}),
            )
            .unwrap();
        rec.update(json!({"_id": "concern:c", "_rev": rev.to_string(), "_deleted": true}))
            .unwrap();
        let mut pack = Pack::default();
        pack.push(DocRow::from_record(&rec, 3));
        assert!(pack.tu.is_empty() && pack.ca.is_empty() && pack.cs.is_empty());
        assert_eq!(pack.record(0).unwrap(), rec);
        // Empty index arrays are not stored at all, so the value indexes nothing.
        let text = serde_json::to_string(&pack).unwrap();
        assert!(!text.contains("\"tu\"") && !text.contains("\"ca\""));
        assert!(!text.contains("body"), "the records travel as bytes");
        assert_eq!(Pack::decode(&text, pack.body().to_vec()).unwrap(), pack);
    }

    #[test]
    fn a_pack_whose_arrays_disagree_is_refused() {
        let mut pack = Pack::default();
        pack.push(attendance(1, 1));
        pack.push(attendance(2, 2));
        let meta = serde_json::to_string(&pack).unwrap();
        let body = pack.body().to_vec();
        assert!(Pack::decode(&meta, body[..body.len() - 1].to_vec()).is_err());
        let mut short = pack.clone();
        short.sq.pop();
        let meta = serde_json::to_string(&short).unwrap();
        assert!(matches!(
            Pack::decode(&meta, body.clone()),
            Err(PackError::Shape { seqs: 1, .. })
        ));
        assert!(matches!(
            Pack::decode("{\"ids\": 3}", body),
            Err(PackError::Fields(_))
        ));
        // Every field but the body is named for the store's stringify.
        let meta: serde_json::Value = serde_json::to_value(&pack).unwrap();
        for key in meta.as_object().unwrap().keys() {
            assert!(META_FIELDS.contains(&key.as_str()), "{key}");
        }
    }

    #[test]
    fn attendance_is_stored_with_each_key_counted_once_per_pack() {
        let mut pack = Pack::default();
        for n in 1..=3 {
            pack.push(attendance(n, u64::from(n)));
        }
        pack.push(row(
            json!({"_id": "attendance:b:1", "type": "attendance", "activity_id": "activity:b",
                "volunteer_id": "volunteer:1", "updated_at": "2026-11-30T20:00:00+08:00"}),
            4,
        ));
        pack.push(row(
            json!({"_id": "concern:c", "type": "concern", "activity_id": "activity:a",
                "status": "open", "updated_at": "2026-11-30T20:00:00+08:00"}),
            5,
        ));
        assert_eq!(
            pack.counted(Keys::AttendanceActivity),
            [("activity:a", 3), ("activity:b", 1)]
        );
        assert_eq!(
            pack.counted(Keys::AttendanceVolunteer),
            [("volunteer:1", 2), ("volunteer:2", 1), ("volunteer:3", 1)]
        );
        let stored = serde_json::to_value(pack.stored()).unwrap();
        for (which, field) in COUNTED {
            assert_eq!(stored[field], json!(pack.counted(which)), "{field}");
        }
        assert_eq!(stored["ka"], json!([["activity:a", 3], ["activity:b", 1]]));
        assert_eq!(stored["kv"][0], json!(["volunteer:1", 2]));
        assert_eq!(
            stored["ca"],
            json!([["activity:a", "concern:c"]]),
            "pairs stay"
        );
        // The counted arrays are not the pack's own: read back, it is the same pack.
        let meta = serde_json::to_string(&pack.stored()).unwrap();
        assert_eq!(Pack::decode(&meta, pack.body().to_vec()).unwrap(), pack);
        // A document leaving the pack leaves its counts.
        pack.remove("attendance:a:2");
        assert_eq!(
            pack.counted(Keys::AttendanceActivity),
            [("activity:a", 2), ("activity:b", 1)]
        );
        let empty = serde_json::to_value(Pack::default().stored()).unwrap();
        assert!(empty.get("ka").is_none() && empty.get("kv").is_none());
    }

    #[test]
    fn after_a_sequence_lists_the_newer_documents() {
        let mut pack = Pack::default();
        for (n, seq) in [(1, 4), (2, 7), (3, 9)] {
            pack.push(attendance(n, seq));
        }
        assert_eq!(pack.after(0).collect::<Vec<_>>(), [0, 1, 2]);
        assert_eq!(pack.after(7).collect::<Vec<_>>(), [2]);
        assert_eq!(pack.after(9).count(), 0);
    }
}
