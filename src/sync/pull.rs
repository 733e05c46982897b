//! Pull: remote `_changes` → local store, batch by batch, one IndexedDB transaction and
//! one checkpoint per batch.

use super::checkpoint::Checkpointer;
use super::{warn, Direction, Replicator, SyncError, SyncReport};
use crate::store::StoreError;
use couch::wire::{BulkGetDoc, BulkGetItem, BulkGetRequest, BulkGetResponse, ChangesResponse};
use couch::{MergeOutcome, RevId};
use std::collections::BTreeMap;

pub(super) async fn run(r: &Replicator) -> Result<SyncReport, SyncError> {
    let id = r.replication_id(Direction::Pull);
    let (mut checkpointer, mut since) = Checkpointer::start(&r.store, &r.remote, id).await?;
    let mut report = SyncReport::default();
    let mark_key = r.mark_key();
    let mut looked = 0u64;
    let mut size = r.batch;
    loop {
        if !r.batches_left(report.batches) {
            return Ok(report);
        }
        let started = js_sys::Date::now();
        let limit = size.get();
        let path = format!(
            "_changes?style=all_docs&since={}&limit={limit}",
            String::from(js_sys::encode_uri_component(&since.as_query())),
        );
        let feed: ChangesResponse = r.remote.get(&path).await?;
        if feed.results.is_empty() {
            report.complete = true;
            return Ok(report);
        }
        let done = feed.results.len() < limit as usize || feed.pending == Some(0);
        let mut wanted: BTreeMap<String, Vec<RevId>> = BTreeMap::new();
        for row in &feed.results {
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
        let missing = r.store.revs_diff(&wanted).await?;
        let items: Vec<BulkGetItem> = missing
            .iter()
            .flat_map(|(id, revs)| {
                revs.iter().map(|rev| BulkGetItem {
                    id: id.clone(),
                    rev: Some(rev.to_string()),
                })
            })
            .collect();
        if !items.is_empty() {
            let body = BulkGetRequest { docs: items };
            let got: BulkGetResponse = r.remote.post("_bulk_get?revs=true", &body).await?;
            let mut docs = Vec::new();
            for result in got.results {
                for doc in result.docs {
                    match doc {
                        BulkGetDoc::Ok(d) => docs.push(d),
                        // A revision gone since the feed was read (compacted or stemmed
                        // away): a newer one follows in a later change.
                        BulkGetDoc::Error(e) => {
                            warn(&format!("{}: _bulk_get: {}: {}", e.id, e.error, e.reason));
                            report.doc_errors += 1;
                        }
                    }
                }
            }
            for res in r.store.put_replicated_marked(docs, Some(&mark_key)).await? {
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
        }
        checkpointer
            .write(&r.store, &r.remote, &feed.last_seq, true)
            .await?;
        report.batches += 1;
        looked += feed.results.len() as u64;
        r.report_progress(Direction::Pull, looked, feed.pending.map(|p| p + looked));
        since = feed.last_seq;
        size.record(feed.results.len() as u32, js_sys::Date::now() - started);
        if done {
            report.complete = true;
            return Ok(report);
        }
    }
}
