//! The replication endpoints: `_changes` (normal and long-poll), `_revs_diff`,
//! `_bulk_docs` (`new_edits` true and false) and `_bulk_get`. Each request's writes are
//! one transaction; long-polls wait on the store's change notifications, bounded by a
//! timeout and by a limit on how many may wait at once.

use super::docs::{edit, open_db, replicate, shaped};
use super::params::parse_since;
use super::{json, only, CouchError, Hub, Req};
use crate::store::docs as q;
use axum::http::{Method, StatusCode};
use axum::response::Response;
use couch::wire::{BulkDocsRequest, RevsDiffEntry, RevsDiffRequest};
use couch::{DocRecord, RevId};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

/// The longest a long-poll waits before answering with no changes.
pub const MAX_LONGPOLL: Duration = Duration::from_secs(60);

/// What a `_changes` request asks for.
struct ChangesQuery {
    since: Option<String>,
    limit: u64,
    all_docs: bool,
    include_docs: bool,
    doc_ids: Option<Vec<String>>,
    longpoll: bool,
    timeout: Duration,
}

fn changes_query(req: &Req) -> Result<ChangesQuery, CouchError> {
    let q = &req.query;
    let longpoll = match q.get("feed").unwrap_or("normal") {
        "normal" => false,
        "longpoll" => true,
        other => {
            return Err(CouchError::BadRequest(format!(
                "feed={other} is not supported by this hub; use normal or longpoll"
            )))
        }
    };
    if q.bool("descending", false)? {
        return Err(CouchError::BadRequest(
            "descending _changes is not supported".into(),
        ));
    }
    let all_docs = match q.get("style").unwrap_or("main_only") {
        "main_only" => false,
        "all_docs" => true,
        _ => {
            return Err(CouchError::BadRequest(
                "style must be main_only or all_docs".into(),
            ))
        }
    };
    let mut doc_ids = match q.json("doc_ids")? {
        None => None,
        Some(v) => Some(string_list(v, "doc_ids")?),
    };
    if req.method == Method::POST && !req.body.is_empty() {
        if let Some(v) = req.json()?.get("doc_ids") {
            doc_ids = Some(string_list(v.clone(), "doc_ids")?);
        }
    }
    match q.get("filter") {
        None => {}
        Some("_doc_ids") if doc_ids.is_some() => {}
        Some("_doc_ids") => {
            return Err(CouchError::BadRequest(
                "filter=_doc_ids needs doc_ids".into(),
            ))
        }
        Some(f) => {
            return Err(CouchError::BadRequest(format!(
                "filter {f} is not supported by this hub; only _doc_ids"
            )))
        }
    }
    let wait = q
        .u64("timeout")?
        .or(q.u64("heartbeat")?)
        .unwrap_or(u64::MAX);
    Ok(ChangesQuery {
        since: q.get("since").map(str::to_owned),
        limit: q.u64("limit")?.filter(|l| *l > 0).unwrap_or(u64::MAX),
        all_docs,
        include_docs: q.bool("include_docs", false)?,
        doc_ids,
        longpoll,
        timeout: Duration::from_millis(wait).min(MAX_LONGPOLL),
    })
}

fn string_list(v: Value, what: &str) -> Result<Vec<String>, CouchError> {
    serde_json::from_value(v)
        .map_err(|_| CouchError::BadRequest(format!("{what} must be a JSON array of strings")))
}

