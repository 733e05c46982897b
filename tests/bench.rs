//! Benchmarks (not tests) in headless Chromium: Yehua's IndexedDB store and replicator
//! against PouchDB 9 (its browser build, `node_modules/pouchdb/dist/pouchdb.min.js`, the
//! same code the `pouchdb-browser` package bundles, IndexedDB adapter) doing the same work
//! in the same page, alternating, 5 runs each. Each figure is printed as one line
//! `BENCH {json}` for `scripts/bench-report.mjs`.
//!
//! Built only with `--features bench`; run by `make bench` (scripts/bench.sh), which starts
//! a release hub with stations bench01..bench20 and user `bench` (admin) and passes its URL
//! as YEHUA_BENCH_HUB at compile time.
#![cfg(target_arch = "wasm32")]

use serde_json::{json, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;
use yehua::store::{PageQuery, Relation, Store};
use yehua::sync::{login, Remote, Replicator};

wasm_bindgen_test_configure!(run_in_browser);

const RUNS: usize = 5;
const DOCS: usize = 10_000;

#[wasm_bindgen(inline_js = r#"
export function load_pouch(src) { (0, eval)(src); return typeof PouchDB; }
export function profile_start(label) { console.profile(label); }
export function profile_end(label) { console.profileEnd(label); }
const t = () => performance.now();
function counted() {
  const c = { requests: 0, sent: 0, received: 0 };
  const fetch = async (url, opts = {}) => {
    opts.credentials = 'include';
    c.requests += 1;
    if (typeof opts.body === 'string') c.sent += new TextEncoder().encode(opts.body).length;
    const r = await PouchDB.fetch(url, opts);
    const text = await r.clone().text();
    c.received += new TextEncoder().encode(text).length;
    return r;
  };
  return { c, fetch };
}
export async function pouch_write(name, docs, batches) {
  const db = new PouchDB(name);
  const size = Math.ceil(docs.length / batches);
  const s = t();
  for (let i = 0; i < docs.length; i += size) await db.bulkDocs(docs.slice(i, i + size));
  const ms = t() - s;
  await db.close();
  return ms;
}
export async function pouch_page(name) {
  const db = new PouchDB(name);
  const s = t();
  const r = await db.allDocs({ startkey: 'activity:\ufff0', endkey: 'activity:', descending: true, limit: 50, include_docs: true });
  const ms = t() - s;
  await db.close();
  if (r.rows.length !== 50) throw new Error('page: ' + r.rows.length);
  return ms;
}
export async function pouch_attendance(name, activity) {
  const db = new PouchDB(name);
  const s = t();
  // Attendance ids hold the activity's uuid (`attendance:<uuid>:<uuid>`, model::id).
  const tail = activity.slice(activity.indexOf(':') + 1);
  const r = await db.allDocs({ startkey: 'attendance:' + tail + ':', endkey: 'attendance:' + tail + ':\ufff0', include_docs: true });
  const ms = t() - s;
  await db.close();
  return [ms, r.rows.length];
}
export async function pouch_destroy(name) { await new PouchDB(name).destroy(); }
export async function pouch_replicate(name, url, push) {
  const db = new PouchDB(name);
  const { c, fetch } = counted();
  const remote = new PouchDB(url, { fetch, skip_setup: true });
  const s = t();
  const r = push ? await db.replicate.to(remote) : await db.replicate.from(remote);
  const ms = t() - s;
  await db.close();
  if (r.status !== 'complete') throw new Error('pouch replication: ' + r.status);
  return [ms, c.requests, c.sent, c.received, push ? r.docs_written : r.docs_written];
}
"#)]
extern "C" {
    fn load_pouch(src: &str) -> String;
    fn profile_start(label: &str);
    fn profile_end(label: &str);
    #[wasm_bindgen(catch)]
    async fn pouch_write(name: &str, docs: JsValue, batches: u32) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch)]
    async fn pouch_page(name: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch)]
    async fn pouch_attendance(name: &str, activity: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch)]
    async fn pouch_destroy(name: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch)]
    async fn pouch_replicate(name: &str, url: &str, push: bool) -> Result<JsValue, JsValue>;
}

fn hub() -> &'static str {
    match option_env!("YEHUA_BENCH_HUB") {
        Some(url) => url,
        None => panic!("YEHUA_BENCH_HUB is not set: run `make bench`"),
    }
}

