//! Building an export file from stored records. Owns the choice of documents (by type and
//! by date) and their order; never reads a store or the clock.
//!
//! The date rule — a document is in the range when the local date (UTC+8) of:
//! - an activity's `start`,
//! - an attendance record's `check_in`,
//! - a response's `collected_at`,
//! - a points adjustment's or a redemption's `at`,
//! - any other dated document's `created_at` **or** `updated_at` (so a concern raised
//!   earlier but resolved inside the range travels with its resolution)
//!
//! falls within `from..=until`. Stations, teams, volunteers, points rules and shop items are
//! always included when their type is chosen (turnout and points need them); so is a leaf without the date field (an old
//! tombstone), since a deletion must reach headquarters. A record is exported when any of
//! its leaves is chosen, and then with every leaf, so conflicts travel too. Records of
//! another station are left out (the importer would refuse them).
//!
//! Attachments: [`build`] writes each leaf's stubs; [`inline_attachments`] then puts the
//! bytes in as CouchDB's `data` (含照片), each digest once. A file whose stubs have no
//! bytes anywhere in it is refused by the importer.

use crate::file::{ExportFile, Range, FORMAT, VERSION};
use couch::DocRecord;
use model::time::date_cst;
use model::DocType;
use serde_json::Value;

/// What to export.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Filter {
    /// First local date `YYYY-MM-DD` (inclusive), or open.
    pub from: Option<String>,
    /// Last local date `YYYY-MM-DD` (inclusive), or open.
    pub until: Option<String>,
    /// The types to export; empty means every type.
    pub types: Vec<DocType>,
}

impl Filter {
    fn wants_type(&self, t: DocType) -> bool {
        self.types.is_empty() || self.types.contains(&t)
    }

    fn in_range(&self, date: &str) -> bool {
        self.from.as_deref().is_none_or(|f| date >= f)
            && self.until.as_deref().is_none_or(|u| date <= u)
    }

    /// Whether one leaf body of a document of type `t` is chosen by date.
    pub fn wants_body(&self, t: DocType, body: &Value) -> bool {
        let fields: &[&str] = match t {
            DocType::Station
            | DocType::Team
            | DocType::Volunteer
            | DocType::PointsRules
            | DocType::ShopItem => return true,
            DocType::PointsAdjustment | DocType::Redemption | DocType::Review => &["at"],
            DocType::Photo => &["taken_at"],
            DocType::Activity => &["start"],
            DocType::Attendance => &["check_in"],
            DocType::Response => &["collected_at"],
            DocType::Concern | DocType::Survey => &["created_at", "updated_at"],
        };
        let dates: Vec<Option<String>> = fields
            .iter()
            .filter_map(|f| body.get(*f))
            .map(|v| v.as_str().and_then(date_cst))
            .collect();
        dates.is_empty() || dates.iter().flatten().any(|d| self.in_range(d))
    }
}

/// The type named by a document id's prefix (`activity:…`).
pub fn id_type(id: &str) -> Option<DocType> {
    id.split_once(':').and_then(|(t, _)| DocType::parse(t))
}

/// Builds the export file of `station` from its stored records.
pub fn build<'a>(
    station: &str,
    exported_at: &str,
    app_version: &str,
    filter: &Filter,
    records: impl IntoIterator<Item = &'a DocRecord>,
) -> ExportFile {
    let mut chosen: Vec<(DocType, &DocRecord)> = records
        .into_iter()
        .filter_map(|r| Some((id_type(&r.id)?, r)))
        .filter(|(t, r)| {
            let bodies = || r.bodies.values();
            filter.wants_type(*t)
                && bodies().all(|b| b.get("station").is_none_or(|s| s == station))
                && bodies().any(|b| filter.wants_body(*t, b))
        })
        .collect();
    chosen.sort_by(|a, b| (a.0, &a.1.id).cmp(&(b.0, &b.1.id)));
    let docs = chosen
        .iter()
        .flat_map(|(_, r)| {
            r.tree
                .leaves()
                .into_iter()
                .filter_map(|l| r.doc_with_revisions(&l.rev))
        })
        .collect();
    let types = if filter.types.is_empty() {
        DocType::ALL.to_vec()
    } else {
        let mut t = filter.types.clone();
        t.sort();
        t.dedup();
        t
    };
    ExportFile {
        format: FORMAT.into(),
        version: VERSION,
        exported_at: exported_at.into(),
        app_version: app_version.into(),
        station: station.into(),
        range: Range {
            from: filter.from.clone(),
            until: filter.until.clone(),
        },
        types: types.iter().map(|t| t.as_str().to_owned()).collect(),
        docs,
    }
}

