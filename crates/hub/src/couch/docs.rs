//! Single documents and `_all_docs`. Every edit goes through
//! [`edit`] or [`replicate`], which load the document's `DocRecord`, let crates/couch
//! apply the edit or merge the revision, and store it with a new sequence — inside the
//! caller's transaction, so a request's writes commit together.

use super::params::check_doc_id;
use super::{json, only, CouchError, Hub, Req};
use crate::store::docs::{self as q, Db, IdRange};
use axum::http::{header, Method, StatusCode};
use axum::response::Response;
use couch::{DocRecord, MergeOutcome, RevId};
use rusqlite::Connection;
use serde_json::{json, Value};
use std::sync::Arc;

/// The database `name` inside a transaction, or 404.
pub fn open_db(tx: &Connection, name: &str) -> Result<Db, CouchError> {
    q::db_get(tx, name)?.ok_or(CouchError::NoDb)
}

/// The highest revision generation accepted: JavaScript's largest exact integer, far
/// beyond any real history, and low enough that the next generation never overflows.
pub const MAX_GENERATION: u64 = (1 << 53) - 1;

/// 400 if `doc`'s `_rev` or `_revisions.start` is beyond [`MAX_GENERATION`].
fn check_generation(doc: &Value) -> Result<(), CouchError> {
    let rev_pos = doc
        .get("_rev")
        .and_then(Value::as_str)
        .and_then(|r| r.split_once('-'))
        .and_then(|(pos, _)| pos.parse::<u64>().ok());
    let start = doc
        .get("_revisions")
        .and_then(|r| r.get("start"))
        .and_then(Value::as_u64);
    if rev_pos.into_iter().chain(start).any(|p| p > MAX_GENERATION) {
        return Err(CouchError::BadRequest(format!(
            "revision generation above {MAX_GENERATION}"
        )));
    }
    Ok(())
}

/// Applies a local edit (`new_edits: true`) of `doc`; returns the new revision.
pub fn edit(tx: &Connection, db: &mut Db, doc: Value) -> Result<RevId, CouchError> {
    let id = doc_id(&doc)?;
    check_generation(&doc)?;
    let mut record = q::doc_load(tx, db, &id)?.unwrap_or_else(|| DocRecord::new(id));
    let rev = record.update(doc)?;
    q::doc_save(tx, db, &record)?;
    Ok(rev)
}

/// Merges a replicated revision (`new_edits: false`) of `doc`.
pub fn replicate(tx: &Connection, db: &mut Db, doc: Value) -> Result<(), CouchError> {
    let id = doc_id(&doc)?;
    check_generation(&doc)?;
    let mut record = q::doc_load(tx, db, &id)?.unwrap_or_else(|| DocRecord::new(id));
    if record.put_replicated(doc)? != MergeOutcome::AlreadyPresent {
        q::doc_save(tx, db, &record)?;
    }
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

/// The revision a request names: `?rev=`, else `If-Match`.
pub fn rev_param(req: &Req) -> Option<String> {
    req.query.get("rev").map(str::to_owned).or_else(|| {
        req.headers
            .get(header::IF_MATCH)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.trim_matches('"').to_owned())
    })
}

fn parse_rev(s: &str) -> Result<RevId, CouchError> {
    s.parse()
        .map_err(|e| CouchError::BadRequest(format!("Invalid rev format: {e}")))
}

/// `POST /{db}`: a new document (id made here unless given).
pub async fn post(hub: &Arc<Hub>, req: &Req, db: &str) -> Result<Response, CouchError> {
    hub.writer(req, db).await?;
    let mut doc = req.json()?;
    let Some(obj) = doc.as_object_mut() else {
        return Err(CouchError::BadRequest(
            "Document must be a JSON object".into(),
        ));
    };
    obj.entry("_id")
        .or_insert_with(|| Value::String(crate::auth::new_uuid()));
    let id = obj["_id"].clone();
    let (rev, seq, name) = write_one(hub, db, move |tx, d| edit(tx, d, doc)).await?;
    hub.store.notify(&name, seq);
    Ok(json(
        StatusCode::CREATED,
        json!({"ok": true, "id": id, "rev": rev.to_string()}),
    ))
}

async fn write_one<T: Send + 'static>(
    hub: &Arc<Hub>,
    db: &str,
    f: impl FnOnce(&Connection, &mut Db) -> Result<T, CouchError> + Send + 'static,
) -> Result<(T, u64, String), CouchError> {
    let name = db.to_owned();
    hub.store
        .write(move |tx| {
            let mut d = open_db(tx, &name)?;
            let out = f(tx, &mut d)?;
            Ok((out, d.update_seq, d.name))
        })
        .await
}

