//! `POST /couch/_yehua/import?file=NAME`: an export file uploaded by the headquarters
//! console (the body is the file as the station sent it). The whole file is validated by
//! `exchange::parse` before anything is written, then merged by `crate::import::merge_file`
//! — the very merge `yehua-hub import` runs — in one transaction, and recorded in the
//! `imports` table with the account's name. Rules: hq imports only into stations of its
//! subtree (the file names its station), admin into any, a cadre none. The body's size
//! limit is the API's `max_body` (413). Refusals carry what the console needs to say them
//! in the user's language: `code` and `zh` for a bad file, `station` for a station that is
//! not the caller's or not on this hub. Owns HTTP only.

use super::{json, only, CouchError, Hub, Req};
use crate::admin::station_db;
use crate::auth::Role;
use crate::import::{merge_file, Imported, MergeError};
use crate::store::now_secs;
use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde_json::json;
use std::sync::Arc;

/// The longest file name kept (in characters); a longer one is cut.
const MAX_NAME_CHARS: usize = 200;

/// Answers `POST /_yehua/import`.
pub async fn import(hub: &Arc<Hub>, req: &Req) -> Result<Response, CouchError> {
    only(req, &[Method::POST], "POST")?;
    let who = req.require()?;
    if who.role == Role::Cadre {
        return Err(CouchError::Forbidden(
            "Only headquarters and admin accounts import files.".into(),
        ));
    }
    let file = match exchange::parse(&req.body) {
        Ok(f) => f,
        Err(e) => {
            return Ok(json(
                StatusCode::BAD_REQUEST,
                json!({"error": "bad_file", "reason": e.to_string(), "code": e.code(), "zh": e.zh()}),
            ))
        }
    };
    let station = file.station.clone();
    if !who.can_read(&station_db(&station)) {
        return Ok(json(
            StatusCode::FORBIDDEN,
            json!({"error": "forbidden", "station": station,
                   "reason": format!("The file is station {station}'s, which is not below yours; nothing was imported.")}),
        ));
    }
    let name: String = req
        .query
        .get("file")
        .unwrap_or_default()
        .chars()
        .take(MAX_NAME_CHARS)
        .collect();
    let user = who.name.clone();
    let merged = hub
        .store
        .write(move |tx| {
            let by = Imported {
                user: &user,
                file: &name,
                at: now_secs(),
            };
            merge_file(tx, file, &by)
        })
        .await;
    let (report, db, seq) = match merged {
        Ok(done) => done,
        Err(MergeError::NoStation(code)) => {
            return Ok(json(
                StatusCode::NOT_FOUND,
                json!({"error": "not_found", "station": code,
                       "reason": format!("There is no station {code} on this hub; add it first.")}),
            ))
        }
        Err(MergeError::Merge(e)) => return Err(e),
        Err(MergeError::Store(e)) => return Err(e.into()),
    };
    hub.store.notify(&db, seq);
    Ok(json(
        StatusCode::CREATED,
        json!({"ok": true, "station": station, "new": report.new, "updated": report.updated,
               "unchanged": report.unchanged, "conflicts": report.conflicts}),
    ))
}
