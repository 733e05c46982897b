//! The replicator: push and pull between the phone's [`Store`] and a CouchDB-compatible
//! database (the hub, Apache CouchDB, pouchdb-server) by the CouchDB replication protocol.
//!
//! Terms:
//! - *source* / *target*: push copies local → remote, pull remote → local.
//! - *batch*: changes read from the source's feed (100 at first, then as many as the link
//!   carries in a few round trips' time, measured from the batches themselves, see
//!   [`batch`]), whose missing revisions are copied in one request (`_bulk_docs`) or one
//!   IndexedDB transaction (pull). Both checkpoint every few seconds and at their end
//!   (see `pull`, `push`).
//! - *checkpoint*: the source sequence up to which everything reached the target, kept on
//!   both peers (see [`checkpoint`]); a dropped link resumes from the last one.
//! - *replication id*: MD5 of (local database, remote URL, direction).
//!
//! Push, per batch: local `changes` since the checkpoint → `POST _revs_diff` → the missing
//! leaves with their `_revisions` → `POST _bulk_docs` (`new_edits: false`), with the next
//! batch's read and `_revs_diff` already on the link; the push mark after each batch, a
//! checkpoint every few seconds and at the end.
//! Pull, per batch: `GET _changes?style=all_docs&since=..&limit=..` (with `include_docs=true`
//! into a store that began empty: one-leaf documents are stored from the feed, stemmed to
//! their leaf) → `_revs_diff` against the store (skipped when the store began empty) →
//! `POST _bulk_get?revs=true` for the rest →
//! `Store::put_replicated` (one transaction), with the next batch's `_changes` already on
//! the link; a checkpoint every few seconds and at the end. Winners and conflicts come out of `couch::DocRecord` on both sides, so
//! every peer agrees. Nothing here decides a winner.
//!
//! Photos (see [`photos`]): pushed after every other record, one `multipart/related`
//! request each; pulled as documents with their thumbnails, never their full bytes.
//!
//! Architecture invariant: at most one replication runs at a time in a page (a second
//! call gets [`SyncError::Busy`]); a failure leaves every local record in place.

pub mod checkpoint;
pub mod console;
mod engine;
mod error;
pub mod photos;
mod pull;
mod push;
mod remote;
pub mod service;

pub use couch::replication::{batch, Direction};
pub use error::SyncError;
pub use remote::{login, logout, Remote, Traffic};

use crate::store::{Store, StoreError};
use batch::BatchSize;
use std::cell::Cell;
use std::rc::Rc;

/// What one run did, for the 同步 screen and for tests.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SyncReport {
    /// Revisions sent to the remote (`_bulk_docs`).
    pub sent: u64,
    /// Revisions received and written to the store.
    pub received: u64,
    /// Received revisions that opened a new branch (a conflict) locally.
    pub conflicts: u64,
    /// Documents a peer refused (per-document errors of `_bulk_docs`, `_bulk_get` or the
    /// store); counted, logged, and not retried by this run.
    pub doc_errors: u64,
    /// Batches completed (each ended with a checkpoint).
    pub batches: u32,
    /// True when the source's feed was read to its end (false if stopped by `max_batches`).
    pub complete: bool,
    /// Photo revisions sent, one request each (after every other record).
    #[serde(default)]
    pub photos_sent: u64,
    /// Photos left waiting for Wi-Fi by 仅在 Wi-Fi 下上传照片.
    #[serde(default)]
    pub photos_waiting: u64,
    /// Thumbnails fetched after the pull.
    #[serde(default)]
    pub thumbs: u64,
}

impl SyncReport {
    fn add(&mut self, other: &SyncReport) {
        self.sent += other.sent;
        self.received += other.received;
        self.conflicts += other.conflicts;
        self.doc_errors += other.doc_errors;
        self.batches += other.batches;
        self.complete = other.complete;
        self.photos_sent += other.photos_sent;
        self.photos_waiting += other.photos_waiting;
        self.thumbs += other.thumbs;
    }
}

thread_local! {
    /// True while a replication runs in this page.
    static RUNNING: Cell<bool> = const { Cell::new(false) };
}

/// Clears [`RUNNING`] when a run ends, however it ends.
struct RunGuard;

impl RunGuard {
    fn acquire() -> Result<Self, SyncError> {
        RUNNING.with(|r| {
            if r.replace(true) {
                Err(SyncError::Busy)
            } else {
                Ok(RunGuard)
            }
        })
    }
}

impl Drop for RunGuard {
    fn drop(&mut self) {
        RUNNING.with(|r| r.set(false));
    }
}

/// Where a running replication is, after each batch (for the progress bar).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Which way this batch went.
    pub direction: Direction,
    /// Documents looked at so far in this direction.
    pub done: u64,
    /// How many there are in all, when known (push: the local changes waiting; pull: what
    /// the server says is pending).
    pub total: Option<u64>,
    /// Milliseconds since this direction started.
    pub elapsed_ms: u64,
}

/// Called after each batch.
pub type OnProgress = Rc<dyn Fn(Progress)>;

/// The local record holding the push mark of `store` towards the database at `remote_url`:
/// every local change up to that sequence is on that remote.
fn push_mark_key(store: &Store, remote_url: &str) -> String {
    let url = remote_url.trim_end_matches('/');
    format!(
        "pushed:{}",
        checkpoint::replication_id(store.name(), url, Direction::Push)
    )
}

/// The local record listing the photos queued for `remote_url` (see [`photos`]).
fn photo_queue_key(store: &Store, remote_url: &str) -> String {
    let url = remote_url.trim_end_matches('/');
    format!(
        "photo_queue:{}",
        checkpoint::replication_id(store.name(), url, Direction::Push)
    )
}

