//! `make bench`'s 上报情况 figure: a county of STATIONS villages (default 300) under 15
//! townships, each village with a year of records (the demo generator's believable year,
//! ~930 documents, unmarked), then `status::station_status` for one month — the first
//! question (every database read and counted) and the next ones (nothing changed), and
//! again after one village synced new records. Prints one `BENCH {json}` line.
//!
//! ```sh
//! cargo run --release -p yehua-hub --example bench_status [STATIONS]
//! ```

use couch::DocRecord;
use hub::admin::{add_station, station_db};
use hub::status::{station_status, StatusCache};
use hub::store::{accounts::Station, docs as q, now_secs, Store, StoreError};
use model::demo::{generate, DemoConfig};
use std::time::Instant;

fn station(code: String, parent: Option<String>, level: &str) -> Station {
    Station {
        name: format!("站{code}"),
        code,
        parent,
        level: level.into(),
    }
}

fn fill(store: &Store, code: &str, seed: u64) -> usize {
    let cfg = DemoConfig {
        seed,
        station: code.to_owned(),
        marked: false,
        ..DemoConfig::default()
    };
    let docs = generate(&cfg);
    store
        .write_blocking(|tx| {
            let mut db = q::db_get(tx, &station_db(code))?.expect("station db");
            for d in &docs {
                let mut r = DocRecord::new(d["_id"].as_str().unwrap_or_default().to_owned());
                if r.update(d.clone()).is_ok() {
                    q::doc_save(tx, &mut db, &r)?;
                }
            }
            Ok::<_, StoreError>(())
        })
        .expect("write");
    docs.len()
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(300);
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(dir.path()).expect("store");
    let t = Instant::now();
    store
        .write_blocking(|tx| {
            add_station(tx, &station("3301".into(), None, "county"))?;
            for t in 0..15 {
                add_station(
                    tx,
                    &station(format!("3301{t:02}"), Some("3301".into()), "township"),
                )?;
            }
            for v in 0..n {
                let code = format!("3301{:02}{:03}", v % 15, v);
                add_station(
                    tx,
                    &station(code, Some(format!("3301{:02}", v % 15)), "village"),
                )?;
            }
            Ok::<_, hub::admin::AdminError>(())
        })
        .expect("stations");
    let mut docs = 0;
    for v in 0..n {
        docs += fill(&store, &format!("3301{:02}{:03}", v % 15, v), v as u64 + 1);
    }
    let seed_s = t.elapsed().as_secs_f64();
    let cache = StatusCache::default();
    let month = "2026-10";
    let ask = |cache: &StatusCache| {
        let t = Instant::now();
        let a = station_status(&store, cache, month, None, now_secs()).expect("status");
        (t.elapsed().as_millis() as u64, a)
    };
    let (first_ms, answer) = ask(&cache);
    let mut again: Vec<u64> = (0..5).map(|_| ask(&cache).0).collect();
    again.sort();
    // One village syncs a few new records: only its database is read again.
    fill(&store, "330100000", 9_999);
    let (changed_ms, _) = ask(&cache);
    let forums: u64 = answer
        .figures
        .iter()
        .filter(|r| r.code == "3301")
        .map(|r| r.figures.forums)
        .sum();
    println!(
        "BENCH {}",
        serde_json::json!({
            "figure": "hub status",
            "stations": n,
            "documents": docs,
            "month": month,
            "county_forums": forums,
            "first_ms": first_ms,
            "unchanged_ms": again[again.len() / 2],
            "one_changed_ms": changed_ms,
            "seed_s": (seed_s * 10.0).round() / 10.0,
        })
    );
}
