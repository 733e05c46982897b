//! Document writes and reads: put (new revision), replicated put (new_edits=false),
//! delete (tombstone), get, and the change feed. Owns the `docs` store; the change feed is
//! its `seq` index (each row carries the local sequence of its last change).
//!
//! Every write runs in ONE readwrite transaction with `strict` durability, so a batch is
//! all-or-nothing and a write is on disk when the returned future resolves. Revision
//! logic lives in `couch::DocRecord`.
//!
//! Speed: a batch reads only the records the store already holds (an empty store is read
//! not at all; a small one is asked for its keys in the batch's range once).

use super::blobs::BlobPut;
use super::schema::{BLOBS, DOCS, LOCAL, SEQ};
use super::{Store, StoreError};
use couch::{DocError, DocRecord, MergeOutcome, RevId};
use indexed_db_futures::cursor::CursorDirection;
use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{
    Transaction, TransactionDurability, TransactionMode, TransactionOptions,
};
use indexed_db_futures::KeyRange;
use model::row::DocRow;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};

/// How a batch writes each document.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum WriteMode {
    /// A local edit: the next revision after `_rev` (CouchDB `new_edits: true`).
    Edit,
    /// A replicated revision with its `_revisions` path (CouchDB `new_edits: false`).
    Replicated,
}

/// One entry of the local change feed.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// The local sequence number.
    pub seq: u64,
    /// The document's stored revision record (tree + leaf bodies).
    pub record: DocRecord,
}

