//! Single documents and `_all_docs`. Every write goes through `writes` (the edit and
//! merge rules, and `_bulk_docs`), inside the caller's transaction.

use super::answer::{check_items, dedup, Rows, Shape};
use super::attachments::{take_inline, Blobs, Carry, Inline};
use super::multipart;
use super::params::check_doc_id;
use super::writes::{check_review, edit, replicate};
use super::{json, only, CouchError, Hub, Req, MAX_ITEMS};
use crate::store::docs::{self as q, Db, IdRange};
use axum::http::{header, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use couch::{DocRecord, RevId};
use rusqlite::Connection;
use serde_json::{json, Value};
use std::sync::Arc;

/// The database `name` inside a transaction, or 404.
pub fn open_db(tx: &Connection, name: &str) -> Result<Db, CouchError> {
    q::db_get(tx, name)?.ok_or(CouchError::NoDb)
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

/// A revision named in a request, or 400.
pub fn parse_rev(s: &str) -> Result<RevId, CouchError> {
    s.parse()
        .map_err(|e| CouchError::BadRequest(format!("Invalid rev format: {e}")))
}

/// `POST /{db}`: a new document (id made here unless given).
pub async fn post(hub: &Arc<Hub>, req: &Req, db: &str) -> Result<Response, CouchError> {
    req.some_writer(db)?;
    let mut doc = req.json()?;
    let Some(obj) = doc.as_object_mut() else {
        return Err(CouchError::BadRequest(
            "Document must be a JSON object".into(),
        ));
    };
    obj.entry("_id")
        .or_insert_with(|| Value::String(crate::auth::new_uuid()));
    let id = obj["_id"].clone();
    req.doc_writer(db, id.as_str().unwrap_or_default())?;
    check_review(db, &doc)?;
    let carried = take_inline(&mut doc, hub.config.max_attachment)?;
    let (rev, seq, name) = write_one(hub, db, move |tx, d| edit(tx, d, doc, &carried)).await?;
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
            req.reader(db)?;
            let (name, doc_id) = (db.to_owned(), id.to_owned());
            let (shape, inline) = (Shape::of(req)?, Inline::of(req)?);
            let multipart = accepts_related(req) && inline != Inline::None;
            let open_revs = req.query.get("open_revs").map(str::to_owned);
            let rev = req.query.get("rev").map(str::to_owned);
            let cap = hub.config.max_answer;
            hub.store
                .read(move |tx| {
                    let d = open_db(tx, &name)?;
                    let record = q::doc_load(tx, &d, &doc_id)?;
                    let opts = Get {
                        shape,
                        inline,
                        multipart,
                        tx,
                        db: &d,
                    };
                    opts.answer(record, open_revs.as_deref(), rev.as_deref(), cap)
                })
                .await
        }
        Method::PUT => {
            req.doc_writer(db, id)?;
            let ctype = req
                .headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            let (mut doc, carried) = match multipart::boundary(ctype) {
                Some(b) => {
                    let related = multipart::parse(&b?, &req.body)?;
                    let mut doc = related.doc;
                    let blobs =
                        couch::attachment::take_follows(&mut doc, &related.order, related.parts)
                            .map_err(couch::DocError::from)?;
                    let mut carried = super::attachments::admit(blobs, hub.config.max_attachment)?;
                    carried.extend(take_inline(&mut doc, hub.config.max_attachment)?);
                    (doc, carried)
                }
                None => {
                    let mut doc = req.json()?;
                    let carried = take_inline(&mut doc, hub.config.max_attachment)?;
                    (doc, carried)
                }
            };
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
            let rev = obj.get("_rev").cloned().unwrap_or(Value::Null);
            check_review(db, &doc)?;
            if !req.query.bool("new_edits", true)? {
                let (_, seq, name) =
                    write_one(hub, db, move |tx, d| replicate(tx, d, doc, &carried)).await?;
                hub.store.notify(&name, seq);
                return Ok(json(
                    StatusCode::CREATED,
                    json!({"ok": true, "id": id, "rev": rev}),
                ));
            }
            let (rev, seq, name) =
                write_one(hub, db, move |tx, d| edit(tx, d, doc, &carried)).await?;
            hub.store.notify(&name, seq);
            Ok(json(
                StatusCode::CREATED,
                json!({"ok": true, "id": id, "rev": rev.to_string()}),
            ))
        }
        Method::DELETE => {
            req.doc_writer(db, id)?;
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
                edit(tx, d, doc, &Blobs::new())
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

/// Whether the client takes a `multipart/related` answer (CouchDB's replicator does).
fn accepts_related(req: &Req) -> bool {
    req.headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.to_ascii_lowercase().contains("multipart/related"))
}

/// How a `GET /{db}/{docid}` answers, inside its read transaction.
struct Get<'a> {
    shape: Shape,
    inline: Inline,
    multipart: bool,
    tx: &'a Connection,
    db: &'a Db,
}

impl Get<'_> {
    /// The leaf `rev` of `record`, shaped and with the attachments asked for inline.
    fn doc(&self, record: &DocRecord, rev: &RevId) -> Result<Option<Value>, CouchError> {
        let Some(mut doc) = self.shape.doc(record, rev) else {
            return Ok(None);
        };
        self.inline
            .fill(self.tx, self.db, (record, rev), &mut doc, Carry::Data)?;
        Ok(Some(doc))
    }

    fn answer(
        &self,
        record: Option<DocRecord>,
        open_revs: Option<&str>,
        rev: Option<&str>,
        max_answer: usize,
    ) -> Result<Response, CouchError> {
        let missing = || CouchError::NotFound("missing".into());
        if let Some(open) = open_revs {
            let wanted: Vec<RevId> = if open == "all" {
                let record = record.as_ref().ok_or_else(missing)?;
                record.tree.leaves().into_iter().map(|l| l.rev).collect()
            } else {
                let list: Vec<String> = serde_json::from_str(open).map_err(|_| {
                    CouchError::BadRequest(
                        "open_revs must be \"all\" or a JSON array of revisions".into(),
                    )
                })?;
                let list = dedup(list, String::clone);
                check_items(list.len(), MAX_ITEMS, "open_revs")?;
                list.iter()
                    .map(|s| parse_rev(s))
                    .collect::<Result<_, _>>()?
            };
            let mut rows = Rows::new("[", max_answer);
            for rev in wanted {
                let doc = match record.as_ref() {
                    Some(r) => self.doc(r, &rev)?,
                    None => None,
                };
                rows.push(&match doc {
                    Some(doc) => json!({"ok": doc}),
                    None => json!({"missing": rev.to_string()}),
                })?;
            }
            return Ok(rows.finish("]"));
        }
        let record = record.ok_or_else(missing)?;
        let rev = match rev {
            Some(rev) => parse_rev(rev)?,
            None => {
                let winner = record.tree.winner().ok_or_else(missing)?;
                if winner.deleted {
                    return Err(CouchError::NotFound("deleted".into()));
                }
                winner.rev
            }
        };
        if self.multipart {
            let mut doc = self.shape.doc(&record, &rev).ok_or_else(missing)?;
            let parts =
                self.inline
                    .fill(self.tx, self.db, (&record, &rev), &mut doc, Carry::Parts)?;
            // A random boundary: no attachment is likely to hold 32 random hex digits.
            let boundary = crate::auth::new_uuid().replace('-', "");
            let body = multipart::write(&boundary, &doc, &parts);
            let ctype = format!("multipart/related; boundary=\"{boundary}\"");
            return Ok((StatusCode::OK, [(header::CONTENT_TYPE, ctype)], body).into_response());
        }
        Ok(json(
            StatusCode::OK,
            self.doc(&record, &rev)?.ok_or_else(missing)?,
        ))
    }
}

