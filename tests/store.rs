//! Browser tests of the IndexedDB store, in headless Chromium (wasm-bindgen-test).
//! Each test uses its own database name, so they never see each other's data.
#![cfg(target_arch = "wasm32")]

use serde_json::{json, Value};
use wasm_bindgen_test::*;
use yehua::store::{PageQuery, Relation, Store, StoreError};

wasm_bindgen_test_configure!(run_in_browser);

#[path = "store/counted.rs"]
mod counted;
#[path = "store/open.rs"]
mod open;
#[path = "store/paging.rs"]
mod paging;

async fn fresh(name: &str) -> Store {
    Store::delete_database(name).await.unwrap();
    Store::open_named(name, yehua::store::SCHEMA_VERSION)
        .await
        .unwrap()
}

fn activity(i: usize) -> Value {
    json!({
        "_id": format!("activity:{i:05}"),
        "type": "activity",
        "kind": "evening_forum",
        "title": format!("第{i}场夜话：生猪养殖技术"),
        "start": format!("2026-01-01T19:{:02}:{:02}+08:00", (i / 60) % 60, i % 60),
        "villagers_present": i % 90,
    })
}

#[wasm_bindgen_test]
async fn round_trip_keeps_chinese_text() {
    let store = fresh("t_round_trip").await;
    let doc = json!({"_id": "activity:1", "type": "activity", "title": "乡村振兴新政策解读 🌾",
        "notes": "群众畅谈：灌溉水渠年久失修，需要维修。"});
    let rev = store.put(doc.clone()).await.unwrap();
    assert_eq!(rev.pos, 1);
    let got = store.get("activity:1").await.unwrap();
    assert_eq!(got["title"], doc["title"]);
    assert_eq!(got["notes"], doc["notes"]);
    assert_eq!(got["_rev"], rev.to_string());
    assert_eq!(store.update_seq().await.unwrap(), 1);
}

#[wasm_bindgen_test]
async fn stale_rev_is_a_conflict_and_changes_nothing() {
    let store = fresh("t_conflict").await;
    let r1 = store
        .put(json!({"_id": "team:1", "type": "team", "name": "农技服务队"}))
        .await
        .unwrap();
    let r2 = store
        .put(json!({"_id": "team:1", "_rev": r1.to_string(), "type": "team", "name": "农技志愿服务队"}))
        .await
        .unwrap();
    let stale = store
        .put(json!({"_id": "team:1", "_rev": r1.to_string(), "type": "team", "name": "旧的修改"}))
        .await;
    assert!(
        matches!(stale, Err(StoreError::Conflict(ref id)) if id == "team:1"),
        "{stale:?}"
    );
    let missing_rev = store
        .put(json!({"_id": "team:1", "type": "team", "name": "没有版本"}))
        .await;
    assert!(matches!(missing_rev, Err(StoreError::Conflict(_))));
    let got = store.get("team:1").await.unwrap();
    assert_eq!(got["name"], "农技志愿服务队");
    assert_eq!(got["_rev"], r2.to_string());
    assert_eq!(store.update_seq().await.unwrap(), 2);
}

#[wasm_bindgen_test]
async fn delete_writes_a_tombstone_that_replicates_and_can_be_undone() {
    let store = fresh("t_tombstone").await;
    let r1 = store
        .put(json!({"_id": "concern:1", "type": "concern", "activity_id": "activity:1", "status": "open", "text": "路灯坏了"}))
        .await
        .unwrap();
    let tomb = store.delete("concern:1", &r1).await.unwrap();
    assert_eq!(tomb.pos, 2);
    assert!(matches!(
        store.get("concern:1").await,
        Err(StoreError::NotFound(_))
    ));
    let record = store
        .get_record("concern:1")
        .await
        .unwrap()
        .expect("tombstone kept");
    assert!(record.is_deleted());
    assert_eq!(
        store
            .count_related(Relation::ConcernsByStatus, "open")
            .await
            .unwrap(),
        0
    );
    assert_eq!(store.count_type("concern").await.unwrap(), 0);
    let changes = store.changes_since(0, 100).await.unwrap();
    assert_eq!(changes.len(), 1, "one feed entry per document");
    assert!(changes[0].record.is_deleted());
    // Undo: write the old body again on top of the tombstone.
    let undo = store
        .put(json!({"_id": "concern:1", "_rev": tomb.to_string(), "type": "concern", "activity_id": "activity:1", "status": "open", "text": "路灯坏了"}))
        .await
        .unwrap();
    assert_eq!(undo.pos, 3);
    assert_eq!(store.get("concern:1").await.unwrap()["text"], "路灯坏了");
    assert_eq!(
        store
            .count_related(Relation::ConcernsByActivity, "activity:1")
            .await
            .unwrap(),
        1
    );
}

#[wasm_bindgen_test]
async fn bulk_write_of_ten_thousand_docs_in_one_transaction() {
    let store = fresh("t_bulk").await;
    let docs: Vec<Value> = (0..10_000).map(activity).collect();
    let results = store.bulk_put(docs).await.unwrap();
    assert_eq!(results.len(), 10_000);
    assert!(results.iter().all(Result::is_ok));
    assert_eq!(store.count_type("activity").await.unwrap(), 10_000);
    assert_eq!(store.update_seq().await.unwrap(), 10_000);
    let tail = store.changes_since(9_990, 100).await.unwrap();
    assert_eq!(
        tail.iter().map(|c| c.seq).collect::<Vec<_>>(),
        (9_991..=10_000).collect::<Vec<_>>()
    );
}

