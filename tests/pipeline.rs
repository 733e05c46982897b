//! Browser tests of the pipelined pull (`sync::pull`): cut off in the middle of its
//! pipeline, as by a closed page, its checkpoints are never ahead of what the store
//! holds, and a new run finishes with every record exactly once; through the flaky proxy
//! with batches sized from the link, pull and push still lose and duplicate nothing.
//! Run through `scripts/sync-test-servers.sh`, like tests/sync.rs.
#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use futures::future::{select, Either};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen_test::*;
use yehua::sync::checkpoint::replication_id;
use yehua::sync::{login, Direction, Remote, Replicator};

wasm_bindgen_test_configure!(run_in_browser);

/// The sequence a checkpoint says everything up to reached the store, if any.
async fn local_checkpoint(store: &yehua::store::Store, remote: &Remote) -> Option<u64> {
    let id = replication_id(store.name(), remote.url(), Direction::Pull);
    let cp: Option<couch::wire::Checkpoint> =
        store.get_local(&format!("checkpoint:{id}")).await.unwrap();
    cp.and_then(|c| c.source_last_seq.0.as_u64())
}

#[wasm_bindgen_test]
async fn a_pull_cut_mid_pipeline_keeps_its_checkpoint_behind_the_store_and_resumes() {
    let (src, ids) = demo_store("t_pipe_cut_src").await;
    let db = format!("{}/pipe_cut", pouch());
    Replicator::new(src.clone(), pouch_remote("pipe_cut").await)
        .push()
        .await
        .unwrap();
    let dst = fresh("t_pipe_cut_dst").await;
    // Small batches, and the run is dropped right after its fourth batch is stored —
    // while the fifth batch's `_changes` is already on the link.
    let stored = Rc::new(Cell::new(0u32));
    let (tx, rx) = futures::channel::oneshot::channel::<()>();
    let tx = Rc::new(Cell::new(Some(tx)));
    let seen = Rc::clone(&stored);
    let on_progress: yehua::sync::OnProgress = Rc::new(move |_| {
        seen.set(seen.get() + 1);
        if seen.get() == 4 {
            if let Some(tx) = tx.take() {
                let _ = tx.send(());
            }
        }
    });
    let remote = Remote::new(&db);
    let replicator = Replicator::new(dst.clone(), remote.clone())
        .batch_size(60)
        .on_progress(Some(on_progress));
    match select(Box::pin(replicator.pull()), rx).await {
        Either::Left((r, _)) => panic!("the pull finished before it was cut: {r:?}"),
        Either::Right(_) => {}
    }
    assert_eq!(stored.get(), 4);
    let held = dst.count_changes_after(0).await.unwrap() as usize;
    assert!(
        held >= 4 * 60 - 60 && held < ids.len(),
        "{held} records after the cut"
    );
    // Whatever the checkpoint says was pulled is in the store, record by record.
    let checkpointed = local_checkpoint(&dst, &remote).await.unwrap_or(0);
    let feed = get_json(&format!("{db}/_changes")).await;
    for row in feed["results"].as_array().unwrap() {
        if row["seq"].as_u64().unwrap() <= checkpointed {
            let id = row["id"].as_str().unwrap();
            assert!(
                dst.get_record(id).await.unwrap().is_some(),
                "{id} checkpointed but not stored"
            );
        }
    }
    // A new run (as after a reload) brings the rest, and each record once.
    let rest = Replicator::new(dst.clone(), Remote::new(&db))
        .pull()
        .await
        .unwrap();
    assert!(rest.complete);
    assert_eq!(
        rest.received as usize,
        ids.len() - held,
        "only the rest arrives"
    );
    assert_eq!(
        dst.count_changes_after(0).await.unwrap() as usize,
        ids.len()
    );
    assert_same_docs(&src, &dst, &ids).await;
}

#[wasm_bindgen_test]
async fn batches_sized_from_a_flaky_link_lose_and_duplicate_nothing() {
    let (src, ids) = demo_store("t_pipe_flaky_src").await;
    login(hub(), "flaky2", "flaky-pass").await.unwrap();
    let db = format!("{}/station_330106098", flaky());
    let (pushed, _, push_failures) = until_complete("push", async || {
        Replicator::new(src.clone(), Remote::new(&db)).push().await
    })
    .await;
    let dst = fresh("t_pipe_flaky_dst").await;
    let (_, _, pull_failures) = until_complete("pull", async || {
        Replicator::new(dst.clone(), Remote::new(&db)).pull().await
    })
    .await;
    assert!(pushed.complete);
    assert!(
        push_failures + pull_failures > 0,
        "the proxy must have failed some requests"
    );
    assert_same_docs(&src, &dst, &ids).await;
    let direct = Remote::new(&format!("{}/station_330106098", hub()));
    let info = direct.info().await.unwrap();
    assert_eq!(info["doc_count"], serde_json::json!(ids.len()), "{info}");
    let again = Replicator::new(dst.clone(), direct).sync().await.unwrap();
    assert_eq!((again.sent, again.received), (0, 0));
}
