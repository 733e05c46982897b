//! The replication engine behind the sync service: what a run does, downloaded on first
//! use in the split build as part of the office chunk (src/chunks.rs), so the first
//! screen never waits for it.
//!
//! Owns the order in which a run visits the station databases.
//! Must not schedule runs or show anything: that is [`super::service`].

use super::service::{station_db, SyncSettings};
use super::{OnProgress, Remote, Replicator, SyncError, SyncReport};
use crate::chunks::{load, ChunkError};
use crate::profile::{Level, Profile};
use crate::store::Store;
use std::future::Future;
use std::pin::Pin;

/// A run's work, handed back from the engine's chunk.
type Work<T> = Pin<Box<dyn Future<Output = Result<T, SyncError>>>>;

/// Replicates every station database `profile` may use; reports after each batch.
pub async fn replicate_all(
    store: Store,
    settings: SyncSettings,
    profile: Profile,
    progress: OnProgress,
) -> Result<SyncReport, SyncError> {
    load!(replicate_all_work(store, settings, profile, progress))?.await
}

impl From<ChunkError> for SyncError {
    fn from(e: ChunkError) -> Self {
        SyncError::Unreachable(format!("sync engine: {e}"))
    }
}

#[cfg_attr(
    feature = "split",
    leptos::wasm_split::wasm_split(office, wasm_split_path = ::leptos::wasm_split, fallible)
)]
fn replicate_all_work(
    store: Store,
    settings: SyncSettings,
    profile: Profile,
    progress: OnProgress,
) -> Result<Work<SyncReport>, ChunkError> {
    Ok(Box::pin(async move {
        run(&store, &settings, &profile, progress).await
    }))
}

async fn run(
    store: &Store,
    settings: &SyncSettings,
    profile: &Profile,
    progress: OnProgress,
) -> Result<SyncReport, SyncError> {
    let own = station_db(&profile.station_code);
    let mut dbs = vec![own.clone()];
    if profile.level != Level::Village {
        let all = super::remote::all_dbs(&settings.server).await?;
        dbs = all
            .into_iter()
            .filter(|d| d.starts_with("station_") && *d != own)
            .collect();
        dbs.push(own.clone());
    }
    let mut total = SyncReport::default();
    for db in dbs {
        let station = db.trim_start_matches("station_").to_owned();
        let remote = Remote::new(&format!("{}/{db}", settings.server));
        let replicator = Replicator::new(store.clone(), remote)
            .only_station(Some(station))
            .on_progress(Some(progress.clone()));
        // Headquarters reads the stations below it and writes only its own database
        // (the hub's access rule): other stations are pulled, never pushed, so records
        // an HQ phone imported from a file never meet a 403. The own database, synced
        // last, walks every local change and so leaves nothing counted as pending.
        let report = if db == own {
            replicator.sync().await?
        } else {
            replicator.pull().await?
        };
        total.sent += report.sent;
        total.received += report.received;
        total.conflicts += report.conflicts;
        total.doc_errors += report.doc_errors;
        total.batches += report.batches;
        total.photos_sent += report.photos_sent;
        total.photos_waiting += report.photos_waiting;
        total.thumbs += report.thumbs;
    }
    total.complete = true;
    Ok(total)
}