/// `GET/POST /{db}/_all_docs`. The rows are written as they are read, within the answer
/// cap; `keys` may list at most [`MAX_ITEMS`] distinct ids (repeats are answered once).
pub async fn all_docs(hub: &Arc<Hub>, req: &Req, db: &str) -> Result<Response, CouchError> {
    only(req, &[Method::GET, Method::POST], "GET,POST")?;
    req.reader(db)?;
    let mut keys = req.query.json("keys")?;
    if req.method == Method::POST {
        keys = req.json()?.get("keys").cloned();
    }
    let keys: Option<Vec<Value>> = match keys {
        None => None,
        Some(Value::Array(k)) => {
            let k = dedup(k, Value::to_string);
            check_items(k.len(), MAX_ITEMS, "keys")?;
            Some(k)
        }
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
    let shape = Shape::of(req)?.listed();
    let (name, cap, offset) = (db.to_owned(), hub.config.max_answer, range.skip);
    hub.store
        .read(move |tx| {
            let d = open_db(tx, &name)?;
            let total = q::db_counts(tx, &d)?.0;
            let mut rows = Rows::new(
                &format!(r#"{{"total_rows":{total},"offset":{offset},"rows":["#),
                cap,
            );
            let mut row = |key: Value, rec: Option<DocRecord>| {
                let Some((rec, winner)) = rec.and_then(|r| r.tree.winner().map(|w| (r, w))) else {
                    return rows.push(&json!({"key": key, "error": "not_found"}));
                };
                let mut row =
                    json!({"id": rec.id, "key": key, "value": {"rev": winner.rev.to_string()}});
                if winner.deleted {
                    row["value"]["deleted"] = json!(true);
                    if include_docs {
                        row["doc"] = Value::Null;
                    }
                } else if include_docs {
                    row["doc"] = shape.doc(&rec, &winner.rev).unwrap_or(Value::Null);
                }
                rows.push(&row)
            };
            match keys {
                Some(keys) => {
                    for k in keys {
                        let rec = match &k {
                            Value::String(id) => q::doc_load(tx, &d, id)?,
                            _ => None,
                        };
                        row(k, rec)?;
                    }
                }
                None => q::all_docs(tx, &d, &range, |rec| row(json!(rec.id), Some(rec)))?,
            }
            Ok::<_, CouchError>(rows.finish("]}"))
        })
        .await
}
