//! Conflicted documents: listing them and resolving one by keeping a single leaf.
//!
//! Owns the `p_cf` index (a pack lists `[type, id]` in `cf` only for its live documents
//! with conflicting leaves, see `model::row` and `model::pack`). Resolution writes deleted revisions on every other live leaf in ONE
//! transaction, through `couch::DocRecord` like every write, so it replicates as an
//! ordinary edit and every peer then computes the same winner.

use super::packs::{self, Packs};
use super::schema::{PACKS, PACK_SEQS, P_CF};
use super::{Store, StoreError};
use couch::{DocRecord, RevId};
use indexed_db_futures::prelude::*;
use serde_json::Value;

/// One conflicted document: every live leaf, the winner first.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflicted {
    /// The document id.
    pub id: String,
    /// The live leaves as full documents (`_id`, `_rev`, body), the current winner first.
    pub versions: Vec<Value>,
}

impl Conflicted {
    fn of(record: &DocRecord) -> Self {
        let winner = record.winner_rev();
        let mut revs: Vec<RevId> = winner.iter().cloned().collect();
        revs.extend(record.tree.conflicts());
        Self {
            id: record.id.clone(),
            versions: revs.iter().filter_map(|r| record.doc_at(r)).collect(),
        }
    }
}

impl Store {
    /// The conflicted documents, at most `limit`, by type and id.
    pub async fn conflicted(&self, limit: u32) -> Result<Vec<Conflicted>, StoreError> {
        let tx = self.db.transaction(PACKS).build()?;
        let read = packs::holding(&tx.object_store(PACKS)?, P_CF, None, limit).await?;
        let mut hits: Vec<(&str, &str, &model::pack::Pack)> = read
            .values()
            .flat_map(|p| p.cf.iter().map(move |[t, id]| (t.as_str(), id.as_str(), p)))
            .collect();
        hits.sort_unstable_by_key(|(t, id, _)| (*t, *id));
        hits.truncate(limit as usize);
        let mut out = Vec::with_capacity(hits.len());
        for (_, id, pack) in hits {
            if let Some(i) = pack.position(id) {
                out.push(Conflicted::of(&packs::record_at(pack, i)?));
            }
        }
        Ok(out)
    }

    /// How many documents are conflicted.
    pub async fn count_conflicted(&self) -> Result<u32, StoreError> {
        let tx = self.db.transaction(PACKS).build()?;
        Ok(tx
            .object_store(PACKS)?
            .index(P_CF)?
            .count()
            .primitive()?
            .await?)
    }

    /// The conflicted document `id`, if it still is.
    pub async fn conflicted_one(&self, id: &str) -> Result<Option<Conflicted>, StoreError> {
        Ok(self
            .get_record(id)
            .await?
            .filter(|r| !r.is_deleted() && !r.tree.conflicts().is_empty())
            .map(|r| Conflicted::of(&r)))
    }

    /// Keeps leaf `keep` of `id`: every other live leaf gets a deleted child revision, so
    /// `keep` becomes the only live leaf (and the winner). One transaction.
    /// `NotFound` if `id` is missing; `Conflict` if `keep` is no longer a live leaf.
    pub async fn resolve_conflict(&self, id: &str, keep: &RevId) -> Result<(), StoreError> {
        let tx = self.write_tx(&[PACKS, PACK_SEQS])?;
        let mut packs = Packs::open(&tx).await?;
        let (_, mut record) = packs
            .find(&[id.to_owned()])
            .await?
            .remove(id)
            .ok_or_else(|| StoreError::NotFound(id.into()))?;
        let live: Vec<RevId> = record
            .tree
            .leaves()
            .into_iter()
            .filter(|l| !l.deleted)
            .map(|l| l.rev)
            .collect();
        if !live.contains(keep) {
            return Err(StoreError::Conflict(id.into()));
        }
        for rev in live.iter().filter(|r| *r != keep) {
            let body = record.doc_at(rev).unwrap_or(Value::Null);
            let mut tomb =
                serde_json::json!({"_id": id, "_rev": rev.to_string(), "_deleted": true});
            for key in ["type", "station"] {
                if let Some(v) = body.get(key) {
                    tomb[key] = v.clone();
                }
            }
            record.update(tomb).map_err(StoreError::InvalidDoc)?;
        }
        packs.write(&record, None)?;
        packs.flush()?;
        tx.commit().await?;
        Ok(())
    }
}
