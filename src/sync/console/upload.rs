//! The console's upload of export files: each picked file is sent as it is (a `Blob`,
//! never read into the wasm memory) to the hub's `POST /_yehua/import?file=NAME`, which
//! validates the whole file and merges it as `yehua-hub import` does. The answer is the
//! file's counts or its refusal, typed here so the screen says it in the user's language
//! (a bad file's Chinese text and its precise reason come from the hub's `exchange`).

use super::{reason, ConsoleError};
use crate::sync::remote::send_blob;
use crate::sync::SyncError;
use serde::Deserialize;
use serde_json::Value;

/// What one imported file did.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Uploaded {
    /// The file's station.
    pub station: String,
    /// Documents that did not exist before.
    pub new: usize,
    /// Documents that gained revisions.
    pub updated: usize,
    /// Documents that had every revision already.
    pub unchanged: usize,
    /// Documents with conflicting leaves after the import.
    pub conflicts: usize,
}

/// Why a file was not imported; the hub wrote nothing of it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Refusal {
    /// The file is not a whole, valid export file.
    #[error("{reason}")]
    BadFile {
        /// `exchange::ImportError::code`.
        code: String,
        /// The precise reason (English, naming the document and field).
        reason: String,
        /// The reason in Chinese.
        zh: String,
    },
    /// The file is a station's outside the user's subtree.
    #[error("the file is station {0}'s, which is not below yours")]
    NotYours(String),
    /// The hub has no station with the file's code.
    #[error("there is no station {0} on the server")]
    NoStation(String),
    /// The file is larger than the hub accepts.
    #[error("the file is larger than the server accepts")]
    TooLarge,
    /// The link, the session or the server failed.
    #[error(transparent)]
    Failed(#[from] ConsoleError),
}

impl Refusal {
    /// A stable name for tests and logs.
    pub fn code(&self) -> String {
        match self {
            Self::BadFile { code, .. } => code.clone(),
            Self::NotYours(_) => "not_yours".into(),
            Self::NoStation(_) => "no_station".into(),
            Self::TooLarge => "too_large".into(),
            Self::Failed(_) => "failed".into(),
        }
    }
}

/// Sends one picked file to the hub at `server`.
pub async fn upload(server: &str, file: &web_sys::File) -> Result<Uploaded, Refusal> {
    let name = String::from(js_sys::encode_uri_component(&file.name()));
    let url = format!("{}/_yehua/import?file={name}", server.trim_end_matches('/'));
    let (status, text) = send_blob("POST", &url, file, "application/json")
        .await
        .map_err(ConsoleError::from)?;
    let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    let field = |k: &str| body[k].as_str().unwrap_or_default().to_owned();
    match status {
        201 => serde_json::from_value(body)
            .map_err(|e| ConsoleError::from(SyncError::Protocol(format!("import: {e}"))).into()),
        400 if body["error"] == "bad_file" => Err(Refusal::BadFile {
            code: field("code"),
            reason: field("reason"),
            zh: field("zh"),
        }),
        403 if body["station"].is_string() => Err(Refusal::NotYours(field("station"))),
        404 if body["station"].is_string() => Err(Refusal::NoStation(field("station"))),
        413 => Err(Refusal::TooLarge),
        403 => Err(ConsoleError::NotAllowed(reason(&text)).into()),
        s => Err(ConsoleError::from(SyncError::from_status(s, "_yehua/import", &text)).into()),
    }
}
