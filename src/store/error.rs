//! Typed store errors with a precise `Display` for the log (the cadre's message is
//! `message::UserMessage`). Owns the mapping from DOM exceptions to these variants.

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
    /// A stored document does not have its type's shape (written by another tool).
    #[error(transparent)]
    Shape(#[from] model::ShapeError),
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

    /// Maps a JavaScript value thrown by a web-sys call or rejected by a promise: a
    /// `DOMException` by its name, the text `"blocked"` as [`Self::Blocked`], anything
    /// else as [`Self::Idb`] with its debug text.
    pub(crate) fn from_js(e: wasm_bindgen::JsValue) -> Self {
        use wasm_bindgen::JsCast;
        if let Some(d) = e.dyn_ref::<web_sys::DomException>() {
            return Self::classify(&d.name(), &d.message());
        }
        if let Some(text) = e.as_string() {
            return Self::classify("", &text);
        }
        Self::Idb(format!("{e:?}"))
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
