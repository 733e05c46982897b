//! `/couch/_yehua/stations`: the station tree for the headquarters console, as JSON.
//! `GET` lists the stations the caller may change (`{"stations": [{code, name, parent,
//! level}]}`, by code); `POST` adds one (`{code, name, parent, level}`: 201); `PUT
//! /_yehua/stations/{code}` renames and moves one (`{name, parent}`: 200). The rules are
//! `crate::stations`'s; a refusal is a CouchDB-style body with `problem`, a stable key the
//! console says in the user's language (403 not the caller's, 404 no such station, 409 the
//! code is taken, 400 the rest). Owns HTTP only.

use super::{json, only, CouchError, Hub, Req};
use crate::stations::{self, StationError};
use crate::store::accounts::Station;
use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;

fn station_json(s: &Station) -> Value {
    json!({"code": s.code, "name": s.name, "parent": s.parent, "level": s.level})
}

fn refusal(e: StationError) -> Result<Response, CouchError> {
    let (status, error) = match &e {
        StationError::Store(_) => return Err(CouchError::Store(into_store(e))),
        StationError::NotYours(_) | StationError::OwnStation => {
            (StatusCode::FORBIDDEN, "forbidden")
        }
        StationError::NoStation(_) => (StatusCode::NOT_FOUND, "not_found"),
        StationError::Exists(_) => (StatusCode::CONFLICT, "conflict"),
        _ => (StatusCode::BAD_REQUEST, "bad_request"),
    };
    Ok(json(
        status,
        json!({"error": error, "reason": e.to_string(), "problem": e.key()}),
    ))
}

fn into_store(e: StationError) -> crate::store::StoreError {
    match e {
        StationError::Store(s) => s,
        other => crate::store::StoreError::Task(other.to_string()),
    }
}

fn body<T: serde::de::DeserializeOwned>(req: &Req) -> Result<T, CouchError> {
    serde_json::from_slice(&req.body)
        .map_err(|e| CouchError::BadRequest(format!("The station is not valid JSON: {e}")))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewStation {
    code: String,
    name: String,
    parent: Option<String>,
    level: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Changed {
    name: String,
    parent: Option<String>,
}

/// Answers `/_yehua/stations` and `/_yehua/stations/{code}`.
pub async fn stations(
    hub: &Arc<Hub>,
    req: &Req,
    code: Option<&str>,
) -> Result<Response, CouchError> {
    let who = req.require()?.clone();
    match code {
        None => {
            only(req, &[Method::GET, Method::POST], "GET,POST")?;
            if req.method == Method::GET {
                let listed = hub.store.read(move |tx| stations::visible(tx, &who)).await;
                return match listed {
                    Ok(all) => Ok(json(
                        StatusCode::OK,
                        json!({"stations": all.iter().map(station_json).collect::<Vec<_>>()}),
                    )),
                    Err(e) => refusal(e),
                };
            }
            let new: NewStation = body(req)?;
            let station = Station {
                code: new.code,
                name: new.name.trim().to_owned(),
                parent: new.parent,
                level: new.level,
            };
            let answer = station_json(&station);
            match hub
                .store
                .write(move |tx| stations::add(tx, &who, &station))
                .await
            {
                Ok(()) => Ok(json(StatusCode::CREATED, answer)),
                Err(e) => refusal(e),
            }
        }
        Some(code) => {
            only(req, &[Method::PUT], "PUT")?;
            let changed: Changed = body(req)?;
            let code = code.to_owned();
            let done = hub
                .store
                .write(move |tx| {
                    stations::change(tx, &who, &code, &changed.name, changed.parent.as_deref())
                })
                .await;
            match done {
                Ok(s) => Ok(json(StatusCode::OK, station_json(&s))),
                Err(e) => refusal(e),
            }
        }
    }
}
