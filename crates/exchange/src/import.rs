//! Importing an export file: [`parse`] checks the whole file — bytes, JSON, header and
//! every document — before anything is written; [`plan`] merges its revisions into the
//! existing records exactly as `_bulk_docs` with `new_edits: false` does (through
//! `couch::DocRecord::put_replicated`), and reports what changed. Importing the same file
//! twice changes nothing; overlapping files are safe. A photo's attachments travel inline
//! (CouchDB's `data`); every digest and length is checked by [`parse`] ([`attachments`]),
//! and [`plan`] hands their bytes back by digest beside the records. Owns validation and
//! the report; never reads or writes a store.

mod attachments;
mod error;

pub use error::{DocProblem, ImportError};

use crate::export::id_type;
use crate::file::{ExportFile, Range, FORMAT, VERSION};
use couch::DocRecord;
use model::time::parse_millis;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap, HashSet};

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// Reads and validates a whole export file. A UTF-8 byte-order mark (added by some
/// Windows tools and chat apps) is accepted.
pub fn parse(bytes: &[u8]) -> Result<ExportFile, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| ImportError::NotUtf8 {
        offset: e.valid_up_to(),
    })?;
    if text.trim().is_empty() {
        return Err(ImportError::Empty);
    }
    let value: Value = serde_json::from_str(text).map_err(|e| {
        let (line, column) = (e.line(), e.column());
        if e.is_eof() {
            ImportError::Truncated { line, column }
        } else {
            ImportError::NotJson {
                line,
                column,
                reason: e.to_string(),
            }
        }
    })?;
    let Value::Object(mut top) = value else {
        return Err(ImportError::NotAnObject {
            found: kind(&value),
        });
    };
    header(&top)?;
    let station = top["station"].as_str().unwrap_or_default().to_owned();
    let docs = match top.remove("docs") {
        Some(Value::Array(docs)) => docs,
        Some(_) => {
            return Err(ImportError::BadField {
                field: "docs",
                expected: "an array of documents",
            })
        }
        None => return Err(ImportError::MissingField { field: "docs" }),
    };
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    let mut carried: HashSet<String> = HashSet::new();
    let mut stubs: Vec<(usize, String, String)> = Vec::new();
    let fail = |index: usize, problem| ImportError::Doc {
        index,
        id: docs[index]
            .get("_id")
            .and_then(Value::as_str)
            .map(str::to_owned),
        problem,
    };
    for (index, doc) in docs.iter().enumerate() {
        let (id, rev, found) = check_doc(doc, &station).map_err(|p| fail(index, p))?;
        if let Some(first) = seen.insert((id, rev.clone()), index) {
            return Err(fail(index, DocProblem::Duplicate { first, rev }));
        }
        carried.extend(found.carried);
        stubs.extend(found.stubs.into_iter().map(|(n, d)| (index, n, d)));
    }
    // A stub's bytes must travel in the same file (another leaf or photo carries them).
    if let Some((index, name, _)) = stubs.into_iter().find(|(_, _, d)| !carried.contains(d)) {
        return Err(fail(index, DocProblem::AttachmentMissing { name }));
    }
    let carries_volunteers = top
        .get("types")
        .and_then(Value::as_array)
        .is_some_and(|t| t.iter().any(|v| v == "volunteer"));
    check_redemptions(&docs, carries_volunteers)?;
    let text = |k: &str| {
        top.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let date = |k: &str| {
        top["range"]
            .get(k)
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let types = top
        .get("types")
        .and_then(Value::as_array)
        .map(|t| {
            t.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    Ok(ExportFile {
        format: FORMAT.into(),
        version: VERSION,
        exported_at: text("exported_at"),
        app_version: text("app_version"),
        station,
        range: Range {
            from: date("from"),
            until: date("until"),
        },
        types,
        docs,
    })
}

/// A live redemption must spend a positive number of points on a positive quantity, and,
/// when the file carries volunteers, name one of them.
fn check_redemptions(docs: &[Value], carries_volunteers: bool) -> Result<(), ImportError> {
    let volunteers: HashSet<&str> = docs
        .iter()
        .filter(|d| d.get("type").and_then(Value::as_str) == Some("volunteer"))
        .filter_map(|d| d.get("_id").and_then(Value::as_str))
        .collect();
    for (index, doc) in docs.iter().enumerate() {
        let live = doc.get("_deleted") != Some(&Value::Bool(true));
        if !live || doc.get("type").and_then(Value::as_str) != Some("redemption") {
            continue;
        }
        let fail = |problem| ImportError::Doc {
            index,
            id: doc.get("_id").and_then(Value::as_str).map(str::to_owned),
            problem,
        };
        for field in ["points", "quantity"] {
            if doc.get(field).and_then(Value::as_u64).unwrap_or(0) == 0 {
                return Err(fail(DocProblem::NotPositive(field)));
            }
        }
        let volunteer = doc
            .get("volunteer_id")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if carries_volunteers && !volunteers.contains(volunteer) {
            return Err(fail(DocProblem::UnknownVolunteer(volunteer.to_owned())));
        }
    }
    Ok(())
}

/// The top-level fields except `docs`.
fn header(top: &Map<String, Value>) -> Result<(), ImportError> {
    match top.get("format") {
        Some(Value::String(f)) if f == FORMAT => {}
        other => {
            return Err(ImportError::OtherFormat {
                found: other.and_then(Value::as_str).map(str::to_owned),
            })
        }
    }
    match top.get("version") {
        None => return Err(ImportError::MissingField { field: "version" }),
        Some(v) => match v.as_u64() {
            Some(VERSION) => {}
            Some(n) if n > VERSION => return Err(ImportError::NewerVersion { found: n }),
            _ => {
                return Err(ImportError::BadVersion {
                    found: v.to_string(),
                })
            }
        },
    }
    let string = |field: &'static str, expected: &'static str| match top.get(field) {
        None => Err(ImportError::MissingField { field }),
        Some(Value::String(s)) => Ok(s.as_str()),
        Some(_) => Err(ImportError::BadField { field, expected }),
    };
    let at = string("exported_at", "an RFC 3339 time")?;
    if parse_millis(at).is_err() {
        return Err(ImportError::BadField {
            field: "exported_at",
            expected: "an RFC 3339 time",
        });
    }
    string("app_version", "a string")?;
    let station = string(
        "station",
        "a station code (1–32 digits or lowercase letters)",
    )?;
    let code_ok = (1..=32).contains(&station.len())
        && station
            .bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase());
    if !code_ok {
        return Err(ImportError::BadField {
            field: "station",
            expected: "a station code (1–32 digits or lowercase letters)",
        });
    }
    let range_ok = match top.get("range") {
        None => return Err(ImportError::MissingField { field: "range" }),
        Some(Value::Object(r)) => ["from", "until"].iter().all(|k| match r.get(*k) {
            None | Some(Value::Null) => true,
            Some(Value::String(d)) => is_date(d),
            Some(_) => false,
        }),
        Some(_) => false,
    };
    if !range_ok {
        return Err(ImportError::BadField {
            field: "range",
            expected: "{\"from\", \"until\"}, each null or YYYY-MM-DD",
        });
    }
    let types_ok = match top.get("types") {
        None => true,
        Some(Value::Array(t)) => t
            .iter()
            .all(|t| t.as_str().and_then(model::DocType::parse).is_some()),
        Some(_) => false,
    };
    if !types_ok {
        return Err(ImportError::BadField {
            field: "types",
            expected: "an array of Yehua document types",
        });
    }
    Ok(())
}

/// Checks one entry; returns its id, its revision and what its attachments carry.
fn check_doc(
    doc: &Value,
    station: &str,
) -> Result<(String, String, attachments::Found), DocProblem> {
    let Value::Object(map) = doc else {
        return Err(DocProblem::NotAnObject);
    };
    let Some(Value::String(id)) = map.get("_id") else {
        return Err(DocProblem::MissingId);
    };
    let Some((prefix, _)) = id
        .split_once(':')
        .filter(|(p, r)| !p.is_empty() && !r.is_empty())
    else {
        return Err(DocProblem::BadId);
    };
    if id_type(id).is_none() {
        return Err(DocProblem::UnknownType(prefix.into()));
    }
    if let Some(k) = couch::reserved_field(map) {
        return Err(couch::ReplicatedError::ReservedField(k.to_owned()).into());
    }
    let deleted = match map.get("_deleted") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(DocProblem::BadDeleted),
    };
    // A tombstone keeps `type` and `station` when it can; an old one may lack them.
    let s = |k: &str| map.get(k).and_then(Value::as_str);
    if (!deleted || map.contains_key("type")) && s("type") != Some(prefix) {
        return Err(DocProblem::TypeMismatch {
            found: s("type").unwrap_or_default().into(),
            expected: prefix.into(),
        });
    }
    if (!deleted || map.contains_key("station")) && s("station") != Some(station) {
        return Err(DocProblem::WrongStation {
            found: s("station").unwrap_or_default().into(),
            expected: station.into(),
        });
    }
    // `_rev` and `_revisions` as every strict peer checks them (fields checked above).
    let generation = couch::check_replicated(map)?.pos;
    let found = attachments::check(map, generation)?;
    let rev = map.get("_rev").and_then(Value::as_str).unwrap_or_default();
    Ok((id.clone(), rev.to_owned(), found))
}

/// What importing did to one document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// It did not exist before.
    New,
    /// It existed and gained revisions.
    Updated,
    /// It already had every revision.
    Unchanged,
}

