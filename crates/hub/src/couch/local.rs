//! `_local` documents: replication checkpoints and other documents that are never
//! replicated, with revisions `0-N` and CouchDB's optimistic-concurrency rules. They
//! never enter the changes feed or touch the update sequence.

use super::docs::{open_db, rev_param};
use super::{json, only, CouchError, Hub, Req};
use crate::store::docs as q;
use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde_json::{json, Map, Value};
use std::sync::Arc;

/// `GET/PUT/DELETE /{db}/_local/{id}`: checkpoints and other unreplicated documents,
/// with revisions `0-N`; read by readers, written by writers; they never enter the
/// changes feed.
pub async fn local(hub: &Arc<Hub>, req: &Req, db: &str, id: &str) -> Result<Response, CouchError> {
    only(
        req,
        &[Method::GET, Method::PUT, Method::DELETE],
        "GET,PUT,DELETE",
    )?;
    // Anyone who may read a station reads its checkpoints; only those who may write it
    // write them, and hq in its own station's database (`Principal::can_write_local`):
    // hq's pull from a station below keeps its checkpoint on the phone (replicators take
    // a 403 on a source checkpoint as read-only access).
    let who = req.reader(db)?;
    if req.method != Method::GET && !who.can_write_local(db) {
        return Err(CouchError::Forbidden(format!(
            "You may read but not change database {db}."
        )));
    }
    if id.is_empty() {
        return Err(CouchError::IllegalDocId(
            "Document id must not be empty".into(),
        ));
    }
    let full_id = format!("_local/{id}");
    let (name, key) = (db.to_owned(), id.to_owned());
    match req.method {
        Method::GET => {
            let found = hub
                .store
                .read(move |tx| {
                    let d = open_db(tx, &name)?;
                    Ok::<_, CouchError>(q::local_get(tx, &d, &key)?)
                })
                .await?;
            let (rev, body) = found.ok_or_else(|| CouchError::NotFound("missing".into()))?;
            let mut doc = Map::new();
            doc.insert("_id".into(), json!(full_id));
            doc.insert("_rev".into(), json!(format!("0-{rev}")));
            if let Value::Object(fields) = body {
                doc.extend(fields);
            }
            Ok(json(StatusCode::OK, Value::Object(doc)))
        }
        _ => {
            let (given, body, delete) = if req.method == Method::PUT {
                let doc = req.json()?;
                let Value::Object(mut fields) = doc else {
                    return Err(CouchError::BadRequest(
                        "Document must be a JSON object".into(),
                    ));
                };
                let given = match fields.remove("_rev") {
                    Some(Value::String(s)) => Some(s),
                    Some(Value::Null) | None => rev_param(req),
                    Some(_) => return Err(CouchError::BadRequest("_rev must be a string".into())),
                };
                let delete = fields.remove("_deleted") == Some(Value::Bool(true));
                fields.retain(|k, _| !k.starts_with('_'));
                (given, Value::Object(fields), delete)
            } else {
                (rev_param(req), Value::Null, true)
            };
            let rev = hub
                .store
                .write(move |tx| {
                    let d = open_db(tx, &name)?;
                    let current = q::local_get(tx, &d, &key)?.map(|(r, _)| r);
                    let given_n = given
                        .as_deref()
                        .map(|g| g.strip_prefix("0-").unwrap_or(g).parse::<u64>())
                        .transpose()
                        .map_err(|_| CouchError::BadRequest("Invalid rev format".into()))?;
                    match (current, given_n) {
                        (None, _) if delete => Err(CouchError::NotFound("missing".into())),
                        (Some(c), Some(g)) if c != g => Err(CouchError::Conflict),
                        (Some(_), None) => Err(CouchError::Conflict),
                        _ if delete => {
                            q::local_delete(tx, &d, &key)?;
                            Ok(0)
                        }
                        _ => {
                            let next = current.unwrap_or(0) + 1;
                            q::local_put(tx, &d, &key, next, &body)?;
                            Ok(next)
                        }
                    }
                })
                .await?;
            let status = if req.method == Method::PUT {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            Ok(json(
                status,
                json!({"ok": true, "id": full_id, "rev": format!("0-{rev}")}),
            ))
        }
    }
}
