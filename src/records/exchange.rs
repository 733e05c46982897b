//! Export and import for headquarters: reading the whole store in batches,
//! building the export file and the CSV tables beside it, and importing a file a station
//! sent. Each is a function over [`Store`]; the file format, the choice of documents and
//! the merge plan are `crates/exchange`, the tables `model::tables`.
//!
//! Photos (含照片) travel inline as CouchDB's `data`, read here from the store's blobs.
//! A photo whose bytes are not all on this phone (a pulled photo never opened, a full copy
//! 释放照片空间 dropped: either way the hub has it) is left out whole and counted in
//! [`Prepared::photos_left_out`], because its stub without bytes would make headquarters
//! refuse the whole file; bytes that no longer match their digest are left out the same
//! way. A file made here therefore always passes the importer's attachment checks.
//!
//! Import keeps the exchange invariant: nothing is written until the whole file passed
//! `exchange::parse`, and the merge is one `Store::put_replicated` transaction (a
//! replication with `new_edits: false`), so importing a file twice changes nothing.

use crate::pwa::{photo, PwaError};
use crate::store::{Store, StoreError};
use couch::DocRecord;
use exchange::{ExportFile, ImportError, ImportReport};
use model::DocType;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Records read per IndexedDB transaction when streaming the whole store.
pub const BATCH: u32 = 500;

/// The version written into export files.
pub const APP_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Reads every stored record (tombstones and every leaf included) in id order, batch by
/// batch, calling `progress(read, total)` after each batch. The batches follow the change
/// feed (each pack is read once); a record changed while the scan runs comes again later
/// in the feed, and its newer version is the one kept.
pub async fn read_all(
    store: &Store,
    progress: &dyn Fn(u32, u32),
) -> Result<Vec<DocRecord>, StoreError> {
    let total = store.count_records().await?;
    progress(0, total);
    let mut out: BTreeMap<String, DocRecord> = BTreeMap::new();
    let mut since = 0;
    loop {
        let batch = store.changes_since(since, BATCH).await?;
        let full = batch.len() == BATCH as usize;
        since = batch.last().map_or(since, |c| c.seq);
        out.extend(batch.into_iter().map(|c| (c.record.id.clone(), c.record)));
        let read = out.len() as u32;
        progress(read, total.max(read));
        if !full {
            return Ok(out.into_values().collect());
        }
    }
}

/// The winning bodies of the live records.
pub fn winners(records: &[DocRecord]) -> Vec<Value> {
    records
        .iter()
        .filter(|r| !r.is_deleted())
        .filter_map(DocRecord::winner_doc)
        .collect()
}

/// The station codes the stored documents carry (every leaf), sorted: what a
/// headquarters phone, which holds several stations' records, may export.
pub async fn stations_present(store: &Store) -> Result<Vec<String>, StoreError> {
    let records = read_all(store, &|_, _| {}).await?;
    let codes: BTreeSet<String> = records
        .iter()
        .flat_map(|r| r.bodies.values())
        .filter_map(|b| b.get("station").and_then(Value::as_str))
        .map(str::to_owned)
        .collect();
    Ok(codes.into_iter().collect())
}

/// A file ready to download or share.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    /// The file name.
    pub name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// How many documents (export: leaf revisions) or table rows it holds.
    pub count: usize,
    /// Photos chosen but left out because their bytes are not all on this phone.
    pub photos_left_out: usize,
}

/// Why an export could not be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ExportError {
    /// Reading the store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The clock gave a time the file name cannot use (should not happen).
    #[error(transparent)]
    Name(#[from] exchange::file::NameError),
    /// The browser could not read a stored photo's bytes.
    #[error("reading a photo's bytes: {0}")]
    Photo(#[from] PwaError),
}

/// The export form as typed: local dates (`YYYY-MM-DD`, empty = open), the types and
/// 含照片. Photos are chosen only with `photos` (their bytes make the file large), never
/// through `types`.
pub fn filter(from: &str, until: &str, types: &[DocType], photos: bool) -> exchange::Filter {
    let date = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    let chosen = if types.is_empty() {
        &DocType::ALL[..]
    } else {
        types
    };
    exchange::Filter {
        from: date(from),
        until: date(until),
        types: chosen
            .iter()
            .copied()
            .filter(|t| *t != DocType::Photo)
            .chain(photos.then_some(DocType::Photo))
            .collect(),
    }
}

/// Builds `yehua-<station>-<yyyymmdd>.json` from the records, exported at `at`; the
/// chosen photos' bytes are read from `store` and put inline (see the module doc for a
/// photo whose bytes are not here).
pub async fn export_file(
    store: &Store,
    records: &[DocRecord],
    station: &str,
    filter: &exchange::Filter,
    at: &str,
) -> Result<Prepared, ExportError> {
    let mut file = exchange::build(station, at, APP_VERSION, filter, records);
    let photos_left_out = inline_photos(store, &mut file).await?;
    let name = exchange::file_name(station, at)?;
    let bytes = serde_json::to_vec(&file).expect("an export file always serializes");
    Ok(Prepared {
        name,
        count: file.docs.len(),
        bytes,
        photos_left_out,
    })
}

/// Puts the bytes of every attachment `file` names inline, read from the store's blobs
/// one digest at a time; a record whose bytes are missing (or no longer match their
/// digest) is left out whole. Returns how many records were left out.
async fn inline_photos(store: &Store, file: &mut ExportFile) -> Result<usize, ExportError> {
    let digests: BTreeSet<String> = file
        .docs
        .iter()
        .filter_map(|d| d.get("_attachments").and_then(Value::as_object))
        .flat_map(|atts| atts.values())
        .filter_map(|stub| stub.get("digest").and_then(Value::as_str))
        .map(str::to_owned)
        .collect();
    let mut here: HashMap<String, Vec<u8>> = HashMap::with_capacity(digests.len());
    for d in digests {
        let Some(blob) = store.get_blob(&d).await? else {
            continue;
        };
        let bytes = photo::bytes(&blob).await?;
        if couch::attachment::digest(&bytes) == d {
            here.insert(d, bytes);
        } else {
            leptos::logging::warn!("yehua: export: the stored bytes of {d} do not match it");
        }
    }
    Ok(exchange::inline_attachments(file, |d| here.remove(d)).len())
}

/// The CSV tables beside an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// Activities (`model::tables::activities_csv`).
    Activities,
    /// Attendance with counted hours.
    Attendance,
    /// Concerns with their status.
    Concerns,
}

