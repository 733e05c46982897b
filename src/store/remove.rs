//! Taking documents back: removing records that should never have been written (demo
//! data under a real station). Owns that one write; every other write is `docs.rs`.
//!
//! A record the server has never seen (its last change is after the push mark) is purged:
//! its row and change entry go, so nothing of it is ever sent. A record the server already
//! holds gets a tombstone, which the next sync carries there. Both in ONE readwrite
//! transaction with `strict` durability, like every write.

use super::docs::{last_seq, tombstone};
use super::schema::DOCS;
use super::{Store, StoreError};
use indexed_db_futures::prelude::*;
use model::row::DocRow;

/// What [`Store::take_back`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Removed {
    /// Records that had never left the phone, now gone without a trace.
    pub purged: u32,
    /// Records the server holds, now deleted by a tombstone the next sync sends.
    pub tombstoned: u32,
}

impl Store {
    /// Removes the live records among `ids`: purged if changed after local sequence
    /// `sent_up_to` (every change up to it is on the server), else tombstoned.
    /// Missing and already deleted records are left as they are.
    pub async fn take_back(&self, ids: &[String], sent_up_to: u64) -> Result<Removed, StoreError> {
        let tx = self.write_tx(&[DOCS])?;
        let rows = tx.object_store(DOCS)?;
        let mut seq = last_seq(&rows).await?;
        let mut pending = Vec::with_capacity(ids.len());
        for id in ids {
            pending.push(rows.get::<DocRow, _, _>(id.as_str()).serde()?);
        }
        let mut out = Removed::default();
        for request in pending {
            let Some(row) = request.await? else {
                continue;
            };
            let mut record = row
                .record()
                .map_err(|e| StoreError::Corrupt(format!("{}: {e}", row.id)))?;
            let Some(current) = record.winner_doc().filter(|_| !record.is_deleted()) else {
                continue;
            };
            if row.seq as u64 > sent_up_to {
                rows.delete(row.id.as_str()).primitive()?;
                out.purged += 1;
            } else {
                record
                    .update(tombstone(&current))
                    .map_err(StoreError::InvalidDoc)?;
                seq += 1;
                rows.put(DocRow::from_record(&record, seq)).serde()?;
                out.tombstoned += 1;
            }
        }
        tx.commit().await?;
        Ok(out)
    }
}
