//! Every document write: a local edit ([`edit`], `new_edits: true`), a replicated
//! revision ([`replicate`], `new_edits: false`) and `_bulk_docs`, which groups its
//! documents by id so each record is loaded once, merged (all of a document's revisions
//! in one pass of crates/couch), and saved once with one new sequence. A request may carry
//! at most [`MAX_REVS_PER_DOC`] revisions of one document. All inside the caller's
//! transaction, so a request's writes commit together. Attachment bytes arrive taken out
//! of the documents (`attachments`) and are stored with the record that names them.
//! Revision logic is crates/couch's.

use super::attachments::{keep_bytes, take_inline, Blobs};
use super::docs::open_db;
use super::params::check_doc_id;
use super::{json, only, CouchError, Hub, Req, MAX_REVS_PER_DOC};
use crate::auth::{station_code, REVIEW_PREFIX};
use crate::store::docs::{self as q, Db};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use couch::wire::BulkDocsRequest;
use couch::{DocRecord, MergeOutcome, RevId};
use rusqlite::Connection;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;

/// Applies a local edit (`new_edits: true`) of `doc` (attachment bytes already taken out
/// into `carried`); returns the new revision.
pub fn edit(
    tx: &Connection,
    db: &mut Db,
    doc: Value,
    carried: &Blobs,
) -> Result<RevId, CouchError> {
    let id = doc_id(&doc)?;
    let mut record = q::doc_load(tx, db, &id)?.unwrap_or_else(|| DocRecord::new(id));
    let rev = record.update(doc)?;
    save(tx, db, &record, carried)?;
    Ok(rev)
}

/// Merges a replicated revision (`new_edits: false`) of `doc` (bytes in `carried`).
pub fn replicate(
    tx: &Connection,
    db: &mut Db,
    doc: Value,
    carried: &Blobs,
) -> Result<(), CouchError> {
    let id = doc_id(&doc)?;
    let mut record = q::doc_load(tx, db, &id)?.unwrap_or_else(|| DocRecord::new(id));
    if record.put_replicated(doc)? != MergeOutcome::AlreadyPresent {
        save(tx, db, &record, carried)?;
    }
    Ok(())
}

/// Saves `record` with the bytes of its stubs (a stub without bytes is refused).
fn save(
    tx: &Connection,
    db: &mut Db,
    record: &DocRecord,
    carried: &Blobs,
) -> Result<(), CouchError> {
    keep_bytes(tx, db, record, carried)?;
    q::doc_save(tx, db, record)?;
    Ok(())
}

/// A review (`review:*`, not a tombstone) must be one (`model::review`, through
/// `model::validate`) of this database's station; anything else passes. 400 otherwise,
/// before anything is written.
pub fn check_review(db: &str, doc: &Value) -> Result<(), CouchError> {
    let id = doc.get("_id").and_then(Value::as_str).unwrap_or_default();
    if !id.starts_with(REVIEW_PREFIX) || doc.get("_deleted") == Some(&Value::Bool(true)) {
        return Ok(());
    }
    let bad = |why: String| CouchError::BadRequest(format!("invalid review {id}: {why}"));
    model::validate::validate(doc).map_err(|e| bad(e.to_string()))?;
    let station = doc.get("station").and_then(Value::as_str);
    match station_code(db) {
        Some(code) if station != Some(code) => {
            Err(bad(format!("its station is not this database's ({code})")))
        }
        _ => Ok(()),
    }
}

fn doc_id(doc: &Value) -> Result<String, CouchError> {
    match doc.get("_id") {
        Some(Value::String(id)) => {
            check_doc_id(id)?;
            Ok(id.clone())
        }
        None if doc.is_object() => Err(CouchError::IllegalDocId(
            "Document id must not be empty".into(),
        )),
        None => Err(CouchError::BadRequest(
            "Document must be a JSON object".into(),
        )),
        Some(_) => Err(CouchError::IllegalDocId(
            "Document id must be a string".into(),
        )),
    }
}

/// A request's documents grouped by id, in the order each id first appears; each keeps
/// its place in the request (for the answer).
#[derive(Default)]
struct Groups {
    order: Vec<(String, Vec<(usize, Value)>)>,
    index: HashMap<String, usize>,
}

