//! Photos (活动照片) as the screens use them: add pictures taken or chosen (scaled on the
//! phone by `pwa::photo`, then written whole — document and both JPEGs — in one
//! transaction), list a forum's or concern's photos (rows only, never bytes), read a
//! thumbnail or the full photo (fetched from the hub when only the thumbnail is here, and
//! kept), what photos use, and 释放照片空间.
//!
//! Owns the photo document's shape as this phone writes it: `photo:<uuid v7>`,
//! `activity_id` or `concern_id`, `taken_at` (the file's `lastModified`: a phone's camera
//! app writes the file when it takes the picture, and a gallery file keeps that time;
//! EXIF is not read, so a photo carries no camera metadata at all), an optional
//! `caption`, and the stubs of `image.jpg` and `thumb.jpg`. Must not render anything,
//! touch a canvas (that is `pwa::photo`) or IndexedDB (that is `Store`).
//!
//! Which full copies may be dropped is decided here: only those of photos the hub has —
//! the photo's last change is at or before the push mark and it is not waiting in the
//! photo queue (`sync::photos`) — and never a digest another waiting photo names.

use super::{new_base, now, RecordError};
use crate::profile::Profile;
use crate::pwa::photo::{self, Scaled};
use crate::store::{BlobPut, Relation, Store, StoreError};
use crate::sync::{self, service::SyncSettings};
use model::doc::{PHOTO_IMAGE, PHOTO_THUMB};
use model::id::DocType;
use serde_json::{json, Value};
use std::collections::HashSet;

/// What a photo shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// A forum (activity).
    Activity(String),
    /// A resolved concern (办结 with a photo).
    Concern(String),
}

impl Subject {
    fn field(&self) -> (&'static str, &str) {
        match self {
            Self::Activity(id) => ("activity_id", id),
            Self::Concern(id) => ("concern_id", id),
        }
    }
}

/// A photo as the gallery lists it: what is said about it and its digests.
#[derive(Debug, Clone, PartialEq)]
pub struct PhotoItem {
    /// `photo:…`.
    pub id: String,
    /// Its station (the hub database that holds it).
    pub station: String,
    /// When it was taken (RFC 3339, UTC+8).
    pub taken_at: String,
    /// The caption, maybe empty.
    pub caption: String,
    /// The full photo's digest.
    pub image: String,
    /// The thumbnail's digest.
    pub thumb: String,
}