#[wasm_bindgen_test]
async fn pages_are_newest_first_without_gaps_or_repeats() {
    let store = fresh("t_paging").await;
    store
        .bulk_put((0..120).map(activity).collect())
        .await
        .unwrap();
    store
        .put(json!({"_id": "volunteer:1", "type": "volunteer", "name": "张三"}))
        .await
        .unwrap();
    let q = PageQuery {
        doc_type: "activity".into(),
        newest_first: true,
        after: None,
        limit: 50,
    };
    let seen = paging::follow(&store, q, &|_| true, u32::MAX, "start").await;
    assert_eq!(seen.len(), 120);
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.reverse();
    assert_eq!(seen, sorted, "newest first");
    sorted.dedup();
    assert_eq!(sorted.len(), 120, "no repeats");
}

#[wasm_bindgen_test]
async fn relation_indexes_find_attendance_by_activity_and_volunteer() {
    let store = fresh("t_relations").await;
    let mut docs = Vec::new();
    for a in 0..3 {
        for v in 0..4 {
            docs.push(json!({"_id": format!("attendance:activity:{a}:volunteer:{v}"), "type": "attendance",
                "activity_id": format!("activity:{a}"), "volunteer_id": format!("volunteer:{v}")}));
        }
    }
    store.bulk_put(docs).await.unwrap();
    let of_a1 = store
        .related(Relation::AttendanceByActivity, "activity:1", 100)
        .await
        .unwrap();
    assert_eq!(of_a1.len(), 4);
    assert!(of_a1.iter().all(|d| d["activity_id"] == "activity:1"));
    assert_eq!(
        store
            .related(Relation::AttendanceByVolunteer, "volunteer:2", 100)
            .await
            .unwrap()
            .len(),
        3
    );
}