impl Store {
    pub(crate) fn write_tx(&self, stores: &[&str]) -> Result<Transaction<'_>, StoreError> {
        let mut opts = TransactionOptions::new();
        opts.set_durability(TransactionDurability::Strict);
        Ok(self
            .db
            .transaction(stores.to_vec())
            .with_mode(TransactionMode::Readwrite)
            .with_options(opts)
            .build()?)
    }

    /// Saves `doc` as a new revision and returns it. `_rev` must be the current winner's
    /// (or absent for a new document), else `StoreError::Conflict`.
    pub async fn put(&self, doc: Value) -> Result<RevId, StoreError> {
        let mut results = self.bulk_put(vec![doc]).await?;
        results.pop().expect("one result per document")
    }

    /// Saves many documents as new revisions in one transaction; per-document results.
    pub async fn bulk_put(
        &self,
        docs: Vec<Value>,
    ) -> Result<Vec<Result<RevId, StoreError>>, StoreError> {
        let results = self.write_batch(docs, WriteMode::Edit, None).await?;
        Ok(results.into_iter().map(|r| r.map(|(rev, _)| rev)).collect())
    }

    /// Merges replicated revisions (each with `_rev` and `_revisions`) in one transaction.
    pub async fn put_replicated(
        &self,
        docs: Vec<Value>,
    ) -> Result<Vec<Result<MergeOutcome, StoreError>>, StoreError> {
        self.put_replicated_marked(docs, None).await
    }

    /// As [`Store::put_replicated`], and moves the local record `mark` (a sequence: "every
    /// change up to here is on the server") past this batch's changes if, inside the same
    /// transaction, it stood at the last change before the batch: the merged records then
    /// hold only revisions the server has, so they are not counted as waiting to be sent.
    pub async fn put_replicated_marked(
        &self,
        docs: Vec<Value>,
        mark: Option<&str>,
    ) -> Result<Vec<Result<MergeOutcome, StoreError>>, StoreError> {
        let results = self.write_batch(docs, WriteMode::Replicated, mark).await?;
        Ok(results
            .into_iter()
            .map(|r| r.map(|(_, outcome)| outcome))
            .collect())
    }

    /// Writes a tombstone over revision `rev`, keeping `type` and `station` so that
    /// replication and export still know what was deleted. Returns the tombstone's rev.
    pub async fn delete(&self, id: &str, rev: &RevId) -> Result<RevId, StoreError> {
        let mut current = self.get(id).await?;
        current["_rev"] = Value::String(rev.to_string());
        self.put(tombstone(&current)).await
    }

    /// One local edit of `doc` with `blobs` stored in the same transaction (a photo).
    pub(super) async fn write_with_blobs(
        &self,
        doc: Value,
        blobs: Vec<BlobPut>,
    ) -> Result<Vec<Result<RevId, StoreError>>, StoreError> {
        let results = self
            .write_batch_with(vec![doc], WriteMode::Edit, None, blobs)
            .await?;
        Ok(results.into_iter().map(|r| r.map(|(rev, _)| rev)).collect())
    }

    async fn write_batch(
        &self,
        docs: Vec<Value>,
        mode: WriteMode,
        mark: Option<&str>,
    ) -> Result<Vec<Result<(RevId, MergeOutcome), StoreError>>, StoreError> {
        self.write_batch_with(docs, mode, mark, Vec::new()).await
    }

    async fn write_batch_with(
        &self,
        docs: Vec<Value>,
        mode: WriteMode,
        mark: Option<&str>,
        blobs: Vec<BlobPut>,
    ) -> Result<Vec<Result<(RevId, MergeOutcome), StoreError>>, StoreError> {
        let tx = if blobs.is_empty() {
            self.write_tx(&[DOCS, LOCAL])?
        } else {
            self.write_tx(&[DOCS, LOCAL, BLOBS])?
        };
        if !blobs.is_empty() {
            let store = tx.object_store(BLOBS)?;
            let mut seen = HashSet::new();
            for b in blobs.iter().filter(|b| seen.insert(b.digest.as_str())) {
                store
                    .put(wasm_bindgen::JsValue::from(b.blob.clone()))
                    .with_key(b.digest.as_str())
                    .primitive()?;
            }
        }
        let rows = tx.object_store(DOCS)?;
        let mut seq = last_seq(&rows).await?;
        let seq_before = seq;
        let ids: Vec<String> = docs.iter().map(doc_id).collect();
        let mut batch: HashMap<String, DocRecord> = HashMap::new();
        let stored = stored_among(&rows, &ids).await?;
        // One read per distinct stored id, all issued before the first is awaited; an id
        // the store does not hold starts a new record without a read.
        let mut asked = HashSet::new();
        let mut pending = Vec::new();
        for id in &ids {
            if id.is_empty() || !asked.insert(id.as_str()) {
                continue;
            }
            if stored.as_ref().is_some_and(|s| !s.contains(id.as_str())) {
                batch.insert(id.clone(), DocRecord::new(id.clone()));
            } else {
                pending.push((id.clone(), rows.get::<DocRow, _, _>(id.as_str()).serde()?));
            }
        }
        for (id, request) in pending {
            let stored = request.await?;
            let entry = match stored {
                Some(row) => row
                    .record()
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                None => DocRecord::new(id.clone()),
            };
            batch.insert(id, entry);
        }
        let mut results = Vec::with_capacity(docs.len());
        for (doc, id) in docs.into_iter().zip(ids) {
            let Some(record) = batch.get_mut(&id) else {
                results.push(Err(StoreError::InvalidDoc(DocError::MissingId)));
                continue;
            };
            let applied = match mode {
                WriteMode::Edit => record.update(doc).map(|rev| (rev, MergeOutcome::Extended)),
                WriteMode::Replicated => {
                    record.put_replicated(doc).map(|o| (winner_rev(record), o))
                }
            };
            match applied {
                Ok(done) => {
                    if done.1 != MergeOutcome::AlreadyPresent {
                        seq += 1;
                        rows.put(DocRow::from_record(record, seq)).serde()?;
                    }
                    results.push(Ok(done));
                }
                Err(DocError::Conflict) => results.push(Err(StoreError::Conflict(id))),
                Err(e) => results.push(Err(StoreError::InvalidDoc(e))),
            }
        }
        // A photo is its document and its bytes together: a refused document stores no
        // bytes either (the transaction is dropped, nothing committed).
        if !blobs.is_empty() && results.iter().any(Result::is_err) {
            tx.abort().await?;
            return Ok(results);
        }
        if let Some(key) = mark {
            let local = tx.object_store(LOCAL)?;
            let at: Option<String> = local.get(key).primitive()?.await?;
            let at = at.and_then(|t| t.parse::<u64>().ok()).unwrap_or(0);
            if at == seq_before && seq > seq_before {
                local.put(seq.to_string()).with_key(key).primitive()?;
            }
        }
        tx.commit().await?;
        Ok(results)
    }

    /// How many documents changed after local sequence `since` (one entry per document).
    pub async fn count_changes_after(&self, since: u64) -> Result<u32, StoreError> {
        let tx = self.db.transaction(DOCS).build()?;
        let n = tx
            .object_store(DOCS)?
            .index(SEQ)?
            .count()
            .with_query::<f64, _>(KeyRange::LowerBound(since as f64, true))
            .primitive()?
            .await?;
        Ok(n)
    }

    /// The winning revision of `id` as a full document (`_id`, `_rev`, body).
    /// A missing or deleted document is `NotFound`.
    pub async fn get(&self, id: &str) -> Result<Value, StoreError> {
        let record = self.get_record(id).await?;
        match record {
            Some(r) if !r.is_deleted() => r
                .winner_doc()
                .ok_or_else(|| StoreError::NotFound(id.into())),
            _ => Err(StoreError::NotFound(id.into())),
        }
    }

    /// The stored revision record of `id` (tombstones included), if any.
    pub async fn get_record(&self, id: &str) -> Result<Option<DocRecord>, StoreError> {
        let tx = self.db.transaction(DOCS).build()?;
        let row: Option<DocRow> = tx.object_store(DOCS)?.get(id).serde()?.await?;
        row.map(|r| r.record().map_err(|e| StoreError::Corrupt(e.to_string())))
            .transpose()
    }

    /// The records changed after local sequence `since`, oldest first, at most `limit`:
    /// one read of the `seq` index (a row's seq is its last change, so each document
    /// appears once, where it last changed).
    pub async fn changes_since(&self, since: u64, limit: u32) -> Result<Vec<Change>, StoreError> {
        let tx = self.db.transaction(DOCS).build()?;
        let rows: Vec<DocRow> = tx
            .object_store(DOCS)?
            .index(SEQ)?
            .get_all()
            .with_query::<f64, _>(KeyRange::LowerBound(since as f64, true))
            .with_limit(limit)
            .serde()?
            .await?
            .collect::<Result<_, _>>()?;
        rows.into_iter()
            .map(|row| {
                let record = row
                    .record()
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?;
                Ok(Change {
                    seq: row.seq as u64,
                    record,
                })
            })
            .collect()
    }

    /// Of the revisions `wanted` (doc id → revisions a peer has), those this store lacks,
    /// read in one transaction: the local side of `_revs_diff` for pull replication.
    /// Only documents with something missing appear in the answer.
    pub async fn revs_diff(
        &self,
        wanted: &BTreeMap<String, Vec<RevId>>,
    ) -> Result<BTreeMap<String, Vec<RevId>>, StoreError> {
        let tx = self.db.transaction(DOCS).build()?;
        let rows = tx.object_store(DOCS)?;
        let mut pending = Vec::with_capacity(wanted.len());
        for id in wanted.keys() {
            pending.push((id, rows.get::<DocRow, _, _>(id.as_str()).serde()?));
        }
        let mut out = BTreeMap::new();
        for (id, request) in pending {
            let revs = &wanted[id];
            let missing = match request.await? {
                Some(row) => row
                    .record()
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?
                    .tree
                    .revs_diff(revs),
                None => revs.clone(),
            };
            if !missing.is_empty() {
                out.insert(id.clone(), missing);
            }
        }
        Ok(out)
    }

    /// The latest local sequence number (0 for an empty database).
    pub async fn update_seq(&self) -> Result<u64, StoreError> {
        let tx = self.db.transaction(DOCS).build()?;
        last_seq(&tx.object_store(DOCS)?).await
    }
}

