//! The API's error type and its CouchDB rendering: every failure becomes a status code
//! and a `{"error", "reason"}` body as the CouchDB 3 documentation gives them. Storage
//! failures are the only 5xx, and are logged without request data.

use crate::store::StoreError;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use couch::wire::ErrorBody;
use couch::DocError;

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum CouchError {
    /// Malformed request: bad JSON, wrong types, bad parameters.
    #[error("{0}")]
    BadRequest(String),
    /// A document id that is empty or starts with an unreserved `_`.
    #[error("{0}")]
    IllegalDocId(String),
    /// A database name CouchDB would not accept.
    #[error("Name: '{0}'. Only lowercase characters (a-z), digits (0-9), and any of the characters _, $, (, ), +, -, and / are allowed. Must begin with a letter.")]
    IllegalDbName(String),
    /// Not logged in, or wrong credentials.
    #[error("{0}")]
    Unauthorized(String),
    /// Logged in, but not allowed.
    #[error("{0}")]
    Forbidden(String),
    /// No such database.
    #[error("Database does not exist.")]
    NoDb,
    /// No such document, revision or endpoint (`missing`, `deleted`, ...).
    #[error("{0}")]
    NotFound(String),
    /// The method is not supported on this path.
    #[error("Only {0} allowed")]
    MethodNotAllowed(&'static str),
    /// An edit of a revision that is not a current leaf.
    #[error("Document update conflict.")]
    Conflict,
    /// `PUT /{db}` for a database that exists.
    #[error("The database could not be created, the file already exists.")]
    FileExists,
    /// The request body is larger than the limit.
    #[error("the request entity is too large")]
    TooLarge,
    /// An attachment is larger than the per-attachment limit (CouchDB's 413
    /// `attachment_too_large`).
    #[error("An attachment of {size} bytes is larger than this hub accepts ({limit} bytes per attachment); send it smaller.")]
    AttachmentTooLarge {
        /// Its size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// A stub names bytes the hub neither received nor holds (CouchDB's 412).
    #[error("Invalid attachment stub in {0}")]
    MissingStub(String),
    /// The answer would be larger than the limit (`_bulk_get`, `keys`, `_changes`, …).
    #[error("The answer would pass {0} bytes; ask for fewer documents at a time.")]
    AnswerTooLarge(usize),
    /// A write whose body is not `application/json` (CouchDB's 415).
    #[error("Content-Type must be application/json")]
    BadContentType,
    /// The client stopped sending its body.
    #[error("The request body stopped arriving; send it again.")]
    BodyTimeout,
    /// Too many failed logins, or too many open long-polls.
    #[error("{0}")]
    TooManyRequests(String),
    /// Too many failed logins: the next attempt may start after this many seconds (sent as
    /// `Retry-After`).
    #[error("Too many failed logins; try again in {0} s.")]
    SlowDown(u64),
    /// The store failed.
    #[error("{0}")]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for CouchError {
    fn from(e: rusqlite::Error) -> Self {
        CouchError::Store(StoreError::Sqlite(e))
    }
}

impl From<serde_json::Error> for CouchError {
    fn from(e: serde_json::Error) -> Self {
        CouchError::BadRequest(format!("invalid JSON: {e}"))
    }
}

impl From<DocError> for CouchError {
    fn from(e: DocError) -> Self {
        match e {
            DocError::Conflict => CouchError::Conflict,
            DocError::MissingId => CouchError::IllegalDocId("Document id must not be empty".into()),
            DocError::ReservedField(f) => {
                CouchError::BadRequest(format!("Bad special document member: {f}"))
            }
            DocError::Attachment(e) => match *e {
                couch::attachment::AttachmentError::MissingStub(name) => {
                    CouchError::MissingStub(format!("attachment {name}"))
                }
                other => CouchError::BadRequest(other.to_string()),
            },
            other => CouchError::BadRequest(other.to_string()),
        }
    }
}

impl CouchError {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            CouchError::BadRequest(_)
            | CouchError::IllegalDocId(_)
            | CouchError::IllegalDbName(_) => StatusCode::BAD_REQUEST,
            CouchError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            CouchError::Forbidden(_) => StatusCode::FORBIDDEN,
            CouchError::NoDb | CouchError::NotFound(_) => StatusCode::NOT_FOUND,
            CouchError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            CouchError::Conflict => StatusCode::CONFLICT,
            CouchError::FileExists | CouchError::MissingStub(_) => StatusCode::PRECONDITION_FAILED,
            CouchError::AttachmentTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            CouchError::TooLarge | CouchError::AnswerTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            CouchError::BadContentType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            CouchError::BodyTimeout => StatusCode::REQUEST_TIMEOUT,
            CouchError::TooManyRequests(_) | CouchError::SlowDown(_) => {
                StatusCode::TOO_MANY_REQUESTS
            }
            CouchError::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The short error name of the body.
    pub fn name(&self) -> &'static str {
        match self {
            CouchError::BadRequest(_) => "bad_request",
            CouchError::IllegalDocId(_) => "illegal_docid",
            CouchError::IllegalDbName(_) => "illegal_database_name",
            CouchError::Unauthorized(_) => "unauthorized",
            CouchError::Forbidden(_) => "forbidden",
            CouchError::NoDb | CouchError::NotFound(_) => "not_found",
            CouchError::MethodNotAllowed(_) => "method_not_allowed",
            CouchError::Conflict => "conflict",
            CouchError::FileExists => "file_exists",
            CouchError::MissingStub(_) => "missing_stub",
            CouchError::AttachmentTooLarge { .. } => "attachment_too_large",
            CouchError::TooLarge | CouchError::AnswerTooLarge(_) => "too_large",
            CouchError::BadContentType => "bad_content_type",
            CouchError::BodyTimeout => "request_timeout",
            CouchError::TooManyRequests(_) | CouchError::SlowDown(_) => "too_many_requests",
            CouchError::Store(_) => "internal_server_error",
        }
    }

    /// The error as a `{"error","reason"}` body.
    pub fn body(&self) -> ErrorBody {
        let reason = match self {
            // Internals stay in the log; the client learns only that storage failed.
            CouchError::Store(_) => "The hub's storage failed; try again.".to_owned(),
            other => other.to_string(),
        };
        ErrorBody {
            error: self.name().to_owned(),
            reason,
        }
    }
}

impl IntoResponse for CouchError {
    fn into_response(self) -> Response {
        if let CouchError::Store(e) = &self {
            tracing::error!("storage error: {e}");
        }
        let mut res = (self.status(), axum::Json(self.body())).into_response();
        if let CouchError::SlowDown(secs) = self {
            res.headers_mut()
                .insert(axum::http::header::RETRY_AFTER, secs.into());
        }
        res
    }
}
