//! Pages read in rounds (`src/store/page.rs`): a cursor marks where each round ends, and
//! the round's entries are taken out of the packs that hold them. Whatever the direction,
//! page size, filter and scan limit, following the cursors lists exactly what IndexedDB's
//! index order says, once each.

use super::fresh;
use serde_json::{json, Value};
use std::cmp::Ordering;
use wasm_bindgen_test::*;
use yehua::store::{PageQuery, Store};

/// IndexedDB's order on `[sort time, id]`: strings by UTF-16 code units.
fn index_order(a: &(String, String), b: &(String, String)) -> Ordering {
    (a.0.encode_utf16().cmp(b.0.encode_utf16())).then(a.1.encode_utf16().cmp(b.1.encode_utf16()))
}

fn activity(id: &str, minute: usize) -> Value {
    json!({
        "_id": id,
        "type": "activity",
        "kind": "evening_forum",
        "title": format!("夜话 {id}"),
        "start": format!("2026-03-01T19:{:02}:00+08:00", minute % 60),
        "villagers_present": minute % 7,
    })
}

/// Every page of `q` through its cursors, keeping what `keep` accepts: field `field` of
/// each document, in order.
pub(super) async fn follow(
    store: &Store,
    mut q: PageQuery,
    keep: &dyn Fn(&Value) -> bool,
    max_scan: u32,
    field: &str,
) -> Vec<String> {
    let mut seen = Vec::new();
    for _ in 0..1_000 {
        let page = store.page_matching(&q, keep, max_scan).await.unwrap();
        assert!(
            page.docs.len() <= q.limit as usize,
            "a page holds at most its limit"
        );
        seen.extend(
            page.docs
                .iter()
                .map(|d| d[field].as_str().unwrap().to_owned()),
        );
        match page.next {
            Some(next) => q.after = Some(next),
            None => return seen,
        }
    }
    panic!("the cursors never ended");
}

#[wasm_bindgen_test]
async fn pages_in_rounds_list_the_index_order_both_ways_across_packs() {
    let store = fresh("t_rounds").await;
    // 420 activities written in three batches, many sharing a start time (so ids decide),
    // some ids that UTF-8 and UTF-16 order differently, then edits and deletions that move
    // documents onto newer packs: a pack ends up holding entries of many rounds.
    let mut ids: Vec<String> = (0..420).map(|i| format!("activity:{i:04}")).collect();
    ids.extend(["activity:😀", "activity:～", "activity:\u{e000}"].map(String::from));
    // The three non-ASCII ids share one start time, so only their ids order them.
    let minute = |i: usize, id: &str| if id.is_ascii() { i * 7 } else { 0 };
    for chunk in ids.chunks(150) {
        let docs = chunk
            .iter()
            .enumerate()
            .map(|(i, id)| activity(id, minute(i, id)))
            .collect();
        store.bulk_put(docs).await.unwrap();
    }
    let mut live: Vec<(String, String, bool)> = Vec::new();
    for (n, id) in ids.iter().enumerate() {
        let mut doc = store.get(id).await.unwrap();
        match n % 9 {
            0 => {
                let rev = doc["_rev"].as_str().unwrap().parse().unwrap();
                store.delete(id, &rev).await.unwrap();
                continue;
            }
            4 => {
                doc["start"] = json!(format!("2026-03-01T18:{:02}:30+08:00", n % 60));
                store.put(doc.clone()).await.unwrap();
            }
            _ => {}
        }
        let kept = doc["villagers_present"].as_u64().unwrap() % 3 == 0;
        live.push((doc["start"].as_str().unwrap().to_owned(), id.clone(), kept));
    }
    // One document of another type between the activities' keys and after them.
    store
        .put(json!({"_id": "attendance:x", "type": "attendance", "activity_id": "activity:0001", "volunteer_id": "volunteer:1", "hours": 2}))
        .await
        .unwrap();
    live.sort_by(|a, b| index_order(&(a.0.clone(), a.1.clone()), &(b.0.clone(), b.1.clone())));
    let oldest: Vec<String> = live.iter().map(|l| l.1.clone()).collect();
    let oldest_kept: Vec<String> = live.iter().filter(|l| l.2).map(|l| l.1.clone()).collect();
    let keep = |d: &Value| d["villagers_present"].as_u64().unwrap() % 3 == 0;
    for newest_first in [true, false] {
        let (mut all, mut kept) = (oldest.clone(), oldest_kept.clone());
        if newest_first {
            all.reverse();
            kept.reverse();
        }
        for limit in [1, 7, 50, 1_000] {
            let q = PageQuery {
                doc_type: "activity".into(),
                newest_first,
                after: None,
                limit,
            };
            assert_eq!(
                follow(&store, q.clone(), &|_| true, u32::MAX, "_id").await,
                all,
                "every live activity, newest first {newest_first}, pages of {limit}"
            );
            for max_scan in [5, 13, 2_000] {
                assert_eq!(
                    follow(&store, q.clone(), &keep, max_scan, "_id").await,
                    kept,
                    "the kept ones, newest first {newest_first}, pages of {limit}, scans of {max_scan}"
                );
            }
        }
    }
}
