use super::*;
use serde_json::json;

fn doc(v: Value) -> Value {
    v
}

#[test]
fn edits_chain_and_stale_rev_conflicts() {
    let mut rec = DocRecord::new("activity:1".into());
    let r1 = rec
        .update(doc(json!({"_id": "activity:1", "title": "夜话"})))
        .unwrap();
    assert_eq!(r1.pos, 1);
    let r2 = rec
        .update(json!({"_id": "activity:1", "_rev": r1.to_string(), "title": "改"}))
        .unwrap();
    assert_eq!(r2.pos, 2);
    let stale = rec.update(json!({"_id": "activity:1", "_rev": r1.to_string(), "title": "旧"}));
    assert_eq!(stale, Err(DocError::Conflict));
    let no_rev = rec.update(json!({"_id": "activity:1", "title": "新"}));
    assert_eq!(no_rev, Err(DocError::Conflict));
    let w = rec.winner_doc().unwrap();
    assert_eq!(w["title"], "改");
    assert_eq!(w["_rev"], r2.to_string());
    assert_eq!(rec.bodies.len(), 1, "only leaf bodies are kept");
}

#[test]
fn delete_then_recreate_without_rev() {
    let mut rec = DocRecord::new("team:1".into());
    let r1 = rec
        .update(json!({"_id": "team:1", "name": "农技队"}))
        .unwrap();
    let r2 = rec
        .update(json!({"_id": "team:1", "_rev": r1.to_string(), "_deleted": true}))
        .unwrap();
    assert!(rec.is_deleted());
    assert_eq!(rec.winner_doc().unwrap()["_deleted"], true);
    let r3 = rec
        .update(json!({"_id": "team:1", "name": "医疗队"}))
        .unwrap();
    assert_eq!(r3.pos, r2.pos + 1);
    assert!(!rec.is_deleted());
}

#[test]
fn the_same_edit_on_two_phones_converges() {
    let mut a = DocRecord::new("x".into());
    let mut b = DocRecord::new("x".into());
    let ra = a.update(json!({"_id": "x", "n": 1, "s": "村"})).unwrap();
    let rb = b.update(json!({"s": "村", "n": 1, "_id": "x"})).unwrap();
    assert_eq!(ra, rb);
    let pushed = a.doc_with_revisions(&ra).unwrap();
    assert_eq!(b.put_replicated(pushed), Ok(MergeOutcome::AlreadyPresent));
    assert_eq!(a, b);
}

#[test]
fn replicated_paths_extend_or_branch() {
    let mut src = DocRecord::new("c".into());
    let r1 = src.update(json!({"_id": "c", "v": 1})).unwrap();
    let first = src.doc_with_revisions(&r1).unwrap();
    let r2 = src
        .update(json!({"_id": "c", "_rev": r1.to_string(), "v": 2}))
        .unwrap();
    assert_eq!(src.doc_at(&r1), None, "an ancestor's body is not kept");
    let mut dst = DocRecord::new("c".into());
    assert_eq!(dst.put_replicated(first), Ok(MergeOutcome::Extended));
    assert_eq!(
        dst.put_replicated(src.doc_with_revisions(&r2).unwrap()),
        Ok(MergeOutcome::Extended)
    );
    let other = json!({"_id": "c", "_rev": "2-zzz", "v": 3, "_revisions": {"start": 2, "ids": ["zzz", r1.hash]}});
    assert_eq!(dst.put_replicated(other), Ok(MergeOutcome::NewBranch));
    assert_eq!(dst.tree.leaves().len(), 2);
    assert_eq!(
        dst.winner_doc().unwrap()["v"],
        3,
        "2-zzz sorts above a hex hash"
    );
    assert_eq!(dst.tree.conflicts(), vec![r2]);
}

#[test]
fn bad_documents_are_refused() {
    let mut rec = DocRecord::new("a".into());
    assert_eq!(rec.update(json!([1])), Err(DocError::NotAnObject));
    assert_eq!(rec.update(json!({"v": 1})), Err(DocError::MissingId));
    assert!(matches!(
        rec.update(json!({"_id": "b"})),
        Err(DocError::IdMismatch { .. })
    ));
    assert_eq!(
        rec.update(json!({"_id": "a", "_foo": 1})),
        Err(DocError::ReservedField("_foo".into()))
    );
    assert!(matches!(
        rec.update(json!({"_id": "a", "_rev": "nonsense"})),
        Err(DocError::BadRev(_))
    ));
    assert_eq!(
        rec.put_replicated(json!({"_id": "a"})),
        Err(DocError::MissingRev)
    );
    let bad = json!({"_id": "a", "_rev": "2-b", "_revisions": {"start": 2, "ids": ["c", "a"]}});
    assert!(matches!(
        rec.put_replicated(bad),
        Err(DocError::BadRevisions(_))
    ));
    let too_long =
        json!({"_id": "a", "_rev": "1-b", "_revisions": {"start": 1, "ids": ["b", "a"]}});
    assert!(matches!(
        rec.put_replicated(too_long),
        Err(DocError::BadRevisions(_))
    ));
    assert!(
        rec.tree.is_empty() && rec.bodies.is_empty(),
        "refused writes change nothing"
    );
}

#[test]
fn record_round_trips_through_json() {
    let mut rec = DocRecord::new("r".into());
    let r1 = rec.update(json!({"_id": "r", "t": "夜话"})).unwrap();
    rec.update(json!({"_id": "r", "_rev": r1.to_string(), "_deleted": true}))
        .unwrap();
    let text = serde_json::to_string(&rec).unwrap();
    let back: DocRecord = serde_json::from_str(&text).unwrap();
    assert_eq!(back, rec);
    assert!(back.is_deleted());
}
