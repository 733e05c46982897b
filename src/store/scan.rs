//! Whole records in bulk: every stored document in id order, one batch per read
//! transaction (export and the dashboard stream the whole database this way), and many
//! records by id in one transaction (import plans against them).
//!
//! Owns bulk reads only; never writes. Tombstones are included: an export must carry
//! deletions, and callers that want live documents skip them.

use super::packs;
use super::schema::{PACKS, P_ID};
use super::{Store, StoreError};
use couch::DocRecord;
use indexed_db_futures::prelude::*;
use indexed_db_futures::KeyRange;
use std::collections::{BTreeSet, HashMap};

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
        let tx = self.db.transaction(PACKS).build()?;
        let store = tx.object_store(PACKS)?;
        let homes: BTreeSet<u64> = store
            .index(P_ID)?
            .get_all_keys::<f64>()
            .with_query::<String, _>(range)
            .with_limit(limit)
            .primitive()?
            .await?
            .map(|k| k.map(|k| k as u64))
            .collect::<Result<_, _>>()?;
        let read = packs::load(&store, homes).await?;
        let mut hits: Vec<(&str, usize, &model::pack::Pack)> = read
            .values()
            .flat_map(|p| {
                p.ids
                    .iter()
                    .enumerate()
                    .map(move |(i, id)| (id.as_str(), i, p))
            })
            .filter(|(id, _, _)| after.is_none_or(|a| *id > a))
            .collect();
        hits.sort_unstable_by_key(|(id, _, _)| *id);
        hits.truncate(limit as usize);
        hits.into_iter()
            .map(|(_, i, pack)| packs::record_at(pack, i))
            .collect()
    }

    /// How many records the store holds, tombstones included (the total of an
    /// [`Store::all_records`] scan, for a progress bar): the id index's entries.
    pub async fn count_records(&self) -> Result<u32, StoreError> {
        let tx = self.db.transaction(PACKS).build()?;
        Ok(tx
            .object_store(PACKS)?
            .index(P_ID)?
            .count()
            .primitive()?
            .await?)
    }

    /// The stored records of `ids` (tombstones included) read in one transaction; ids
    /// not in the store are absent from the answer.
    pub async fn get_records(
        &self,
        ids: &[String],
    ) -> Result<HashMap<String, DocRecord>, StoreError> {
        let tx = self.db.transaction(PACKS).build()?;
        let found = packs::records(&tx.object_store(PACKS)?, ids).await?;
        Ok(found.into_iter().map(|(id, (_, r))| (id, r)).collect())
    }
}