/// What is waiting to reach the database at `remote_url`: records (photos not counted)
/// and photos (照片待上传). Needs no network and none of the replicator.
pub async fn pending_split(store: &Store, remote_url: &str) -> Result<(u32, u32), SyncError> {
    let mark = sent_up_to(store, remote_url).await?;
    let all = store.count_changes_after(mark).await?;
    let queued = photos::queued(store, remote_url).await?;
    let unsent_photos = store
        .photo_rows()
        .await?
        .iter()
        .filter(|p| p.seq > mark && !queued.contains(&p.id))
        .count() as u32;
    Ok((
        all.saturating_sub(unsent_photos),
        unsent_photos + queued.len() as u32,
    ))
}

/// How many local documents of `store` changed since everything before them reached the
/// database at `remote_url` (the "N 条仅保存在本机" figure). Needs no network and none of
/// the replicator: the sync service counts with it at start, before any run.
pub async fn pending(store: &Store, remote_url: &str) -> Result<u32, SyncError> {
    let mark = sent_up_to(store, remote_url).await?;
    Ok(store.count_changes_after(mark).await?)
}

/// The push mark: every local change up to this sequence is on `remote_url` (0 before
/// the first push).
pub async fn sent_up_to(store: &Store, remote_url: &str) -> Result<u64, StoreError> {
    Ok(store
        .get_local(&push_mark_key(store, remote_url))
        .await?
        .unwrap_or(0))
}

/// Replicates one local store with one remote database.
#[derive(Clone)]
pub struct Replicator {
    store: Store,
    remote: Remote,
    batch: BatchSize,
    max_batches: Option<u32>,
    station: Option<String>,
    on_progress: Option<OnProgress>,
}

impl std::fmt::Debug for Replicator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Replicator")
            .field("store", &self.store.name())
            .field("remote", &self.remote.url())
            .field("batch", &self.batch)
            .field("station", &self.station)
            .finish_non_exhaustive()
    }
}

impl Replicator {
    /// A replicator between `store` and `remote`; batches follow the link ([`batch`]).
    pub fn new(store: Store, remote: Remote) -> Self {
        Self {
            store,
            remote,
            batch: BatchSize::adaptive(),
            max_batches: None,
            station: None,
            on_progress: None,
        }
    }

    /// Pushes only documents of `station` (a headquarters phone holds several stations'
    /// documents and replicates each with its own database). Pull is never filtered.
    pub fn only_station(mut self, station: Option<String>) -> Self {
        self.station = station;
        self
    }

    /// Reports progress after each batch.
    pub fn on_progress(mut self, f: Option<OnProgress>) -> Self {
        self.on_progress = f;
        self
    }

    /// How many local documents changed since everything before them reached this remote
    /// (the "N 条仅保存在本机" figure). Pull moves the mark along when the documents it
    /// writes are already on the server, so a finished sync counts 0.
    pub async fn pending(&self) -> Result<u32, SyncError> {
        pending(&self.store, self.remote.url()).await
    }

    fn mark_key(&self) -> String {
        push_mark_key(&self.store, self.remote.url())
    }

    /// Reports where a direction that started at `began` (`Date::now()`) is.
    fn report_progress(&self, direction: Direction, done: u64, total: Option<u64>, began: f64) {
        if let Some(f) = &self.on_progress {
            f(Progress {
                direction,
                done,
                total,
                elapsed_ms: (js_sys::Date::now() - began).max(0.0) as u64,
            });
        }
    }

    /// Fixes the number of changes per batch (at least 1) instead of following the link.
    pub fn batch_size(mut self, n: u32) -> Self {
        self.batch = BatchSize::fixed(n);
        self
    }

    /// Stops each direction after `n` batches (a run cut short, as by a closed page).
    pub fn max_batches(mut self, n: Option<u32>) -> Self {
        self.max_batches = n;
        self
    }

    /// The remote (its traffic figures included).
    pub fn remote(&self) -> &Remote {
        &self.remote
    }

    /// Push, then pull, then the photos: what "立即同步" runs. The words go first both
    /// ways: every other record is pushed and pulled (with the thumbnails of pulled
    /// photos) before any photo is sent.
    pub async fn sync(&self) -> Result<SyncReport, SyncError> {
        let _guard = RunGuard::acquire()?;
        let mut report = push::run(self).await?;
        let mut pulled = pull::run(self).await?;
        photos::fetch_thumbs(self, &mut pulled).await?;
        let complete = report.complete && pulled.complete;
        report.add(&pulled);
        report.complete = complete;
        if complete {
            photos::send_queued(self, &mut report).await?;
        }
        Ok(report)
    }

    /// Push only: the records, then the photos.
    pub async fn push(&self) -> Result<SyncReport, SyncError> {
        let _guard = RunGuard::acquire()?;
        let mut report = push::run(self).await?;
        if report.complete {
            photos::send_queued(self, &mut report).await?;
        }
        Ok(report)
    }

    /// Pull only (documents, then the thumbnails of photos).
    pub async fn pull(&self) -> Result<SyncReport, SyncError> {
        let _guard = RunGuard::acquire()?;
        let mut report = pull::run(self).await?;
        if report.complete {
            photos::fetch_thumbs(self, &mut report).await?;
        }
        Ok(report)
    }

    fn replication_id(&self, direction: Direction) -> String {
        checkpoint::replication_id(self.store.name(), self.remote.url(), direction)
    }

    fn batches_left(&self, done: u32) -> bool {
        self.max_batches.is_none_or(|max| done < max)
    }
}

fn warn(message: &str) {
    web_sys::console::warn_1(&format!("yehua sync: {message}").into());
}