#[wasm_bindgen_test]
async fn migration_from_version_one_keeps_data_and_indexes_it() {
    let name = "t_migrate";
    Store::delete_database(name).await.unwrap();
    Store::open_named(name, 1).await.unwrap().close();
    let mut response = couch::DocRecord::new("response:1".into());
    response
        .update(json!({"_id": "response:1", "type": "response", "survey_id": "survey:9", "answers": {"q1": 5}}))
        .unwrap();
    write_old_layout(
        name,
        &[(response, 1)],
        |_| {},
        &[("profile", r#"{"station_code":"330106001"}"#)],
    )
    .await;
    // Read at today's schema: the layout rows were written in is read by no build since
    // schema 6 (which copies them into packs), so the steps in between are checked through it.
    let v2 = Store::open_named(name, yehua::store::SCHEMA_VERSION)
        .await
        .unwrap();
    let found = v2
        .related(Relation::ResponsesBySurvey, "survey:9", 10)
        .await
        .unwrap();
    assert_eq!(found.len(), 1, "the v2 index covers rows written under v1");
    assert_eq!(found[0]["answers"]["q1"], 5);
    let profile: Option<Value> = v2.get_local("profile").await.unwrap();
    assert_eq!(profile.unwrap()["station_code"], "330106001");
    v2.close();
    let too_old = Store::open_named(name, 1).await;
    assert!(
        matches!(too_old, Err(StoreError::VersionError(_))),
        "{too_old:?}"
    );
}

#[wasm_bindgen_test]
async fn replicated_revisions_merge_into_conflicts() {
    let store = fresh("t_replicated").await;
    let r1 = store
        .put(json!({"_id": "activity:c", "type": "activity", "title": "甲"}))
        .await
        .unwrap();
    let local = store
        .put(
            json!({"_id": "activity:c", "_rev": r1.to_string(), "type": "activity", "title": "乙"}),
        )
        .await
        .unwrap();
    let remote = json!({"_id": "activity:c", "_rev": "2-ffffffffffffffffffffffffffffffff", "type": "activity", "title": "丙",
        "_revisions": {"start": 2, "ids": ["ffffffffffffffffffffffffffffffff", r1.hash]}});
    let out = store.put_replicated(vec![remote.clone()]).await.unwrap();
    assert!(out[0].is_ok());
    let again = store.put_replicated(vec![remote]).await.unwrap();
    assert!(again[0].is_ok());
    let record = store.get_record("activity:c").await.unwrap().unwrap();
    assert_eq!(record.tree.leaves().len(), 2);
    let winner = store.get("activity:c").await.unwrap();
    let expected = if local.hash.as_str() > "ffffffffffffffffffffffffffffffff" {
        "乙"
    } else {
        "丙"
    };
    assert_eq!(winner["title"], expected);
    assert_eq!(
        store.update_seq().await.unwrap(),
        3,
        "re-sending a known revision writes nothing"
    );
}

/// Two phones check the same volunteer in to the same activity while offline: the
/// deterministic attendance id makes replication merge them into one document (with a
/// conflict to resolve), never two attendance records.
#[wasm_bindgen_test]
async fn concurrent_check_ins_converge_on_one_attendance_document() {
    let (a, b) = (fresh("t_attend_a").await, fresh("t_attend_b").await);
    let act = "activity:0190a0b0-0000-7000-8000-000000000001";
    let vol = "volunteer:0190a0b0-0000-7000-8000-000000000002";
    let id = model::id::attendance_id(act, vol);
    let doc = |at: &str| {
        json!({"_id": id, "type": "attendance", "station": "330106001",
        "activity_id": act, "volunteer_id": vol, "check_in": at, "role": "service"})
    };
    a.put(doc("2026-11-22T19:01:00+08:00")).await.unwrap();
    b.put(doc("2026-11-22T19:02:00+08:00")).await.unwrap();
    let from_a = a.get_record(&id).await.unwrap().unwrap();
    let leaf = from_a.winner_rev().unwrap();
    let sent = from_a.doc_with_revisions(&leaf).unwrap();
    b.put_replicated(vec![sent])
        .await
        .unwrap()
        .pop()
        .unwrap()
        .unwrap();
    assert_eq!(
        b.count_related(Relation::AttendanceByActivity, act)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        b.count_related(Relation::AttendanceByVolunteer, vol)
            .await
            .unwrap(),
        1
    );
    let merged = b.get_record(&id).await.unwrap().unwrap();
    assert_eq!(
        merged.tree.leaves().len(),
        2,
        "both check-ins kept as one document's conflict"
    );
}

/// A rare search term over 10,000 activities: each call scans at most `max_scan` rows and
/// hands back a cursor, and following the cursors finds every match exactly once.
#[wasm_bindgen_test]
async fn filtered_paging_scans_in_bounded_steps_and_finds_every_match() {
    let store = fresh("t_search").await;
    let mut docs: Vec<Value> = (0..10_000).map(activity).collect();
    for i in [17, 5_003, 9_998] {
        docs[i]["place"] = json!("祠堂前空地");
    }
    store.bulk_put(docs).await.unwrap();
    let keep = |d: &Value| d["place"].as_str().is_some_and(|p| p.contains("祠堂"));
    let mut q = PageQuery {
        doc_type: "activity".into(),
        newest_first: true,
        after: None,
        limit: 50,
    };
    let (mut found, mut calls) = (Vec::new(), 0);
    loop {
        calls += 1;
        let page = store.page_matching(&q, &keep, 2_000).await.unwrap();
        found.extend(
            page.docs
                .iter()
                .map(|d| d["_id"].as_str().unwrap().to_owned()),
        );
        match page.next {
            Some(next) => q.after = Some(next),
            None => break,
        }
    }
    assert_eq!(
        found,
        ["activity:09998", "activity:05003", "activity:00017"]
    );
    // Five full steps of 2,000 rows; the fifth stops at its limit exactly at the end, so it
    // cannot know it was the last, and a sixth finds nothing and ends.
    assert_eq!(calls, 6, "10,000 rows in steps of at most 2,000");
}

/// The change feed is "after since": `limit` counts only newer changes, so reading 100 after
/// sequence 100 returns exactly the next hundred.
#[wasm_bindgen_test]
async fn change_feed_pages_are_full_after_since() {
    let store = fresh("t_feed").await;
    store
        .bulk_put((0..250).map(activity).collect())
        .await
        .unwrap();
    let page = store.changes_since(100, 100).await.unwrap();
    assert_eq!(
        page.iter().map(|c| c.seq).collect::<Vec<_>>(),
        (101..=200).collect::<Vec<_>>()
    );
}

/// A document with a second branch received from another phone.
async fn conflicted_activity(store: &Store) -> (couch::RevId, Value) {
    let mine = store
        .put(
            json!({"_id": "activity:cf", "type": "activity", "station": "330106001",
            "title": "秋收夜话", "place": "祠堂"}),
        )
        .await
        .unwrap();
    let theirs = json!({"_id": "activity:cf", "_rev": "1-ffffffffffffffffffffffffffffffff",
        "type": "activity", "station": "330106001", "title": "秋收夜话", "place": "文化广场"});
    store.put_replicated(vec![theirs.clone()]).await.unwrap()[0]
        .as_ref()
        .unwrap();
    (mine, theirs)
}

#[wasm_bindgen_test]
async fn keeping_one_version_resolves_a_conflict_for_good() {
    let store = fresh("t_conflicts").await;
    store
        .put(json!({"_id": "activity:plain", "type": "activity", "title": "无冲突"}))
        .await
        .unwrap();
    let (mine, _) = conflicted_activity(&store).await;
    assert_eq!(store.count_conflicted().await.unwrap(), 1);
    let list = store.conflicted(10).await.unwrap();
    assert_eq!(list.len(), 1, "only the conflicted document is listed");
    assert_eq!(list[0].id, "activity:cf");
    assert_eq!(list[0].versions.len(), 2);
    // The winner (higher hash) is first; ours lost.
    assert_eq!(list[0].versions[0]["place"], "文化广场");
    assert_eq!(list[0].versions[1]["place"], "祠堂");

    // A revision that is not a live leaf cannot be kept.
    let bogus: couch::RevId = "1-00000000000000000000000000000000".parse().unwrap();
    assert!(matches!(
        store.resolve_conflict("activity:cf", &bogus).await,
        Err(StoreError::Conflict(_))
    ));
    let seq = store.update_seq().await.unwrap();
    store.resolve_conflict("activity:cf", &mine).await.unwrap();
    assert_eq!(store.get("activity:cf").await.unwrap()["place"], "祠堂");
    assert_eq!(store.count_conflicted().await.unwrap(), 0);
    assert!(store.conflicted_one("activity:cf").await.unwrap().is_none());
    let record = store.get_record("activity:cf").await.unwrap().unwrap();
    let leaves = record.tree.leaves();
    assert_eq!(
        leaves.len(),
        2,
        "the other branch ends in a deleted revision"
    );
    assert_eq!(leaves.iter().filter(|l| l.deleted).count(), 1);
    assert_eq!(
        store.update_seq().await.unwrap(),
        seq + 1,
        "one change to replicate"
    );
}

#[wasm_bindgen_test]
async fn migration_three_lists_conflicts_written_before_it() {
    let name = "t_migrate_cf";
    Store::delete_database(name).await.unwrap();
    Store::open_named(name, 2).await.unwrap().close();
    // The row as a version-2 build wrote it: without the `cf` key.
    let mut record = couch::DocRecord::new("activity:cf".into());
    for (hash, place) in [("e".repeat(32), "祠堂"), ("f".repeat(32), "文化广场")] {
        record
            .put_replicated(
                json!({"_id": "activity:cf", "_rev": format!("1-{hash}"), "type": "activity",
                "station": "330106001", "title": "秋收夜话", "place": place,
                "_revisions": {"start": 1, "ids": [hash]}}),
            )
            .unwrap();
    }
    write_old_layout(
        name,
        &[(record, 1)],
        |row| {
            assert!(row.cf.is_some());
            row.cf = None;
        },
        &[],
    )
    .await;
    let v3 = Store::open_named(name, yehua::store::SCHEMA_VERSION)
        .await
        .unwrap();
    assert_eq!(
        v3.count_conflicted().await.unwrap(),
        1,
        "the upgrade indexes old conflicted rows"
    );
    assert_eq!(v3.get("activity:cf").await.unwrap()["title"], "秋收夜话");
}

#[wasm_bindgen_test]
async fn a_pull_moves_the_pushed_mark_only_when_nothing_was_waiting() {
    let store = fresh("t_mark").await;
    let received = |i: usize| json!({"_id": format!("activity:r{i}"), "_rev": format!("1-{i:032x}"), "type": "activity", "title": "收到"});
    // Local edits not yet pushed: a pull must not hide them.
    store.put(activity(1)).await.unwrap();
    store.put(activity(2)).await.unwrap();
    store
        .put_replicated_marked(vec![received(1)], Some("m"))
        .await
        .unwrap();
    assert_eq!(store.get_local::<u64>("m").await.unwrap(), None);
    assert_eq!(store.count_changes_after(0).await.unwrap(), 3);
    // Once pushed (the mark at the last change), pulled documents are not "pending".
    store.put_local("m", &3u64).await.unwrap();
    store
        .put_replicated_marked(vec![received(2), received(3)], Some("m"))
        .await
        .unwrap();
    assert_eq!(store.get_local::<u64>("m").await.unwrap(), Some(5));
    assert_eq!(store.count_changes_after(5).await.unwrap(), 0);
    // A new local edit is pending again.
    store.put(activity(3)).await.unwrap();
    assert_eq!(store.count_changes_after(5).await.unwrap(), 1);
}

#[wasm_bindgen_test]
async fn all_records_streams_every_row_in_id_order_with_every_leaf() {
    let store = fresh("t_all_records").await;
    assert!(store.all_records(None, 10).await.unwrap().is_empty());
    assert_eq!(store.count_records().await.unwrap(), 0);
    let docs: Vec<Value> = (0..25).map(activity).collect();
    store.bulk_put(docs).await.unwrap();
    // A tombstone and a conflicted record are streamed too, with all their leaves.
    let rev = store.get("activity:00003").await.unwrap()["_rev"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    store.delete("activity:00003", &rev).await.unwrap();
    let rival = json!({"_id": "activity:00007", "_rev": "1-0123456789abcdef0123456789abcdef",
        "_revisions": {"start": 1, "ids": ["0123456789abcdef0123456789abcdef"]},
        "type": "activity", "title": "另一部手机的版本"});
    store.put_replicated(vec![rival]).await.unwrap();
    assert_eq!(store.count_records().await.unwrap(), 25);

    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    let mut batches = 0;
    loop {
        let batch = store.all_records(after.as_deref(), 10).await.unwrap();
        batches += 1;
        let n = batch.len();
        after = batch.last().map(|r| r.id.clone());
        seen.extend(batch);
        if n < 10 {
            break;
        }
    }
    assert_eq!(batches, 3, "10 + 10 + 5");
    let ids: Vec<&str> = seen.iter().map(|r| r.id.as_str()).collect();
    let expected: Vec<String> = (0..25).map(|i| format!("activity:{i:05}")).collect();
    assert_eq!(ids, expected, "every id once, in order");
    assert!(seen[3].is_deleted(), "tombstones are included");
    assert_eq!(seen[7].tree.leaves().len(), 2, "both leaves of a conflict");
    assert_eq!(seen[7].bodies.len(), 2);
    // A batch starts strictly after `after`, also for an id that is not stored.
    let tail = store.all_records(Some("activity:00023"), 10).await.unwrap();
    assert_eq!(tail.len(), 1);
    let gap = store
        .all_records(Some("activity:000225"), 10)
        .await
        .unwrap();
    assert_eq!(gap[0].id, "activity:00023");

    let wanted = vec![
        "activity:00001".to_owned(),
        "activity:00003".to_owned(),
        "activity:nope".to_owned(),
    ];
    let got = store.get_records(&wanted).await.unwrap();
    assert_eq!(got.len(), 2);
    assert!(got["activity:00003"].is_deleted());
    assert_eq!(
        got["activity:00001"].winner_doc().unwrap()["title"],
        "第1场夜话：生猪养殖技术"
    );
}

#[wasm_bindgen_test]
async fn take_back_purges_what_never_left_and_tombstones_what_did() {
    let store = fresh("t_take_back").await;
    for i in 0..4 {
        store.put(activity(i)).await.unwrap();
    }
    // The server holds the first two (the push mark stands at local sequence 2).
    let ids: Vec<String> = (0..4).map(|i| format!("activity:{i:05}")).collect();
    let mut asked = ids[1..].to_vec();
    asked.push("activity:missing".into());
    let removed = store.take_back(&asked, 2).await.unwrap();
    assert_eq!((removed.purged, removed.tombstoned), (2, 1));
    // The untouched one stays; the sent one is a tombstone the next push carries; the
    // unsent ones are gone from the rows and from the change feed.
    assert!(store.get(&ids[0]).await.is_ok());
    let sent = store.get_record(&ids[1]).await.unwrap().unwrap();
    assert!(sent.is_deleted());
    assert_eq!(store.get_record(&ids[2]).await.unwrap(), None);
    assert_eq!(store.get_record(&ids[3]).await.unwrap(), None);
    let feed: Vec<String> = store
        .changes_since(2, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.record.id.clone())
        .collect();
    assert_eq!(feed, vec![ids[1].clone()]);
    assert_eq!(store.count_type("activity").await.unwrap(), 1);
    // Taking back again changes nothing.
    let again = store.take_back(&asked, 2).await.unwrap();
    assert_eq!((again.purged, again.tombstoned), (0, 0));
}

/// Random batches of new, edited, deleted and replicated (conflicting) documents, written
/// in one transaction each — into an empty store, then into one that holds some of the
/// ids — leave every record exactly as `couch::DocRecord` computes it natively, and the
/// change feed with one entry per changed document.
#[wasm_bindgen_test]
async fn random_batches_match_the_native_revision_records() {
    use couch::DocRecord;
    use std::collections::BTreeMap;
    let store = fresh("t_random_batches").await;
    let mut model: BTreeMap<String, DocRecord> = BTreeMap::new();
    let mut rng = model::demo::Rng(2026);
    let ids: Vec<String> = (0..80).map(|i| format!("concern:{i:04}")).collect();
    for batch in 0..40 {
        let mut docs = Vec::new();
        let mut used = std::collections::HashSet::new();
        for _ in 0..(1 + rng.below(25)) {
            let id = ids[rng.below(ids.len())].clone();
            if !used.insert(id.clone()) {
                continue;
            }
            let body = json!({"type": "concern", "text": format!("第{batch}批 {}", rng.below(1000)),
                "status": "open", "activity_id": "activity:1"});
            let current = model.get(&id).and_then(|r| r.winner_doc());
            let doc = match (rng.below(4), current) {
                // A tombstone over the current winner.
                (0, Some(c)) if c.get("_deleted").is_none() => {
                    json!({"_id": id, "_rev": c["_rev"], "_deleted": true, "type": "concern"})
                }
                // An edit of the winner, or a new document.
                (1 | 2, c) => {
                    let mut d = body;
                    d["_id"] = json!(id);
                    if let Some(c) = c {
                        d["_rev"] = c["_rev"].clone();
                    }
                    d
                }
                // A replicated branch from another phone: 1–3 revisions of its own.
                _ => {
                    let depth = 1 + rng.below(3);
                    let hashes: Vec<String> = (0..depth)
                        .map(|_| format!("{:032x}", rng.next_u64() as u128 * 7919))
                        .collect();
                    let mut d = body;
                    d["_id"] = json!(id);
                    d["_rev"] = json!(format!("{depth}-{}", hashes[0]));
                    d["_revisions"] = json!({"start": depth, "ids": hashes});
                    d
                }
            };
            docs.push(doc);
        }
        let (edits, replicated): (Vec<Value>, Vec<Value>) = docs
            .into_iter()
            .partition(|d| d.get("_revisions").is_none());
        let written = store.bulk_put(edits.clone()).await.unwrap();
        for (doc, result) in edits.into_iter().zip(written) {
            let id = doc["_id"].as_str().unwrap().to_owned();
            let record = model
                .entry(id.clone())
                .or_insert_with(|| DocRecord::new(id));
            assert_eq!(result.ok(), record.update(doc).ok(), "batch {batch}");
        }
        let merged = store.put_replicated(replicated.clone()).await.unwrap();
        for (doc, result) in replicated.into_iter().zip(merged) {
            let id = doc["_id"].as_str().unwrap().to_owned();
            let record = model
                .entry(id.clone())
                .or_insert_with(|| DocRecord::new(id));
            assert_eq!(
                result.ok(),
                record.put_replicated(doc).ok(),
                "batch {batch}"
            );
        }
        for id in &ids {
            let stored = store.get_record(id).await.unwrap();
            let want = model.get(id).filter(|r| !r.tree.leaves().is_empty());
            assert_eq!(stored.as_ref(), want, "batch {batch}: {id}");
        }
        // The indexes follow every document as it moves between packs: each live one is
        // listed and counted once, a tombstone nowhere, a conflict while it lasts.
        let live: Vec<&String> = model
            .iter()
            .filter(|(_, r)| !r.is_deleted())
            .map(|(id, _)| id)
            .collect();
        let listed = store
            .related(Relation::ConcernsByActivity, "activity:1", 1_000)
            .await
            .unwrap();
        let listed: Vec<&str> = listed.iter().map(|d| d["_id"].as_str().unwrap()).collect();
        assert_eq!(listed, live, "batch {batch}");
        assert_eq!(
            store.count_type("concern").await.unwrap() as usize,
            live.len()
        );
        let conflicted = model
            .values()
            .filter(|r| !r.is_deleted() && !r.tree.conflicts().is_empty())
            .count();
        assert_eq!(store.count_conflicted().await.unwrap() as usize, conflicted);
        let held = model
            .values()
            .filter(|r| !r.tree.leaves().is_empty())
            .count();
        assert_eq!(store.count_records().await.unwrap() as usize, held);
        let seqs: Vec<u64> = store
            .changes_since(0, 1_000)
            .await
            .unwrap()
            .iter()
            .map(|c| c.seq)
            .collect();
        assert!(
            seqs.windows(2).all(|w| w[0] < w[1]),
            "batch {batch}: {seqs:?}"
        );
        assert_eq!(store.update_seq().await.unwrap(), *seqs.last().unwrap());
    }
    // One change entry per document the model holds, none for an id never written.
    let feed = store.changes_since(0, 1_000).await.unwrap();
    let mut fed: Vec<String> = feed.iter().map(|c| c.record.id.clone()).collect();
    fed.sort();
    let held: Vec<String> = model
        .iter()
        .filter(|(_, r)| !r.tree.leaves().is_empty())
        .map(|(id, _)| id.clone())
        .collect();
    assert_eq!(fed, held);
    assert!(
        model.values().any(|r| !r.tree.conflicts().is_empty()),
        "conflicts were made"
    );
    assert!(
        model.values().any(|r| r.is_deleted()),
        "tombstones were made"
    );
}

/// A photo document as `records::photos` writes it, naming `image` and `thumb`.
fn photo_doc(id: &str, activity: &str, image: &[u8], thumb: &[u8]) -> Value {
    let stub = |b: &[u8]| {
        json!({"content_type": "image/jpeg", "digest": couch::attachment::digest(b),
            "length": b.len()})
    };
    json!({"_id": id, "type": "photo", "station": "330106001", "activity_id": activity,
        "taken_at": "2026-11-22T19:30:00+08:00", "caption": "村民夜话",
        "_attachments": {"image.jpg": stub(image), "thumb.jpg": stub(thumb)}})
}

fn blobs_of(image: &[u8], thumb: &[u8]) -> Vec<yehua::store::BlobPut> {
    [image, thumb]
        .iter()
        .map(|b| yehua::store::BlobPut {
            digest: couch::attachment::digest(b),
            blob: yehua::pwa::photo::jpeg(b).unwrap(),
        })
        .collect()
}

/// Bytes that look like a JPEG and differ by `seed` (every byte value appears).
fn jpeg_bytes(seed: u8, len: usize) -> Vec<u8> {
    let mut v = vec![0xff, 0xd8, 0xff, 0xe0];
    v.extend((0..len).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)));
    v.extend([0xff, 0xd9]);
    v
}

#[wasm_bindgen_test]
async fn photo_blobs_round_trip_byte_identical_and_identical_bytes_are_stored_once() {
    use yehua::pwa::photo::bytes;
    let store = fresh("t_photo_blobs").await;
    let (image, thumb) = (jpeg_bytes(1, 300_000), jpeg_bytes(2, 20_000));
    for id in ["photo:a", "photo:b"] {
        store
            .put_with_blobs(
                photo_doc(id, "activity:1", &image, &thumb),
                blobs_of(&image, &thumb),
            )
            .await
            .unwrap();
    }
    let (count, size) = store.blob_usage().await.unwrap();
    assert_eq!(count, 2, "one copy per digest, shared by both photos");
    assert_eq!(size, (image.len() + thumb.len()) as u64);
    let got = store
        .get_blob(&couch::attachment::digest(&image))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(bytes(&got).await.unwrap(), image, "byte-identical");
    let listed = store
        .related(Relation::PhotosOf, "activity:1", 100)
        .await
        .unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(
        listed[0]["_attachments"]["image.jpg"]["digest"],
        json!(couch::attachment::digest(&image))
    );
    assert!(
        listed[0]["_attachments"]["image.jpg"].get("data").is_none(),
        "a listing carries stubs only"
    );
    // A new revision (caption edited) keeps the stubs and stores no bytes again.
    let mut doc = store.get("photo:a").await.unwrap();
    doc["caption"] = json!("改过的说明");
    let rev = store.put(doc).await.unwrap();
    assert_eq!(rev.pos, 2);
    let again = store.get("photo:a").await.unwrap();
    assert_eq!(again["_attachments"]["thumb.jpg"]["revpos"], json!(1));
    assert_eq!(store.blob_usage().await.unwrap().0, 2);
}

#[wasm_bindgen_test]
async fn a_refused_photo_writes_neither_its_document_nor_its_bytes() {
    let store = fresh("t_photo_refused").await;
    let (image, thumb) = (jpeg_bytes(3, 1000), jpeg_bytes(4, 100));
    let first = store
        .put_with_blobs(
            photo_doc("photo:c", "activity:1", &image, &thumb),
            blobs_of(&image, &thumb),
        )
        .await
        .unwrap();
    // The same id again without `_rev`: a conflict, so the new bytes must not stay.
    let (image2, thumb2) = (jpeg_bytes(5, 1000), jpeg_bytes(6, 100));
    let refused = store
        .put_with_blobs(
            photo_doc("photo:c", "activity:1", &image2, &thumb2),
            blobs_of(&image2, &thumb2),
        )
        .await;
    assert!(
        matches!(refused, Err(StoreError::Conflict(_))),
        "{refused:?}"
    );
    let digests = store.blob_digests().await.unwrap();
    assert_eq!(digests.len(), 2);
    assert!(!digests.contains(&couch::attachment::digest(&image2)));
    assert_eq!(
        store.get("photo:c").await.unwrap()["_rev"],
        first.to_string()
    );
    // Dropping a full copy keeps the document and the thumbnail.
    store
        .drop_blobs(&[couch::attachment::digest(&image)])
        .await
        .unwrap();
    let left = store.blob_digests().await.unwrap();
    assert_eq!(left.len(), 1);
    assert!(left.contains(&couch::attachment::digest(&thumb)));
    assert!(store.get("photo:c").await.is_ok());
}

#[wasm_bindgen_test]
async fn migration_four_opens_a_version_three_database_and_keeps_its_records() {
    use couch::DocRecord;
    let name = "t_migrate_v4";
    Store::delete_database(name).await.unwrap();
    Store::open_named(name, 3).await.unwrap().close();
    let mut records = Vec::new();
    for i in 0..50 {
        let mut rec = DocRecord::new(format!("activity:{i:05}"));
        rec.update(activity(i)).unwrap();
        records.push((rec, i as u64 + 1));
    }
    // A photo document a version-3 build pulled: stubs, no bytes, its row without `pa`.
    let (image, thumb) = (jpeg_bytes(7, 10), jpeg_bytes(8, 10));
    let mut photo = DocRecord::new("photo:old".into());
    photo
        .update(photo_doc("photo:old", "activity:00001", &image, &thumb))
        .unwrap();
    records.push((photo, 51));
    write_old_layout(name, &records, |row| row.pa = None, &[]).await;
    let v4 = Store::open_named(name, yehua::store::SCHEMA_VERSION)
        .await
        .unwrap();
    for (record, _) in &records {
        assert_eq!(
            v4.get_record(&record.id).await.unwrap().as_ref(),
            Some(record),
            "nothing rewritten"
        );
    }
    assert_eq!(v4.count_type("activity").await.unwrap(), 50);
    let photos = v4
        .related(Relation::PhotosOf, "activity:00001", 10)
        .await
        .unwrap();
    assert_eq!(
        photos.len(),
        1,
        "the upgrade indexes photos stored before it"
    );
    assert!(v4.blob_digests().await.unwrap().is_empty());
    let blob = yehua::pwa::photo::jpeg(&image).unwrap();
    v4.put_blob(&couch::attachment::digest(&image), &blob)
        .await
        .unwrap();
    assert_eq!(v4.blob_usage().await.unwrap(), (1, image.len() as u64));
}

/// Screens get typed records: a list leaves out (and keeps stored) a body without its
/// type's shape, a read by id says which document it is, and a missing one is `None`.
#[wasm_bindgen_test]
async fn typed_reads_hand_out_model_records_and_name_an_odd_body() {
    let store = fresh("t_typed").await;
    let mut good = activity(1);
    good["end"] = json!("2026-01-01T21:00:00+08:00");
    store.put(good).await.unwrap();
    // Written by another tool through the hub: no `kind`.
    store
        .put(json!({"_id": "activity:odd", "type": "activity", "title": "无类型"}))
        .await
        .unwrap();
    let all = store.all_as::<model::Activity>().await.unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].kind, model::ActivityKind::EveningForum);
    assert_eq!(all[0].title, "第1场夜话：生猪养殖技术");
    assert_eq!(all[0].villagers_present, 1);
    match store.find_as::<model::Activity>("activity:odd").await {
        Err(StoreError::Shape(e)) => {
            assert_eq!((e.id.as_str(), e.doc_type), ("activity:odd", "activity"));
            assert!(e.reason.contains("kind"), "{}", e.reason);
        }
        other => panic!("expected a shape error, got {other:?}"),
    }
    assert_eq!(store.get("activity:odd").await.unwrap()["title"], "无类型");
    assert_eq!(
        store.find_as::<model::Activity>("activity:none").await,
        Ok(None)
    );
}

