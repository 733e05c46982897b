//! The CouchDB-compatible API under `/couch/`: one axum handler works out who is asking
//! from the headers alone, then reads the body (small for anyone not signed in, with a
//! size limit and an idle timeout for everyone; `application/json` for writes), and
//! routes by path segments to the handlers in [`server`], [`docs`], [`local`] and
//! [`replication`]. Routing by hand keeps every failure — unknown path, wrong method, bad
//! query — a CouchDB `{"error","reason"}` body. Revision logic is crates/couch's; storage
//! is `store`'s; this module owns HTTP only.

pub mod answer;
pub mod attachments;
pub mod client;
pub mod docs;
pub mod error;
pub mod import;
pub mod local;
pub mod multipart;
pub mod params;
pub mod replication;
mod request;
pub mod server;
pub mod stations;
pub mod status;
pub mod users;
pub mod writes;

use crate::auth::{LoginLimiter, PasswordChecks, Principal, Role};
use crate::store::{accounts, Store, StoreError};
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
pub use error::CouchError;
pub use request::Req;
use request::{is_json, read_body};
use serde_json::Value;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
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
    /// The largest body accepted from someone not signed in (only `_session` takes one).
    pub anonymous_body: usize,
    /// How long a body may pause between two pieces before the request is dropped (408).
    pub body_timeout: Duration,
    /// The largest answer listing documents, in bytes (larger: 413).
    pub max_answer: usize,
    /// Proxies whose `X-Forwarded-For` and `X-Forwarded-Proto` are believed.
    pub trusted_proxies: Vec<IpAddr>,
    /// The largest attachment accepted, in bytes (larger: 413 `attachment_too_large`).
    /// 2 MiB: a phone sends photos scaled to about 300 KB, so this leaves room for a
    /// larger original from another CouchDB client without letting one photo fill a disk.
    pub max_attachment: usize,
}

impl Default for ApiConfig {
    fn default() -> Self {
        Self {
            max_body: 8 * 1024 * 1024,
            max_longpolls: 2048,
            max_password_checks: std::thread::available_parallelism().map_or(2, |n| n.get()),
            anonymous_body: 16 * 1024,
            body_timeout: Duration::from_secs(30),
            max_answer: 64 * 1024 * 1024,
            trusted_proxies: Vec::new(),
            max_attachment: 2 * 1024 * 1024,
        }
    }
}

/// The most items one `_bulk_get`, `keys` or `open_revs` may list (after repeats are
/// removed).
pub const MAX_ITEMS: usize = 10_000;
/// The most revisions of one document a `_bulk_docs` request may carry.
pub const MAX_REVS_PER_DOC: usize = 1_000;