/// Per-document counts of an import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportReport {
    /// Documents that did not exist before.
    pub new: usize,
    /// Documents that gained revisions.
    pub updated: usize,
    /// Documents that had every revision already.
    pub unchanged: usize,
    /// Documents that have conflicting live leaves after the import.
    pub conflicts: usize,
}

impl ImportReport {
    /// Compares a record before and after merging; counts it and returns what happened.
    pub fn count(&mut self, before: Option<&DocRecord>, after: &DocRecord) -> Outcome {
        let outcome = match before {
            None => Outcome::New,
            Some(b) if b == after => Outcome::Unchanged,
            Some(_) => Outcome::Updated,
        };
        match outcome {
            Outcome::New => self.new += 1,
            Outcome::Updated => self.updated += 1,
            Outcome::Unchanged => self.unchanged += 1,
        }
        self.conflicts += usize::from(!after.tree.conflicts().is_empty());
        outcome
    }
}

impl std::fmt::Display for ImportReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "new {}, updated {}, unchanged {}, conflicts {}",
            self.new, self.updated, self.unchanged, self.conflicts
        )
    }
}

/// The result of planning an import.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The records that changed, after the merge, in id order: write exactly these.
    pub changed: Vec<DocRecord>,
    /// What happened per document.
    pub report: ImportReport,
    /// The attachment bytes the changed records refer to and the file carries, by
    /// digest: store these with the records (a store holding a digest already keeps it).
    pub blobs: BTreeMap<String, Vec<u8>>,
}

