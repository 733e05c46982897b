//! Whole records in bulk: every row of the `docs` store in id order, one batch per read
//! transaction (export and the dashboard stream the whole database this way), and many
//! records by id in one transaction (import plans against them).
//!
//! Owns bulk reads only; never writes. Tombstones are included: an export must carry
//! deletions, and callers that want live documents skip them.

use super::schema::DOCS;
use super::{Store, StoreError};
use couch::DocRecord;
use indexed_db_futures::prelude::*;
use indexed_db_futures::KeyRange;
use model::row::DocRow;
use std::collections::HashMap;

fn decode(row: &DocRow) -> Result<DocRecord, StoreError> {
    row.record()
        .map_err(|e| StoreError::Corrupt(format!("{}: {e}", row.id)))
}

impl Store {
    /// At most `limit` stored records (tombstones included, with every leaf) whose ids
    /// come after `after`, in id order. Call again with the last id until a batch is
    /// shorter than `limit`; each batch is its own short read transaction, so a long scan
    /// never holds IndexedDB and writes in between are seen by later batches.
    pub async fn all_records(
        &self,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<DocRecord>, StoreError> {
        let range = match after {
            Some(id) => KeyRange::LowerBound(id.to_owned(), true),
            None => KeyRange::LowerBound(String::new(), false),
        };
        let tx = self.db.transaction(DOCS).build()?;
        let rows: Vec<DocRow> = tx
            .object_store(DOCS)?
            .get_all()
            .with_query::<String, _>(range)
            .with_limit(limit)
            .serde()?
            .await?
            .collect::<Result<_, _>>()?;
        rows.iter().map(decode).collect()
    }

    /// How many records the `docs` store holds, tombstones included (the total of an
    /// [`Store::all_records`] scan, for a progress bar).
    pub async fn count_records(&self) -> Result<u32, StoreError> {
        let tx = self.db.transaction(DOCS).build()?;
        Ok(tx.object_store(DOCS)?.count().primitive()?.await?)
    }

    /// The stored records of `ids` (tombstones included) read in one transaction; ids
    /// not in the store are absent from the answer.
    pub async fn get_records(
        &self,
        ids: &[String],
    ) -> Result<HashMap<String, DocRecord>, StoreError> {
        let tx = self.db.transaction(DOCS).build()?;
        let rows = tx.object_store(DOCS)?;
        let mut pending = Vec::with_capacity(ids.len());
        for id in ids {
            pending.push(rows.get::<DocRow, _, _>(id.as_str()).serde()?);
        }
        let mut out = HashMap::with_capacity(ids.len());
        for request in pending {
            if let Some(row) = request.await? {
                out.insert(row.id.clone(), decode(&row)?);
            }
        }
        Ok(out)
    }
}