impl Groups {
    fn add(&mut self, at: usize, id: String, doc: Value) -> Result<(), CouchError> {
        let i = *self.index.entry(id.clone()).or_insert_with(|| {
            self.order.push((id, Vec::new()));
            self.order.len() - 1
        });
        let (id, docs) = &mut self.order[i];
        if docs.len() == MAX_REVS_PER_DOC {
            return Err(CouchError::BadRequest(format!(
                "more than {MAX_REVS_PER_DOC} revisions of document {id:?} in one request"
            )));
        }
        docs.push((at, doc));
        Ok(())
    }
}

/// `POST /{db}/_bulk_docs`: all documents in one transaction. Conflicts are reported per
/// document, and so is a document the caller may not write (`forbidden`, as CouchDB
/// reports a `validate_doc_update` refusal, with or without `new_edits`; the others are
/// written); a malformed document (a malformed review too) fails the whole request with
/// 400 and writes nothing.
pub async fn bulk_docs(hub: &Arc<Hub>, req: &Req, db: &str) -> Result<Response, CouchError> {
    only(req, &[Method::POST], "POST")?;
    let who = req.some_writer(db)?;
    let body: BulkDocsRequest =
        req.json_as(r#"_bulk_docs body must be {"docs": [...], "new_edits": bool}"#)?;
    let new_edits = body.new_edits;
    let total = body.docs.len();
    let mut groups = Groups::default();
    let mut refused = Vec::new();
    let mut carried = Blobs::new();
    for (at, mut doc) in body.docs.into_iter().enumerate() {
        if !doc.is_object() {
            return Err(CouchError::BadRequest(
                "Document must be a JSON object".into(),
            ));
        }
        if new_edits && doc.get("_id").is_none() {
            doc["_id"] = json!(crate::auth::new_uuid());
        }
        let id = doc_id(&doc)?;
        if !who.can_write_doc(db, &id) {
            let reason = super::request::forbidden_doc(who, db, &id);
            refused.push((
                at,
                json!({"id": id, "error": "forbidden", "reason": reason}),
            ));
            continue;
        }
        check_review(db, &doc)?;
        carried.extend(take_inline(&mut doc, hub.config.max_attachment)?);
        groups.add(at, id, doc)?;
    }
    let name = db.to_owned();
    let (results, seq, name) = hub
        .store
        .write(move |tx| {
            let mut d = open_db(tx, &name)?;
            // With new_edits, one answer per document in request order; none otherwise.
            let mut answers = vec![Value::Null; if new_edits { total } else { 0 }];
            for (id, docs) in groups.order {
                let mut record =
                    q::doc_load(tx, &d, &id)?.unwrap_or_else(|| DocRecord::new(id.clone()));
                let changed = if new_edits {
                    let mut changed = false;
                    for (at, doc) in docs {
                        answers[at] = match record.update(doc) {
                            Err(couch::DocError::Conflict) => json!({"id": id, "error": "conflict",
                                "reason": "Document update conflict."}),
                            other => {
                                changed = true;
                                json!({"ok": true, "id": id, "rev": other?.to_string()})
                            }
                        };
                    }
                    changed
                } else {
                    let docs = docs.into_iter().map(|(_, doc)| doc);
                    let outcomes = record.put_replicated_all(docs)?;
                    outcomes.iter().any(|o| *o != MergeOutcome::AlreadyPresent)
                };
                if changed {
                    save(tx, &mut d, &record, &carried)?;
                }
            }
            Ok::<_, CouchError>((answers, d.update_seq, d.name))
        })
        .await?;
    // Refusals in their places (every document has one answer with `new_edits`; without
    // it only the failures are listed, as CouchDB does).
    let results = if new_edits {
        let mut results = results;
        for (at, answer) in refused {
            results[at] = answer;
        }
        results
    } else {
        refused.into_iter().map(|(_, a)| a).collect()
    };
    hub.store.notify(&name, seq);
    Ok(json(StatusCode::CREATED, Value::Array(results)))
}
