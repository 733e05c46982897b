//! Taking documents back: removing records that should never have been written (demo
//! data under a real station). Owns that one write; every other write is `docs.rs`.
//!
//! A record the server has never seen (its last change is after the push mark) is purged:
//! it leaves its pack, so nothing of it is ever sent. A record the server already
//! holds gets a tombstone, which the next sync carries there. Both in ONE readwrite
//! transaction with `strict` durability, like every write.

use super::docs::tombstone;
use super::packs::{distinct, Packs};
use super::schema::{PACKS, PACK_SEQS};
use super::{Store, StoreError};

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
        let tx = self.write_tx(&[PACKS, PACK_SEQS])?;
        let mut packs = Packs::open(&tx).await?;
        let ids = distinct(ids);
        let mut found = packs.find(&ids).await?;
        let mut out = Removed::default();
        for id in &ids {
            let Some((seq, mut record)) = found.remove(id) else {
                continue;
            };
            let Some(current) = record.winner_doc().filter(|_| !record.is_deleted()) else {
                continue;
            };
            if seq > sent_up_to {
                packs.purge(id);
                out.purged += 1;
            } else {
                record
                    .update(tombstone(&current))
                    .map_err(StoreError::InvalidDoc)?;
                packs.write(&record, None)?;
                out.tombstoned += 1;
            }
        }
        packs.flush()?;
        tx.commit().await?;
        Ok(out)
    }
}
