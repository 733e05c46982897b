//! The export file's shape (version 1) and its name. Owns serde types only; what makes a
//! file valid is checked by `import`, which must stay in step with
//! `docs/export.schema.json`.

use model::time::date_cst;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The `format` field: what tells a Yehua export from any other JSON file.
pub const FORMAT: &str = "yehua-export";
/// The file format version this build writes and reads.
pub const VERSION: u64 = 1;

/// The dates an export covers (local dates at UTC+8, both inclusive; absent = open).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Range {
    /// First day, `YYYY-MM-DD`.
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD`.
    pub until: Option<String>,
}

/// An export file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportFile {
    /// Always [`FORMAT`].
    pub format: String,
    /// Always [`VERSION`] for files this build writes.
    pub version: u64,
    /// When it was exported, RFC 3339.
    pub exported_at: String,
    /// The version of the app that wrote it.
    pub app_version: String,
    /// The station code every document belongs to.
    pub station: String,
    /// The dates chosen.
    pub range: Range,
    /// The document types chosen.
    pub types: Vec<String>,
    /// One entry per leaf revision, with `_revisions`.
    pub docs: Vec<Value>,
}

/// Why a file name could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    /// `exported_at` is not RFC 3339.
    #[error("exported_at `{0}` is not an RFC 3339 time")]
    BadTime(String),
}

/// `yehua-<station>-<yyyymmdd>.json`, the date being the export's local date at UTC+8.
pub fn file_name(station: &str, exported_at: &str) -> Result<String, NameError> {
    let date = date_cst(exported_at).ok_or_else(|| NameError::BadTime(exported_at.into()))?;
    Ok(format!("yehua-{station}-{}.json", date.replace('-', "")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_file_by_the_local_date() {
        assert_eq!(
            file_name("330106001", "2026-11-22T20:00:00+08:00").unwrap(),
            "yehua-330106001-20261122.json"
        );
        // 17:00 UTC is already the next day in the village.
        assert_eq!(
            file_name("330106001", "2026-11-22T17:00:00Z").unwrap(),
            "yehua-330106001-20261123.json"
        );
        assert!(file_name("330106001", "今天").is_err());
    }
}
