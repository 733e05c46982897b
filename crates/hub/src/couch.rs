//! The CouchDB-compatible API under `/couch/`: one axum handler reads the request (with
//! a body size limit), works out who is asking, and routes by path segments to the
//! handlers in [`server`], [`docs`], [`local`] and [`replication`]. Routing by hand keeps every
//! failure — unknown path, wrong method, bad query — a CouchDB `{"error","reason"}` body.
//! Revision logic is crates/couch's; storage is `store`'s; this module owns HTTP only.

pub mod docs;
pub mod error;
pub mod local;
pub mod params;
pub mod replication;
pub mod server;

use crate::auth::{LoginLimiter, PasswordChecks, Principal, Role};
use crate::store::{accounts, Store, StoreError};
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
pub use error::CouchError;
use params::Query;
use serde_json::Value;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use tokio::sync::Semaphore;

/// The name of the session cookie, as CouchDB calls it.
pub const COOKIE: &str = "AuthSession";

/// Limits of the API.
#[derive(Debug, Clone)]
pub struct ApiConfig {
    /// The largest request body accepted, in bytes (larger: 413).
    pub max_body: usize,
    /// How many long-poll `_changes` requests may wait at once (more: 429).
    pub max_longpolls: usize,
    /// How many argon2 password checks may run at once. Each takes about 19 MiB and a
    /// core for a moment; a thousand phones signing in together must queue, not take
    /// gigabytes (the load benchmark's 1.9 GB peak before this limit existed).
    pub max_password_checks: usize,
}

impl Default for ApiConfig {
    fn default() -> Self {
        Self {
            max_body: 8 * 1024 * 1024,
            max_longpolls: 2048,
            max_password_checks: std::thread::available_parallelism().map_or(2, |n| n.get()),
        }
    }
}

/// The API's shared state.
pub struct Hub {
    /// The database.
    pub store: Arc<Store>,
    /// Limits.
    pub config: ApiConfig,
    limiter: LoginLimiter,
    passwords: PasswordChecks,
    longpolls: Arc<Semaphore>,
}

/// A request, read and decoded.
pub struct Req {
    /// GET, PUT, ... (HEAD is answered as GET).
    pub method: Method,
    /// Path segments after `/couch/`, percent-decoded.
    pub segments: Vec<String>,
    /// The query string.
    pub query: Query,
    /// Headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
    /// The peer's address (for the login rate limit).
    pub peer: IpAddr,
}

impl Req {
    /// Builds a request from its parts; `path` is below `/couch` (e.g. `/db/_changes`).
    pub fn new(
        method: Method,
        path: &str,
        query: Option<&str>,
        headers: HeaderMap,
        body: Bytes,
        peer: IpAddr,
    ) -> Result<Self, CouchError> {
        let mut segments: Vec<String> = path
            .split('/')
            .skip_while(|s| s.is_empty())
            .map(|s| {
                percent_encoding::percent_decode_str(s)
                    .decode_utf8()
                    .map(|c| c.into_owned())
                    .map_err(|_| CouchError::BadRequest("path is not UTF-8".into()))
            })
            .collect::<Result<_, _>>()?;
        if segments.last().is_some_and(String::is_empty) {
            segments.pop();
        }
        Ok(Self {
            method: if method == Method::HEAD {
                Method::GET
            } else {
                method
            },
            segments,
            query: Query::parse(query.unwrap_or_default())?,
            headers,
            body,
            peer,
        })
    }

    /// The body as JSON.
    pub fn json(&self) -> Result<Value, CouchError> {
        if self.body.is_empty() {
            return Err(CouchError::BadRequest(
                "Request body is empty; JSON expected".into(),
            ));
        }
        Ok(serde_json::from_slice(&self.body)?)
    }

    /// The value of cookie `name`.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|kv| kv.trim().split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_owned())
    }
}

/// A JSON response with `status`.
pub fn json(status: StatusCode, body: Value) -> Response {
    (
        status,
        [(header::CACHE_CONTROL, "must-revalidate")],
        axum::Json(body),
    )
        .into_response()
}

