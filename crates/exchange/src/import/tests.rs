use super::*;
use serde_json::json;

const H1: &str = "0123456789abcdef0123456789abcdef";
const H2: &str = "fedcba9876543210fedcba9876543210";

fn file(docs: Value) -> Vec<u8> {
    json!({"format": "yehua-export", "version": 1, "exported_at": "2026-11-22T20:00:00+08:00",
        "app_version": "0.1.0", "station": "330106001", "range": {"from": null, "until": null},
        "docs": docs})
    .to_string()
    .into_bytes()
}

fn doc(rev: &str, ids: &[&str], title: &str) -> Value {
    let start: u64 = rev.split('-').next().unwrap().parse().unwrap();
    json!({"_id": "activity:1", "_rev": rev, "_revisions": {"start": start, "ids": ids},
        "type": "activity", "station": "330106001", "title": title})
}

#[test]
fn a_bom_is_accepted_and_a_tombstone_may_lack_type_and_station() {
    let tomb = json!({"_id": "concern:9", "_rev": format!("2-{H2}"), "_deleted": true,
        "_revisions": {"start": 2, "ids": [H2, H1]}});
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(file(json!([tomb])));
    let f = parse(&bytes).unwrap();
    assert_eq!(f.docs.len(), 1);
    assert_eq!(f.station, "330106001");
}

#[test]
fn errors_name_the_document_and_read_in_chinese() {
    let bad = doc(&format!("1-{H1}"), &[H2], "x");
    let e = parse(&file(json!([doc(&format!("1-{H2}"), &[H2], "ok"), bad]))).unwrap_err();
    assert_eq!(e.code(), "hash_mismatch");
    assert!(
        e.to_string()
            .starts_with("docs[1] (_id Some(\"activity:1\"))"),
        "{e}"
    );
    assert_eq!(e.zh(), "第 2 条记录（activity:1）版本历史与版本号不一致");
    let newer = String::from_utf8(file(json!([])))
        .unwrap()
        .replace("\"version\":1", "\"version\":2");
    let e = parse(newer.as_bytes()).unwrap_err();
    assert!(e.zh().contains("请升级应用"), "{}", e.zh());
}

#[test]
fn plan_merges_by_revision_and_reports() {
    let one = doc(&format!("1-{H1}"), &[H1], "夜话");
    let two = doc(&format!("2-{H2}"), &[H2, H1], "夜话·改");
    let first = parse(&file(json!([one.clone()]))).unwrap();
    let p = plan(&first, |_| None).unwrap();
    assert_eq!(
        p.report,
        ImportReport {
            new: 1,
            ..ImportReport::default()
        }
    );
    let stored = p.changed[0].clone();
    // Again: nothing changes.
    let again = plan(&first, |_| Some(stored.clone())).unwrap();
    assert!(again.changed.is_empty());
    assert_eq!(
        again.report,
        ImportReport {
            unchanged: 1,
            ..ImportReport::default()
        }
    );
    // An extension updates; a rival root makes a conflict.
    let rival = doc(&format!("1-{H2}"), &[H2], "另一部手机");
    let later = parse(&file(json!([two, rival]))).unwrap();
    let p = plan(&later, |_| Some(stored.clone())).unwrap();
    assert_eq!(
        p.report,
        ImportReport {
            updated: 1,
            conflicts: 1,
            ..ImportReport::default()
        }
    );
    assert_eq!(p.changed[0].tree.leaves().len(), 2);
}
