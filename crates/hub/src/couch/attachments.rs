//! Attachments over HTTP, as CouchDB 3 documents them: bytes taken out of incoming
//! documents (inline base64 `data`, multipart parts, a raw `PUT`) and checked against their
//! declared digest and length and the size limit before anything is written; a record's
//! stubs matched to stored bytes when it is saved (a stub without bytes is CouchDB's 412
//! `missing_stub`); bytes put back inline for `attachments=true` / `atts_since`; and
//! `GET/PUT/DELETE /{db}/{docid}/{attname}`. Digests and stubs are crates/couch's; the
//! bytes are `store::blobs`.

use super::docs::{open_db, parse_rev, rev_param};
use super::writes::edit;
use super::{json, CouchError, Hub, Req};
use crate::store::blobs;
use crate::store::docs::{self as q, Db};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use couch::attachment::{self, Blob};
use couch::{DocRecord, RevId};
use rusqlite::Connection;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::sync::Arc;

/// Attachment bytes a request carries, by digest.
pub type Blobs = HashMap<String, Vec<u8>>;

/// 413 unless every blob is within `limit` bytes; then the blobs by digest.
pub fn admit(blobs: Vec<Blob>, limit: usize) -> Result<Blobs, CouchError> {
    let mut out = Blobs::new();
    for b in blobs {
        if b.bytes.len() > limit {
            return Err(CouchError::AttachmentTooLarge {
                size: b.bytes.len(),
                limit,
            });
        }
        out.insert(b.digest, b.bytes);
    }
    Ok(out)
}

/// Takes the inline `data` of `doc`'s attachments out (checked; see [`admit`]).
pub fn take_inline(doc: &mut Value, limit: usize) -> Result<Blobs, CouchError> {
    let blobs = attachment::take_inline(doc).map_err(couch::DocError::from)?;
    admit(blobs, limit)
}

/// Before `record` is saved: stores the bytes of each of its stubs that the request
/// carries, and refuses (412 `missing_stub`) a stub whose bytes are neither in the request
/// nor stored. Each digest is stored once per database.
pub fn keep_bytes(
    tx: &Connection,
    db: &Db,
    record: &DocRecord,
    carried: &Blobs,
) -> Result<(), CouchError> {
    for digest in record.digests() {
        match carried.get(digest) {
            Some(bytes) => {
                blobs::put(tx, db, digest, bytes)?;
            }
            None if blobs::has(tx, db, digest)? => {}
            None => {
                return Err(CouchError::MissingStub(format!(
                    "{}: no attachment with digest {digest} was sent or is stored",
                    record.id
                )))
            }
        }
    }
    Ok(())
}

/// Which attachments an answer carries inline: none, all (`attachments=true`), or those
/// added after the newest of some revisions the client has (`atts_since`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Inline {
    /// Stubs only.
    #[default]
    None,
    /// Every attachment's bytes.
    All,
    /// Bytes of attachments whose `revpos` is past the newest of these revisions that is
    /// an ancestor of the revision sent (all of them if none is).
    Since(Vec<RevId>),
}

impl Inline {
    /// The request's `attachments` and `atts_since` parameters.
    pub fn of(req: &Req) -> Result<Self, CouchError> {
        if let Some(since) = req.query.json("atts_since")? {
            return Self::since(&since);
        }
        Ok(if req.query.bool("attachments", false)? {
            Inline::All
        } else {
            Inline::None
        })
    }

    /// `atts_since` given as a JSON array of revisions.
    pub fn since(v: &Value) -> Result<Self, CouchError> {
        let bad = || CouchError::BadRequest("atts_since must be a JSON array of revisions".into());
        let revs = v.as_array().ok_or_else(bad)?;
        super::answer::check_items(revs.len(), super::MAX_ITEMS, "atts_since")?;
        let revs = revs
            .iter()
            .map(|r| r.as_str().and_then(|s| s.parse().ok()).ok_or_else(bad))
            .collect::<Result<_, _>>()?;
        Ok(Inline::Since(revs))
    }