/// `GET/POST /{db}/_changes`.
pub async fn changes(hub: &Arc<Hub>, req: &Req, db: &str) -> Result<Response, CouchError> {
    only(req, &[Method::GET, Method::POST], "GET,POST")?;
    hub.reader(req, db).await?;
    let cq = Arc::new(changes_query(req)?);
    let mut feed = hub.store.subscribe(db);
    let mut since: Option<u64> = None;
    let mut permit = None;
    let deadline = tokio::time::Instant::now() + cq.timeout;
    loop {
        let (name, query, from) = (db.to_owned(), Arc::clone(&cq), since);
        let (rows, last_seq, pending, start) = hub
            .store
            .read(move |tx| {
                let d = open_db(tx, &name)?;
                let start = match from {
                    Some(s) => s,
                    None => parse_since(query.since.as_deref(), d.update_seq)?,
                };
                let rows = q::changes(tx, &d, start, query.limit, query.doc_ids.as_deref())?;
                let full = rows.len() as u64 == query.limit;
                let last = match rows.last() {
                    Some((seq, _)) if full => *seq,
                    _ => d.update_seq.max(start),
                };
                let pending = if full {
                    q::changes_pending(tx, &d, last, query.doc_ids.as_deref())?
                } else {
                    0
                };
                Ok::<_, CouchError>((rows, last, pending, start))
            })
            .await?;
        since = Some(start);
        if !rows.is_empty() || !cq.longpoll || tokio::time::Instant::now() >= deadline {
            let results: Vec<Value> = rows
                .iter()
                .map(|(seq, rec)| change_row(req, *seq, rec, &cq))
                .collect::<Result<_, _>>()?;
            return Ok(json(
                StatusCode::OK,
                json!({"results": results, "last_seq": last_seq, "pending": pending}),
            ));
        }
        if permit.is_none() {
            permit = Some(
                Arc::clone(&hub.longpolls)
                    .try_acquire_owned()
                    .map_err(|_| {
                        CouchError::TooManyRequests(
                            "Too many open long-poll requests; retry later.".into(),
                        )
                    })?,
            );
        }
        // Woken by a commit to this database, or the deadline; then read again.
        let _ = tokio::time::timeout_at(deadline, feed.changed()).await;
    }
}

fn change_row(
    req: &Req,
    seq: u64,
    rec: &DocRecord,
    cq: &ChangesQuery,
) -> Result<Value, CouchError> {
    let Some(winner) = rec.tree.winner() else {
        return Ok(json!({"seq": seq, "id": rec.id, "changes": []}));
    };
    let mut revs = vec![json!({"rev": winner.rev.to_string()})];
    if cq.all_docs {
        for leaf in rec.tree.leaves().into_iter().rev() {
            if leaf.rev != winner.rev {
                revs.push(json!({"rev": leaf.rev.to_string()}));
            }
        }
    }
    let mut row = json!({"seq": seq, "id": rec.id, "changes": revs});
    if winner.deleted {
        row["deleted"] = json!(true);
    }
    if cq.include_docs {
        row["doc"] = shaped(req, rec, &winner.rev, false)?.unwrap_or(Value::Null);
    }
    Ok(row)
}

/// `POST /{db}/_revs_diff`.
pub async fn revs_diff(hub: &Arc<Hub>, req: &Req, db: &str) -> Result<Response, CouchError> {
    only(req, &[Method::POST], "POST")?;
    hub.reader(req, db).await?;
    let body: RevsDiffRequest = serde_json::from_value(req.json()?).map_err(|_| {
        CouchError::BadRequest(
            "_revs_diff body must map document ids to arrays of revisions".into(),
        )
    })?;
    let mut asked: Vec<(String, Vec<RevId>)> = Vec::with_capacity(body.len());
    for (id, revs) in body {
        let revs = revs
            .iter()
            .map(|r| {
                r.parse()
                    .map_err(|e| CouchError::BadRequest(format!("Invalid rev format: {e}")))
            })
            .collect::<Result<_, _>>()?;
        asked.push((id, revs));
    }
    let name = db.to_owned();
    let out = hub
        .store
        .read(move |tx| {
            let d = open_db(tx, &name)?;
            let mut out = BTreeMap::new();
            for (id, revs) in asked {
                let rec = q::doc_load(tx, &d, &id)?.unwrap_or_else(|| DocRecord::new(id.clone()));
                let missing = rec.tree.revs_diff(&revs);
                let Some(newest) = missing.iter().map(|r| r.pos).max() else {
                    continue;
                };
                let ancestors: Vec<String> = rec
                    .tree
                    .leaves()
                    .into_iter()
                    .filter(|l| l.rev.pos < newest)
                    .map(|l| l.rev.to_string())
                    .collect();
                out.insert(
                    id,
                    RevsDiffEntry {
                        missing: missing.iter().map(ToString::to_string).collect(),
                        possible_ancestors: (!ancestors.is_empty()).then_some(ancestors),
                    },
                );
            }
            Ok::<_, CouchError>(out)
        })
        .await?;
    Ok(json(
        StatusCode::OK,
        serde_json::to_value(out).unwrap_or_default(),
    ))
}

