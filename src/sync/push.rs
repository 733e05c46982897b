//! Push: local changes → remote, batch by batch, checkpointed after each batch. A phone
//! with no records at all asks the remote nothing.

use super::batch::Measured;
use super::checkpoint::Checkpointer;
use super::{warn, Direction, Replicator, SyncError, SyncReport};
use couch::wire::{BulkDocsRequest, BulkDocsResult, RevsDiffRequest, RevsDiffResponse, Seq};
use couch::{DocRecord, RevId};
use std::collections::HashMap;

pub(super) async fn run(r: &Replicator) -> Result<SyncReport, SyncError> {
    // A phone that holds nothing (a new or reinstalled one before its first pull) has
    // nothing to push: no round trip for a checkpoint.
    if r.store.count_changes_after(0).await? == 0 {
        return Ok(SyncReport {
            complete: true,
            ..SyncReport::default()
        });
    }
    let id = r.replication_id(Direction::Push);
    let (mut checkpointer, since) = Checkpointer::start(&r.store, &r.remote, id).await?;
    // The local feed's sequences are integers; anything else (a corrupted record)
    // restarts from 0, which is safe.
    let mut since = since.0.as_u64().unwrap_or(0);
    let mut report = SyncReport::default();
    let total = u64::from(r.store.count_changes_after(since).await?);
    let mut looked = 0u64;
    let mark_key = r.mark_key();
    let mark: u64 = r.store.get_local(&mark_key).await?.unwrap_or(0);
    let mut size = r.batch;
    let began = js_sys::Date::now();
    r.remote.take_exchanges();
    loop {
        if !r.batches_left(report.batches) {
            return Ok(report);
        }
        let started = js_sys::Date::now();
        let requested = size.get();
        let changes = r.store.changes_since(since, requested).await?;
        let read = changes.len() as u32;
        let Some(last) = changes.last().map(|c| c.seq) else {
            report.complete = true;
            return Ok(report);
        };
        // Every leaf of every changed document: the target says which it lacks.
        let mut diff_req = RevsDiffRequest::new();
        let mut records = HashMap::with_capacity(changes.len());
        looked += changes.len() as u64;
        for change in changes.into_iter().filter(|c| of_station(r, &c.record)) {
            let leaves = change.record.tree.leaves();
            diff_req.insert(
                change.record.id.clone(),
                leaves.iter().map(|l| l.rev.to_string()).collect(),
            );
            records.insert(change.record.id.clone(), change.record);
        }
        let missing: RevsDiffResponse = if diff_req.is_empty() {
            RevsDiffResponse::new()
        } else {
            r.remote.post("_revs_diff", &diff_req).await?
        };
        let mut docs = Vec::new();
        for (doc_id, entry) in &missing {
            let Some(record) = records.get(doc_id) else {
                continue;
            };
            for rev in &entry.missing {
                let doc = rev
                    .parse::<RevId>()
                    .ok()
                    .and_then(|rev| record.doc_with_revisions(&rev));
                match doc {
                    Some(d) => docs.push(d),
                    None => warn(&format!("{doc_id}: _revs_diff asked for unknown {rev}")),
                }
            }
        }
        if !docs.is_empty() {
            let count = docs.len() as u64;
            let body = BulkDocsRequest {
                docs,
                new_edits: false,
            };
            let results: Vec<BulkDocsResult> = r.remote.post("_bulk_docs", &body).await?;
            let mut failed = 0;
            for res in results.iter().filter(|x| x.error.is_some()) {
                let error = res.error.as_deref().unwrap_or_default();
                let reason = res.reason.clone().unwrap_or_default();
                match error {
                    "unauthorized" => return Err(SyncError::Unauthorized(reason)),
                    "forbidden" => warn(&format!("{} refused: {reason}", res.id)),
                    _ => warn(&format!("{} not stored: {error}: {reason}", res.id)),
                }
                failed += 1;
            }
            report.sent += count - failed.min(count);
            report.doc_errors += failed;
        }
        checkpointer
            .write(&r.store, &r.remote, &Seq(last.into()), false)
            .await?;
        if last > mark {
            r.store.put_local(&mark_key, &last).await?;
        }
        report.batches += 1;
        r.report_progress(Direction::Push, looked, Some(total.max(looked)), began);
        // The feed is read until it answers empty: a short batch does not prove the end
        // (a change entry whose document was rewritten meanwhile is skipped).
        since = last;
        size.record(&Measured {
            requested,
            changes: read,
            ms: js_sys::Date::now() - started,
            exchanges: &r.remote.take_exchanges(),
        });
    }
}

/// Whether `record` belongs to the station this replication pushes (all, if unfiltered).
fn of_station(r: &Replicator, record: &DocRecord) -> bool {
    let Some(station) = &r.station else {
        return true;
    };
    record
        .bodies
        .values()
        .any(|b| b.get("station").and_then(serde_json::Value::as_str) == Some(station))
}
