//! Browser tests of the pipelined pull and push (`sync::pull`, `sync::push`): cut off in
//! the middle of its pipeline, as by a closed page, a pull's checkpoints are never ahead of
//! what the store holds and a push's mark never ahead of what the target holds, and a new
//! run finishes with every record exactly once; through the flaky proxy
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

/// A run that is dropped when its `n`th batch has reported progress.
async fn cut_after<F: std::future::Future>(n: u32, run: impl FnOnce(yehua::sync::OnProgress) -> F) {
    let (tx, rx) = futures::channel::oneshot::channel::<()>();
    let tx = Rc::new(Cell::new(Some(tx)));
    let seen = Rc::new(Cell::new(0u32));
    let on_progress: yehua::sync::OnProgress = Rc::new(move |_| {
        seen.set(seen.get() + 1);
        if seen.get() == n {
            if let Some(tx) = tx.take() {
                let _ = tx.send(());
            }
        }
    });
    match select(Box::pin(run(on_progress)), rx).await {
        Either::Left(_) => panic!("the run finished before it was cut"),
        Either::Right(_) => {}
    }
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
    let remote = Remote::new(&db);
    let pull = Replicator::new(dst.clone(), remote.clone()).batch_size(60);
    cut_after(4, |p| async move { pull.on_progress(Some(p)).pull().await }).await;
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
async fn a_push_cut_mid_pipeline_keeps_its_mark_behind_the_target_and_resumes() {
    let (src, ids) = demo_store("t_pipe_push_src").await;
    let db = format!("{}/pipe_push", pouch());
    let remote = pouch_remote("pipe_push").await;
    // Small batches, dropped right after the fourth batch's `_bulk_docs` was answered —
    // while the fifth batch's `_revs_diff` is already on the link.
    let push = Replicator::new(src.clone(), remote.clone()).batch_size(60);
    cut_after(4, |p| async move { push.on_progress(Some(p)).push().await }).await;
    // The fifth batch's `_bulk_docs` may already be on its way (a page closed mid-request):
    // let it land, unknown to the phone.
    gloo_timers::future::TimeoutFuture::new(1_000).await;
    let info = get_json(&db).await;
    let on_target = info["doc_count"].as_u64().unwrap() as usize;
    assert!(
        on_target >= 4 * 60 && on_target < ids.len(),
        "{on_target} documents on the target after the cut"
    );
    // Every local change up to the push mark is on the target, revision and all.
    let id = replication_id(src.name(), remote.url(), Direction::Push);
    let mark: u64 = src
        .get_local(&format!("pushed:{id}"))
        .await
        .unwrap()
        .unwrap_or(0);
    assert!(mark > 0, "the mark moved with the batches sent");
    for change in src.changes_since(0, 100_000).await.unwrap() {
        if change.seq <= mark {
            let rev = change.record.tree.winner().unwrap().rev.to_string();
            let doc = get_json(&format!("{db}/{}", change.record.id)).await;
            assert_eq!(
                doc["_rev"],
                serde_json::json!(rev),
                "{} marked but not on the target",
                change.record.id
            );
        }
    }
    // A new run (as after a reload) sends the rest, and each record once.
    let rest = Replicator::new(src.clone(), Remote::new(&db))
        .push()
        .await
        .unwrap();
    assert!(rest.complete);
    assert_eq!(
        rest.sent as usize,
        ids.len() - on_target,
        "only the rest is sent"
    );
    let info = get_json(&db).await;
    assert_eq!(info["doc_count"].as_u64().unwrap() as usize, ids.len());
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
