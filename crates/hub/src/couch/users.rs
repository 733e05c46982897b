//! CouchDB's `_users` database over the hub's users table: `GET/PUT/DELETE
//! /_users/org.couchdb.user:NAME` and `GET /_users/_all_docs`, as CouchDB 3 documents them.
//! Rules: an admin manages everyone; an hq account manages the cadre accounts of the
//! stations below its own and nothing else; anyone reads their own document and may change
//! only its password; another's document is `not_found` to whoever may not manage it.
//! Passwords are hashed before the write transaction and never returned; every check on
//! the stored account (its revision, who may change it) runs inside that transaction.
//! Document rules are `users`; who manages whom is `auth::Principal::manages`.

use super::docs::rev_param;
use super::{json, only, CouchError, Hub, Req};
use crate::auth::{self, AccountRole, Principal};
use crate::store::accounts;
use crate::users::{self, UserDoc, UserDocError};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde_json::json;
use std::sync::Arc;

/// Routes `/_users/...` (`rest` is what follows `_users`).
pub async fn users(hub: &Arc<Hub>, req: &Req, rest: &[&str]) -> Result<Response, CouchError> {
    match rest {
        [] => {
            only(req, &[Method::GET], "GET")?;
            let who = lister(req)?;
            let count = visible(hub, who).await?.len();
            Ok(json(
                StatusCode::OK,
                json!({"db_name": "_users", "doc_count": count, "doc_del_count": 0}),
            ))
        }
        ["_all_docs"] => {
            only(req, &[Method::GET], "GET")?;
            all_docs(hub, req).await
        }
        [id] => match req.method {
            Method::GET => get(hub, req, id).await,
            Method::PUT => put(hub, req, id).await,
            Method::DELETE => delete(hub, req, id).await,
            _ => Err(CouchError::MethodNotAllowed("GET,PUT,DELETE")),
        },
        _ => Err(CouchError::NotFound("missing".into())),
    }
}

fn bad(e: UserDocError) -> CouchError {
    CouchError::BadRequest(e.to_string())
}

fn missing() -> CouchError {
    CouchError::NotFound("missing".into())
}

/// Only admins and hq accounts list `_users` (CouchDB lets only admins; hq sees the
/// accounts it manages).
fn lister(req: &Req) -> Result<&Principal, CouchError> {
    let who = req.require()?;
    if who.is_admin() || who.role == auth::Role::Hq {
        Ok(who)
    } else {
        Err(CouchError::Forbidden(
            "Only admins and headquarters accounts may list _users.".into(),
        ))
    }
}

/// May `who` see the stored account `row`?
fn sees(who: &Principal, row: &accounts::UserRow) -> bool {
    row.name == who.name || users::role_of(row).is_some_and(|r| who.manages(&r))
}

/// The accounts `who` may see, by name.
async fn visible(hub: &Arc<Hub>, who: &Principal) -> Result<Vec<accounts::UserRow>, CouchError> {
    let who = who.clone();
    let rows = hub.store.read(|tx| accounts::users_all(tx)).await?;
    Ok(rows.into_iter().filter(|r| sees(&who, r)).collect())
}

/// `GET /_users/_all_docs[?include_docs=true]`.
async fn all_docs(hub: &Arc<Hub>, req: &Req) -> Result<Response, CouchError> {
    let who = lister(req)?;
    let include_docs = req.query.bool("include_docs", false)?;
    let rows: Vec<_> = visible(hub, who)
        .await?
        .iter()
        .map(|r| {
            let id = format!("{}{}", users::USER_PREFIX, r.name);
            let mut row = json!({"id": id, "key": id, "value": {"rev": r.rev}});
            if include_docs {
                row["doc"] = users::doc_of(r);
            }
            row
        })
        .collect();
    Ok(json(
        StatusCode::OK,
        json!({"total_rows": rows.len(), "offset": 0, "rows": rows}),
    ))
}

/// `GET /_users/org.couchdb.user:NAME`.
async fn get(hub: &Arc<Hub>, req: &Req, id: &str) -> Result<Response, CouchError> {
    let who = req.require()?.clone();
    let name = users::name_of_id(id).map_err(|_| missing())?.to_owned();
    let row = hub
        .store
        .read(move |tx| accounts::user_get(tx, &name))
        .await?
        .filter(|r| sees(&who, r))
        .ok_or_else(missing)?;
    Ok(json(StatusCode::OK, users::doc_of(&row)))
}

