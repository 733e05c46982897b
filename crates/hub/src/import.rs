//! `yehua-hub import FILE...`: export files from stations that could not sync. Every file
//! is read and validated (crates/exchange) before anything is written; then each file's
//! documents are merged into `station_<code>` through the same function `_bulk_docs`
//! with `new_edits: false` uses, in one transaction per file, photos' attachment bytes
//! (inline `data`) stored by digest with them, and the file recorded in the `imports`
//! table. [`merge_file`] is the one merge of a file, which the console's upload
//! (`couch::import`) calls too. Owns the command's flow and report; validation and
//! merging belong to crates/exchange and crates/couch.

use crate::admin::station_db;
use crate::couch::attachments::{take_inline, Blobs};
use crate::couch::error::CouchError;
use crate::couch::writes::replicate;
use crate::store::docs as q;
use crate::store::{imports, now_secs, Store, StoreError};
use couch::DocRecord;
use exchange::{ExportFile, ImportError, ImportReport};
use std::collections::BTreeMap;
use std::path::PathBuf;

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

/// Validates every file, then imports each in its own transaction (recorded in the
/// `imports` table with no account name: the command line).
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
            let station = file.station.clone();
            let name = path
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            let merged = store.write_blocking(|tx| {
                merge_file(
                    tx,
                    file,
                    &Imported {
                        user: "",
                        file: &name,
                        at: now_secs(),
                    },
                )
            });
            let report = merged.map_err(|e| match e {
                MergeError::NoStation(station) => ImportCmdError::NoStation {
                    path: path.clone(),
                    station,
                },
                MergeError::Merge(source) => ImportCmdError::Merge {
                    path: path.clone(),
                    source,
                },
                MergeError::Store(e) => ImportCmdError::Store(e),
            })?;
            Ok(FileReport {
                path,
                station,
                report: report.0,
            })
        })
        .collect()
}

/// Why a file that passed `exchange::parse` was not merged (its transaction rolls back).
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// The file's station is not on this hub.
    #[error("there is no station `{0}` on this hub")]
    NoStation(String),
    /// A document could not be merged.
    #[error("cannot merge: {0}")]
    Merge(CouchError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Who imported a file, under which name, when (Unix seconds).
pub struct Imported<'a> {
    /// The account's name; empty for the command line.
    pub user: &'a str,
    /// The file's name as given.
    pub file: &'a str,
    /// When.
    pub at: i64,
}

/// Merges a validated file into its station's database inside `tx` and records it in the
/// `imports` table; the counts and the database's name and update sequence after it.
/// The one merge of an export file, for the command line and the console's upload.
pub fn merge_file(
    tx: &rusqlite::Connection,
    file: ExportFile,
    by: &Imported,
) -> Result<(ImportReport, String, u64), MergeError> {
    let station = file.station;
    let mut db = q::db_get(tx, &station_db(&station))?
        .ok_or_else(|| MergeError::NoStation(station.clone()))?;
    let mut before: BTreeMap<String, Option<DocRecord>> = BTreeMap::new();
    // Every attachment's bytes first (`exchange::parse` checked each digest and length):
    // a stub may come before the entry that carries its bytes.
    let mut docs = file.docs;
    let mut carried = Blobs::new();
    for doc in &mut docs {
        carried.extend(take_inline(doc, usize::MAX).map_err(MergeError::Merge)?);
    }
    for doc in docs {
        let id = doc["_id"].as_str().unwrap_or_default().to_owned();
        if !before.contains_key(&id) {
            before.insert(id.clone(), q::doc_load(tx, &db, &id)?);
        }
        replicate(tx, &mut db, doc, &carried).map_err(MergeError::Merge)?;
    }
    let mut report = ImportReport::default();
    for (id, old) in before {
        if let Some(after) = q::doc_load(tx, &db, &id)? {
            report.count(old.as_ref(), &after);
        }
    }
    imports::record(
        tx,
        &imports::ImportRow {
            at: by.at,
            station,
            user: by.user.to_owned(),
            file: by.file.to_owned(),
            report,
        },
    )?;
    Ok((report, db.name, db.update_seq))
}