/// How the caller proved who they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMethod {
    /// The `AuthSession` cookie.
    Cookie,
    /// `Authorization: Basic`.
    Basic,
}

impl Hub {
    /// The API over `store`.
    pub fn new(store: Arc<Store>, config: ApiConfig) -> Arc<Self> {
        Arc::new(Self {
            store,
            longpolls: Arc::new(Semaphore::new(config.max_longpolls)),
            passwords: PasswordChecks::new(config.max_password_checks),
            config,
            limiter: LoginLimiter::default(),
        })
    }

    /// The axum handler: reads the body within the limit and dispatches.
    pub async fn handle(State(hub): State<Arc<Hub>>, req: Request) -> Response {
        let peer = req
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip());
        let (parts, body) = req.into_parts();
        let too_big = parts
            .headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok()?.parse::<usize>().ok())
            .is_some_and(|n| n > hub.config.max_body);
        if too_big {
            return CouchError::TooLarge.into_response();
        }
        let bytes = match axum::body::to_bytes(Body::new(body), hub.config.max_body).await {
            Ok(b) => b,
            Err(_) => return CouchError::TooLarge.into_response(),
        };
        let path = parts.uri.path();
        let path = path.strip_prefix("/couch").unwrap_or(path);
        let req = match Req::new(
            parts.method,
            path,
            parts.uri.query(),
            parts.headers,
            bytes,
            peer,
        ) {
            Ok(r) => r,
            Err(e) => return e.into_response(),
        };
        hub.dispatch(req).await
    }

    /// Answers one request.
    pub async fn dispatch(self: &Arc<Self>, req: Req) -> Response {
        match self.route(&req).await {
            Ok(res) => res,
            Err(e) => e.into_response(),
        }
    }

    async fn route(self: &Arc<Self>, req: &Req) -> Result<Response, CouchError> {
        let segs: Vec<&str> = req.segments.iter().map(String::as_str).collect();
        match segs.as_slice() {
            [] => only(req, &[Method::GET], "GET").map(|_| server::welcome()),
            ["_session"] => server::session(self, req).await,
            ["_all_dbs"] => {
                only(req, &[Method::GET], "GET")?;
                let who = self.require(req).await?;
                server::all_dbs(self, &who).await
            }
            [db, ..] if db.starts_with('_') => Err(CouchError::NotFound("missing".into())),
            [db] => server::database(self, req, db).await,
            [db, "_changes"] => replication::changes(self, req, db).await,
            [db, "_revs_diff"] => replication::revs_diff(self, req, db).await,
            [db, "_bulk_docs"] => replication::bulk_docs(self, req, db).await,
            [db, "_bulk_get"] => replication::bulk_get(self, req, db).await,
            [db, "_all_docs"] => docs::all_docs(self, req, db).await,
            [db, "_security"] => server::security(self, req, db).await,
            [db, "_ensure_full_commit"] => server::ensure_full_commit(self, req, db).await,
            [db, "_local", id] => local::local(self, req, db, id).await,
            [db, "_design", id] => docs::document(self, req, db, &format!("_design/{id}")).await,
            [_, id, ..] if id.starts_with('_') => Err(CouchError::NotFound(
                "This hub does not support this endpoint.".into(),
            )),
            [db, id] => docs::document(self, req, db, id).await,
            _ => Err(CouchError::NotFound(
                "Attachments are not supported by this hub.".into(),
            )),
        }
    }

    /// The caller, or 401 if anonymous.
    pub async fn require(self: &Arc<Self>, req: &Req) -> Result<Principal, CouchError> {
        self.who(req).await?.map(|(p, _)| p).ok_or_else(|| {
            CouchError::Unauthorized("You are not authorized to access this db.".into())
        })
    }

    /// The caller if they may read `db`; 401 if anonymous, 403 if not theirs.
    pub async fn reader(self: &Arc<Self>, req: &Req, db: &str) -> Result<Principal, CouchError> {
        let who = self.require(req).await?;
        if who.can_read(db) {
            Ok(who)
        } else {
            Err(CouchError::Forbidden(format!(
                "You are not allowed to access database {db}."
            )))
        }
    }

    /// The caller if they may write `db`; 401 if anonymous, 403 if not allowed.
    pub async fn writer(self: &Arc<Self>, req: &Req, db: &str) -> Result<Principal, CouchError> {
        let who = self.reader(req, db).await?;
        if who.can_write(db) {
            Ok(who)
        } else {
            Err(CouchError::Forbidden(format!(
                "You may read but not change database {db}."
            )))
        }
    }

    /// Who is asking: the session cookie if valid, else Basic credentials (checked
    /// against the rate limit), else nobody. Wrong Basic credentials are a 401.
    pub async fn who(
        self: &Arc<Self>,
        req: &Req,
    ) -> Result<Option<(Principal, AuthMethod)>, CouchError> {
        if let Some(token) = req.cookie(COOKIE).filter(|t| !t.is_empty()) {
            let hash = crate::auth::token_hash(&token);
            let found = self
                .store
                .read(move |tx| match accounts::session_user(tx, &hash)? {
                    Some(u) => principal_of(tx, u).map(Some),
                    None => Ok::<_, StoreError>(None),
                })
                .await?;
            if let Some(p) = found {
                return Ok(Some((p, AuthMethod::Cookie)));
            }
        }
        let Some(auth) = req.headers.get(header::AUTHORIZATION) else {
            return Ok(None);
        };
        let (name, password) = auth
            .to_str()
            .ok()
            .and_then(crate::auth::parse_basic)
            .ok_or_else(|| {
                CouchError::Unauthorized("Only Basic authentication is supported.".into())
            })?;
        let p = self.login(&name, password, req.peer).await?;
        Ok(Some((p, AuthMethod::Basic)))
    }

    /// Checks a name and password (rate limited per user and address).
    pub async fn login(
        self: &Arc<Self>,
        name: &str,
        password: String,
        peer: IpAddr,
    ) -> Result<Principal, CouchError> {
        if !self.limiter.allowed(name, peer) {
            return Err(CouchError::TooManyRequests(
                "Too many failed logins for this user from this address; wait and try again."
                    .into(),
            ));
        }
        let owned = name.to_owned();
        let user = self
            .store
            .read(move |tx| accounts::user_get(tx, &owned))
            .await?;
        let hash = user.as_ref().map(|u| u.password_hash.clone());
        let ok = self
            .passwords
            .check(name, &password, hash)
            .await
            .map_err(|e| StoreError::Task(e.to_string()))?;
        match user {
            Some(u) if ok => {
                self.limiter.succeeded(name, peer);
                Ok(self.store.read(move |tx| principal_of(tx, u)).await?)
            }
            _ => {
                self.limiter.failed(name, peer);
                eprintln!("yehua-hub: failed login for user {name:?} from {peer}");
                Err(CouchError::Unauthorized(
                    "Name or password is incorrect.".into(),
                ))
            }
        }
    }
}

impl Hub {
    /// How many times argon2 has run since start (the password-check tests count them).
    pub fn argon2_runs(&self) -> u64 {
        self.passwords.runs()
    }
}

/// The principal of a stored user, with the stations they may read.
fn principal_of(tx: &rusqlite::Connection, u: accounts::UserRow) -> Result<Principal, StoreError> {
    let role: Role = u.role.parse().unwrap_or(Role::Cadre);
    let readable = match role {
        Role::Hq => accounts::station_subtree(tx, &u.station)?,
        _ => vec![u.station.clone()],
    };
    Ok(Principal {
        name: u.name,
        role,
        station: u.station,
        readable,
    })
}

/// 405 unless the method is one of `allowed` (named in `names` for the reason).
pub fn only(req: &Req, allowed: &[Method], names: &'static str) -> Result<(), CouchError> {
    if allowed.contains(&req.method) {
        Ok(())
    } else {
        Err(CouchError::MethodNotAllowed(names))
    }
}
