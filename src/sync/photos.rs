//! Photos over the link: the words first, the photos after, one photo per request.
//!
//! Push: the text push (`push.rs`) sends every record but a photo with attachments; such
//! a photo's id goes into the photo queue (a local record beside the push mark, written
//! before the mark moves past it), so the mark still means "everything up to here is on
//! the server or queued". After the text push and the pull, [`send_queued`] asks one
//! `_revs_diff` for the queue and sends each missing photo revision alone as CouchDB's
//! replicator does — `PUT /db/{id}?new_edits=false`, `multipart/related`, binary — and
//! takes it off the queue once the server answered: a dropped link costs at most the
//! photo on it, the next run asks `_revs_diff` again and sends each photo exactly once.
//! With 仅在 Wi-Fi 下上传照片 set, photos wait while the browser says the link is
//! cellular; a browser without the Network Information API cannot say, so they go.
//!
//! Pull: photo documents come with the text (stubs only); [`fetch_thumbs`] then fetches
//! `thumb.jpg` of every photo of this station whose thumbnail is not here. Full photos are
//! fetched only when opened (`records::photos::full`).

use super::{Replicator, SyncError, SyncReport};
use crate::pwa::photo::{self, Link};
use crate::store::Store;
use couch::wire::{RevsDiffRequest, RevsDiffResponse};
use couch::RevId;
use model::doc::PHOTO_THUMB;
use serde_json::{json, Value};
use std::collections::HashSet;

/// The local record with the 仅在 Wi-Fi 下上传照片 setting.
pub const WIFI_ONLY_KEY: &str = "photos_wifi_only";

/// Whether photos wait for Wi-Fi.
pub async fn wifi_only(store: &Store) -> Result<bool, SyncError> {
    Ok(store.get_local(WIFI_ONLY_KEY).await?.unwrap_or(false))
}

/// Sets 仅在 Wi-Fi 下上传照片.
pub async fn set_wifi_only(store: &Store, on: bool) -> Result<(), SyncError> {
    Ok(store.put_local(WIFI_ONLY_KEY, &on).await?)
}

/// Whether the browser can tell Wi-Fi from a mobile link (Network Information API).
pub fn link_known() -> bool {
    photo::link() != Link::Unknown
}

/// The ids of photos waiting in the queue towards the database at `remote_url`.
pub async fn queued(store: &Store, remote_url: &str) -> Result<HashSet<String>, SyncError> {
    let ids: Vec<String> = store
        .get_local(&super::photo_queue_key(store, remote_url))
        .await?
        .unwrap_or_default();
    Ok(ids.into_iter().collect())
}

/// Whether `doc` (a revision about to be pushed) is a photo that carries attachments.
pub(super) fn is_photo_with_bytes(doc: &Value) -> bool {
    doc.get("type").and_then(Value::as_str) == Some("photo")
        && doc
            .get("_attachments")
            .and_then(Value::as_object)
            .is_some_and(|a| !a.is_empty())
}

/// Adds `ids` to the queue (before the push mark moves past them).
pub(super) async fn enqueue(r: &Replicator, ids: &[String]) -> Result<(), SyncError> {
    if ids.is_empty() {
        return Ok(());
    }
    let key = super::photo_queue_key(&r.store, r.remote.url());
    let mut queue: Vec<String> = r.store.get_local(&key).await?.unwrap_or_default();
    for id in ids {
        if !queue.contains(id) {
            queue.push(id.clone());
        }
    }
    r.store.put_local(&key, &queue).await?;
    Ok(())
}

/// Sends the queued photos, one request each, oldest first.
pub(super) async fn send_queued(r: &Replicator, report: &mut SyncReport) -> Result<(), SyncError> {
    let key = super::photo_queue_key(&r.store, r.remote.url());
    let mut queue: Vec<String> = r.store.get_local(&key).await?.unwrap_or_default();
    if queue.is_empty() {
        return Ok(());
    }
    if wifi_only(&r.store).await? && photo::link() == Link::Cellular {
        report.photos_waiting = queue.len() as u64;
        return Ok(());
    }
    let mut records = Vec::with_capacity(queue.len());
    let mut diff = RevsDiffRequest::new();
    for id in &queue {
        if let Some(rec) = r.store.get_record(id).await? {
            let leaves = rec.tree.leaves();
            diff.insert(
                id.clone(),
                leaves.iter().map(|l| l.rev.to_string()).collect(),
            );
            records.push(rec);
        }
    }
    let missing: RevsDiffResponse = if diff.is_empty() {
        RevsDiffResponse::new()
    } else {
        r.remote.post("_revs_diff", &diff).await?
    };
    for rec in records {
        let revs = missing.get(&rec.id).map(|m| m.missing.clone());
        for rev in revs.unwrap_or_default() {
            let Some(doc) = rev
                .parse::<RevId>()
                .ok()
                .and_then(|rev| rec.doc_with_revisions(&rev))
            else {
                continue;
            };
            send_one(r, &rec.id, doc).await?;
            report.photos_sent += 1;
        }
        queue.retain(|q| *q != rec.id);
        r.store.put_local(&key, &queue).await?;
    }
    // Ids whose record is gone (never expected) leave the queue too.
    if !queue.is_empty() {
        queue.clear();
        r.store.put_local(&key, &queue).await?;
    }
    Ok(())
}

/// One photo revision as `multipart/related`: each attachment whose bytes are here
/// follows the JSON; one whose full copy was dropped (the server has it) stays a stub.
async fn send_one(r: &Replicator, id: &str, mut doc: Value) -> Result<(), SyncError> {
    let mut parts = Vec::new();
    if let Some(atts) = doc.get_mut("_attachments").and_then(Value::as_object_mut) {
        for (name, stub) in atts.iter_mut() {
            let digest = stub["digest"].as_str().unwrap_or_default().to_owned();
            if let Some(blob) = r.store.get_blob(&digest).await? {
                *stub = json!({"content_type": stub["content_type"], "digest": digest,
                    "length": stub["length"], "revpos": stub["revpos"], "follows": true});
                parts.push((name.clone(), blob));
            }
        }
    }
    r.remote.put_related(id, &doc, &parts).await?;
    Ok(())
}

/// Fetches the thumbnail of every photo of this replication's station whose thumbnail is
/// not here (checked against its digest), one request each. A failure stops the sweep;
/// the next run picks up where it stopped.
pub(super) async fn fetch_thumbs(r: &Replicator, report: &mut SyncReport) -> Result<(), SyncError> {
    let here = r.store.blob_digests().await?;
    for row in r.store.photo_rows().await? {
        let station = row.doc.get("station").and_then(Value::as_str);
        if r.station.as_deref().is_some_and(|s| station != Some(s)) {
            continue;
        }
        let Some(digest) = row
            .doc
            .pointer(&format!("/_attachments/{PHOTO_THUMB}/digest"))
            .and_then(Value::as_str)
        else {
            continue;
        };
        if here.contains(digest) {
            continue;
        }
        let bytes = r.remote.attachment(&row.id, PHOTO_THUMB).await?;
        if couch::attachment::digest(&bytes) != digest {
            super::warn(&format!("{}: thumbnail does not match its digest", row.id));
            continue;
        }
        let blob = photo::jpeg(&bytes).map_err(|e| SyncError::Protocol(e.to_string()))?;
        r.store.put_blob(digest, &blob).await?;
        report.thumbs += 1;
    }
    Ok(())
}
