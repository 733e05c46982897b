//! Merging many revisions of one document at once: the batch gives the same record as
//! merging them one by one, a stored tree reads back equal (its child counts rebuilt),
//! and the cost grows about linearly with the number of revisions — one request carrying
//! thousands of revisions of one document must not stall the hub (it took 37 s for 4,000
//! when every merge rescanned the tree and the bodies).

use couch::{DocError, DocRecord, RevId, RevTree};
use proptest::prelude::*;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// A replicated revision of `x` with its ancestry `path` (newest first).
fn replicated(path: &[RevId], n: usize) -> Value {
    json!({
        "_id": "x",
        "_rev": path[0].to_string(),
        "_revisions": {"start": path[0].pos, "ids": path.iter().map(|r| r.hash.clone()).collect::<Vec<_>>()},
        "n": n,
    })
}

/// Random revision paths of one document: node i has a parent among 0..i or none.
fn forest() -> impl Strategy<Value = Vec<Vec<RevId>>> {
    prop::collection::vec(any::<Option<prop::sample::Index>>(), 1..30).prop_map(|raw| {
        let parents: Vec<Option<usize>> = raw
            .iter()
            .enumerate()
            .map(|(i, p)| if i == 0 { None } else { p.map(|p| p.index(i)) })
            .collect();
        let path = |i: usize| {
            let mut ids = vec![i];
            while let Some(p) = parents[*ids.last().unwrap()] {
                ids.push(p);
            }
            let n = ids.len() as u64;
            ids.iter()
                .enumerate()
                .map(|(k, id)| RevId::new(n - k as u64, format!("h{id}")))
                .collect::<Vec<_>>()
        };
        (0..parents.len()).map(path).collect()
    })
}

proptest! {
    #[test]
    fn a_batch_merges_as_one_by_one(paths in forest()) {
        let docs: Vec<Value> = paths.iter().enumerate().map(|(i, p)| replicated(p, i)).collect();
        let mut one = DocRecord::new("x".into());
        let singles: Vec<_> = docs.iter().map(|d| one.put_replicated(d.clone()).unwrap()).collect();
        let mut all = DocRecord::new("x".into());
        let batch = all.put_replicated_all(docs).unwrap();
        prop_assert_eq!(singles, batch);
        prop_assert_eq!(&one, &all);
        let text = serde_json::to_string(&all).unwrap();
        let back: DocRecord = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(&back, &all, "a stored record reads back with the same child counts");
        let leaves: Vec<RevId> = all.tree.leaves().into_iter().map(|l| l.rev).collect();
        for rev in &leaves {
            prop_assert!(all.bodies.contains_key(&rev.to_string()), "every leaf keeps its body");
        }
        prop_assert_eq!(all.bodies.len(), leaves.len(), "only leaves keep bodies");
    }
}

/// `k` conflicting revisions `2-b<i>` of one document, all children of `1-root`.
fn branches(k: usize) -> Vec<Value> {
    let root = RevId::new(1, "root");
    (0..k)
        .map(|i| replicated(&[RevId::new(2, format!("b{i:06}")), root.clone()], i))
        .collect()
}

/// The fastest of three merges of `k` branches in one batch.
fn merge_time(k: usize) -> Duration {
    (0..3)
        .map(|_| {
            let docs = branches(k);
            let mut rec = DocRecord::new("x".into());
            let t = Instant::now();
            rec.put_replicated_all(docs).unwrap();
            let spent = t.elapsed();
            assert_eq!(rec.tree.leaves().len(), k);
            spent
        })
        .min()
        .unwrap()
}

#[test]
fn merging_k_revisions_is_near_linear() {
    let small = merge_time(2_000);
    let large = merge_time(8_000);
    // Four times the revisions: linear work is ~4x (n log n a little more); the old
    // quadratic merge was 16x and worse. 8x leaves room for a noisy machine.
    assert!(
        large < small * 8 + Duration::from_millis(50),
        "2,000 revisions took {small:?}, 8,000 took {large:?}"
    );
    assert!(
        large < Duration::from_secs(5),
        "8,000 revisions took {large:?}"
    );
}

#[test]
fn an_empty_revision_hash_is_refused() {
    let mut rec = DocRecord::new("x".into());
    let doc = json!({"_id": "x", "_rev": "2-a", "_revisions": {"start": 2, "ids": ["a", ""]}});
    assert!(matches!(
        rec.put_replicated(doc),
        Err(DocError::BadRevisions(_))
    ));
    assert!(rec.tree.is_empty(), "nothing was merged");
}

#[test]
fn a_body_nested_too_deep_is_refused_and_a_stored_record_reads_back() {
    let nest = |levels: usize| {
        let mut v = json!(1);
        for _ in 0..levels {
            v = json!([v]);
        }
        v
    };
    let mut rec = DocRecord::new("x".into());
    let deep = json!({"_id": "x", "v": nest(couch::MAX_DEPTH)});
    assert_eq!(rec.update(deep), Err(DocError::TooDeep));
    let ok = json!({"_id": "x", "v": nest(couch::MAX_DEPTH - 2)});
    rec.update(ok).unwrap();
    let text = serde_json::to_string(&rec).unwrap();
    let back: DocRecord = serde_json::from_str(&text).expect("within serde_json's limit");
    assert_eq!(back, rec);
}

#[test]
fn a_tree_reads_back_equal() {
    let mut t = RevTree::new();
    let p = |s: &[&str]| s.iter().map(|r| r.parse().unwrap()).collect::<Vec<RevId>>();
    t.merge(&p(&["3-c", "2-b", "1-a"]), false);
    t.merge(&p(&["2-x", "1-a"]), true);
    let back: RevTree = serde_json::from_str(&serde_json::to_string(&t).unwrap()).unwrap();
    assert_eq!(back, t);
    assert!(back.is_leaf(&"3-c".parse().unwrap()) && !back.is_leaf(&"1-a".parse().unwrap()));
}
