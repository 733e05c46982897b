//! `yehua-hub import FILE...`: export files from stations that could not sync. Every file
//! is read and validated (crates/exchange) before anything is written; then each file's
//! documents are merged into `station_<code>` through the same function `_bulk_docs`
//! with `new_edits: false` uses, in one transaction per file, photos' attachment bytes
//! (inline `data`) stored by digest with them. Owns the command's flow and
//! report; validation and merging belong to crates/exchange and crates/couch.

use crate::admin::station_db;
use crate::couch::attachments::{take_inline, Blobs};
use crate::couch::error::CouchError;
use crate::couch::writes::replicate;
use crate::store::docs as q;
use crate::store::{Store, StoreError};
use couch::DocRecord;
use exchange::{ImportError, ImportReport};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Why `import` stopped.
#[derive(Debug, thiserror::Error)]
pub enum ImportCmdError {
    /// A file could not be read.
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file was refused; nothing was written.
    #[error("{}: refused, nothing imported: {source} ({})", path.display(), source.zh())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// The problem.
        source: ImportError,
    },
    /// The file's station is not on this hub.
    #[error("{}: there is no station `{station}` on this hub; add it first with `yehua-hub station add`", path.display())]
    NoStation {
        /// The file.
        path: PathBuf,
        /// The station code.
        station: String,
    },
    /// A document could not be merged (the file was rolled back).
    #[error("{}: cannot merge: {source}", path.display())]
    Merge {
        /// The file.
        path: PathBuf,
        /// Why.
        source: CouchError,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What importing one file did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileReport {
    /// The file.
    pub path: PathBuf,
    /// Its station.
    pub station: String,
    /// Per-document counts.
    pub report: ImportReport,
}

/// Validates every file, then imports each in its own transaction.
pub fn import_files(store: &Store, paths: &[PathBuf]) -> Result<Vec<FileReport>, ImportCmdError> {
    let mut files = Vec::new();
    for path in paths {
        let bytes = std::fs::read(path).map_err(|source| ImportCmdError::Read {
            path: path.clone(),
            source,
        })?;
        let file = exchange::parse(&bytes).map_err(|source| ImportCmdError::Invalid {
            path: path.clone(),
            source,
        })?;
        let exists = store
            .read_blocking(|tx| q::db_get(tx, &station_db(&file.station)))?
            .is_some();
        if !exists {
            return Err(ImportCmdError::NoStation {
                path: path.clone(),
                station: file.station,
            });
        }
        files.push((path.clone(), file));
    }
    files
        .into_iter()
        .map(|(path, file)| {
            let report = store.write_blocking(|tx| merge(tx, &path, file.docs, &file.station))?;
            Ok(FileReport {
                path,
                station: file.station,
                report,
            })
        })
        .collect()
}

fn merge(
    tx: &rusqlite::Connection,
    path: &Path,
    docs: Vec<serde_json::Value>,
    station: &str,
) -> Result<ImportReport, ImportCmdError> {
    let mut db = q::db_get(tx, &station_db(station))?.ok_or_else(|| ImportCmdError::NoStation {
        path: path.to_owned(),
        station: station.to_owned(),
    })?;
    let mut before: BTreeMap<String, Option<DocRecord>> = BTreeMap::new();
    let failed = |source| ImportCmdError::Merge {
        path: path.to_owned(),
        source,
    };
    // Every attachment's bytes first (`exchange::parse` checked each digest and length):
    // a stub may come before the entry that carries its bytes.
    let mut docs = docs;
    let mut carried = Blobs::new();
    for doc in &mut docs {
        carried.extend(take_inline(doc, usize::MAX).map_err(failed)?);
    }
    for doc in docs {
        let id = doc["_id"].as_str().unwrap_or_default().to_owned();
        if !before.contains_key(&id) {
            before.insert(id.clone(), q::doc_load(tx, &db, &id)?);
        }
        replicate(tx, &mut db, doc, &carried).map_err(failed)?;
    }
    let mut report = ImportReport::default();
    for (id, old) in before {
        if let Some(after) = q::doc_load(tx, &db, &id)? {
            report.count(old.as_ref(), &after);
        }
    }
    Ok(report)
}
