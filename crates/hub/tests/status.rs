//! 上报情况 over HTTP: `GET /couch/_yehua/status?month=` answers hq with one row per
//! station of its subtree (last sync, last forum, the month's forums, villagers, open
//! concerns, the two flags) and the month's figures summed up the tree — the same numbers
//! as `yehua-hub report`; a cadre is refused, a bad month is a 400.

mod common;

use common::{db, start, status_row as row};
use serde_json::{json, Value};

fn forum(id: &str, station: &str, start: &str, villagers: u64) -> Value {
    json!({"_id": id, "type": "activity", "kind": "evening_forum", "title": "村夜话",
           "station": station, "start": start, "villagers_present": villagers})
}

#[test]
fn hq_sees_who_has_reported_below_it() {
    let h = start();
    let url = "/couch/_yehua/status?month=2026-11";
    let before = h.get(url, "hq");
    assert_eq!(before.status, 200, "{}", before.body);
    let codes: Vec<&str> = before.body["stations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        ["3301", "330101", "330102"],
        "its subtree, not the county"
    );
    let v = row(&before.body, "330101");
    assert_eq!(
        (v["no_forum"].clone(), v["not_synced"].clone()),
        (json!(true), json!(true))
    );
    assert_eq!(v["last_sync"], Value::Null);

    // Village 330101 holds a forum and syncs (its replicator writes a checkpoint).
    let d = db("330101");
    let f = forum("activity:1", "330101", "2026-11-03T19:30:00+08:00", 40);
    assert_eq!(h.put(&format!("{d}/activity:1"), "a", &f).status, 201);
    let c = json!({"_id": "concern:1", "type": "concern", "station": "330101", "status": "open",
                   "text": "路灯坏了", "created_at": "2026-11-03T20:00:00+08:00"});
    assert_eq!(h.put(&format!("{d}/concern:1"), "a", &c).status, 201);
    assert_eq!(
        h.put(&format!("{d}/_local/cp"), "a", &json!({"seq": 2}))
            .status,
        201
    );

    let after = h.get(url, "hq").body;
    let v = row(&after, "330101");
    assert_eq!(v["forums"], 1);
    assert_eq!(v["villagers"], 40);
    assert_eq!(v["concerns_open"], 1);
    assert_eq!(v["last_forum"], "2026-11-03");
    assert_eq!(
        (v["no_forum"].clone(), v["not_synced"].clone()),
        (json!(false), json!(false))
    );
    assert!(v["last_sync"].as_i64().unwrap() > 1_700_000_000);
    let other = row(&after, "330102");
    assert_eq!(
        (other["no_forum"].clone(), other["not_synced"].clone()),
        (json!(true), json!(true))
    );
    // The township's row is the sum below it, and is not flagged for syncing.
    let town = row(&after, "3301");
    assert_eq!(
        (town["forums"].clone(), town["not_synced"].clone()),
        (json!(1), json!(false))
    );
    // The month's figures per station and up the tree, as `report` computes them.
    let report = hub::report::report(&h.hub.store, "2026-11", Some("3301")).unwrap();
    let figures: Vec<Value> = report
        .iter()
        .map(|r| serde_json::to_value(r).unwrap())
        .collect();
    assert_eq!(after["figures"], json!(figures));
    // Another month: the forum is last month's, and nothing was held.
    let dec = h.get("/couch/_yehua/status?month=2026-12", "hq").body;
    let v = row(&dec, "330101");
    assert_eq!(
        (v["forums"].clone(), v["no_forum"].clone()),
        (json!(0), json!(true))
    );
    assert_eq!(v["last_forum"], "2026-11-03");
}

#[test]
fn only_headquarters_asks_and_bad_input_is_400() {
    let h = start();
    let r = h.get("/couch/_yehua/status?month=2026-11", "a");
    assert_eq!(r.status, 403);
    for bad in ["", "?month=2026-13", "?month=11-2026"] {
        let r = h.get(&format!("/couch/_yehua/status{bad}"), "hq");
        assert_eq!(
            (r.status, &r.body["error"]),
            (400, &json!("bad_request")),
            "{bad}"
        );
    }
    let r = h.get("/couch/_yehua/status?month=2026-11&station=33", "hq");
    assert_eq!(r.status, 403, "above its own station");
    let r = h.get("/couch/_yehua/status?month=2026-11", "admin");
    assert_eq!(r.body["stations"].as_array().unwrap().len(), 4);
    let r = h.get("/couch/_yehua/status?month=2026-11&station=330102", "admin");
    assert_eq!(r.body["stations"].as_array().unwrap().len(), 1);
}