/// `GET/PUT/DELETE /{db}/{docid}`.
pub async fn document(
    hub: &Arc<Hub>,
    req: &Req,
    db: &str,
    id: &str,
) -> Result<Response, CouchError> {
    check_doc_id(id)?;
    match req.method {
        Method::GET => {
            hub.reader(req, db).await?;
            let (name, doc_id) = (db.to_owned(), id.to_owned());
            let record = hub
                .store
                .read(move |tx| {
                    let d = open_db(tx, &name)?;
                    Ok::<_, CouchError>(q::doc_load(tx, &d, &doc_id)?)
                })
                .await?;
            get(req, record)
        }
        Method::PUT => {
            hub.writer(req, db).await?;
            let mut doc = req.json()?;
            let Some(obj) = doc.as_object_mut() else {
                return Err(CouchError::BadRequest(
                    "Document must be a JSON object".into(),
                ));
            };
            match obj.get("_id") {
                Some(Value::String(s)) if s != id => {
                    return Err(CouchError::BadRequest(
                        "Document id in body does not match the URL".into(),
                    ))
                }
                _ => obj.insert("_id".into(), Value::String(id.to_owned())),
            };
            if let (false, Some(rev)) = (obj.contains_key("_rev"), rev_param(req)) {
                obj.insert("_rev".into(), Value::String(rev));
            }
            if !req.query.bool("new_edits", true)? {
                let rev = obj.get("_rev").cloned().unwrap_or(Value::Null);
                let (_, seq, name) = write_one(hub, db, move |tx, d| replicate(tx, d, doc)).await?;
                hub.store.notify(&name, seq);
                return Ok(json(
                    StatusCode::CREATED,
                    json!({"ok": true, "id": id, "rev": rev}),
                ));
            }
            let (rev, seq, name) = write_one(hub, db, move |tx, d| edit(tx, d, doc)).await?;
            hub.store.notify(&name, seq);
            Ok(json(
                StatusCode::CREATED,
                json!({"ok": true, "id": id, "rev": rev.to_string()}),
            ))
        }
        Method::DELETE => {
            hub.writer(req, db).await?;
            let Some(rev) = rev_param(req) else {
                return Err(CouchError::Conflict);
            };
            parse_rev(&rev)?;
            let doc = json!({"_id": id, "_rev": rev, "_deleted": true});
            let doc_id = id.to_owned();
            let (rev, seq, name) = write_one(hub, db, move |tx, d| {
                if q::doc_load(tx, d, &doc_id)?.is_none() {
                    return Err(CouchError::NotFound("missing".into()));
                }
                edit(tx, d, doc)
            })
            .await?;
            hub.store.notify(&name, seq);
            Ok(json(
                StatusCode::OK,
                json!({"ok": true, "id": id, "rev": rev.to_string()}),
            ))
        }
        _ => Err(CouchError::MethodNotAllowed("GET,PUT,DELETE")),
    }
}

/// The document as `GET` shows it, with the options of `req` (`revs`, `conflicts`, ...).
pub fn shaped(
    req: &Req,
    record: &DocRecord,
    rev: &RevId,
    revs: bool,
) -> Result<Option<Value>, CouchError> {
    let Some(mut doc) = (if revs {
        record.doc_with_revisions(rev)
    } else {
        record.doc_at(rev)
    }) else {
        return Ok(None);
    };
    let meta = req.query.bool("meta", false)?;
    if req.query.bool("conflicts", false)? || meta {
        let c = record.tree.conflicts();
        if !c.is_empty() {
            doc["_conflicts"] = json!(c.iter().map(ToString::to_string).collect::<Vec<_>>());
        }
    }
    if req.query.bool("deleted_conflicts", false)? || meta {
        let c = record.tree.deleted_conflicts();
        if !c.is_empty() {
            doc["_deleted_conflicts"] =
                json!(c.iter().map(ToString::to_string).collect::<Vec<_>>());
        }
    }
    Ok(Some(doc))
}

