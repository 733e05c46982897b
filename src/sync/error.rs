//! Why a replication stopped, with a message for the cadre (zh-CN, en) and a precise
//! `Display` for the log. Owns the mapping from HTTP statuses and store errors.

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

    /// The message shown to the cadre, in Chinese or English.
    pub fn user_message(&self, zh: bool) -> &'static str {
        match (self, zh) {
            (Self::Unauthorized(_), true) => "用户名或密码不正确，或登录已过期。请重新登录；本机记录都已保存，不会丢失。",
            (Self::Unauthorized(_), false) => "Wrong user name or password, or the session expired. Sign in again; every record is kept on this phone.",
            (Self::Forbidden(_), true) => "此账号无权同步这个村站的数据。请联系上级管理员开通权限。",
            (Self::Forbidden(_), false) => "This account may not sync this station. Ask your administrator for access.",
            (Self::Unreachable(_), true) => "连不上服务器，可能是网络信号不好。记录已保存在本机，有信号后会自动同步。",
            (Self::Unreachable(_), false) => "The server cannot be reached. Records are kept on this phone and will sync when there is a signal.",
            (Self::TooManyAttempts(_), true) => "尝试太频繁：多次输错密码后，服务器会让下一次登录稍等片刻。请过一会儿再试；本机记录都已保存。",
            (Self::TooManyAttempts(_), false) => "Too many attempts: after repeated wrong passwords the server makes the next sign-in wait a little. Try again shortly; every record is kept on this phone.",
            (Self::Quota(_), true) => "手机存储空间已满，未能接收服务器上的数据。请清理手机空间后重试。",
            (Self::Quota(_), false) => "Phone storage is full; nothing more could be received. Free some space and try again.",
            (Self::Protocol(_), true) => "服务器返回了无法识别的数据，同步已暂停，稍后会自动重试。",
            (Self::Protocol(_), false) => "The server sent something unexpected; sync paused and will retry later.",
            (Self::Store(_), true) => "本机数据库出错，同步已暂停。请重试。",
            (Self::Store(_), false) => "The phone's database failed; sync paused. Try again.",
            (Self::Busy, true) => "正在同步，请稍候。",
            (Self::Busy, false) => "A sync is already running.",
        }
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
