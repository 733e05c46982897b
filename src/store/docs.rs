//! Document writes and reads: put (new revision), replicated put (new_edits=false),
//! delete (tombstone), get, and the change feed. Documents live in packs (`packs.rs`,
//! `model::pack`); the change feed is the packs in key order, cut by `pack_seqs`.
//!
//! Every write runs in ONE readwrite transaction with `strict` durability, so a batch is
//! all-or-nothing and a write is on disk when the returned future resolves. Revision
//! logic lives in `couch::DocRecord`.
//!
//! Speed: a batch is a put per ~100 documents (a pack), not one per document; it reads
//! only the packs holding records it changes (an id range the store holds nothing of is
//! asked once, then not per id).

use super::blobs::BlobPut;
use super::packs::{self, Packs};
use super::schema::{BLOBS, LOCAL, PACKS, PACK_SEQS, P_ID};
use super::{Store, StoreError};
use couch::{DocError, DocRecord, MergeOutcome, RevId};
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{
    Transaction, TransactionDurability, TransactionMode, TransactionOptions,
};
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
            self.write_tx(&[PACKS, PACK_SEQS, LOCAL])?
        } else {
            self.write_tx(&[PACKS, PACK_SEQS, LOCAL, BLOBS])?
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
        let mut packs = Packs::open(&tx).await?;
        let seq_before = packs.seq;
        let ids: Vec<String> = docs.iter().map(doc_id).collect();
        // One round of reads for the ids the store holds; an id it does not hold starts a
        // new record without a read.
        let mut batch: HashMap<String, DocRecord> = packs
            .find(&ids)
            .await?
            .into_iter()
            .map(|(id, (_, record))| (id, record))
            .collect();
        batch.reserve(ids.len().saturating_sub(batch.len()));
        let mut results = Vec::with_capacity(docs.len());
        for (doc, id) in docs.into_iter().zip(ids) {
            if id.is_empty() {
                results.push(Err(StoreError::InvalidDoc(DocError::MissingId)));
                continue;
            }
            let record = batch
                .entry(id.clone())
                .or_insert_with(|| DocRecord::new(id.clone()));
            // A local edit hands back its new leaf's text, which the pack copies.
            let applied = match mode {
                WriteMode::Edit => record
                    .update_fresh(doc)
                    .map(|f| (MergeOutcome::Extended, Some(f))),
                WriteMode::Replicated => record.put_replicated(doc).map(|o| (o, None)),
            };
            match applied {
                Ok((outcome, fresh)) => {
                    if outcome != MergeOutcome::AlreadyPresent {
                        packs.write(record, fresh.as_ref())?;
                    }
                    let rev = fresh.map_or_else(|| winner_rev(record), |f| f.rev);
                    results.push(Ok((rev, outcome)));
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
        let seq = packs.seq;
        let written = packs.flush()?;
        if let Some(key) = mark {
            let local = tx.object_store(LOCAL)?;
            let at: Option<String> = local.get(key).primitive()?.await?;
            let at = at.and_then(|t| t.parse::<u64>().ok()).unwrap_or(0);
            if at == seq_before && seq > seq_before {
                local.put(seq.to_string()).with_key(key).primitive()?;
            }
        }
        // The records and packs are freed while the browser writes the commit, not before.
        let freed = async move { drop((batch, written)) };
        futures::future::join(tx.commit(), freed).await.0?;
        Ok(results)
    }

    /// How many documents changed after local sequence `since` (one entry per document).
    pub async fn count_changes_after(&self, since: u64) -> Result<u32, StoreError> {
        let tx = self.db.transaction(PACK_SEQS).build()?;
        let lists = packs::seqs_after(&tx.object_store(PACK_SEQS)?, since).await?;
        Ok(lists.iter().map(|(_, l)| l.len() as u32).sum())
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

    /// The stored revision record of `id` (tombstones included), if any: the pack that
    /// holds it, read through the id index in one request.
    pub async fn get_record(&self, id: &str) -> Result<Option<DocRecord>, StoreError> {
        let tx = self.db.transaction(PACKS).build()?;
        let value: Option<wasm_bindgen::JsValue> = tx
            .object_store(PACKS)?
            .index(P_ID)?
            .get(id)
            .primitive()?
            .await?;
        let Some(value) = value else { return Ok(None) };
        let pack = packs::Stored::new(value);
        pack.position(id).map(|i| pack.record(i)).transpose()
    }

    /// The records changed after local sequence `since`, oldest first, at most `limit`:
    /// the packs' sequences say which packs hold them, and only those are read (a
    /// document is in one pack, at its last change, so each appears once).
    pub async fn changes_since(&self, since: u64, limit: u32) -> Result<Vec<Change>, StoreError> {
        let tx = self.db.transaction([PACKS, PACK_SEQS]).build()?;
        let lists = packs::seqs_after(&tx.object_store(PACK_SEQS)?, since).await?;
        let mut wanted = Vec::new();
        let mut n = 0usize;
        for (key, list) in lists {
            if n >= limit as usize {
                break;
            }
            n += list.len();
            wanted.push(key);
        }
        let loaded = packs::load(&tx.object_store(PACKS)?, wanted).await?;
        let mut out = Vec::new();
        for pack in loaded.values() {
            for i in pack.after(since) {
                if out.len() >= limit as usize {
                    return Ok(out);
                }
                out.push(Change {
                    seq: pack.seq(i),
                    record: packs::record_at(pack, i)?,
                });
            }
        }
        Ok(out)
    }

    /// Of the revisions `wanted` (doc id → revisions a peer has), those this store lacks,
    /// read in one transaction: the local side of `_revs_diff` for pull replication.
    /// Only documents with something missing appear in the answer.
    pub async fn revs_diff(
        &self,
        wanted: &BTreeMap<String, Vec<RevId>>,
    ) -> Result<BTreeMap<String, Vec<RevId>>, StoreError> {
        let tx = self.db.transaction(PACKS).build()?;
        let ids: Vec<String> = wanted.keys().cloned().collect();
        let stored = packs::records(&tx.object_store(PACKS)?, &ids).await?;
        let mut out = BTreeMap::new();
        for (id, revs) in wanted {
            let missing = match stored.get(id) {
                Some((_, record)) => record.tree.revs_diff(revs),
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
        let tx = self.db.transaction(PACK_SEQS).build()?;
        packs::last_seq(&tx.object_store(PACK_SEQS)?).await
    }
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