fn now() -> f64 {
    js_sys::Date::now()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn report(figure: &str, yehua: Vec<f64>, pouch: Vec<f64>, unit: &str, extra: Value) {
    let (y, p) = (median(yehua.clone()), median(pouch.clone()));
    let line = json!({"figure": figure, "unit": unit, "yehua": y, "pouchdb": p,
        "ratio": if y > 0.0 { p / y } else { 0.0 }, "runs": {"yehua": yehua, "pouchdb": pouch},
        "extra": extra});
    console_log!("BENCH {line}");
}

/// 10,000 demo-shaped documents (activities with attendance and concerns, volunteers,
/// teams, a survey and responses).
fn docs() -> Vec<Value> {
    let cfg = model::demo::DemoConfig {
        activities: 1_500,
        ..Default::default()
    };
    let mut docs = model::demo::generate(&cfg);
    docs.truncate(DOCS);
    assert_eq!(docs.len(), DOCS, "the generator makes enough documents");
    docs
}

fn js(v: &Value) -> JsValue {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap()
}

use serde::Serialize;

async fn fresh(name: &str) -> Store {
    Store::delete_database(name).await.unwrap();
    Store::open_named(name, yehua::store::SCHEMA_VERSION)
        .await
        .unwrap()
}

fn f(v: JsValue) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

/// How many one-batch writes `profile_one_batch_write` profiles.
const PROFILE_RUNS: usize = 3;

/// The one-batch write of 10,000 documents into an empty store, [`PROFILE_RUNS`] times,
/// each between `console.profile` and `console.profileEnd`: a page whose DevTools client
/// has the Profiler domain enabled receives one CPU profile per write (nothing else of the
/// page's work: not the documents' generation, not opening the store). Ignored by `make
/// bench`; `scripts/profile-write.mjs` runs it (`--include-ignored profile_one_batch_write`).
#[wasm_bindgen_test]
#[ignore = "run by scripts/profile-write.mjs under Chromium's profiler"]
async fn profile_one_batch_write() {
    let docs = docs();
    for run in 0..PROFILE_RUNS {
        let name = format!("profile_w1_{run}");
        let store = fresh(&name).await;
        let label = format!("write {run}");
        let batch = docs.clone();
        let t = now();
        profile_start(&label);
        for r in store.bulk_put(batch).await.unwrap() {
            r.unwrap();
        }
        profile_end(&label);
        console_log!("PROFILE {}", json!({"label": label, "ms": now() - t}));
        store.close();
        Store::delete_database(&name).await.unwrap();
    }
}

#[wasm_bindgen_test]
async fn indexeddb_and_sync_against_pouchdb() {
    let kind = load_pouch(include_str!("../node_modules/pouchdb/dist/pouchdb.min.js"));
    assert_eq!(kind, "function", "PouchDB loaded");
    let docs = docs();
    let docs_js = js(&Value::Array(docs.clone()));
    let activity = docs
        .iter()
        .find(|d| d["type"] == "activity")
        .and_then(|d| d["_id"].as_str())
        .unwrap()
        .to_owned();

    // Writes: one batch of 10,000 and 100 batches of 100, each into an empty database.
    for (label, batches) in [
        ("write 10,000 docs, one batch", 1u32),
        ("write 10,000 docs, 100 batches", 100),
    ] {
        let (mut y, mut p, mut copies) = (vec![], vec![], vec![]);
        for run in 0..RUNS {
            let name = format!("bench_w{batches}_{run}");
            let store = fresh(&name).await;
            // The batches are the caller's own documents, as in the app: the bench's copy
            // of them is made before the clock starts (PouchDB too is handed its array),
            // and reported beside the figure (until 2026-12-01 it was inside it).
            let size = DOCS.div_ceil(batches as usize);
            let t = now();
            let chunks: Vec<Vec<Value>> = docs.chunks(size).map(<[Value]>::to_vec).collect();
            copies.push(now() - t);
            let t = now();
            for chunk in chunks {
                for r in store.bulk_put(chunk).await.unwrap() {
                    r.unwrap();
                }
            }
            y.push(now() - t);
            store.close();
            Store::delete_database(&name).await.unwrap();
            let pname = format!("pouch_w{batches}_{run}");
            pouch_destroy(&pname).await.unwrap();
            p.push(f(pouch_write(&pname, docs_js.clone(), batches)
                .await
                .unwrap()));
            pouch_destroy(&pname).await.unwrap();
        }
        report(label, y, p, "ms", json!({"bench_copy_ms": median(copies)}));
    }

    // Reads over one populated database each.
    let store = fresh("bench_read").await;
    for r in store.bulk_put(docs.clone()).await.unwrap() {
        r.unwrap();
    }
    pouch_destroy("pouch_read").await.unwrap();
    pouch_write("pouch_read", docs_js.clone(), 1).await.unwrap();
    let (mut y, mut p, mut ya, mut pa) = (vec![], vec![], vec![], vec![]);
    let mut found = (0, 0);
    for _ in 0..RUNS {
        let t = now();
        let page = store
            .page(&PageQuery {
                doc_type: "activity".into(),
                newest_first: true,
                after: None,
                limit: 50,
            })
            .await
            .unwrap();
        y.push(now() - t);
        assert_eq!(page.docs.len(), 50);
        p.push(f(pouch_page("pouch_read").await.unwrap()));
        let t = now();
        let att = store
            .related(Relation::AttendanceByActivity, &activity, u32::MAX)
            .await
            .unwrap();
        ya.push(now() - t);
        let pr: js_sys::Array = pouch_attendance("pouch_read", &activity)
            .await
            .unwrap()
            .into();
        pa.push(f(pr.get(0)));
        found = (att.len(), f(pr.get(1)) as usize);
    }
    assert_eq!(found.0, found.1, "both find the same attendance");
    report("read a page of 50 newest activities", y, p, "ms", json!({}));
    report(
        "attendance of one activity",
        ya,
        pa,
        "ms",
        json!({"records": found.0}),
    );

    // Sync through the hub: push the populated store to an empty station database, then pull
    // it into an empty store. Each run uses its own database (bench01.. for Yehua, bench11..
    // for PouchDB).
    login(hub(), "bench", "bench-password").await.unwrap();
    let (mut yp, mut pp, mut yl, mut pl) = (vec![], vec![], vec![], vec![]);
    let (mut ypx, mut ppx, mut ylx, mut plx) = (json!(null), json!(null), json!(null), json!(null));
    for run in 0..RUNS {
        let ydb = format!("{}/station_bench{:02}", hub(), run + 1);
        let remote = Remote::new(&ydb);
        let t = now();
        let pushed = Replicator::new(store.clone(), remote.clone())
            .push()
            .await
            .unwrap();
        yp.push(now() - t);
        assert_eq!(pushed.sent, DOCS as u64);
        let (out, inn) = remote.bytes();
        ypx = json!({"requests": remote.requests(), "bytes_out": out, "bytes_in": inn});

        let pdb = format!("{}/station_bench{:02}", hub(), run + 11);
        let r: js_sys::Array = pouch_replicate("pouch_read", &pdb, true)
            .await
            .unwrap()
            .into();
        pp.push(f(r.get(0)));
        ppx = json!({"requests": f(r.get(1)), "bytes_out": f(r.get(2)), "bytes_in": f(r.get(3)), "docs": f(r.get(4))});

        let dst = fresh(&format!("bench_pull_{run}")).await;
        let remote = Remote::new(&ydb);
        let t = now();
        let pulled = Replicator::new(dst.clone(), remote.clone())
            .pull()
            .await
            .unwrap();
        yl.push(now() - t);
        assert_eq!(pulled.received, DOCS as u64);
        let (out, inn) = remote.bytes();
        ylx = json!({"requests": remote.requests(), "bytes_out": out, "bytes_in": inn});
        dst.close();
        Store::delete_database(&format!("bench_pull_{run}"))
            .await
            .unwrap();

        let pname = format!("pouch_pull_{run}");
        pouch_destroy(&pname).await.unwrap();
        let r: js_sys::Array = pouch_replicate(&pname, &pdb, false).await.unwrap().into();
        pl.push(f(r.get(0)));
        plx = json!({"requests": f(r.get(1)), "bytes_out": f(r.get(2)), "bytes_in": f(r.get(3)), "docs": f(r.get(4))});
        pouch_destroy(&pname).await.unwrap();
    }
    report(
        "push 10,000 docs to the hub",
        yp,
        pp,
        "ms",
        json!({"yehua": ypx, "pouchdb": ppx}),
    );
    report(
        "pull 10,000 docs from the hub",
        yl,
        pl,
        "ms",
        json!({"yehua": ylx, "pouchdb": plx}),
    );
}
