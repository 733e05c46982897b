//! One API request as the handlers see it: method, decoded path segments, query, headers,
//! the body, the client, and who is asking — with the access checks every handler starts
//! with. Also reading a body within a size limit and an idle timeout. Knows nothing of
//! routing or storage.

use super::params::Query;
use super::{AuthMethod, CouchError};
use crate::auth::Principal;
use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, Method};
use http_body_util::BodyExt;
use serde_json::Value;
use std::net::IpAddr;
use std::time::Duration;

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
    /// The client's address (for the login limit; see [`client`]).
    pub peer: IpAddr,
    /// True if the client reached the office over HTTPS.
    pub https: bool,
    /// Who is asking, worked out from the headers before the body was read.
    pub who: Option<(Principal, AuthMethod)>,
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
            https: false,
            who: None,
        })
    }

    /// The caller, or 401 if anonymous.
    pub fn require(&self) -> Result<&Principal, CouchError> {
        self.who.as_ref().map(|(p, _)| p).ok_or_else(|| {
            CouchError::Unauthorized("You are not authorized to access this db.".into())
        })
    }

    /// The caller if they may read `db`; 401 if anonymous, 403 if not theirs.
    pub fn reader(&self, db: &str) -> Result<&Principal, CouchError> {
        let who = self.require()?;
        if who.can_read(db) {
            Ok(who)
        } else {
            Err(CouchError::Forbidden(format!(
                "You are not allowed to access database {db}."
            )))
        }
    }

    /// The caller if they may write document `id` in `db` (`Principal::can_write_doc`:
    /// hq only reviews, a cadre no review); 401 if anonymous, 403 if not allowed.
    pub fn doc_writer(&self, db: &str, id: &str) -> Result<&Principal, CouchError> {
        let who = self.reader(db)?;
        if who.can_write_doc(db, id) {
            Ok(who)
        } else {
            Err(CouchError::Forbidden(forbidden_doc(who, db, id)))
        }
    }

    /// The caller if they may write some document in `db` (each then checked with
    /// `Principal::can_write_doc`); 401 if anonymous, 403 if none.
    pub fn some_writer(&self, db: &str) -> Result<&Principal, CouchError> {
        let who = self.reader(db)?;
        if who.can_write_some(db) {
            Ok(who)
        } else {
            Err(CouchError::Forbidden(format!(
                "You may read but not change database {db}."
            )))
        }
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

    /// The body as a `T`: 400 if it is not JSON, or `shape` (what it must look like) if it
    /// is JSON of another shape.
    pub fn json_as<T: serde::de::DeserializeOwned>(&self, shape: &str) -> Result<T, CouchError> {
        serde_json::from_value(self.json()?).map_err(|_| CouchError::BadRequest(shape.to_owned()))
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

/// Why `who` may not write document `id` in `db` (CouchDB's `forbidden` reason).
pub(super) fn forbidden_doc(who: &Principal, db: &str, id: &str) -> String {
    if id.starts_with(crate::auth::REVIEW_PREFIX) {
        format!("Only headquarters above the station may write reviews in {db}.")
    } else if who.role == crate::auth::Role::Hq {
        format!("Headquarters writes only reviews (review:…) in {db}, not {id}.")
    } else {
        format!("You may read but not change database {db}.")
    }
}

/// True if the request says its body is JSON (`application/json`, any parameters).
pub(super) fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
}

/// Reads a body of at most `limit` bytes, each piece arriving within `idle` of the last.
pub(super) async fn read_body(
    body: Body,
    limit: usize,
    idle: Duration,
) -> Result<Bytes, CouchError> {
    let mut body = body;
    let mut buf = Vec::new();
    loop {
        let frame = match tokio::time::timeout(idle, body.frame()).await {
            Err(_) => return Err(CouchError::BodyTimeout),
            Ok(None) => break,
            Ok(Some(Err(_))) => {
                return Err(CouchError::BadRequest(
                    "the request body could not be read".into(),
                ))
            }
            Ok(Some(Ok(f))) => f,
        };
        if let Ok(data) = frame.into_data() {
            if buf.len() + data.len() > limit {
                return Err(CouchError::TooLarge);
            }
            buf.extend_from_slice(&data);
        }
    }
    Ok(Bytes::from(buf))
}
