//! Conflicted documents: listing them and resolving one by keeping a single leaf.
//!
//! Owns the `conflicted` index (rows carry `cf` only while live with conflicting leaves,
//! see `row.rs`). Resolution writes deleted revisions on every other live leaf in ONE
//! transaction, through `couch::DocRecord` like every write, so it replicates as an
//! ordinary edit and every peer then computes the same winner.

use super::schema::DOCS;
use super::{Store, StoreError};
use couch::{DocRecord, RevId};
use indexed_db_futures::prelude::*;
use model::row::DocRow;
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
    /// The conflicted documents, at most `limit`, by id.
    pub async fn conflicted(&self, limit: u32) -> Result<Vec<Conflicted>, StoreError> {
        let tx = self.db.transaction(DOCS).build()?;
        let rows: Vec<DocRow> = tx
            .object_store(DOCS)?
            .index("conflicted")?
            .get_all()
            .with_limit(limit)
            .serde()?
            .await?
            .collect::<Result<_, _>>()?;
        rows.iter()
            .map(|row| {
                row.record()
                    .map(|r| Conflicted::of(&r))
                    .map_err(|e| StoreError::Corrupt(e.to_string()))
            })
            .collect()
    }

    /// How many documents are conflicted.
    pub async fn count_conflicted(&self) -> Result<u32, StoreError> {
        let tx = self.db.transaction(DOCS).build()?;
        Ok(tx
            .object_store(DOCS)?
            .index("conflicted")?
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
        let tx = self.write_tx(&[DOCS])?;
        let rows = tx.object_store(DOCS)?;
        let row: DocRow = rows
            .get(id)
            .serde()?
            .await?
            .ok_or_else(|| StoreError::NotFound(id.into()))?;
        let mut record = row
            .record()
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
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
        let seq = super::docs::last_seq(&rows).await? + 1;
        rows.put(DocRow::from_record(&record, seq)).serde()?;
        tx.commit().await?;
        Ok(())
    }
}