    /// The generation past which attachments go inline for the leaf `rev` of `rec`, or
    /// None for stubs only.
    fn after(&self, rec: &DocRecord, rev: &RevId) -> Option<u64> {
        match self {
            Inline::None => None,
            Inline::All => Some(0),
            Inline::Since(revs) => {
                let path = rec.tree.path(rev);
                Some(
                    revs.iter()
                        .filter(|r| path.contains(r))
                        .map(|r| r.pos)
                        .max()
                        .unwrap_or(0),
                )
            }
        }
    }

    /// The attachments of the leaf `rev` of `rec` this option sends as bytes, with them.
    fn chosen(
        &self,
        tx: &Connection,
        db: &Db,
        rec: &DocRecord,
        rev: &RevId,
    ) -> Result<Vec<(String, attachment::Stub, Vec<u8>)>, CouchError> {
        let Some(after) = self.after(rec, rev) else {
            return Ok(Vec::new());
        };
        rec.attachments_at(rev)
            .into_iter()
            .filter(|(_, stub)| stub.revpos > after)
            .map(|(name, stub)| {
                let bytes = stored(tx, db, rec, &stub.digest)?;
                Ok((name, stub, bytes))
            })
            .collect()
    }

    /// Puts the bytes of `doc`'s attachments (the leaf `rev` of `rec`) in, as this option
    /// asks: inline as base64 `data` (as CouchDB: no `stub`, no `length`; returns nothing),
    /// or marked `follows` and returned as multipart parts `(name, content type, bytes)`.
    pub fn fill(
        &self,
        tx: &Connection,
        db: &Db,
        (rec, rev): (&DocRecord, &RevId),
        doc: &mut Value,
        carry: Carry,
    ) -> Result<Vec<(String, String, Vec<u8>)>, CouchError> {
        let mut parts = Vec::new();
        for (name, stub, bytes) in self.chosen(tx, db, rec, rev)? {
            if let Some(e) = doc["_attachments"][&name].as_object_mut() {
                e.remove("stub");
                match carry {
                    Carry::Data => {
                        e.remove("length");
                        e.insert("data".into(), attachment::encode(&bytes).into());
                    }
                    Carry::Parts => {
                        e.insert("follows".into(), true.into());
                        parts.push((name, stub.content_type, bytes));
                    }
                }
            }
        }
        Ok(parts)
    }
}

/// How an answer carries attachment bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Carry {
    /// Inline base64 `data` in the JSON.
    Data,
    /// Parts of a `multipart/related` answer.
    Parts,
}

/// The stored bytes of a stub of `rec`; their absence is a storage failure (500), since a
/// stub is never stored without its bytes.
fn stored(tx: &Connection, db: &Db, rec: &DocRecord, digest: &str) -> Result<Vec<u8>, CouchError> {
    blobs::get(tx, db, digest)?.ok_or_else(|| {
        CouchError::Store(crate::store::StoreError::Task(format!(
            "the bytes of {digest} ({}) are not stored",
            rec.id
        )))
    })
}

/// `GET/PUT/DELETE /{db}/{docid}/{attname}` (`attname` may hold `/`).
pub async fn attachment(
    hub: &Arc<Hub>,
    req: &Req,
    db: &str,
    id: &str,
    name: &str,
) -> Result<Response, CouchError> {
    super::params::check_doc_id(id)?;
    if name.is_empty() || name.starts_with('_') {
        return Err(CouchError::BadRequest(
            "Attachment name must not be empty or start with _".into(),
        ));
    }
    let at = At { db, id, name };
    match req.method {
        Method::GET => get(hub, req, at).await,
        Method::PUT | Method::DELETE => change(hub, req, at).await,
        _ => Err(CouchError::MethodNotAllowed("GET,HEAD,PUT,DELETE")),
    }
}

/// Which attachment a request names.
#[derive(Clone, Copy)]
struct At<'a> {
    db: &'a str,
    id: &'a str,
    name: &'a str,
}