/// `POST /{db}/_bulk_docs`: all documents in one transaction. Conflicts are reported per
/// document; a malformed document fails the whole request with 400 and writes nothing.
pub async fn bulk_docs(hub: &Arc<Hub>, req: &Req, db: &str) -> Result<Response, CouchError> {
    only(req, &[Method::POST], "POST")?;
    hub.writer(req, db).await?;
    let body: BulkDocsRequest = serde_json::from_value(req.json()?).map_err(|_| {
        CouchError::BadRequest(
            "_bulk_docs body must be {\"docs\": [...], \"new_edits\": bool}".into(),
        )
    })?;
    let name = db.to_owned();
    let (results, seq, name) = hub
        .store
        .write(move |tx| {
            let mut d = open_db(tx, &name)?;
            let mut results = Vec::new();
            for mut doc in body.docs {
                if !doc.is_object() {
                    return Err(CouchError::BadRequest(
                        "Document must be a JSON object".into(),
                    ));
                }
                if body.new_edits {
                    if doc.get("_id").is_none() {
                        doc["_id"] = json!(crate::auth::new_uuid());
                    }
                    let id = doc["_id"].clone();
                    match edit(tx, &mut d, doc) {
                        Ok(rev) => {
                            results.push(json!({"ok": true, "id": id, "rev": rev.to_string()}))
                        }
                        Err(CouchError::Conflict) => results.push(json!({
                            "id": id, "error": "conflict", "reason": "Document update conflict."})),
                        Err(e) => return Err(e),
                    }
                } else {
                    replicate(tx, &mut d, doc)?;
                }
            }
            Ok((results, d.update_seq, d.name))
        })
        .await?;
    hub.store.notify(&name, seq);
    Ok(json(StatusCode::CREATED, Value::Array(results)))
}

#[derive(Deserialize)]
struct BulkGetBody {
    docs: Vec<BulkGetItem>,
}

#[derive(Deserialize)]
struct BulkGetItem {
    id: String,
    #[serde(default)]
    rev: Option<String>,
}

/// `POST /{db}/_bulk_get`.
pub async fn bulk_get(hub: &Arc<Hub>, req: &Req, db: &str) -> Result<Response, CouchError> {
    only(req, &[Method::POST], "POST")?;
    hub.reader(req, db).await?;
    let body: BulkGetBody = serde_json::from_value(req.json()?).map_err(|_| {
        CouchError::BadRequest("_bulk_get body must be {\"docs\": [{\"id\", \"rev\"}]}".into())
    })?;
    let revs = req.query.bool("revs", false)?;
    let name = db.to_owned();
    let ids: Vec<String> = body.docs.iter().map(|i| i.id.clone()).collect();
    let records = hub
        .store
        .read(move |tx| {
            let d = open_db(tx, &name)?;
            let mut found = BTreeMap::new();
            for id in ids {
                if let std::collections::btree_map::Entry::Vacant(slot) = found.entry(id) {
                    let rec = q::doc_load(tx, &d, slot.key())?;
                    slot.insert(rec);
                }
            }
            Ok::<_, CouchError>(found)
        })
        .await?;
    let mut results = Vec::with_capacity(body.docs.len());
    for item in body.docs {
        let rec = records.get(&item.id).and_then(Option::as_ref);
        let error = |reason: &str| {
            json!({"error": {"id": item.id, "rev": item.rev.clone().unwrap_or_else(|| "undefined".into()),
                "error": "not_found", "reason": reason}})
        };
        let entry = match (rec, &item.rev) {
            (None, _) => error("missing"),
            (Some(rec), Some(rev)) => match rev.parse::<RevId>() {
                Ok(rev) => match shaped(req, rec, &rev, revs)? {
                    Some(doc) => json!({"ok": doc}),
                    None => error("missing"),
                },
                Err(_) => json!({"error": {"id": item.id, "rev": rev, "error": "bad_request",
                    "reason": "Invalid rev format"}}),
            },
            (Some(rec), None) => match rec.tree.winner() {
                Some(w) => match shaped(req, rec, &w.rev, revs)? {
                    Some(doc) => json!({"ok": doc}),
                    None => error("missing"),
                },
                None => error("missing"),
            },
        };
        results.push(json!({"id": item.id, "docs": [entry]}));
    }
    Ok(json(StatusCode::OK, json!({"results": results})))
}
