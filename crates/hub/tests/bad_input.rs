//! Bad input gets a CouchDB-style 4xx, never a 5xx or a panic: malformed JSON, wrong
//! types, invalid ids and revisions, unknown databases and paths, oversized bodies, and
//! a property test throwing arbitrary bodies at the replication endpoints.

mod common;

use axum::body::Bytes;
use axum::http::{header, HeaderMap, HeaderValue, Method};
use common::{basic, db, start, start_with};
use hub::couch::{ApiConfig, Req};
use proptest::prelude::*;
use serde_json::{json, Value};

#[test]
fn malformed_and_mistyped_bodies_are_400() {
    let h = start();
    let d = db("330101");
    let auth = basic("a");
    for (method, path, body) in [
        ("POST", format!("{d}/_bulk_docs"), "{not json"),
        ("POST", format!("{d}/_bulk_docs"), ""),
        ("POST", format!("{d}/_bulk_docs"), "[]"),
        ("POST", format!("{d}/_bulk_docs"), r#"{"docs": 5}"#),
        ("POST", format!("{d}/_bulk_docs"), r#"{"docs": [1]}"#),
        (
            "POST",
            format!("{d}/_bulk_docs"),
            r#"{"docs": [{"_id": 7}]}"#,
        ),
        (
            "POST",
            format!("{d}/_bulk_docs"),
            r#"{"docs": [{"_id": "_bad"}]}"#,
        ),
        (
            "POST",
            format!("{d}/_bulk_docs"),
            r#"{"docs": [{"_id": "x", "_zzz": 1}]}"#,
        ),
        (
            "POST",
            format!("{d}/_bulk_docs"),
            r#"{"docs": [{"_id": "x", "_rev": "nope"}], "new_edits": false}"#,
        ),
        (
            "POST",
            format!("{d}/_bulk_docs"),
            r#"{"docs": [{"_id": "x"}], "new_edits": false}"#,
        ),
        (
            "POST",
            format!("{d}/_bulk_docs"),
            r#"{"docs": [{"_id": "x", "_rev": "2-a", "_revisions": {"start": 1, "ids": ["a"]}}], "new_edits": false}"#,
        ),
        (
            "POST",
            format!("{d}/_bulk_docs"),
            r#"{"docs": [], "new_edits": "no"}"#,
        ),
        ("POST", format!("{d}/_revs_diff"), r#"{"x": "1-a"}"#),
        ("POST", format!("{d}/_revs_diff"), r#"{"x": ["a-1"]}"#),
        ("POST", format!("{d}/_revs_diff"), r#"[1]"#),
        (
            "POST",
            format!("{d}/_bulk_get"),
            r#"{"docs": [{"rev": "1-a"}]}"#,
        ),
        ("POST", format!("{d}/_bulk_get"), r#"{"docs": {}}"#),
        ("PUT", format!("{d}/x"), r#"[1,2]"#),
        ("PUT", format!("{d}/x"), r#"{"_rev": "garbage"}"#),
        ("PUT", format!("{d}/_local/x"), r#""str""#),
        (
            "POST",
            format!("{d}/_bulk_docs"),
            r#"{"docs": [{"_id": "x", "_rev": "18446744073709551615-a"}], "new_edits": false}"#,
        ),
        ("GET", format!("{d}/_changes?since=abc"), ""),
        ("GET", format!("{d}/_changes?limit=-1"), ""),
        ("GET", format!("{d}/_changes?feed=continuous"), ""),
        ("GET", format!("{d}/_changes?include_docs=maybe"), ""),
        ("GET", format!("{d}/_changes?filter=app/by_type"), ""),
        ("GET", format!("{d}/_all_docs?startkey=notjson"), ""),
        ("GET", format!("{d}/x?open_revs=[1]"), ""),
        ("GET", format!("{d}/x?rev=bad"), ""),
        ("GET", format!("{d}/_bad_id"), ""),
        ("POST", "/couch/_session".to_owned(), r#"{"name": 1}"#),
    ] {
        let r = h.req(method, &path, Some(&auth), Some(body));
        assert!(
            (400..500).contains(&r.status),
            "{method} {path} {body}: {} {}",
            r.status,
            r.body
        );
        assert!(r.body["error"].is_string(), "{method} {path}: {}", r.body);
        assert!(r.body["reason"].is_string());
    }
    // Nothing of a rejected batch was written.
    let r = h.post(
        &format!("{d}/_bulk_docs"),
        "a",
        &json!({"docs": [{"_id": "ok1"}, {"_id": "x", "_bad": 1}]}),
    );
    assert_eq!(r.status, 400);
    assert_eq!(h.get(&format!("{d}/ok1"), "a").status, 404);
}

#[test]
fn unknown_databases_paths_and_methods() {
    let h = start();
    let r = h.get("/couch/station_nowhere", "admin");
    assert_eq!((r.status, &r.body["error"]), (404, &json!("not_found")));
    let r = h.get("/couch/station_nowhere/_changes", "admin");
    assert_eq!(r.status, 404);
    let r = h.post(
        "/couch/station_nowhere/_bulk_docs",
        "admin",
        &json!({"docs": []}),
    );
    assert_eq!(r.status, 404);
    assert_eq!(h.get("/couch/_nothing", "admin").status, 404);
    assert_eq!(h.get(&format!("{}/_view", db("330101")), "a").status, 404);
    assert_eq!(
        h.get(&format!("{}/doc/attachment.png", db("330101")), "a")
            .status,
        404
    );
    let r = h.req("PATCH", &db("330101"), Some(&basic("a")), None);
    assert_eq!(
        (r.status, &r.body["error"]),
        (405, &json!("method_not_allowed"))
    );
    let r = h.req(
        "GET",
        &format!("{}/_bulk_docs", db("330101")),
        Some(&basic("a")),
        None,
    );
    assert_eq!(r.status, 405);
}

#[test]
fn oversized_bodies_are_413() {
    let h = start_with(ApiConfig {
        max_body: 10_000,
        ..ApiConfig::default()
    });
    let big = json!({"docs": [{"_id": "x", "text": "夜".repeat(5000)}]});
    let r = h.post(&format!("{}/_bulk_docs", db("330101")), "a", &big);
    assert_eq!((r.status, &r.body["error"]), (413, &json!("too_large")));
    let small = json!({"docs": [{"_id": "x", "text": "夜"}]});
    assert_eq!(
        h.post(&format!("{}/_bulk_docs", db("330101")), "a", &small)
            .status,
        201
    );
}

#[test]
fn longpoll_flood_is_refused_with_429() {
    let h = start_with(ApiConfig {
        max_longpolls: 2,
        ..ApiConfig::default()
    });
    let d = db("330101");
    std::thread::scope(|s| {
        let waiters: Vec<_> = (0..2)
            .map(|_| {
                s.spawn(|| {
                    h.get(
                        &format!("{d}/_changes?feed=longpoll&since=0&timeout=1500"),
                        "a",
                    )
                })
            })
            .collect();
        std::thread::sleep(std::time::Duration::from_millis(500));
        let r = h.get(
            &format!("{d}/_changes?feed=longpoll&since=0&timeout=1500"),
            "a",
        );
        assert_eq!(
            (r.status, &r.body["error"]),
            (429, &json!("too_many_requests"))
        );
        for w in waiters {
            assert_eq!(w.join().unwrap().status, 200);
        }
    });
    let r = h.get(
        &format!("{d}/_changes?feed=longpoll&since=0&timeout=10"),
        "a",
    );
    assert_eq!(r.status, 200, "permits are returned");
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        "[a-z0-9_\\-夜话]{0,6}".prop_map(Value::String),
        prop_oneof![
            Just("1-a"),
            Just("2-b"),
            Just("0-x"),
            Just("3-"),
            Just("x-1"),
            Just("_design/d")
        ]
        .prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("_id".to_owned()),
                    Just("_rev".to_owned()),
                    Just("_revisions".to_owned()),
                    Just("_deleted".to_owned()),
                    Just("docs".to_owned()),
                    Just("new_edits".to_owned()),
                    Just("id".to_owned()),
                    Just("rev".to_owned()),
                    Just("start".to_owned()),
                    Just("ids".to_owned()),
                    "[a-z_]{1,4}",
                ],
                inner,
                0..5
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn arb_body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        arb_json().prop_map(|v| v.to_string().into_bytes()),
        arb_json().prop_map(|v| json!({"docs": [v], "new_edits": false})
            .to_string()
            .into_bytes()),
        arb_json().prop_map(|v| json!({"docs": v}).to_string().into_bytes()),
        prop::collection::vec(any::<u8>(), 0..64),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Whatever the body, the replication endpoints answer 2xx or 4xx, never 5xx.
    #[test]
    fn replication_endpoints_never_answer_5xx(
        body in arb_body(),
        endpoint in prop_oneof![Just("_bulk_docs"), Just("_revs_diff"), Just("_bulk_get"),
            Just("_changes"), Just("_all_docs"), Just("doc"), Just("_local/cp")],
        query in prop_oneof![Just(""), Just("revs=true"), Just("new_edits=false"),
            Just("filter=_doc_ids"), Just("open_revs=all"), Just("rev=1-a"), Just("revs=7")],
    ) {
        use std::sync::OnceLock;
        static HUB: OnceLock<common::TestHub> = OnceLock::new();
        let h = HUB.get_or_init(start);
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, HeaderValue::from_str(&basic("a")).unwrap());
        let method = if endpoint == "doc" || endpoint == "_local/cp" { Method::PUT } else { Method::POST };
        let req = Req::new(
            method,
            &format!("/station_330101/{endpoint}"),
            Some(query),
            headers,
            Bytes::from(body),
            "127.0.0.1".parse().unwrap(),
        );
        let status = match req {
            Ok(req) => rt.block_on(h.hub.dispatch(req)).status().as_u16(),
            Err(e) => e.status().as_u16(),
        };
        prop_assert!(status < 500, "status {}", status);
    }
}
