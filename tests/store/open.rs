//! Opening (`src/store/open.rs`): one connection that migrates in its own upgrade, and an
//! open another connection blocks, reported at once and finished, migrations included,
//! once that connection lets go.

use gloo_timers::future::TimeoutFuture;
use serde_json::json;
use wasm_bindgen_test::*;
use yehua::store::{Relation, Store, StoreError, SCHEMA_VERSION};

#[wasm_bindgen_test]
async fn a_blocked_open_is_reported_and_still_upgrades_once_let_go() {
    let name = "t_blocked";
    Store::delete_database(name).await.unwrap();
    let old = Store::open_named(name, SCHEMA_VERSION - 1).await.unwrap();
    old.put(json!({"_id": "activity:1", "type": "activity", "start": "2026-03-01T19:00:00+08:00"}))
        .await
        .unwrap();
    // The older connection stays open (as another tab's would): the upgrade waits on it.
    match Store::open_named(name, SCHEMA_VERSION).await {
        Err(StoreError::Blocked) => {}
        other => panic!("expected Blocked, got {other:?}"),
    }
    old.put(json!({"_id": "attendance:1", "type": "attendance", "activity_id": "activity:1", "volunteer_id": "volunteer:1", "hours": 2}))
        .await
        .unwrap();
    old.close();
    // The blocked request goes on by itself: its upgrade runs with the migrations, and the
    // connection it ends with is closed, so the next open needs no upgrade and is not
    // blocked.
    TimeoutFuture::new(300).await;
    let store = Store::open_named(name, SCHEMA_VERSION).await.unwrap();
    assert_eq!(store.count_type("activity").await.unwrap(), 1);
    // Version 7's index (`p_ka`) is there and counts what version 6 wrote.
    let attended = store.count_related(Relation::AttendanceByActivity, "activity:1");
    assert_eq!(attended.await.unwrap(), 1);
    let doc = store.get("activity:1").await.unwrap();
    assert_eq!(doc["start"], "2026-03-01T19:00:00+08:00");
    store
        .put(json!({"_id": "activity:2", "type": "activity", "start": "2026-03-02T19:00:00+08:00"}))
        .await
        .unwrap();
    assert_eq!(store.count_type("activity").await.unwrap(), 2);
}
