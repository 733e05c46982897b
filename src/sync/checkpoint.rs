//! Replication ids and checkpoints: where a replication resumes.
//!
//! A checkpoint is written to BOTH peers after each batch — the remote as
//! `_local/<replication id>`, the phone as the local record `checkpoint:<replication id>`
//! — remote first, then local. On start the two are compared as CouchDB and PouchDB do:
//! the same session id means both were written together, so the local sequence is
//! trusted; otherwise the newest session both histories share gives the sequence; with
//! nothing in common (one side lost or reset its data) the replication starts from 0,
//! which is always safe because `_revs_diff` skips what the target already has.

use super::{Remote, SyncError};
use crate::store::Store;
pub use couch::replication::{replication_id, resume_seq};
use couch::wire::{Checkpoint, CheckpointHistory, Seq};
use serde::Deserialize;

/// How many past sessions a checkpoint remembers (CouchDB keeps 50; a phone needs few).
const HISTORY: usize = 5;

#[derive(Deserialize)]
struct PutAnswer {
    rev: String,
}

/// Reads and writes one replication's checkpoints.
pub(crate) struct Checkpointer {
    /// The replication id.
    id: String,
    /// This run's session id (random).
    session_id: String,
    /// The remote checkpoint's current `_rev` (`0-N`), needed to overwrite it.
    remote_rev: Option<String>,
    /// Past sessions, newest first (from the local checkpoint).
    history: Vec<CheckpointHistory>,
    /// False once the remote refused a checkpoint write on a pull (read-only access):
    /// the pull then keeps only the local checkpoint.
    remote_writable: bool,
}

impl Checkpointer {
    /// Loads both checkpoints and returns the checkpointer and the sequence to resume from.
    pub(crate) async fn start(
        store: &Store,
        remote: &Remote,
        id: String,
    ) -> Result<(Self, Seq), SyncError> {
        let local: Option<Checkpoint> = store.get_local(&local_key(&id)).await?;
        let remote_cp: Option<Checkpoint> = remote.get_opt(&format!("_local/{id}")).await?;
        let since = resume_seq(local.as_ref(), remote_cp.as_ref());
        let this = Self {
            session_id: session_id(),
            remote_rev: remote_cp.and_then(|c| c.rev),
            history: local.map(|c| c.history).unwrap_or_default(),
            id,
            remote_writable: true,
        };
        Ok((this, since))
    }

    /// Records that every change up to `seq` reached the target: remote, then local.
    /// `pull` says the remote is the source, whose refusal (401/403) is tolerated.
    pub(crate) async fn write(
        &mut self,
        store: &Store,
        remote: &Remote,
        seq: &Seq,
        pull: bool,
    ) -> Result<(), SyncError> {
        let mut history = vec![CheckpointHistory {
            session_id: self.session_id.clone(),
            recorded_seq: seq.clone(),
        }];
        history.extend(
            self.history
                .iter()
                .filter(|h| h.session_id != self.session_id)
                .take(HISTORY - 1)
                .cloned(),
        );
        self.history = history.clone();
        let mut cp = Checkpoint {
            id: format!("_local/{}", self.id),
            rev: self.remote_rev.clone(),
            session_id: self.session_id.clone(),
            source_last_seq: seq.clone(),
            history,
            replication_id_version: 1,
        };
        if self.remote_writable {
            let path = format!("_local/{}", self.id);
            match remote.put::<_, PutAnswer>(&path, &cp).await {
                Ok(a) => self.remote_rev = Some(a.rev),
                Err(SyncError::Unauthorized(_) | SyncError::Forbidden(_)) if pull => {
                    self.remote_writable = false;
                }
                Err(e) => return Err(e),
            }
        }
        cp.rev = None;
        store.put_local(&local_key(&self.id), &cp).await?;
        Ok(())
    }
}

fn local_key(id: &str) -> String {
    format!("checkpoint:{id}")
}

/// A random session id (hex) from the browser's CSPRNG, else `Math.random`.
fn session_id() -> String {
    let mut bytes = [0u8; 12];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        for b in &mut bytes {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
