//! `GET /couch/_yehua/status?month=YYYY-MM`: 上报情况 for the stations the caller may see
//! (hq: its station and every station below; admin: all, or `station=` and those below),
//! as JSON (`status::StatusAnswer`). The hub's own endpoint (CouchDB has none like it), so
//! a headquarters console need not replicate every village to see who has reported.
//! Computing is `crate::status`'s, off the async runtime.

use super::{json, only, CouchError, Hub, Req};
use crate::auth::Role;
use crate::report::ReportError;
use crate::status::station_status;
use crate::store::{accounts, now_secs, StoreError};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use std::sync::Arc;

/// Answers `GET /_yehua/status`.
pub async fn status(hub: &Arc<Hub>, req: &Req) -> Result<Response, CouchError> {
    only(req, &[Method::GET], "GET")?;
    let who = req.require()?;
    if who.role == Role::Cadre {
        return Err(CouchError::Forbidden(
            "Only headquarters and admin accounts see who has reported.".into(),
        ));
    }
    let month = req
        .query
        .get("month")
        .ok_or_else(|| CouchError::BadRequest("month=YYYY-MM is required".into()))?
        .to_owned();
    let asked = req.query.get("station").map(str::to_owned);
    if let Some(code) = &asked {
        if !who.can_read(&crate::admin::station_db(code)) {
            return Err(CouchError::Forbidden(format!(
                "Station {code} is not below yours."
            )));
        }
    }
    let codes = match (&asked, who.role) {
        (Some(code), _) => {
            let code = code.clone();
            Some(
                hub.store
                    .read(move |tx| accounts::station_subtree(tx, &code))
                    .await?,
            )
        }
        (None, Role::Admin) => None,
        (None, _) => Some(who.readable.clone()),
    };
    let store = Arc::clone(&hub.store);
    let cache = Arc::clone(&hub.status);
    let answer = tokio::task::spawn_blocking(move || {
        station_status(&store, &cache, &month, codes.as_deref(), now_secs())
    })
    .await
    .map_err(|e| StoreError::Task(e.to_string()))?
    .map_err(|e| match e {
        ReportError::BadMonth(_) => CouchError::BadRequest(e.to_string()),
        ReportError::NoStation(_) => CouchError::NotFound(e.to_string()),
        ReportError::Store(s) => CouchError::Store(s),
    })?;
    let body = serde_json::to_value(&answer).map_err(StoreError::from)?;
    Ok(json(StatusCode::OK, body))
}
