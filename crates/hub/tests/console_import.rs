//! The console's upload, `POST /couch/_yehua/import`: hq imports a station's export file
//! of its subtree and gets the per-file counts (a second upload is all unchanged); a file
//! of a station outside its subtree is 403 and writes nothing; a malformed or hostile body
//! is 400 with the file's problem (code, English and Chinese) and writes nothing; a body
//! over the limit is 413; a cadre is refused; admin imports anywhere. Each import is
//! recorded, and 上报情况 shows it as 本月导入记录 / 最近导入.

mod common;

use common::{basic, db, start, start_with, status_row as row};
use couch::DocRecord;
use exchange::{build, Filter};
use hub::couch::ApiConfig;
use serde_json::{json, Value};

/// An export file of `station` holding one forum in November 2026 (`villagers` present).
fn export(station: &str, id: &str, villagers: u64) -> String {
    let mut r = DocRecord::new(id.to_owned());
    r.update(
        json!({"_id": id, "type": "activity", "kind": "evening_forum",
                    "title": "村夜话", "station": station,
                    "created_at": "2026-11-03T18:00:00+08:00",
                    "start": "2026-11-03T19:30:00+08:00", "villagers_present": villagers}),
    )
    .unwrap();
    let file = build(
        station,
        "2026-11-20T21:00:00+08:00",
        "0.1.0",
        &Filter::default(),
        &[r],
    );
    serde_json::to_string(&file).unwrap()
}

fn upload(h: &common::TestHub, user: &str, body: &str) -> common::Res {
    h.req(
        "POST",
        "/couch/_yehua/import?file=yehua-330101-20261120.json",
        Some(&basic(user)),
        Some(body),
    )
}

fn docs_in(h: &common::TestHub, code: &str) -> u64 {
    let all = h.get(&format!("{}/_all_docs", db(code)), "admin");
    all.body["total_rows"].as_u64().unwrap()
}

#[test]
fn hq_imports_a_file_of_its_subtree_and_status_counts_it() {
    let h = start();
    let file = export(
        "330101",
        "activity:0190a1b2-0000-7000-8000-000000000001",
        40,
    );
    let first = upload(&h, "hq", &file);
    assert_eq!(first.status, 201, "{}", first.body);
    assert_eq!(
        first.body,
        json!({"ok": true, "station": "330101", "new": 1, "updated": 0, "unchanged": 0, "conflicts": 0})
    );
    assert_eq!(docs_in(&h, "330101"), 1);
    let again = upload(&h, "hq", &file);
    assert_eq!(
        (again.body["new"].clone(), again.body["unchanged"].clone()),
        (json!(0), json!(1)),
        "a second upload changes nothing"
    );

    // 上报情况 counts the records the month's files brought (1 new, then nothing) in the
    // village and the township above it, with the last import's time.
    let status = h.get("/couch/_yehua/status?month=2026-11", "hq").body;
    let now = status["now"].as_i64().unwrap();
    let village = row(&status, "330101");
    assert_eq!(village["forums"], 1, "the imported forum counts");
    assert_eq!(village["no_forum"], false);
    let this_month = model::time::rfc3339_cst(now * 1000).unwrap()[..7].to_owned();
    let expected = if this_month == "2026-11" { 1 } else { 0 };
    let now_status = h
        .get(&format!("/couch/_yehua/status?month={this_month}"), "hq")
        .body;
    for code in ["330101", "3301"] {
        let r = row(&now_status, code);
        assert_eq!(r["imported"], 1, "{code}: {r}");
        assert!((now - r["last_import"].as_i64().unwrap()).abs() < 60, "{r}");
    }
    assert_eq!(row(&now_status, "330102")["imported"], 0);
    assert_eq!(row(&now_status, "330102")["last_import"], Value::Null);
    // November's answer counts this month's imports only if this month is November.
    assert_eq!(village["imported"], expected);

    // Each import is recorded with who did it and the file's name.
    let rows = h
        .hub
        .store
        .read_blocking(|tx| hub::store::imports::all(tx))
        .unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (
            rows[0].station.as_str(),
            rows[0].user.as_str(),
            rows[0].file.as_str()
        ),
        ("330101", "hq", "yehua-330101-20261120.json")
    );
    assert_eq!((rows[0].report.new, rows[1].report.unchanged), (1, 1));
}