async fn get(
    hub: &Arc<Hub>,
    req: &Req,
    At { db, id, name }: At<'_>,
) -> Result<Response, CouchError> {
    req.reader(db)?;
    let rev: Option<RevId> = req.query.get("rev").map(parse_rev).transpose()?;
    let (dbn, doc_id, att) = (db.to_owned(), id.to_owned(), name.to_owned());
    let if_none = req
        .headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let missing = || CouchError::NotFound("Document is missing attachment".into());
    let (stub, bytes) = hub
        .store
        .read(move |tx| {
            let d = open_db(tx, &dbn)?;
            let rec = q::doc_load(tx, &d, &doc_id)?
                .ok_or_else(|| CouchError::NotFound("missing".into()))?;
            let rev = match rev {
                Some(r) => r,
                None => match rec.tree.winner() {
                    Some(w) if !w.deleted => w.rev,
                    _ => return Err(CouchError::NotFound("deleted".into())),
                },
            };
            let stub = rec.attachments_at(&rev).remove(&att).ok_or_else(missing)?;
            if if_none.as_deref().is_some_and(|t| t == etag(&stub.digest)) {
                return Ok((stub, None));
            }
            let bytes = blobs::get(tx, &d, &stub.digest)?.ok_or_else(missing)?;
            Ok::<_, CouchError>((stub, Some(bytes)))
        })
        .await?;
    let tag = HeaderValue::from_str(&etag(&stub.digest)).map_err(|_| missing())?;
    let Some(bytes) = bytes else {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, tag)]).into_response());
    };
    let ctype = HeaderValue::from_str(&stub.content_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, ctype),
            (header::ETAG, tag),
            (header::ACCEPT_RANGES, HeaderValue::from_static("none")),
        ],
        bytes,
    )
        .into_response())
}

/// CouchDB's `ETag` of an attachment: its digest's base64, double-quoted.
pub fn etag(digest: &str) -> String {
    format!("\"{}\"", digest.strip_prefix("md5-").unwrap_or(digest))
}

/// `PUT` (the body is the bytes, `Content-Type` their type) or `DELETE` an attachment:
/// a new revision of the document, made from the revision `?rev=` (or `If-Match`) names;
/// a `PUT` without a revision creates the document if it does not exist.
async fn change(
    hub: &Arc<Hub>,
    req: &Req,
    At { db, id, name }: At<'_>,
) -> Result<Response, CouchError> {
    req.doc_writer(db, id)?;
    let rev = rev_param(req);
    let put = req.method == Method::PUT;
    let mut carried = Blobs::new();
    let mut entry = Value::Null;
    if put {
        let ctype = req
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("application/octet-stream")
            .to_owned();
        carried = admit(
            vec![Blob::new(req.body.to_vec())],
            hub.config.max_attachment,
        )?;
        let (digest, bytes) = carried.iter().next().expect("one blob");
        entry = json!({"content_type": ctype, "digest": digest, "length": bytes.len()});
    } else if rev.is_none() {
        return Err(CouchError::Conflict);
    }
    let (dbn, doc_id, att) = (db.to_owned(), id.to_owned(), name.to_owned());
    let (new_rev, seq, dbname) = hub
        .store
        .write(move |tx| {
            let mut d = open_db(tx, &dbn)?;
            let rec = q::doc_load(tx, &d, &doc_id)?;
            let mut doc = match (&rev, &rec) {
                (Some(r), Some(rec)) => rec.doc_at(&parse_rev(r)?).ok_or(CouchError::Conflict)?,
                (Some(_), None) if put => return Err(CouchError::Conflict),
                (Some(_), None) => return Err(CouchError::NotFound("missing".into())),
                (None, _) => json!({"_id": doc_id}),
            };
            let obj = doc.as_object_mut().expect("a document is an object");
            obj.remove("_deleted");
            let atts = obj
                .entry("_attachments")
                .or_insert_with(|| Value::Object(Map::new()))
                .as_object_mut()
                .expect("stubs are an object");
            if put {
                atts.insert(att, entry);
            } else if atts.remove(&att).is_none() {
                return Err(CouchError::NotFound(
                    "Document is missing attachment".into(),
                ));
            }
            let rev = edit(tx, &mut d, doc, &carried)?;
            Ok::<_, CouchError>((rev, d.update_seq, d.name))
        })
        .await?;
    hub.store.notify(&dbname, seq);
    let status = if put {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok(json(
        status,
        json!({"ok": true, "id": id, "rev": new_rev.to_string()}),
    ))
}
