//! Push: local changes → remote, batch by batch. Pipelined like the pull: while a batch's
//! `_bulk_docs` is on the link, the next batch is read from the store and its
//! `_revs_diff` asked, so a batch costs about one round trip. After each batch the push
//! mark moves (a local record); a checkpoint is written every [`CHECKPOINT_MS`] and at the
//! end, always for a batch the target has answered, never for the one being prepared, so
//! a run cut off anywhere resumes from a point whose changes are all on the target.
//! A phone with no records at all asks the remote nothing. A photo revision with
//! attachments is not sent here: it joins the photo queue (`photos.rs`), sent after every
//! other record, one per request.

use super::batch::Measured;
use super::checkpoint::Checkpointer;
use super::pull::CHECKPOINT_MS;
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
    let since = since.0.as_u64().unwrap_or(0);
    let mut report = SyncReport::default();
    let total = u64::from(r.store.count_changes_after(since).await?);
    let mut looked = 0u64;
    let mark_key = r.mark_key();
    let mut mark: u64 = r.store.get_local(&mark_key).await?.unwrap_or(0);
    let mut size = r.batch;
    let began = js_sys::Date::now();
    let mut saved_at = began;
    // The last sequence sent but not yet in a checkpoint.
    let mut unsaved: Option<u64> = None;
    r.remote.take_exchanges();
    let mut requested = size.get();
    let mut next = prepare(r, since, requested).await;
    loop {
        let started = js_sys::Date::now();
        let batch = next?;
        let more = batch.is_some() && r.batches_left(report.batches + 1);
        let Some(batch) = batch.filter(|_| r.batches_left(report.batches)) else {
            if let Some(last) = unsaved {
                checkpointer
                    .write(&r.store, &r.remote, &Seq(last.into()), false)
                    .await?;
            }
            report.complete = r.batches_left(report.batches);
            return Ok(report);
        };
        // This batch's `_bulk_docs`, and the next batch's local read and `_revs_diff`
        // beside it (sized by what the batches before this one taught).
        let next_requested = size.get();
        let (sent, following) = futures::future::join(send(r, batch.docs), async {
            if more {
                Some(prepare(r, batch.last, next_requested).await)
            } else {
                None
            }
        })
        .await;
        let (count, failed) = sent?;
        report.sent += count - failed.min(count);
        report.doc_errors += failed;
        // The batch's photos wait in the queue, written before the mark passes them.
        super::photos::enqueue(r, &batch.photos).await?;
        // Everything up to `last` is on the server (or queued) now: the mark may move, and a
        // checkpoint may say so (every few seconds, and at the end).
        if batch.last > mark {
            r.store.put_local(&mark_key, &batch.last).await?;
            mark = batch.last;
        }
        unsaved = Some(batch.last);
        if js_sys::Date::now() - saved_at >= CHECKPOINT_MS {
            checkpointer
                .write(&r.store, &r.remote, &Seq(batch.last.into()), false)
                .await?;
            (unsaved, saved_at) = (None, js_sys::Date::now());
        }
        report.batches += 1;
        looked += batch.read as u64;
        r.report_progress(Direction::Push, looked, Some(total.max(looked)), began);
        size.record(&Measured {
            requested,
            changes: batch.read,
            ms: js_sys::Date::now() - started,
            exchanges: &r.remote.take_exchanges(),
        });
        requested = next_requested;
        next = match following {
            Some(f) => f,
            // Stopped by `batches_left`: the loop's top writes what is unsaved.
            None => Ok(None),
        };
    }
}

/// A batch ready to send: the revisions the target lacks, with their histories.
struct Prepared {
    /// The local sequence of the batch's last change.
    last: u64,
    /// How many changes it read.
    read: u32,
    docs: Vec<serde_json::Value>,
    /// Photos with attachments among the missing revisions: sent later, one per request.
    photos: Vec<String>,
}

/// Reads up to `limit` local changes after `since` and asks the target which of their
/// leaves it lacks. `None` at the feed's end: it is read until it answers empty, since a
/// short batch does not prove the end (a change entry whose document was rewritten
/// meanwhile is skipped).
async fn prepare(r: &Replicator, since: u64, limit: u32) -> Result<Option<Prepared>, SyncError> {
    let changes = r.store.changes_since(since, limit).await?;
    let read = changes.len() as u32;
    let Some(last) = changes.last().map(|c| c.seq) else {
        return Ok(None);
    };
    // Every leaf of every changed document: the target says which it lacks.
    let mut diff_req = RevsDiffRequest::new();
    let mut records = HashMap::with_capacity(changes.len());
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
    let mut photos = Vec::new();
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
                Some(d) if super::photos::is_photo_with_bytes(&d) => {
                    if !photos.contains(doc_id) {
                        photos.push(doc_id.clone());
                    }
                }
                Some(d) => docs.push(d),
                None => warn(&format!("{doc_id}: _revs_diff asked for unknown {rev}")),
            }
        }
    }
    Ok(Some(Prepared {
        last,
        read,
        docs,
        photos,
    }))
}

/// `_bulk_docs` with `new_edits: false`: how many were sent and how many the target
/// refused. A refusal for want of a session stops the run.
async fn send(r: &Replicator, docs: Vec<serde_json::Value>) -> Result<(u64, u64), SyncError> {
    if docs.is_empty() {
        return Ok((0, 0));
    }
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
    Ok((count, failed))
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
