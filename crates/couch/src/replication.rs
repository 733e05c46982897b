//! The replication protocol's pure parts, shared by every replicator: which way a
//! replication copies, its id, where it resumes from the two peers' checkpoints, how big
//! its next batch is ([`batch`]) and when it runs again after a failure ([`retry`]).
//! No I/O and no clock: the client's replicator measures and applies.
//!
//! Resuming, as CouchDB and PouchDB do: a checkpoint is kept on both peers with the
//! session that wrote it and a short history of earlier sessions. The same session id on
//! both means both were written together, so the local sequence is trusted; otherwise the
//! newest session both histories share gives the sequence; with nothing in common (one
//! side lost or reset its data) the replication starts from 0, which is always safe
//! because `_revs_diff` skips what the target already has.

pub mod batch;
pub mod retry;

use crate::wire::{Checkpoint, Seq};
use md5::{Digest, Md5};

/// Which way a replication copies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Phone → server.
    Push,
    /// Server → phone.
    Pull,
}

impl Direction {
    /// The name used in the replication id.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Push => "push",
            Self::Pull => "pull",
        }
    }
}

/// The replication id: MD5 of (local database name, remote URL, direction), hex.
/// Stable across runs and app updates, distinct per database, per server and per
/// direction, so a push checkpoint never resumes a pull, and a new server starts over.
pub fn replication_id(local_db: &str, remote_url: &str, direction: Direction) -> String {
    let mut md5 = Md5::new();
    for part in [local_db, remote_url, direction.as_str()] {
        md5.update(part.as_bytes());
        md5.update([0]);
    }
    md5.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The sequence to resume from, given the phone's and the remote's checkpoints.
pub fn resume_seq(local: Option<&Checkpoint>, remote: Option<&Checkpoint>) -> Seq {
    let (Some(l), Some(r)) = (local, remote) else {
        return Seq::zero();
    };
    if l.session_id == r.session_id {
        return l.source_last_seq.clone();
    }
    for lh in &l.history {
        if r.history.iter().any(|rh| rh.session_id == lh.session_id) {
            return lh.recorded_seq.clone();
        }
    }
    Seq::zero()
}

#[cfg(test)]
mod tests;