/// A key scan answers the existence check while it finds at most this many stored ids per
/// id asked (see [`stored_among`]).
const KEY_SCAN_PER_ID: u32 = 4;

/// Which of `ids` the `docs` store holds, learnt without reading a record: one
/// `getAllKeys` over the batch's id range, limited to [`KEY_SCAN_PER_ID`] keys per id. An
/// empty store answers "none" at once; a range holding more keys than the limit answers
/// `None` (unknown: read every id), so a scan never lists a large store for each of many
/// small batches. (Not `count()`: Chromium counts by walking every row, which made many
/// small batches into a growing store slow.) Called inside the batch's own transaction,
/// so it sees what the write will.
async fn stored_among(
    rows: &ObjectStore<'_>,
    ids: &[String],
) -> Result<Option<HashSet<String>>, StoreError> {
    let range = ids.iter().filter(|i| !i.is_empty());
    let (Some(lo), Some(hi)) = (range.clone().min(), range.max()) else {
        return Ok(Some(HashSet::new()));
    };
    let limit = KEY_SCAN_PER_ID
        .saturating_mul(ids.len() as u32)
        .saturating_add(1);
    let keys: Vec<String> = rows
        .get_all_keys::<String>()
        .with_query::<String, _>(KeyRange::Bound(lo.clone(), false, hi.clone(), false))
        .with_limit(limit)
        .primitive()?
        .await?
        .collect::<Result<_, _>>()?;
    if keys.len() as u32 >= limit {
        return Ok(None);
    }
    Ok(Some(keys.into_iter().collect()))
}

/// The tombstone that deletes `current` (a document with `_id` and `_rev`): it keeps
/// `type` and `station` so that replication and export still know what was deleted.
pub(super) fn tombstone(current: &Value) -> Value {
    let mut tomb = serde_json::json!({"_deleted": true});
    for key in ["_id", "_rev", "type", "station"] {
        if let Some(v) = current.get(key) {
            tomb[key] = v.clone();
        }
    }
    tomb
}

fn doc_id(doc: &Value) -> String {
    doc.get("_id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

fn winner_rev(record: &DocRecord) -> RevId {
    record
        .tree
        .winner()
        .map(|l| l.rev)
        .expect("a merged record has a winner")
}

/// The newest local sequence: the highest `seq` of any row (0 for an empty store). A purge
/// (`take_back`) only removes rows changed after the push mark, so a sequence number it
/// frees was never sent anywhere, and reusing it is safe.
pub(super) async fn last_seq(rows: &ObjectStore<'_>) -> Result<u64, StoreError> {
    let index = rows.index(SEQ)?;
    let cursor = index
        .open_key_cursor()
        .with_direction(CursorDirection::Prev)
        .primitive()?
        .await?;
    Ok(match cursor {
        Some(mut c) => c.next_key::<f64>().await?.unwrap_or(0.0) as u64,
        None => 0,
    })
}