fn get(req: &Req, record: Option<DocRecord>) -> Result<Response, CouchError> {
    let revs = req.query.bool("revs", false)?;
    let missing = || CouchError::NotFound("missing".into());
    if let Some(open) = req.query.get("open_revs") {
        let wanted: Vec<RevId> = if open == "all" {
            let record = record.as_ref().ok_or_else(missing)?;
            record.tree.leaves().into_iter().map(|l| l.rev).collect()
        } else {
            let list: Vec<String> = serde_json::from_str(open).map_err(|_| {
                CouchError::BadRequest(
                    "open_revs must be \"all\" or a JSON array of revisions".into(),
                )
            })?;
            list.iter()
                .map(|s| parse_rev(s))
                .collect::<Result<_, _>>()?
        };
        let mut out = Vec::new();
        for rev in wanted {
            let found = match &record {
                Some(r) => shaped(req, r, &rev, revs)?,
                None => None,
            };
            out.push(match found {
                Some(doc) => json!({"ok": doc}),
                None => json!({"missing": rev.to_string()}),
            });
        }
        return Ok(json(StatusCode::OK, Value::Array(out)));
    }
    let record = record.ok_or_else(missing)?;
    let doc = match req.query.get("rev") {
        Some(rev) => shaped(req, &record, &parse_rev(rev)?, revs)?.ok_or_else(missing)?,
        None => {
            let winner = record.tree.winner().ok_or_else(missing)?;
            if winner.deleted {
                return Err(CouchError::NotFound("deleted".into()));
            }
            shaped(req, &record, &winner.rev, revs)?.ok_or_else(missing)?
        }
    };
    Ok(json(StatusCode::OK, doc))
}

/// `GET/POST /{db}/_all_docs`.
pub async fn all_docs(hub: &Arc<Hub>, req: &Req, db: &str) -> Result<Response, CouchError> {
    only(req, &[Method::GET, Method::POST], "GET,POST")?;
    hub.reader(req, db).await?;
    let mut keys = req.query.json("keys")?;
    if req.method == Method::POST {
        keys = req.json()?.get("keys").cloned();
    }
    let keys: Option<Vec<Value>> = match keys {
        None => None,
        Some(Value::Array(k)) => Some(k),
        Some(_) => return Err(CouchError::BadRequest("keys must be a JSON array".into())),
    };
    let key = req.query.json_string(&["key"])?;
    let range = IdRange {
        start: key
            .clone()
            .or(req.query.json_string(&["startkey", "start_key"])?),
        end: key.or(req.query.json_string(&["endkey", "end_key"])?),
        inclusive_end: req.query.bool("inclusive_end", true)?,
        descending: req.query.bool("descending", false)?,
        skip: req.query.u64("skip")?.unwrap_or(0),
        limit: req.query.u64("limit")?.unwrap_or(u64::MAX),
    };
    let include_docs = req.query.bool("include_docs", false)?;
    let name = db.to_owned();
    let (records, total) = hub
        .store
        .read(move |tx| {
            let d = open_db(tx, &name)?;
            let total = q::db_counts(tx, &d)?.0;
            let records: Vec<(Value, Option<DocRecord>)> = match keys {
                Some(keys) => keys
                    .into_iter()
                    .map(|k| {
                        let rec = match &k {
                            Value::String(id) => q::doc_load(tx, &d, id)?,
                            _ => None,
                        };
                        Ok((k, rec))
                    })
                    .collect::<Result<_, CouchError>>()?,
                None => q::all_docs(tx, &d, &range)?
                    .into_iter()
                    .map(|r| (json!(r.id), Some(r)))
                    .collect(),
            };
            Ok::<_, CouchError>((records, total))
        })
        .await?;
    let mut rows = Vec::with_capacity(records.len());
    for (key, rec) in records {
        let Some(rec) = rec else {
            rows.push(json!({"key": key, "error": "not_found"}));
            continue;
        };
        let Some(winner) = rec.tree.winner() else {
            rows.push(json!({"key": key, "error": "not_found"}));
            continue;
        };
        let mut row = json!({"id": rec.id, "key": key, "value": {"rev": winner.rev.to_string()}});
        if winner.deleted {
            row["value"]["deleted"] = json!(true);
            if include_docs {
                row["doc"] = Value::Null;
            }
        } else if include_docs {
            row["doc"] = shaped(req, &rec, &winner.rev, false)?.unwrap_or(Value::Null);
        }
        rows.push(row);
    }
    let offset = req.query.u64("skip")?.unwrap_or(0);
    Ok(json(
        StatusCode::OK,
        json!({"total_rows": total, "offset": offset, "rows": rows}),
    ))
}
