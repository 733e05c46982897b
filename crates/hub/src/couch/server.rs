//! Server- and database-level endpoints: the welcome, `_session` (login with a cookie),
//! `_all_dbs`, `PUT/GET/DELETE /{db}`, `_security` and `_ensure_full_commit`. Documents
//! are in `docs` and replication in `replication`.

use super::params::check_db_name;
use super::{json, only, AuthMethod, CouchError, Hub, Req, COOKIE};
use crate::auth::{self, SESSION_TTL};
use crate::store::{accounts, docs as q, now_secs};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::Response;
use serde_json::{json, Value};
use std::sync::Arc;

/// The CouchDB protocol level the hub speaks; `vendor` says what it really is.
pub const COUCH_VERSION: &str = "3.3.3";

/// `GET /couch/`.
pub fn welcome() -> Response {
    json(
        StatusCode::OK,
        json!({
            "couchdb": "Welcome",
            "version": COUCH_VERSION,
            "vendor": {"name": "Yehua hub", "version": env!("CARGO_PKG_VERSION")},
            "features": [],
        }),
    )
}

/// `GET/POST/DELETE /couch/_session`.
pub async fn session(hub: &Arc<Hub>, req: &Req) -> Result<Response, CouchError> {
    match req.method {
        Method::GET => {
            let (ctx, method) = match &req.who {
                Some((p, m)) => (
                    json!({"name": p.name, "roles": p.roles(), "station": p.station}),
                    Some(match m {
                        AuthMethod::Cookie => "cookie",
                        AuthMethod::Basic => "default",
                    }),
                ),
                None => (json!({"name": null, "roles": []}), None),
            };
            let mut info = json!({"authentication_handlers": ["cookie", "default"]});
            if let Some(m) = method {
                info["authenticated"] = json!(m);
            }
            Ok(json(
                StatusCode::OK,
                json!({"ok": true, "userCtx": ctx, "info": info}),
            ))
        }
        Method::POST => login(hub, req).await,
        Method::DELETE => {
            if let Some(token) = req.cookie(COOKIE) {
                let hash = auth::token_hash(&token);
                hub.store
                    .write(move |tx| accounts::session_delete(tx, &hash))
                    .await?;
            }
            let mut res = json(StatusCode::OK, json!({"ok": true}));
            set_cookie(&mut res, "", 0, req.https);
            Ok(res)
        }
        _ => Err(CouchError::MethodNotAllowed("GET,POST,DELETE")),
    }
}

async fn login(hub: &Arc<Hub>, req: &Req) -> Result<Response, CouchError> {
    let form = req
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let body: Value = if form {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&req.body)
            .map_err(|e| CouchError::BadRequest(format!("bad form body: {e}")))?;
        Value::Object(
            pairs
                .into_iter()
                .map(|(k, v)| (k, Value::String(v)))
                .collect(),
        )
    } else {
        req.json()?
    };
    let (Some(name), Some(password)) = (
        body.get("name").and_then(Value::as_str),
        body.get("password").and_then(Value::as_str),
    ) else {
        return Err(CouchError::BadRequest(
            "name and password must be strings".into(),
        ));
    };
    let who = hub.login(name, password.to_owned(), req.peer).await?;
    let token = auth::new_token();
    let hash = auth::token_hash(&token);
    let user = who.name.clone();
    let expires = now_secs() + SESSION_TTL.as_secs() as i64;
    hub.store
        .write(move |tx| accounts::session_put(tx, &hash, &user, expires))
        .await?;
    let mut res = json(
        StatusCode::OK,
        json!({"ok": true, "name": who.name, "roles": who.roles(), "station": who.station}),
    );
    set_cookie(&mut res, &token, SESSION_TTL.as_secs(), req.https);
    Ok(res)
}

/// Sets the session cookie; `Secure` when the client came over HTTPS (through a trusted
/// proxy), so the browser never sends it over plain HTTP.
fn set_cookie(res: &mut Response, token: &str, max_age: u64, secure: bool) {
    let secure = if secure { "; Secure" } else { "" };
    let cookie = format!(
        "{COOKIE}={token}; Path=/couch; Max-Age={max_age}; HttpOnly; SameSite=Strict{secure}"
    );
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
}

/// `GET /_all_dbs`: every database the caller may read.
pub async fn all_dbs(hub: &Arc<Hub>, who: &auth::Principal) -> Result<Response, CouchError> {
    let names = hub.store.read(|tx| q::db_names(tx)).await?;
    let visible: Vec<String> = names.into_iter().filter(|n| who.can_read(n)).collect();
    Ok(json(StatusCode::OK, json!(visible)))
}