/// Refuses what `who` may not write before any password is hashed: a role it may not
/// give, or (its own account) anything but a new password.
fn may_write(who: &Principal, doc: &UserDoc) -> Result<(), CouchError> {
    if who.manages(&doc.role) {
        return Ok(());
    }
    if doc.name == who.name {
        let own = AccountRole::from_row(who.role, &who.station);
        if doc.role == own && !doc.disabled {
            return Ok(());
        }
        return Err(CouchError::Forbidden(
            "You may change only the password of your own account.".into(),
        ));
    }
    Err(CouchError::Forbidden(match who.role {
        auth::Role::Hq => {
            "A headquarters account may create and change only cadre accounts of the stations below its own."
                .into()
        }
        _ => "Only an admin or headquarters may manage other accounts.".into(),
    }))
}

/// `PUT /_users/org.couchdb.user:NAME`: creates an account, or replaces it at its current
/// `_rev` (a new password, role, or `disabled`). Ends the account's sessions.
async fn put(hub: &Arc<Hub>, req: &Req, id: &str) -> Result<Response, CouchError> {
    let who = req.require()?.clone();
    let doc = UserDoc::parse(id, &req.json()?, rev_param(req).as_deref()).map_err(bad)?;
    may_write(&who, &doc)?;
    let hash = match doc.password.clone() {
        Some(pw) => Some(
            tokio::task::spawn_blocking(move || auth::hash_password(&pw))
                .await
                .map_err(|e| crate::store::StoreError::Task(e.to_string()))?
                .map_err(|e| crate::store::StoreError::Task(e.to_string()))?,
        ),
        None => None,
    };
    let out_id = id.to_owned();
    let rev = hub
        .store
        .write(move |tx| {
            let old = accounts::user_get(tx, &doc.name)?;
            match (&old, &doc.rev) {
                (Some(o), Some(r)) if o.rev == *r => {}
                (None, None) => {}
                _ => return Err(CouchError::Conflict),
            }
            if let Some(o) = &old {
                if o.name != who.name && !users::role_of(o).is_some_and(|r| who.manages(&r)) {
                    return Err(CouchError::Forbidden(
                        "This account is not one you manage.".into(),
                    ));
                }
            }
            if let Some(code) = doc.role.station() {
                if accounts::station_get(tx, code)?.is_none() {
                    return Err(CouchError::BadRequest(format!(
                        "there is no station {code}; add it first"
                    )));
                }
            }
            let password_hash = match (hash, &old) {
                (Some(h), _) => h,
                (None, Some(o)) => o.password_hash.clone(),
                (None, None) => {
                    return Err(CouchError::BadRequest(
                        "a new account needs a password".into(),
                    ))
                }
            };
            let station = old.as_ref().map(|o| o.station.as_str());
            let row = users::row_of(&doc.name, &doc.role, station, password_hash, doc.disabled);
            Ok(accounts::user_put(tx, &row)?.1)
        })
        .await?;
    Ok(json(
        StatusCode::CREATED,
        json!({"ok": true, "id": out_id, "rev": rev}),
    ))
}

/// `DELETE /_users/org.couchdb.user:NAME?rev=`: removes an account and its sessions.
async fn delete(hub: &Arc<Hub>, req: &Req, id: &str) -> Result<Response, CouchError> {
    let who = req.require()?.clone();
    let name = users::name_of_id(id).map_err(|_| missing())?.to_owned();
    let rev = rev_param(req).ok_or_else(|| {
        CouchError::BadRequest("Document rev must be given as ?rev= or If-Match".into())
    })?;
    let out_id = id.to_owned();
    let gone = hub
        .store
        .write(move |tx| {
            let old = accounts::user_get(tx, &name)?
                .filter(|o| sees(&who, o))
                .ok_or_else(missing)?;
            if !users::role_of(&old).is_some_and(|r| who.manages(&r)) {
                return Err(CouchError::Forbidden(
                    "You may not delete this account.".into(),
                ));
            }
            if old.rev != rev {
                return Err(CouchError::Conflict);
            }
            accounts::user_delete(tx, &name)?;
            Ok(old.rev)
        })
        .await?;
    Ok(json(
        StatusCode::OK,
        json!({"ok": true, "id": out_id, "rev": gone}),
    ))
}