/// Merges a parsed file into the records `existing` returns (None for an unknown id).
pub fn plan(
    file: &ExportFile,
    mut existing: impl FnMut(&str) -> Option<DocRecord>,
) -> Result<Plan, ImportError> {
    let mut before: BTreeMap<String, Option<DocRecord>> = BTreeMap::new();
    let mut after: BTreeMap<String, DocRecord> = BTreeMap::new();
    let mut carried: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for (index, doc) in file.docs.iter().enumerate() {
        let id = doc["_id"].as_str().unwrap_or_default().to_owned();
        let rec = after.entry(id.clone()).or_insert_with(|| {
            let old = existing(&id);
            before.insert(id.clone(), old.clone());
            old.unwrap_or_else(|| DocRecord::new(id.clone()))
        });
        let mut doc = doc.clone();
        carried.extend(attachments::blobs(&mut doc));
        rec.put_replicated(doc).map_err(|e| ImportError::Doc {
            index,
            id: Some(id.clone()),
            problem: DocProblem::Merge(e),
        })?;
    }
    let mut report = ImportReport::default();
    let mut changed = Vec::new();
    let mut blobs = BTreeMap::new();
    for (id, rec) in after {
        let old = before.get(&id).and_then(Option::as_ref);
        if report.count(old, &rec) != Outcome::Unchanged {
            for d in rec.digests() {
                if let Some((d, bytes)) = carried.remove_entry(d) {
                    blobs.insert(d, bytes);
                }
            }
            changed.push(rec);
        }
    }
    Ok(Plan {
        changed,
        report,
        blobs,
    })
}

#[cfg(test)]
mod tests;