/// `GET/PUT/DELETE /{db}` and `POST /{db}` (a new document).
pub async fn database(hub: &Arc<Hub>, req: &Req, db: &str) -> Result<Response, CouchError> {
    check_db_name(db)?;
    match req.method {
        Method::GET => {
            req.reader(db)?;
            let name = db.to_owned();
            let info = hub
                .store
                .read(move |tx| {
                    let Some(d) = q::db_get(tx, &name)? else {
                        return Err(CouchError::NoDb);
                    };
                    let (live, deleted) = q::db_counts(tx, &d)?;
                    Ok(json!({
                        "db_name": d.name,
                        "update_seq": d.update_seq,
                        "doc_count": live,
                        "doc_del_count": deleted,
                        "purge_seq": 0,
                        "compact_running": false,
                        "sizes": {"file": 0, "external": 0, "active": 0},
                        "instance_start_time": "0",
                        "disk_format_version": 8,
                    }))
                })
                .await?;
            Ok(json(StatusCode::OK, info))
        }
        Method::PUT => {
            admin(req)?;
            let name = db.to_owned();
            let created = hub.store.write(move |tx| q::db_create(tx, &name)).await?;
            if created {
                Ok(json(StatusCode::CREATED, json!({"ok": true})))
            } else {
                Err(CouchError::FileExists)
            }
        }
        Method::DELETE => {
            admin(req)?;
            let name = db.to_owned();
            if hub.store.write(move |tx| q::db_delete(tx, &name)).await? {
                Ok(json(StatusCode::OK, json!({"ok": true})))
            } else {
                Err(CouchError::NoDb)
            }
        }
        Method::POST => super::docs::post(hub, req, db).await,
        _ => Err(CouchError::MethodNotAllowed("GET,PUT,DELETE,POST")),
    }
}

fn admin(req: &Req) -> Result<(), CouchError> {
    if req.require()?.is_admin() {
        Ok(())
    } else {
        Err(CouchError::Forbidden(
            "Only an admin may create or delete databases and change _security.".into(),
        ))
    }
}

/// `GET/PUT /{db}/_security`. A station database's object is what the access rule
/// amounts to, from the station tree (`auth::roles::station_security`): members are its
/// cadres and the hq of it and every station above, admins `_admin`. A `PUT` there (admin
/// only) is accepted when it says the same — so a console that writes `_security` after
/// creating a station works against the hub as against CouchDB — and refused with the
/// object the tree gives otherwise: access changes by moving stations, not by editing
/// this. Other databases keep whatever an admin stored.
pub async fn security(hub: &Arc<Hub>, req: &Req, db: &str) -> Result<Response, CouchError> {
    only(req, &[Method::GET, Method::PUT], "GET,PUT")?;
    if req.method == Method::PUT {
        admin(req)?;
    } else {
        req.reader(db)?;
    }
    let body = if req.method == Method::PUT {
        let v = req.json()?;
        if !v.is_object() {
            return Err(CouchError::BadRequest(
                "_security must be a JSON object".into(),
            ));
        }
        Some(v)
    } else {
        None
    };
    let name = db.to_owned();
    let out = hub
        .store
        .write(move |tx| {
            let d = q::db_get(tx, &name)?.ok_or(CouchError::NoDb)?;
            let derived = match auth::station_code(&name) {
                Some(code) => Some(auth::roles::station_security(&accounts::station_chain(
                    tx, code,
                )?)),
                None => None,
            };
            match (body, derived) {
                (None, Some(derived)) => Ok(derived),
                (None, None) => Ok::<_, CouchError>(q::security_get(tx, &d)?),
                (Some(v), Some(derived)) if same_security(&v, &derived) => Ok(json!({"ok": true})),
                (Some(_), Some(derived)) => Err(CouchError::BadRequest(format!(
                    "the hub derives {name}'s _security from the station tree: {derived}; \
                     move the station to change who may use it"
                ))),
                (Some(v), None) => {
                    q::security_put(tx, &d, &v)?;
                    Ok(json!({"ok": true}))
                }
            }
        })
        .await?;
    Ok(json(StatusCode::OK, out))
}

/// True if two `_security` objects give the same names and roles (order aside; a missing
/// list is an empty one).
fn same_security(a: &Value, b: &Value) -> bool {
    let set = |v: &Value, part: &str, list: &str| {
        let mut items: Vec<String> = v[part][list]
            .as_array()
            .map(|l| {
                l.iter()
                    .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        items.sort();
        items.dedup();
        items
    };
    ["admins", "members"].iter().all(|p| {
        ["names", "roles"]
            .iter()
            .all(|l| set(a, p, l) == set(b, p, l))
    })
}

/// `POST /{db}/_ensure_full_commit`: every acknowledged write is already durable.
pub async fn ensure_full_commit(
    hub: &Arc<Hub>,
    req: &Req,
    db: &str,
) -> Result<Response, CouchError> {
    only(req, &[Method::POST], "POST")?;
    req.reader(db)?;
    let name = db.to_owned();
    hub.store
        .read(move |tx| q::db_get(tx, &name)?.ok_or(CouchError::NoDb))
        .await?;
    Ok(json(
        StatusCode::CREATED,
        json!({"ok": true, "instance_start_time": "0"}),
    ))
}