#[wasm_bindgen::prelude::wasm_bindgen(inline_js = r#"
export function write_v3_layout(name, rows, changes, local) {
  return new Promise((ok, fail) => {
    const open = indexedDB.open(name);
    open.onerror = () => fail(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction(['docs', 'changes', 'local'], 'readwrite');
      for (const row of rows) tx.objectStore('docs').put(row);
      for (const [seq, id] of changes) tx.objectStore('changes').put(id, seq);
      for (const [key, text] of local) tx.objectStore('local').put(text, key);
      tx.oncomplete = () => { db.close(); ok(); };
      tx.onerror = () => fail(tx.error);
    };
  });
}"#)]
extern "C" {
    fn write_v3_layout(
        name: &str,
        rows: wasm_bindgen::JsValue,
        changes: wasm_bindgen::JsValue,
        local: wasm_bindgen::JsValue,
    ) -> js_sys::Promise;
}

/// Writes `records` (with their seqs) into the database `name` as the write path of schemas
/// 1–4 laid them out (a row each, a `changes` entry each) plus `local` records, without
/// today's store code, which needs today's schema. `tweak` edits each row first.
async fn write_old_layout(
    name: &str,
    records: &[(couch::DocRecord, u64)],
    tweak: impl Fn(&mut model::row::DocRow),
    local: &[(&str, &str)],
) {
    let ser = serde_wasm_bindgen::Serializer::json_compatible();
    let (rows, changes, locals) = (
        js_sys::Array::new(),
        js_sys::Array::new(),
        js_sys::Array::new(),
    );
    for (record, seq) in records {
        let mut row = model::row::DocRow::from_record(record, *seq);
        tweak(&mut row);
        rows.push(&serde::Serialize::serialize(&row, &ser).unwrap());
        changes.push(&js_sys::Array::of2(
            &(*seq as f64).into(),
            &record.id.clone().into(),
        ));
    }
    for (key, text) in local {
        locals.push(&js_sys::Array::of2(&(*key).into(), &(*text).into()));
    }
    wasm_bindgen_futures::JsFuture::from(write_v3_layout(
        name,
        rows.into(),
        changes.into(),
        locals.into(),
    ))
    .await
    .unwrap();
}

