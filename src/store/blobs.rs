//! Attachment bytes: the `blobs` store (schema v4), one `Blob` per CouchDB digest, shared
//! by every revision and document that names it, so identical photos are kept once.
//!
//! Owns the `blobs` store. A photo is written whole through [`Store::put_with_blobs`]: its
//! document and its blobs in ONE transaction (`docs.rs` writes the row), so a full disk
//! refuses the whole photo (`StoreError::QuotaExceeded`) and leaves nothing half-written.
//! Listing photos reads their packs (stubs only); bytes are read one digest at a time.
//! Must not decide which bytes may be dropped: that is `records::photos` (the push mark).

use super::schema::BLOBS;
use super::{Store, StoreError};
use couch::RevId;
use indexed_db_futures::prelude::*;
use serde_json::Value;
use std::collections::HashSet;
use wasm_bindgen::{JsCast, JsValue};

/// Bytes to keep under a digest (the caller computed the digest of exactly these bytes).
#[derive(Debug, Clone)]
pub struct BlobPut {
    /// `md5-…` of the bytes.
    pub digest: String,
    /// The bytes, as the browser holds them.
    pub blob: web_sys::Blob,
}

/// A photo's row as listings need it: no bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct PhotoRow {
    /// The document id.
    pub id: String,
    /// The local sequence of its latest write (compared with the push mark).
    pub seq: u64,
    /// The winning body with `_id`, `_rev` and `_attachments` stubs.
    pub doc: Value,
}

impl Store {
    /// Writes `doc` as a new revision and `blobs` under their digests in one transaction:
    /// both or neither. A digest already stored is not written again.
    pub async fn put_with_blobs(
        &self,
        doc: Value,
        blobs: Vec<BlobPut>,
    ) -> Result<RevId, StoreError> {
        let mut results = self.write_with_blobs(doc, blobs).await?;
        results.pop().expect("one result per document")
    }

    /// Keeps `blob` under `digest` (a pulled thumbnail, a full photo fetched on opening).
    pub async fn put_blob(&self, digest: &str, blob: &web_sys::Blob) -> Result<(), StoreError> {
        let tx = self.write_tx(&[BLOBS])?;
        tx.object_store(BLOBS)?
            .put(JsValue::from(blob.clone()))
            .with_key(digest)
            .primitive()?;
        tx.commit().await?;
        Ok(())
    }

    /// The bytes stored under `digest`, if any.
    pub async fn get_blob(&self, digest: &str) -> Result<Option<web_sys::Blob>, StoreError> {
        let tx = self.db.transaction(BLOBS).build()?;
        let value: Option<JsValue> = tx.object_store(BLOBS)?.get(digest).primitive()?.await?;
        Ok(value.and_then(|v| v.dyn_into::<web_sys::Blob>().ok()))
    }

    /// Every digest whose bytes are stored (keys only: no bytes are read).
    pub async fn blob_digests(&self) -> Result<HashSet<String>, StoreError> {
        let tx = self.db.transaction(BLOBS).build()?;
        let keys: Vec<String> = tx
            .object_store(BLOBS)?
            .get_all_keys::<String>()
            .primitive()?
            .await?
            .collect::<Result<_, _>>()?;
        Ok(keys.into_iter().collect())
    }

    /// How many blobs are stored and their bytes (the `Blob` handles' sizes).
    pub async fn blob_usage(&self) -> Result<(u32, u64), StoreError> {
        let tx = self.db.transaction(BLOBS).build()?;
        let values: Vec<JsValue> = tx
            .object_store(BLOBS)?
            .get_all::<JsValue>()
            .primitive()?
            .await?
            .collect::<Result<_, _>>()?;
        let bytes = values
            .iter()
            .filter_map(|v| v.dyn_ref::<web_sys::Blob>())
            .map(|b| b.size() as u64)
            .sum();
        Ok((values.len() as u32, bytes))
    }

    /// Drops the bytes of `digests` in one transaction (the documents keep their stubs).
    pub async fn drop_blobs(&self, digests: &[String]) -> Result<(), StoreError> {
        let tx = self.write_tx(&[BLOBS])?;
        let store = tx.object_store(BLOBS)?;
        for d in digests {
            store.delete(d.as_str()).primitive()?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Every live photo's row (stubs, never bytes), through the `[type, time, id]` index.
    pub async fn photo_rows(&self) -> Result<Vec<PhotoRow>, StoreError> {
        let rows = self.listed_of_type("photo", u32::MAX).await?;
        Ok(rows
            .into_iter()
            .map(|l| PhotoRow {
                id: l.id,
                seq: l.seq,
                doc: l.doc,
            })
            .collect())
    }
}