/// The API's shared state.
pub struct Hub {
    /// The database.
    pub store: Arc<Store>,
    /// Limits.
    pub config: ApiConfig,
    limiter: LoginLimiter,
    passwords: PasswordChecks,
    longpolls: Arc<Semaphore>,
    /// 上报情况's counts per station database, kept while it is unchanged.
    pub(crate) status: Arc<crate::status::StatusCache>,
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
            status: Arc::default(),
        })
    }

    /// The axum handler: who is asking (from the headers), then the body, then the answer.
    pub async fn handle(State(hub): State<Arc<Hub>>, req: Request) -> Response {
        let peer = req
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip());
        let (parts, body) = req.into_parts();
        let client = client::resolve(peer, &parts.headers, &hub.config.trusted_proxies);
        let path = parts.uri.path();
        let path = path.strip_prefix("/couch").unwrap_or(path);
        let mut req = match Req::new(
            parts.method,
            path,
            parts.uri.query(),
            parts.headers,
            Bytes::new(),
            client.addr,
        ) {
            Ok(r) => r,
            Err(e) => return e.into_response(),
        };
        req.https = client.https;
        let mut res = match hub.prepare(&mut req, body).await {
            Ok(()) => hub.dispatch(req).await,
            Err(e) => e.into_response(),
        };
        // Answers depend on who asked: no shared cache may keep them.
        res.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, must-revalidate"),
        );
        res
    }

    /// Authenticates `req` from its headers, then reads `body` into it: at most
    /// `anonymous_body` bytes for anyone not signed in, `max_body` for the rest, each piece
    /// within `body_timeout` of the last; a write's body must be JSON.
    async fn prepare(self: &Arc<Self>, req: &mut Req, body: Body) -> Result<(), CouchError> {
        req.who = self.who(req).await?;
        let limit = if req.who.is_some() {
            self.config.max_body
        } else {
            self.config.anonymous_body
        };
        let announced = req
            .headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
        if announced.is_some_and(|n| n > limit) {
            return Err(CouchError::TooLarge);
        }
        req.body = read_body(body, limit, self.config.body_timeout).await?;
        let session = req.segments.len() == 1 && req.segments[0] == "_session";
        let writes = matches!(req.method, Method::POST | Method::PUT);
        // An attachment's bytes come as they are; a document may come as multipart/related.
        let raw = req.method == Method::PUT
            && req.segments.len() >= 3
            && !req.segments[1].starts_with('_');
        let related = req.method == Method::PUT
            && req.segments.len() == 2
            && req
                .headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|t| multipart::boundary(t).is_some());
        if writes && !session && !raw && !related && !req.body.is_empty() && !is_json(&req.headers)
        {
            return Err(CouchError::BadContentType);
        }
        Ok(())
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
                server::all_dbs(self, req.require()?).await
            }
            ["_users", rest @ ..] => users::users(self, req, rest).await,
            ["_yehua", "status"] => status::status(self, req).await,
            ["_yehua", "import"] => import::import(self, req).await,
            ["_yehua", "stations"] => stations::stations(self, req, None).await,
            ["_yehua", "stations", code] => stations::stations(self, req, Some(code)).await,
            [db, ..] if db.starts_with('_') => Err(CouchError::NotFound("missing".into())),
            [db] => server::database(self, req, db).await,
            [db, "_changes"] => replication::changes(self, req, db).await,
            [db, "_revs_diff"] => replication::revs_diff(self, req, db).await,
            [db, "_bulk_docs"] => writes::bulk_docs(self, req, db).await,
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
            [db, id, name @ ..] => {
                attachments::attachment(self, req, db, id, &name.join("/")).await
            }
        }
    }

    /// Who is asking: the session cookie if valid, else Basic credentials (checked
    /// against the login limit), else nobody. Wrong Basic credentials are a 401.
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

    /// Checks a name and password: refused before argon2 if either is over its length
    /// limit or the login limit says wait; requests with the same credentials share one
    /// check.
    pub async fn login(
        self: &Arc<Self>,
        name: &str,
        password: String,
        peer: IpAddr,
    ) -> Result<Principal, CouchError> {
        if name.len() > crate::auth::MAX_NAME_LEN || password.len() > crate::auth::MAX_PASSWORD_LEN
        {
            return Err(CouchError::BadRequest(format!(
                "name (at most {} bytes) or password (at most {} bytes) is too long",
                crate::auth::MAX_NAME_LEN,
                crate::auth::MAX_PASSWORD_LEN
            )));
        }
        let owned = name.to_owned();
        // A disabled account is checked like an unknown name: argon2 runs on a dummy
        // hash and the answer is the same 401, as slowly.
        let user = self
            .store
            .read(move |tx| accounts::user_get(tx, &owned))
            .await?
            .filter(|u| !u.disabled);
        let verified = |u: accounts::UserRow| async move {
            Ok::<_, CouchError>(self.store.read(move |tx| principal_of(tx, u)).await?)
        };
        // Verified lately: no check. Otherwise wait for any check of these same
        // credentials already running, and look again.
        let cached = || {
            user.clone()
                .filter(|u| self.passwords.cached(name, &password, &u.password_hash))
        };
        if let Some(u) = cached() {
            return verified(u).await;
        }
        let _flight = self.passwords.flight(name, &password).await;
        if let Some(u) = cached() {
            return verified(u).await;
        }
        let _turn = self.passwords.address_turn(peer).await;
        let attempt = self
            .limiter
            .begin(name, peer)
            .map_err(|e| CouchError::SlowDown(e.0.as_secs().max(1)))?;
        let hash = user.as_ref().map(|u| u.password_hash.clone());
        let ok = self
            .passwords
            .verify(name, &password, hash)
            .await
            .map_err(|e| StoreError::Task(e.to_string()))?;
        match user {
            Some(u) if ok => {
                attempt.succeeded();
                verified(u).await
            }
            _ => {
                attempt.failed();
                tracing::warn!("failed login for user {name:?} from {peer}");
                Err(CouchError::Unauthorized(
                    "Name or password is incorrect.".into(),
                ))
            }
        }
    }
}

impl Hub {
    /// Fills 上报情况's counts of every station database, on a thread of its own.
    pub fn warm_status(self: &Arc<Self>) {
        let hub = Arc::clone(self);
        let started = std::thread::Builder::new()
            .name("status-warm".into())
            .spawn(move || {
                if let Err(e) = crate::status::warm(&hub.store, &hub.status) {
                    tracing::warn!(
                        "cannot count the stations for the reporting status at start: {e}"
                    );
                }
            });
        if let Err(e) = started {
            tracing::warn!("cannot start counting the stations for the reporting status: {e}");
        }
    }

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
