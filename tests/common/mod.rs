//! Shared by the browser sync tests: the servers' URLs (set at compile time by
//! `scripts/sync-test-servers.sh`), fresh stores, the demo data, remotes, and the
//! comparisons every sync test ends with.

#![allow(dead_code)]

use couch::DocRecord;
use serde_json::Value;
use yehua::store::Store;
use yehua::sync::{login, Remote, SyncError, SyncReport};

pub const DEMO_STATION_DB: &str = "station_330106001";

// `option_env!` (not `env!`) so that the crate still builds for clippy without servers;
// a test run without them fails here, loudly.
pub fn hub() -> &'static str {
    match option_env!("YEHUA_SYNC_HUB") {
        Some(url) => url,
        None => panic!("YEHUA_SYNC_HUB is not set: run through scripts/sync-test-servers.sh"),
    }
}

pub fn flaky() -> &'static str {
    match option_env!("YEHUA_SYNC_FLAKY") {
        Some(url) => url,
        None => panic!("YEHUA_SYNC_FLAKY is not set: run through scripts/sync-test-servers.sh"),
    }
}

pub fn pouch() -> &'static str {
    match option_env!("YEHUA_SYNC_POUCH") {
        Some(url) => url,
        None => panic!("YEHUA_SYNC_POUCH is not set: run through scripts/sync-test-servers.sh"),
    }
}

pub async fn fresh(name: &str) -> Store {
    Store::delete_database(name).await.unwrap();
    Store::open_named(name, yehua::store::SCHEMA_VERSION)
        .await
        .unwrap()
}

pub async fn hub_remote() -> Remote {
    login(hub(), "demo", "yehua-demo").await.unwrap();
    Remote::new(&format!("{}/{DEMO_STATION_DB}", hub()))
}

pub async fn pouch_remote(db: &str) -> Remote {
    let remote = Remote::new(&format!("{}/{db}", pouch()));
    remote.ensure_exists().await.unwrap();
    remote
}

/// A store holding the demo data; returns it with every document id.
pub async fn demo_store(name: &str) -> (Store, Vec<String>) {
    let store = fresh(name).await;
    let docs = model::demo::generate(&Default::default());
    let ids: Vec<String> = docs
        .iter()
        .map(|d| d["_id"].as_str().unwrap().to_owned())
        .collect();
    for r in store.bulk_put(docs).await.unwrap() {
        r.unwrap();
    }
    (store, ids)
}

pub async fn record(store: &Store, id: &str) -> DocRecord {
    store
        .get_record(id)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("{id} missing from {}", store.name()))
}

/// Every document of `ids` has the same winner, winning body and leaves in both stores.
pub async fn assert_same_docs(a: &Store, b: &Store, ids: &[String]) {
    for id in ids {
        let (ra, rb) = (record(a, id).await, record(b, id).await);
        assert_eq!(ra.winner_rev(), rb.winner_rev(), "{id}: winner");
        assert_eq!(ra.tree.leaves(), rb.tree.leaves(), "{id}: leaves");
        assert_eq!(ra.winner_doc(), rb.winner_doc(), "{id}: winning body");
        assert_eq!(ra.tree.conflicts(), rb.tree.conflicts(), "{id}: conflicts");
    }
}

pub fn now() -> f64 {
    js_sys::Date::now()
}

/// Runs `f` until a run completes, as the sync service's retries would; returns the
/// completed run's report, the sum of all runs, and how many failed.
pub async fn until_complete(
    label: &str,
    f: impl AsyncFn() -> Result<SyncReport, SyncError>,
) -> (SyncReport, u64, u32) {
    let (mut moved, mut failures) = (0, 0);
    for _ in 0..300 {
        match f().await {
            Ok(r) if r.complete => return (r.clone(), moved + r.sent + r.received, failures),
            Ok(r) => moved += r.sent + r.received,
            Err(e) if e.is_retryable() => failures += 1,
            Err(e) => panic!("{label}: not retryable: {e}"),
        }
    }
    panic!("{label}: never completed");
}

/// The JSON at `url` (a plain GET with the page's cookies), for looking at a server
/// directly.
pub async fn get_json(url: &str) -> Value {
    use wasm_bindgen::JsCast;
    let window = web_sys::window().unwrap();
    let init = web_sys::RequestInit::new();
    init.set_credentials(web_sys::RequestCredentials::Include);
    let res: web_sys::Response =
        wasm_bindgen_futures::JsFuture::from(window.fetch_with_str_and_init(url, &init))
            .await
            .unwrap()
            .unchecked_into();
    let text = wasm_bindgen_futures::JsFuture::from(res.text().unwrap())
        .await
        .unwrap();
    serde_json::from_str(&text.as_string().unwrap()).unwrap()
}
