//! The replication endpoints that read: `_changes` (normal and long-poll), `_revs_diff`
//! and `_bulk_get` (`_bulk_docs` is in `writes`). Answers are written row by row within
//! the answer cap while the records are read, so memory follows the answer, not the
//! request; `_bulk_get` answers each distinct item once and lists at most
//! [`MAX_ITEMS`]. Long-polls wait on the store's change notifications, bounded by a
//! timeout and by a limit on how many may wait at once.

use super::answer::{check_items, dedup, Rows, Shape};
use super::attachments::{Carry, Inline};
use super::docs::open_db;
use super::params::parse_since;
use super::{json, only, CouchError, Hub, Req, MAX_ITEMS};
use crate::store::docs as q;
use axum::http::{Method, StatusCode};
use axum::response::Response;
use couch::wire::{RevsDiffEntry, RevsDiffRequest};
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
    req.reader(db)?;
    let cq = Arc::new(changes_query(req)?);
    let shape = Shape::of(req)?.listed();
    let mut feed = hub.store.subscribe(db);
    let mut since: Option<u64> = None;
    let mut permit = None;
    let deadline = tokio::time::Instant::now() + cq.timeout;
    loop {
        let (name, query, from, cap) =
            (db.to_owned(), Arc::clone(&cq), since, hub.config.max_answer);
        let (rows, read, last_seq, pending, start) = hub
            .store
            .read(move |tx| {
                let d = open_db(tx, &name)?;
                let start = match from {
                    Some(s) => s,
                    None => parse_since(query.since.as_deref(), d.update_seq)?,
                };
                let ids = query.doc_ids.as_deref();
                let mut rows = Rows::new(r#"{"results":["#, cap);
                let (read, last_read) = q::changes(tx, &d, start, query.limit, ids, |seq, rec| {
                    rows.push(&change_row(seq, &rec, &query, shape))
                })?;
                let full = read == query.limit;
                let last = match last_read {
                    Some(seq) if full => seq,
                    _ => d.update_seq.max(start),
                };
                let pending = if full {
                    q::changes_pending(tx, &d, last, ids)?
                } else {
                    0
                };
                Ok::<_, CouchError>((rows, read, last, pending, start))
            })
            .await?;
        since = Some(start);
        if read > 0 || !cq.longpoll || tokio::time::Instant::now() >= deadline {
            return Ok(rows.finish(&format!(r#"],"last_seq":{last_seq},"pending":{pending}}}"#)));
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

fn change_row(seq: u64, rec: &DocRecord, cq: &ChangesQuery, shape: Shape) -> Value {
    let Some(winner) = rec.tree.winner() else {
        return json!({"seq": seq, "id": rec.id, "changes": []});
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
        row["doc"] = shape.doc(rec, &winner.rev).unwrap_or(Value::Null);
    }
    row
}

/// `POST /{db}/_revs_diff`.
pub async fn revs_diff(hub: &Arc<Hub>, req: &Req, db: &str) -> Result<Response, CouchError> {
    only(req, &[Method::POST], "POST")?;
    req.reader(db)?;
    let body: RevsDiffRequest =
        req.json_as("_revs_diff body must map document ids to arrays of revisions")?;
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

#[derive(Deserialize)]
struct BulkGetBody {
    docs: Vec<BulkGetItem>,
}

#[derive(Deserialize)]
struct BulkGetItem {
    id: String,
    #[serde(default)]
    rev: Option<String>,
    /// Revisions the client has: only attachments added since come inline.
    #[serde(default)]
    atts_since: Option<Value>,
}

/// `POST /{db}/_bulk_get`: each distinct `{id, rev}` once, at most [`MAX_ITEMS`] of
/// them, within the answer cap.
pub async fn bulk_get(hub: &Arc<Hub>, req: &Req, db: &str) -> Result<Response, CouchError> {
    only(req, &[Method::POST], "POST")?;
    req.reader(db)?;
    let body: BulkGetBody = req.json_as(r#"_bulk_get body must be {"docs": [{"id", "rev"}]}"#)?;
    let items = dedup(body.docs, |i| (i.id.clone(), i.rev.clone()));
    check_items(items.len(), MAX_ITEMS, "_bulk_get")?;
    let shape = Shape::of(req)?;
    let inline = Inline::of(req)?;
    // Per item, `atts_since` narrows what `attachments=true` asks (CouchDB's rule).
    let inlines = items
        .iter()
        .map(|i| match (&i.atts_since, &inline) {
            (Some(since), _) => Inline::since(since),
            _ => Ok(inline.clone()),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let (name, cap) = (db.to_owned(), hub.config.max_answer);
    hub.store
        .read(move |tx| {
            let d = open_db(tx, &name)?;
            let mut rows = Rows::new(r#"{"results":["#, cap);
            // The revisions of one document usually come together: read it once for them.
            let mut last: Option<(String, Option<DocRecord>)> = None;
            for (item, inline) in items.into_iter().zip(inlines) {
                if last.as_ref().is_none_or(|(id, _)| *id != item.id) {
                    last = Some((item.id.clone(), q::doc_load(tx, &d, &item.id)?));
                }
                let rec = last.as_ref().and_then(|(_, r)| r.as_ref());
                let mut entry = bulk_get_entry(&item, rec, shape);
                if let (Some(rec), Some(doc)) = (rec, entry.get_mut("ok")) {
                    let rev = doc["_rev"].as_str().and_then(|r| r.parse().ok());
                    if let Some(rev) = rev {
                        inline.fill(tx, &d, (rec, &rev), doc, Carry::Data)?;
                    }
                }
                rows.push(&json!({"id": item.id, "docs": [entry]}))?;
            }
            Ok::<_, CouchError>(rows.finish("]}"))
        })
        .await
}

fn bulk_get_entry(item: &BulkGetItem, rec: Option<&DocRecord>, shape: Shape) -> Value {
    let error = |reason: &str| {
        json!({"error": {"id": item.id, "rev": item.rev.clone().unwrap_or_else(|| "undefined".into()),
            "error": "not_found", "reason": reason}})
    };
    let Some(rec) = rec else {
        return error("missing");
    };
    let rev = match &item.rev {
        Some(rev) => match rev.parse::<RevId>() {
            Ok(rev) => rev,
            Err(_) => {
                return json!({"error": {"id": item.id, "rev": rev, "error": "bad_request",
                    "reason": "Invalid rev format"}})
            }
        },
        None => match rec.tree.winner() {
            Some(w) => w.rev,
            None => return error("missing"),
        },
    };
    match shape.doc(rec, &rev) {
        Some(doc) => json!({"ok": doc}),
        None => error("missing"),
    }
}