#[test]
fn a_file_of_a_station_outside_the_subtree_is_refused_and_writes_nothing() {
    let h = start();
    // Station 3302 is beside hq's township, under the same county.
    let st = hub::store::accounts::Station {
        code: "330201".into(),
        name: "别的村".into(),
        parent: Some("33".into()),
        level: "village".into(),
    };
    h.hub
        .store
        .write_blocking(|tx| hub::admin::add_station(tx, &st))
        .unwrap();
    let file = export("330201", "activity:0190a1b2-0000-7000-8000-000000000002", 9);
    let res = upload(&h, "hq", &file);
    assert_eq!(res.status, 403, "{}", res.body);
    assert_eq!(res.body["station"], "330201");
    assert!(res.body["reason"].as_str().unwrap().contains("330201"));
    assert_eq!(docs_in(&h, "330201"), 0);
    // Not even its own township's file may name the county above it.
    let above = upload(
        &h,
        "hq",
        &export("33", "activity:0190a1b2-0000-7000-8000-000000000003", 1),
    );
    assert_eq!(above.status, 403);
    assert_eq!(docs_in(&h, "33"), 0);
    // A cadre imports nothing, not even its own station's file.
    let own = export("330101", "activity:0190a1b2-0000-7000-8000-000000000004", 3);
    assert_eq!(upload(&h, "a", &own).status, 403);
    assert_eq!(docs_in(&h, "330101"), 0);
    // Admin imports anywhere; a station the hub does not know is 404 with its code.
    assert_eq!(upload(&h, "admin", &file).status, 201);
    assert_eq!(docs_in(&h, "330201"), 1);
    let unknown = upload(
        &h,
        "admin",
        &export("339999", "activity:0190a1b2-0000-7000-8000-000000000005", 1),
    );
    assert_eq!(
        (unknown.status, unknown.body["station"].clone()),
        (404, json!("339999"))
    );
    // Nothing was recorded for the refusals.
    let rows = h
        .hub
        .store
        .read_blocking(|tx| hub::store::imports::all(tx))
        .unwrap();
    assert_eq!(rows.len(), 1);
}

#[test]
fn malformed_and_hostile_bodies_are_400_with_the_reason_and_write_nothing() {
    let h = start();
    let good = export(
        "330101",
        "activity:0190a1b2-0000-7000-8000-000000000006",
        40,
    );
    let cut = &good[..good.len() / 2];
    let mut bad_rev: Value = serde_json::from_str(&good).unwrap();
    bad_rev["docs"][0]["_rev"] = json!("1-xyz");
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    for (body, code) in [
        (cut.to_owned(), "truncated"),
        ("".to_owned(), "empty"),
        ("{\"format\": \"other\"}".to_owned(), "other_format"),
        ("[1, 2]".to_owned(), "not_object"),
        (bad_rev.to_string(), "bad_rev"),
        (deep, "not_json"),
    ] {
        let res = upload(&h, "hq", &body);
        assert_eq!(res.status, 400, "{code}: {}", res.body);
        assert_eq!(res.body["error"], "bad_file");
        assert_eq!(res.body["code"], code, "{}", res.body);
        assert!(!res.body["zh"].as_str().unwrap().is_empty());
        assert!(!res.body["reason"].as_str().unwrap().is_empty());
    }
    // Bytes that are not UTF-8 (a GBK file) are refused the same way.
    let (status, _, bytes) = h.raw(
        "POST",
        "/couch/_yehua/import",
        "hq",
        &[("Content-Type", "application/json")],
        &[0xc4, 0xe3, 0xba, 0xc3],
    );
    let body: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!((status, body["code"].clone()), (400, json!("not_utf8")));
    assert_eq!(docs_in(&h, "330101"), 0);
    let rows = h
        .hub
        .store
        .read_blocking(|tx| hub::store::imports::all(tx))
        .unwrap();
    assert!(rows.is_empty());
    // Only POST.
    assert_eq!(h.get("/couch/_yehua/import", "hq").status, 405);
}

#[test]
fn a_file_over_the_size_limit_is_413() {
    let h = start_with(ApiConfig {
        max_body: 4096,
        ..ApiConfig::default()
    });
    let big = export("330101", "activity:0190a1b2-0000-7000-8000-000000000007", 1)
        .replace("村夜话", &"村夜话".repeat(2000));
    let res = upload(&h, "hq", &big);
    assert_eq!(res.status, 413, "{}", res.body);
    assert_eq!(docs_in(&h, "330101"), 0);
}
