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
    count: usize,
}

impl Groups {
    fn add(&mut self, id: String, doc: Value) -> Result<(), CouchError> {
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
        docs.push((self.count, doc));
        self.count += 1;
        Ok(())
    }
}

/// `POST /{db}/_bulk_docs`: all documents in one transaction. Conflicts are reported per
/// document; a malformed document fails the whole request with 400 and writes nothing.
pub async fn bulk_docs(hub: &Arc<Hub>, req: &Req, db: &str) -> Result<Response, CouchError> {
    only(req, &[Method::POST], "POST")?;
    req.writer(db)?;
    let body: BulkDocsRequest =
        req.json_as(r#"_bulk_docs body must be {"docs": [...], "new_edits": bool}"#)?;
    let new_edits = body.new_edits;
    let mut groups = Groups::default();
    let mut carried = Blobs::new();
    for mut doc in body.docs {
        if !doc.is_object() {
            return Err(CouchError::BadRequest(
                "Document must be a JSON object".into(),
            ));
        }
        carried.extend(take_inline(&mut doc, hub.config.max_attachment)?);
        if new_edits && doc.get("_id").is_none() {
            doc["_id"] = json!(crate::auth::new_uuid());
        }
        groups.add(doc_id(&doc)?, doc)?;
    }
    let name = db.to_owned();
    let (results, seq, name) = hub
        .store
        .write(move |tx| {
            let mut d = open_db(tx, &name)?;
            // With new_edits, one answer per document in request order; none otherwise.
            let mut answers = vec![Value::Null; if new_edits { groups.count } else { 0 }];
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
    hub.store.notify(&name, seq);
    Ok(json(StatusCode::CREATED, Value::Array(results)))
}
