//! Why a replication stopped, with a precise `Display` for the log (the cadre's message
//! is `message::UserMessage`). Owns the mapping from HTTP statuses and store errors.

use crate::store::StoreError;

/// Everything a replication can fail with. A failed run keeps every local record; the
/// checkpoint stays at the last batch that completed, so the next run resumes there.
#[derive(Debug, Clone, thiserror::Error, PartialEq)]
pub enum SyncError {
    /// 401: no session, an expired session or a wrong password. Retrying will not help;
    /// the cadre must sign in again.
    #[error("unauthorized: {0}")]
    Unauthorized(String),
    /// 403: signed in, but this user may not use this station's database.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// The server could not be reached (offline, DNS, refused, timed out, cut mid-body).
    #[error("server unreachable: {0}")]
    Unreachable(String),
    /// 429: too many attempts (the hub slows sign-ins after repeated wrong passwords).
    #[error("too many requests: {0}")]
    TooManyAttempts(String),
    /// The phone's storage is full; the batch was rolled back.
    #[error("local storage quota exceeded: {0}")]
    Quota(String),
    /// The server answered something the protocol does not allow (bad JSON, 404 for the
    /// database, 5xx, a document the store refuses).
    #[error("replication protocol error: {0}")]
    Protocol(String),
    /// The local database failed for another reason.
    #[error("local store error: {0}")]
    Store(StoreError),
    /// A replication is already running in this page; this one did not start.
    #[error("a replication is already running")]
    Busy,
}

impl SyncError {
    /// Maps an HTTP error status (with the body, for the log) to an error.
    pub(crate) fn from_status(status: u16, what: &str, body: &str) -> Self {
        let text = format!("{what}: HTTP {status}: {}", truncate(body, 300));
        match status {
            401 => Self::Unauthorized(text),
            403 => Self::Forbidden(text),
            429 => Self::TooManyAttempts(text),
            408 | 502..=504 => Self::Unreachable(text),
            _ => Self::Protocol(text),
        }
    }

    /// Whether retrying later (with backoff) may succeed without the cadre doing anything.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Self::Unreachable(_) | Self::TooManyAttempts(_) | Self::Protocol(_) | Self::Busy
        )
    }
}

impl From<StoreError> for SyncError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::QuotaExceeded(m) => Self::Quota(m),
            other => Self::Store(other),
        }
    }
}

fn truncate(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}
