//! Typed store errors, each with a message for the cadre (zh-CN, en) and a precise
//! `Display` for the log. Owns the mapping from DOM exceptions to these variants.

use indexed_db_futures::error::{DomException, Error as IdbError, OpenDbError};

/// Everything a store operation can fail with.
#[derive(Debug, Clone, thiserror::Error, PartialEq)]
pub enum StoreError {
    /// The phone's storage is full; the write was rolled back.
    #[error("storage quota exceeded: {0}")]
    QuotaExceeded(String),
    /// Another tab holds an older version of the database open.
    #[error("database upgrade blocked by another open tab")]
    Blocked,
    /// The database on disk is newer than this app.
    #[error("database version error: {0}")]
    VersionError(String),
    /// No document or record with this id.
    #[error("not found: {0}")]
    NotFound(String),
    /// The `_rev` given is not the current one.
    #[error("document update conflict: {0}")]
    Conflict(String),
    /// The document itself is not acceptable (bad id, bad revision, ...).
    #[error("invalid document: {0}")]
    InvalidDoc(#[from] couch::DocError),
    /// A stored row could not be decoded (should never happen; logged precisely).
    #[error("corrupt stored row: {0}")]
    Corrupt(String),
    /// Any other IndexedDB failure, with the DOM exception's name and message.
    #[error("IndexedDB error: {0}")]
    Idb(String),
}

impl StoreError {
    /// Maps an error from opening the database.
    pub(crate) fn from_open(e: OpenDbError) -> Self {
        match e {
            OpenDbError::VersionZero => Self::VersionError("version 0".into()),
            OpenDbError::Base(e) => e.into(),
            other => Self::classify("", &other.to_string()),
        }
    }

    fn classify(name: &str, message: &str) -> Self {
        let text = format!("{name}: {message}");
        if name == "QuotaExceededError" || message.contains("QuotaExceeded") {
            Self::QuotaExceeded(text)
        } else if name == "VersionError" {
            Self::VersionError(text)
        } else if message.contains("blocked") {
            Self::Blocked
        } else {
            Self::Idb(text)
        }
    }

    /// The message shown to the cadre, in Chinese or English.
    pub fn user_message(&self, zh: bool) -> &'static str {
        match (self, zh) {
            (Self::QuotaExceeded(_), true) => "手机存储空间已满，本次保存未写入。请先导出数据，再清理旧数据。",
            (Self::QuotaExceeded(_), false) => "Phone storage is full; nothing was saved. Export your data, then clear old records.",
            (Self::Blocked, true) => "夜话在另一个标签页中打开，请关闭其他标签页后重试。",
            (Self::Blocked, false) => "Yehua is open in another tab; close it and try again.",
            (Self::VersionError(_), true) => "本机数据来自更新版本的夜话，请刷新页面更新应用。",
            (Self::VersionError(_), false) => "The data on this phone is from a newer Yehua; reload to update.",
            (Self::NotFound(_), true) => "找不到这条记录，可能已被删除。",
            (Self::NotFound(_), false) => "Record not found; it may have been deleted.",
            (Self::Conflict(_), true) => "这条记录已在别处修改，请刷新后再编辑。",
            (Self::Conflict(_), false) => "This record was changed elsewhere; reload before editing.",
            (Self::InvalidDoc(_), true) => "记录格式不正确，未保存。",
            (Self::InvalidDoc(_), false) => "The record is malformed and was not saved.",
            (Self::Corrupt(_) | Self::Idb(_), true) => "本机数据库出错，未保存。请重试。",
            (Self::Corrupt(_) | Self::Idb(_), false) => "The phone's database failed; nothing was saved. Try again.",
        }
    }
}

impl From<IdbError> for StoreError {
    fn from(e: IdbError) -> Self {
        match &e {
            IdbError::DomException(d) => {
                let sys = dom_sys(d);
                Self::classify(&sys.name(), &sys.message())
            }
            other => Self::classify("", &other.to_string()),
        }
    }
}

fn dom_sys(d: &DomException) -> &web_sys::DomException {
    match d {
        DomException::InvalidStateError(e)
        | DomException::TransactionInactiveError(e)
        | DomException::NotFoundError(e)
        | DomException::ConstraintError(e)
        | DomException::InvalidAccessError(e)
        | DomException::DataError(e)
        | DomException::AbortError(e)
        | DomException::ReadOnlyError(e)
        | DomException::DataCloneError(e)
        | DomException::SyntaxError(e)
        | DomException::Other(e) => e,
    }
}