/// Puts the bytes of the file's attachments (a photo's JPEGs, 含照片) inline as CouchDB's
/// `data`, each digest once: its first entry carries the bytes, later ones stay stubs
/// (the importer takes them from the first). `bytes` gives the stored bytes of a digest.
/// A record any of whose bytes are not at hand (a full photo the phone no longer keeps)
/// is left out whole, since its stub could not be imported; their ids are returned.
pub fn inline_attachments(
    file: &mut ExportFile,
    mut bytes: impl FnMut(&str) -> Option<Vec<u8>>,
) -> Vec<String> {
    let mut missing: Vec<String> = Vec::new();
    let mut have: std::collections::HashMap<String, Option<Vec<u8>>> = Default::default();
    for doc in &file.docs {
        let Some(atts) = doc.get("_attachments").and_then(Value::as_object) else {
            continue;
        };
        for stub in atts.values() {
            let d = stub["digest"].as_str().unwrap_or_default();
            let found = have.entry(d.to_owned()).or_insert_with(|| bytes(d));
            let id = doc["_id"].as_str().unwrap_or_default();
            if found.is_none() && !missing.iter().any(|m| m == id) {
                missing.push(id.to_owned());
            }
        }
    }
    file.docs
        .retain(|d| !missing.iter().any(|m| d["_id"].as_str() == Some(m)));
    let mut sent = std::collections::HashSet::new();
    for doc in &mut file.docs {
        let Some(atts) = doc.get_mut("_attachments").and_then(Value::as_object_mut) else {
            continue;
        };
        for stub in atts.values_mut() {
            let d = stub["digest"].as_str().unwrap_or_default().to_owned();
            if let (true, Some(Some(b))) = (sent.insert(d.clone()), have.get(&d)) {
                let e = stub.as_object_mut().expect("a stub is an object");
                e.remove("stub");
                e.insert("data".into(), couch::attachment::encode(b).into());
            }
        }
    }
    missing
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record(doc: Value) -> DocRecord {
        let mut r = DocRecord::new(doc["_id"].as_str().unwrap().into());
        r.update(doc).unwrap();
        r
    }

    #[test]
    fn chooses_by_type_and_date_and_keeps_every_leaf() {
        let s = "330106001";
        let early = record(
            json!({"_id": "activity:1", "type": "activity", "station": s,
            "start": "2026-10-31T16:30:00Z"}),
        );
        let late = record(
            json!({"_id": "activity:2", "type": "activity", "station": s,
            "start": "2026-12-01T19:00:00+08:00"}),
        );
        let vol = record(json!({"_id": "volunteer:1", "type": "volunteer", "station": s}));
        let other = record(
            json!({"_id": "activity:3", "type": "activity", "station": "9",
            "start": "2026-11-02T19:00:00+08:00"}),
        );
        let mut concern = record(json!({"_id": "concern:1", "type": "concern", "station": s,
            "created_at": "2026-10-01T19:00:00+08:00", "updated_at": "2026-11-03T19:00:00+08:00"}));
        // A second branch: the concern is in conflict.
        concern
            .put_replicated(
                json!({"_id": "concern:1", "_rev": "1-0123456789abcdef0123456789abcdef",
                "type": "concern", "station": s, "created_at": "2026-10-01T19:00:00+08:00",
                "updated_at": "2026-10-01T19:00:00+08:00"}),
            )
            .unwrap();
        let filter = Filter {
            from: Some("2026-11-01".into()),
            until: Some("2026-11-30".into()),
            types: vec![DocType::Activity, DocType::Volunteer, DocType::Concern],
        };
        let recs = [early, late, vol, other, concern];
        let f = build(s, "2026-12-01T08:00:00+08:00", "0.1.0", &filter, &recs);
        let ids: Vec<&str> = f.docs.iter().map(|d| d["_id"].as_str().unwrap()).collect();
        // 31 Oct 16:30 UTC is 1 November in the village.
        assert_eq!(ids, ["volunteer:1", "activity:1", "concern:1", "concern:1"]);
        assert!(f.docs.iter().all(|d| d["_revisions"]["ids"].is_array()));
        assert_eq!(f.types, ["volunteer", "activity", "concern"]);
        let none = Filter {
            types: vec![DocType::Response],
            ..Filter::default()
        };
        assert!(build(s, "2026-12-01T08:00:00+08:00", "0.1.0", &none, &recs)
            .docs
            .is_empty());
    }
}