impl PhotoItem {
    fn from_doc(doc: &Value) -> Option<Self> {
        let s = |k: &str| doc.get(k).and_then(Value::as_str).unwrap_or_default();
        let digest = |name: &str| {
            doc.pointer(&format!("/_attachments/{name}/digest"))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        Some(Self {
            id: s("_id").to_owned(),
            station: s("station").to_owned(),
            taken_at: s("taken_at").to_owned(),
            caption: s("caption").to_owned(),
            image: digest(PHOTO_IMAGE)?,
            thumb: digest(PHOTO_THUMB)?,
        })
    }
}

/// The time a picked file was taken, from its `lastModified` (UTC+8, RFC 3339).
fn taken_at(file: &web_sys::File) -> String {
    let ms = file.last_modified();
    if ms > 0.0 {
        model::time::rfc3339_cst(ms as i64).unwrap_or_else(|_| now())
    } else {
        now()
    }
}

/// Scales each of `files` and writes it as a photo of `subject`, one transaction per
/// photo; stops at the first failure (the photos before it are kept). Returns how many
/// were added.
pub async fn add(
    store: &Store,
    profile: &Profile,
    subject: &Subject,
    files: Vec<web_sys::File>,
    caption: &str,
) -> Result<u32, RecordError> {
    let mut added = 0;
    for file in files {
        let scaled = photo::scale(&file).await?;
        add_scaled(store, profile, subject, &scaled, &taken_at(&file), caption).await?;
        added += 1;
    }
    Ok(added)
}

/// Writes one scaled photo (document + both JPEGs) in one transaction; its id.
pub async fn add_scaled(
    store: &Store,
    profile: &Profile,
    subject: &Subject,
    scaled: &Scaled,
    taken_at: &str,
    caption: &str,
) -> Result<String, RecordError> {
    let image = photo::bytes(&scaled.image).await?;
    let thumb = photo::bytes(&scaled.thumb).await?;
    let (image_digest, thumb_digest) = (
        couch::attachment::digest(&image),
        couch::attachment::digest(&thumb),
    );
    let mut doc = new_base(DocType::Photo, profile);
    let (field, id) = subject.field();
    doc[field] = json!(id);
    doc["taken_at"] = json!(taken_at);
    doc["updated_at"] = json!(now());
    if !caption.trim().is_empty() {
        doc["caption"] = json!(caption.trim());
    }
    doc["_attachments"] = json!({
        PHOTO_IMAGE: {"content_type": "image/jpeg", "digest": image_digest, "length": image.len()},
        PHOTO_THUMB: {"content_type": "image/jpeg", "digest": thumb_digest, "length": thumb.len()},
    });
    model::validate::validate(&doc).map_err(|e| RecordError::Form(e.into()))?;
    let photo_id = doc["_id"].as_str().unwrap_or_default().to_owned();
    let blobs = vec![
        BlobPut {
            digest: image_digest,
            blob: scaled.image.clone(),
        },
        BlobPut {
            digest: thumb_digest,
            blob: scaled.thumb.clone(),
        },
    ];
    store.put_with_blobs(doc, blobs).await?;
    Ok(photo_id)
}

/// The live photos of `subject_id` (an activity or concern id), oldest taken first.
/// Reads document rows only, never bytes.
pub async fn list(store: &Store, subject_id: &str) -> Result<Vec<PhotoItem>, StoreError> {
    let docs = store
        .related(Relation::PhotosOf, subject_id, u32::MAX)
        .await?;
    let mut items: Vec<PhotoItem> = docs.iter().filter_map(PhotoItem::from_doc).collect();
    items.sort_by(|a, b| a.taken_at.cmp(&b.taken_at).then(a.id.cmp(&b.id)));
    Ok(items)
}

/// The thumbnail's bytes, if this phone has them.
pub async fn thumb(store: &Store, item: &PhotoItem) -> Result<Option<web_sys::Blob>, StoreError> {
    store.get_blob(&item.thumb).await
}

/// The full photo: from the store, else fetched from the hub (checked against its digest)
/// and kept. Without a server or network it is [`RecordError::NotOnPhone`].
pub async fn full(store: &Store, item: &PhotoItem) -> Result<web_sys::Blob, RecordError> {
    if let Some(blob) = store.get_blob(&item.image).await? {
        return Ok(blob);
    }
    let settings = SyncSettings::saved(store)
        .await?
        .ok_or(RecordError::NotOnPhone)?;
    let remote = sync::Remote::new(&settings.own_db(&item.station));
    let bytes = remote
        .attachment(&item.id, PHOTO_IMAGE)
        .await
        .map_err(RecordError::Sync)?;
    if couch::attachment::digest(&bytes) != item.image {
        return Err(RecordError::Sync(sync::SyncError::Protocol(format!(
            "{}: the photo's bytes do not match its digest",
            item.id
        ))));
    }
    let blob = photo::jpeg(&bytes)?;
    store.put_blob(&item.image, &blob).await?;
    Ok(blob)
}

/// What photos use on this phone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PhotoUsage {
    /// Live photos.
    pub photos: u32,
    /// Full photos whose bytes are here.
    pub full_here: u32,
    /// Bytes of every stored JPEG (full photos and thumbnails).
    pub bytes: u64,
    /// Bytes 释放照片空间 would free now.
    pub freeable: u64,
}

/// The full-photo digests that may be dropped now: of photos the hub has, not named by a
/// photo still waiting to be sent.
async fn droppable(
    store: &Store,
    station: &str,
) -> Result<(u32, u32, Vec<String>, u64), RecordError> {
    let rows = store.photo_rows().await?;
    let here = store.blob_digests().await?;
    let (mark, queued) = match SyncSettings::saved(store).await? {
        Some(s) => {
            let url = s.own_db(station);
            (
                sync::sent_up_to(store, &url).await?,
                sync::photos::queued(store, &url)
                    .await
                    .map_err(RecordError::Sync)?,
            )
        }
        None => (0, HashSet::new()),
    };
    let mut keep = HashSet::new();
    let mut candidates = Vec::new();
    let mut full_here = 0;
    for row in &rows {
        let Some(item) = PhotoItem::from_doc(&row.doc) else {
            continue;
        };
        if here.contains(&item.image) {
            full_here += 1;
        }
        if row.seq <= mark && !queued.contains(&item.id) {
            candidates.push(item.image);
        } else {
            keep.insert(item.image);
        }
    }
    candidates.retain(|d| here.contains(d) && !keep.contains(d));
    candidates.sort();
    candidates.dedup();
    let mut bytes = 0;
    for d in &candidates {
        if let Some(b) = store.get_blob(d).await? {
            bytes += b.size() as u64;
        }
    }
    Ok((rows.len() as u32, full_here, candidates, bytes))
}

/// What photos use now and what 释放照片空间 would free.
pub async fn usage(store: &Store, profile: &Profile) -> Result<PhotoUsage, RecordError> {
    let (photos, full_here, _, freeable) = droppable(store, &profile.station_code).await?;
    let (_, bytes) = store.blob_usage().await?;
    Ok(PhotoUsage {
        photos,
        full_here,
        bytes,
        freeable,
    })
}

/// 释放照片空间: drops the full copies the hub already has (thumbnails stay); the bytes
/// freed.
pub async fn free_space(store: &Store, profile: &Profile) -> Result<u64, RecordError> {
    let (_, _, digests, bytes) = droppable(store, &profile.station_code).await?;
    store.drop_blobs(&digests).await?;
    Ok(bytes)
}
