//! Export → JSON → import on the demo data: lossless, idempotent, safe to overlap, and
//! every exported file valid against `docs/export.schema.json`.

mod common;

use common::{demo_records, Schema, STATION};
use couch::DocRecord;
use exchange::{build, file_name, parse, plan, Filter, ImportReport};
use model::DocType;
use std::collections::BTreeMap;

const AT: &str = "2026-11-20T21:00:00+08:00";

type Db = BTreeMap<String, DocRecord>;

fn export(records: &[DocRecord], filter: &Filter) -> Vec<u8> {
    let file = build(STATION, AT, "0.1.0", filter, records);
    serde_json::to_vec_pretty(&file).unwrap()
}

/// Parses and merges `bytes` into `db`, as the hub and the app do.
fn import(db: &mut Db, bytes: &[u8]) -> ImportReport {
    let file = parse(bytes).unwrap();
    let p = plan(&file, |id| db.get(id).cloned()).unwrap();
    for r in p.changed {
        db.insert(r.id.clone(), r);
    }
    p.report
}

fn as_db(records: Vec<DocRecord>) -> Db {
    records.into_iter().map(|r| (r.id.clone(), r)).collect()
}

#[test]
fn export_then_import_is_lossless_and_a_second_import_changes_nothing() {
    let records = demo_records();
    let bytes = export(&records, &Filter::default());
    let mut db = Db::new();
    let first = import(&mut db, &bytes);
    assert_eq!(db, as_db(records.clone()));
    assert_eq!(first.new, records.len());
    assert_eq!((first.updated, first.unchanged, first.conflicts), (0, 0, 1));
    let snapshot = serde_json::to_string(&db).unwrap();
    let second = import(&mut db, &bytes);
    assert_eq!(
        second,
        ImportReport {
            unchanged: records.len(),
            conflicts: 1,
            ..ImportReport::default()
        }
    );
    assert_eq!(serde_json::to_string(&db).unwrap(), snapshot);
    assert_eq!(
        file_name(STATION, AT).unwrap(),
        "yehua-330106001-20261120.json"
    );
}

#[test]
fn overlapping_exports_import_in_any_order() {
    let records = demo_records();
    let spring = Filter {
        from: Some("2025-10-01".into()),
        until: Some("2026-06-30".into()),
        ..Filter::default()
    };
    let autumn = Filter {
        from: Some("2026-06-01".into()),
        until: Some("2026-12-31".into()),
        ..Filter::default()
    };
    let (a, b) = (export(&records, &spring), export(&records, &autumn));
    let mut one = Db::new();
    import(&mut one, &a);
    let second = import(&mut one, &b);
    // Volunteers, teams and June's documents are in both files.
    assert!(second.unchanged >= 45 && second.new > 0, "{second}");
    assert_eq!(second.updated, 0);
    let mut two = Db::new();
    import(&mut two, &b);
    import(&mut two, &a);
    assert_eq!(one, two);
    assert_eq!(one, as_db(records));
}

#[test]
fn an_older_copy_is_updated_by_a_newer_export() {
    let records = demo_records();
    let mut db = as_db(records.clone());
    let act = records
        .iter()
        .find(|r| r.id.starts_with("activity:"))
        .unwrap();
    // Headquarters holds the activity as it was before its edit.
    let mut old = DocRecord::new(act.id.clone());
    let first = act.tree.path(&act.winner_rev().unwrap()).pop().unwrap();
    let mut body = act.winner_doc().unwrap();
    body.as_object_mut().unwrap().remove("notes");
    body["notes"] = serde_json::json!("");
    body.as_object_mut().unwrap().remove("_rev");
    old.update(body).unwrap();
    assert_eq!(old.winner_rev(), Some(first));
    db.insert(old.id.clone(), old);
    let only = Filter {
        types: vec![DocType::Activity],
        ..Filter::default()
    };
    let report = import(&mut db, &export(&records, &only));
    assert_eq!(report.updated, 1);
    assert_eq!(db, as_db(records));
}

#[test]
fn exported_files_match_the_published_schema() {
    let schema = Schema::load();
    let records = demo_records();
    for filter in [
        Filter::default(),
        Filter {
            from: Some("2026-01-01".into()),
            until: None,
            types: vec![DocType::Volunteer, DocType::Attendance, DocType::Concern],
        },
    ] {
        let value: serde_json::Value = serde_json::from_slice(&export(&records, &filter)).unwrap();
        schema.check(&value).unwrap();
        assert!(!value["docs"].as_array().unwrap().is_empty());
    }
}
