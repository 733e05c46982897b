//! The file a village station sends to headquarters when it cannot sync:
//! `yehua-<station>-<yyyymmdd>.json`, described by `docs/export.schema.json`.
//!
//! Every entry of `docs` is one leaf revision in the shape CouchDB's `_bulk_get` /
//! `open_revs` answers with `revs=true` (the body with `_id`, `_rev`, `_revisions` and
//! `_deleted` for a tombstone), so importing the file is exactly a replication with
//! `_bulk_docs new_edits:false`: merging by revision, idempotent, safe to overlap.
//!
//! - [`file`]: the serde types of the file and its name.
//! - [`export`]: choosing documents by type and date, and building the file.
//! - [`import`]: validating a whole file before anything is written ([`import::parse`]),
//!   and planning the merge into existing records with a report ([`import::plan`]).
//!
//! It lives in its own crate because it needs both the domain (`model`: document types,
//! UTC+8 dates) and revision trees (`couch`), and neither of those should know the other.
//! Pure: no I/O, no clock; callers pass the time of export and the stored records.

pub mod export;
pub mod file;
pub mod import;

pub use export::{build, inline_attachments, Filter};
pub use file::{file_name, ExportFile, Range, FORMAT, VERSION};
pub use import::{parse, plan, DocProblem, ImportError, ImportReport, Outcome, Plan};