/// A database as schema 3 wrote it (rows, a `changes` entry per document, a draft), with
/// edits, a conflict and a tombstone, opens at today's schema: every record, the draft and
/// the change feed (now the `seq` index) read back as they were, and the next write
/// continues the sequence.
#[wasm_bindgen_test]
async fn a_schema_3_database_upgrades_with_its_records_and_change_feed() {
    upgrade_keeps_records_and_feed("t_upgrade_feed", 3, 0).await;
}

/// The same from schema 5 (the last with one row per document) into packs (schema 6),
/// with 250 attendance records more, so the copy spans several packs.
#[wasm_bindgen_test]
async fn a_schema_5_database_upgrades_into_packs_with_its_records_and_change_feed() {
    upgrade_keeps_records_and_feed("t_upgrade_feed5", 5, 250).await;
}

async fn upgrade_keeps_records_and_feed(name: &str, from: u32, bulk: u64) {
    use couch::DocRecord;
    Store::delete_database(name).await.unwrap();
    Store::open_named(name, from).await.unwrap().close();
    let mut edited = DocRecord::new("activity:a".into());
    let r1 = edited
        .update(json!({"_id": "activity:a", "type": "activity", "title": "第一版"}))
        .unwrap();
    edited
        .update(json!({"_id": "activity:a", "_rev": r1.to_string(), "type": "activity", "title": "第二版"}))
        .unwrap();
    let mut conflicted = DocRecord::new("concern:b".into());
    for hash in ["a".repeat(32), "b".repeat(32)] {
        conflicted
            .put_replicated(
                json!({"_id": "concern:b", "_rev": format!("1-{hash}"), "type": "concern",
                "text": format!("分支{}", &hash[..1]), "_revisions": {"start": 1, "ids": [hash]}}),
            )
            .unwrap();
    }
    let mut deleted = DocRecord::new("team:c".into());
    let r = deleted
        .update(json!({"_id": "team:c", "type": "team", "name": "农技队"}))
        .unwrap();
    deleted
        .update(json!({"_id": "team:c", "_rev": r.to_string(), "_deleted": true, "type": "team"}))
        .unwrap();
    // Sequences as the old write path left them: one change entry per document, at its
    // row's seq (the edited one changed twice, its first entry long since moved).
    let mut records = vec![(edited, 2u64), (conflicted, 4), (deleted, 6)];
    for n in 0..bulk {
        let id = format!("attendance:activity:x:volunteer:{n:04}");
        let mut record = DocRecord::new(id.clone());
        record
            .update(
                json!({"_id": id, "type": "attendance", "activity_id": "activity:x",
                "volunteer_id": format!("volunteer:{n:04}"), "hours": 2}),
            )
            .unwrap();
        records.push((record, 7 + n));
    }
    write_old_layout(
        name,
        &records,
        |_| {},
        &[("draft:new", r#"{"title":"未保存的夜话"}"#)],
    )
    .await;

    let store = Store::open_named(name, yehua::store::SCHEMA_VERSION)
        .await
        .unwrap();
    for (record, _) in &records {
        assert_eq!(
            store.get_record(&record.id).await.unwrap().as_ref(),
            Some(record)
        );
    }
    let feed = store.changes_since(0, 1000).await.unwrap();
    let seen: Vec<(u64, &str)> = feed.iter().map(|c| (c.seq, c.record.id.as_str())).collect();
    let written: Vec<(u64, &str)> = records.iter().map(|(r, s)| (*s, r.id.as_str())).collect();
    assert_eq!(
        seen, written,
        "the feed in sequence order, each document once"
    );
    assert_eq!(feed[1].record, records[1].0, "the conflict's both leaves");
    assert_eq!(store.changes_since(2, 1).await.unwrap()[0].seq, 4);
    assert_eq!(store.count_changes_after(2).await.unwrap(), 2 + bulk as u32);
    assert_eq!(store.update_seq().await.unwrap(), 6 + bulk);
    assert_eq!(store.count_records().await.unwrap(), 3 + bulk as u32);
    assert_eq!(store.count_conflicted().await.unwrap(), 1);
    assert_eq!(
        store.count_type("team").await.unwrap(),
        0,
        "a tombstone is listed nowhere"
    );
    assert_eq!(
        store
            .related(Relation::AttendanceByActivity, "activity:x", 1000)
            .await
            .unwrap()
            .len() as u64,
        bulk
    );
    let draft: Option<Value> = store.get_local("draft:new").await.unwrap();
    assert_eq!(draft.unwrap()["title"], "未保存的夜话");
    store
        .put(
            json!({"_id": "activity:a", "_rev": store.get("activity:a").await.unwrap()["_rev"],
            "type": "activity", "title": "第三版"}),
        )
        .await
        .unwrap();
    let after: Vec<(u64, String)> = store
        .changes_since(0, 1000)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.seq, c.record.id))
        .collect();
    let mut expected: Vec<(u64, String)> = records[1..]
        .iter()
        .map(|(r, s)| (*s, r.id.clone()))
        .collect();
    expected.push((7 + bulk, "activity:a".into()));
    assert_eq!(
        after, expected,
        "an edit moves the document to the end of the feed, once"
    );
    assert_eq!(store.get("activity:a").await.unwrap()["title"], "第三版");
}
