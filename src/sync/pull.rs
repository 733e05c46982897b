//! Pull: remote `_changes` → local store, batch by batch, one IndexedDB transaction per
//! batch. Pipelined: the next batch's `_changes` request is on the link while this batch's
//! `_bulk_get` is fetched and stored, so a batch costs about two round trips, not three.
//! A store that was empty when the run began lacks every revision, so it is not asked
//! (`revs_diff`), and its feed carries the documents (`include_docs=true`): a document with
//! one leaf is stored from the feed, stemmed to that leaf (`ChangeRow::inline_revision`),
//! and only conflicted ones need a `_bulk_get` — a new phone's first sync sends almost
//! nothing up its slow uplink and spends one round trip per batch, not two. The checkpoint is written when [`CHECKPOINT_MS`] have passed since the
//! last one, when the run stops and at the feed's end — always for a batch already
//! committed, never for the one being fetched — so a run cut off anywhere resumes from a
//! point whose changes are all stored, and re-reading the few batches after it
//! duplicates nothing (they are already present).

use super::batch::Measured;
use super::checkpoint::Checkpointer;
use super::{warn, Direction, Replicator, SyncError, SyncReport};
use crate::store::StoreError;
use couch::wire::{BulkGetDoc, BulkGetItem, BulkGetRequest, BulkGetResponse, ChangesResponse, Seq};
use couch::{MergeOutcome, RevId};
use std::collections::{BTreeMap, BTreeSet};

/// How long a pull may go between checkpoints.
pub const CHECKPOINT_MS: f64 = 5_000.0;

pub(super) async fn run(r: &Replicator) -> Result<SyncReport, SyncError> {
    let id = r.replication_id(Direction::Pull);
    let (mut checkpointer, since) = Checkpointer::start(&r.store, &r.remote, id).await?;
    let mut report = SyncReport::default();
    let mark_key = r.mark_key();
    let empty = r.store.count_changes_after(0).await? == 0;
    let mut looked = 0u64;
    let mut size = r.batch;
    let began = js_sys::Date::now();
    let mut saved_at = began;
    r.remote.take_exchanges();
    if !r.batches_left(0) {
        return Ok(report);
    }
    let mut limit = size.get();
    let mut next = feed(r, &since, limit, empty).await;
    loop {
        let started = js_sys::Date::now();
        let feed = next?;
        if feed.results.is_empty() {
            report.complete = true;
            return Ok(report);
        }
        let done = feed.results.len() < limit as usize || feed.pending == Some(0);
        let more = !done && r.batches_left(report.batches + 1);
        // This batch's documents, and the next batch's feed beside them (sized by what
        // the batches before this one taught).
        let next_limit = size.get();
        let (stored, following) =
            futures::future::join(store_batch(r, &feed, empty, &mark_key), async {
                if more {
                    Some(self::feed(r, &feed.last_seq, next_limit, empty).await)
                } else {
                    None
                }
            })
            .await;
        report.add(&stored?);
        report.batches += 1;
        looked += feed.results.len() as u64;
        if !more || js_sys::Date::now() - saved_at >= CHECKPOINT_MS {
            checkpointer
                .write(&r.store, &r.remote, &feed.last_seq, true)
                .await?;
            saved_at = js_sys::Date::now();
        }
        let total = feed.pending.map(|p| p + looked);
        r.report_progress(Direction::Pull, looked, total, began);
        size.record(&Measured {
            requested: limit,
            changes: feed.results.len() as u32,
            ms: js_sys::Date::now() - started,
            exchanges: &r.remote.take_exchanges(),
        });
        match following {
            Some(f) => (next, limit) = (f, next_limit),
            None => {
                report.complete = done;
                return Ok(report);
            }
        }
    }
}

/// `GET _changes` for at most `limit` changes after `since`, with the documents when
/// `with_docs`.
async fn feed(
    r: &Replicator,
    since: &Seq,
    limit: u32,
    with_docs: bool,
) -> Result<ChangesResponse, SyncError> {
    let path = format!(
        "_changes?style=all_docs&since={}&limit={limit}{}",
        String::from(js_sys::encode_uri_component(&since.as_query())),
        if with_docs { "&include_docs=true" } else { "" },
    );
    r.remote.get(&path).await
}

/// Fetches the revisions of `feed` the store lacks and stores them in one transaction.
async fn store_batch(
    r: &Replicator,
    feed: &ChangesResponse,
    empty: bool,
    mark_key: &str,
) -> Result<SyncReport, SyncError> {
    let mut report = SyncReport::default();
    let mut wanted: BTreeMap<String, Vec<RevId>> = BTreeMap::new();
    // Documents whose one leaf is live: `_bulk_get` is asked for them by id alone (their
    // winner, that leaf or a newer one), which halves the request a phone uploads — on a
    // 3G signal's slow uplink that request, not the answer, is most of a batch's time.
    let mut plain: BTreeSet<&str> = BTreeSet::new();
    // Documents the feed carried (a store that began empty asked for them).
    let mut docs = Vec::new();
    for row in &feed.results {
        if let Some(doc) = empty.then(|| row.inline_revision()).flatten() {
            docs.push(doc);
            continue;
        }
        if row.changes.len() == 1 && !row.deleted {
            plain.insert(&row.id);
        }
        let revs = wanted.entry(row.id.clone()).or_default();
        for change in &row.changes {
            match change.rev.parse::<RevId>() {
                Ok(rev) if !revs.contains(&rev) => revs.push(rev),
                Ok(_) => {}
                Err(e) => {
                    return Err(SyncError::Protocol(format!("{}: bad rev: {e}", row.id)));
                }
            }
        }
    }
    let missing = if empty {
        wanted
    } else {
        r.store.revs_diff(&wanted).await?
    };
    let items: Vec<BulkGetItem> = missing
        .iter()
        .flat_map(|(id, revs)| {
            let by_id = revs.len() == 1 && plain.contains(id.as_str());
            revs.iter().map(move |rev| BulkGetItem {
                id: id.clone(),
                rev: (!by_id).then(|| rev.to_string()),
            })
        })
        .collect();
    let got: BulkGetResponse = if items.is_empty() {
        BulkGetResponse { results: vec![] }
    } else {
        let body = BulkGetRequest { docs: items };
        r.remote.post("_bulk_get?revs=true", &body).await?
    };
    for result in got.results {
        for doc in result.docs {
            match doc {
                BulkGetDoc::Ok(d) => docs.push(d),
                // A revision gone since the feed was read (compacted or stemmed away): a
                // newer one follows in a later change.
                BulkGetDoc::Error(e) => {
                    warn(&format!("{}: _bulk_get: {}: {}", e.id, e.error, e.reason));
                    report.doc_errors += 1;
                }
            }
        }
    }
    if docs.is_empty() {
        return Ok(report);
    }
    for res in r.store.put_replicated_marked(docs, Some(mark_key)).await? {
        match res {
            Ok(MergeOutcome::AlreadyPresent) => {}
            Ok(MergeOutcome::Extended) => report.received += 1,
            Ok(MergeOutcome::NewBranch) => {
                report.received += 1;
                report.conflicts += 1;
            }
            Err(StoreError::QuotaExceeded(m)) => return Err(SyncError::Quota(m)),
            Err(e) => {
                warn(&format!("refused a received revision: {e}"));
                report.doc_errors += 1;
            }
        }
    }
    Ok(report)
}
