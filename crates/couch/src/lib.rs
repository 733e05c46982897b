//! CouchDB documents and revision trees, exactly as CouchDB behaves, plus the
//! replication protocol's wire types. Pure: this crate does no I/O and knows nothing
//! of IndexedDB, HTTP or SQLite; the client store and the hub both build on it.
//!
//! - [`RevId`]: a revision id `N-hash`, and the deterministic hash of a new edit.
//! - [`RevTree`]: a document's revision tree: merge a path, leaves, winner, stemming.
//! - [`DocRecord`]: a tree plus the bodies of its leaves — what a database stores per id —
//!   and their [`attachment`] stubs (the bytes travel and are stored apart, by digest).
//! - [`wire`]: serde types for `_changes`, `_revs_diff`, `_bulk_docs`, `_bulk_get`, `_local`.
//! - [`replication`]: replication ids, resuming from checkpoints, batch sizing, retries.

pub mod attachment;
mod canonical;
mod record;
mod record_json;
mod replicated;
pub mod replication;
mod rev;
mod tree;
pub mod wire;

pub use canonical::canonical_json;
pub use record::{DocError, DocRecord, Fresh, MergeOutcome, Revisions, MAX_DEPTH};
pub use replicated::{check_replicated, is_hex32, reserved_field, ReplicatedError, META_FIELDS};
pub use rev::{new_rev, new_rev_with, RevId, RevParseError};
pub use tree::{Leaf, RevTree, DEFAULT_REVS_LIMIT};