impl Table {
    /// All tables, in the order of the buttons.
    pub const ALL: [Table; 3] = [Table::Activities, Table::Attendance, Table::Concerns];

    /// The name used in the file name and in test ids.
    pub fn as_str(self) -> &'static str {
        match self {
            Table::Activities => "activities",
            Table::Attendance => "attendance",
            Table::Concerns => "concerns",
        }
    }
}

/// `yehua-<station>-<what>-<yyyymmdd>.csv`, dated like the export file.
pub fn csv_name(station: &str, what: &str, at: &str) -> Result<String, ExportError> {
    let json = exchange::file_name(station, at)?;
    let date = json
        .trim_end_matches(".json")
        .rsplit('-')
        .next()
        .unwrap_or("");
    Ok(format!("yehua-{station}-{what}-{date}.csv"))
}

/// One CSV table of the station's live records, with the export's date rule applied to
/// each winning body (so a table holds what the JSON file of the same dates holds).
pub fn table_file(
    records: &[DocRecord],
    station: &str,
    filter: &exchange::Filter,
    table: Table,
    at: &str,
) -> Result<Prepared, ExportError> {
    let docs: Vec<Value> = winners(records)
        .into_iter()
        .filter(|d| d.get("station").and_then(Value::as_str) == Some(station))
        .filter(|d| {
            let id = d.get("_id").and_then(Value::as_str).unwrap_or_default();
            exchange::export::id_type(id).is_some_and(|t| filter.wants_body(t, d))
        })
        .collect();
    let (csv, ty) = match table {
        Table::Activities => (model::tables::activities_csv(&docs), "activity"),
        Table::Attendance => (model::tables::attendance_csv(&docs), "attendance"),
        Table::Concerns => (model::tables::concerns_csv(&docs), "concern"),
    };
    Ok(Prepared {
        name: csv_name(station, table.as_str(), at)?,
        count: docs.iter().filter(|d| d["type"] == ty).count(),
        bytes: csv.into_bytes(),
        photos_left_out: 0,
    })
}

/// Why an import wrote nothing (or, for `Refused`, not everything).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ImportFailure {
    /// The browser could not read the picked file; nothing was written.
    #[error("the file could not be read: {0}")]
    Unreadable(String),
    /// The file is not a valid export file; nothing was written.
    #[error(transparent)]
    File(#[from] ImportError),
    /// The store failed; the transaction was rolled back, nothing was written.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The store refused some documents the plan accepted (a write in between).
    #[error("{0} documents were refused by the store")]
    Refused(usize),
}

impl ImportFailure {
    /// A stable name for tests (`exchange`'s code for file problems).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unreadable(_) => "unreadable",
            Self::File(e) => e.code(),
            Self::Store(_) => "store",
            Self::Refused(_) => "refused",
        }
    }
}

/// What an import did.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// The station the file came from.
    pub station: String,
    /// New / updated / unchanged / conflicts.
    pub report: ImportReport,
}

/// Imports an export file: validates all of it, plans the merge against the stored
/// records, then writes the revisions of the records that change in one transaction.
pub async fn import(store: &Store, bytes: &[u8]) -> Result<Imported, ImportFailure> {
    let file = exchange::parse(bytes)?;
    let ids: Vec<String> = file
        .docs
        .iter()
        .filter_map(|d| d.get("_id").and_then(Value::as_str).map(str::to_owned))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let existing = store.get_records(&ids).await?;
    let plan = exchange::plan(&file, |id| existing.get(id).cloned())?;
    let changed: BTreeSet<&str> = plan.changed.iter().map(|r| r.id.as_str()).collect();
    let docs: Vec<Value> = file
        .docs
        .iter()
        .filter(|d| {
            d.get("_id")
                .and_then(Value::as_str)
                .is_some_and(|id| changed.contains(id))
        })
        .cloned()
        .collect();
    if !docs.is_empty() {
        let refused = store
            .put_replicated(docs)
            .await?
            .iter()
            .filter(|r| r.is_err())
            .count();
        if refused > 0 {
            return Err(ImportFailure::Refused(refused));
        }
    }
    Ok(Imported {
        station: file.station,
        report: plan.report,
    })
}
