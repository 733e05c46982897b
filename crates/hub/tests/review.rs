//! 审核: headquarters writes `review:<activity id>` documents, validated as reviews, in
//! the station databases below it and nothing else of a station's; a cadre writes no
//! review; `_bulk_docs` answers a forbidden document in its place (CouchDB's per-document
//! `forbidden`) and writes the others; a malformed review is refused with 400.

mod common;

use common::{db, start, TestHub};
use serde_json::{json, Value};

const ACT: &str = "activity:0190a0e0-0000-7000-8000-000000000001";

fn review_id() -> String {
    format!("review:{ACT}")
}

fn review(station: &str, verdict: &str, reason: &str) -> Value {
    let at = "2026-11-30T20:00:00+08:00";
    json!({"_id": review_id(), "type": "review", "station": station, "created_at": at,
        "updated_at": at, "created_by": "hq", "activity": ACT, "activity_rev": "1-abc",
        "verdict": verdict, "reason": reason, "by": "hq", "at": at})
}

fn activity(station: &str) -> Value {
    let at = "2026-11-05T19:00:00+08:00";
    json!({"_id": ACT, "type": "activity", "station": station, "kind": "evening_forum",
        "title": "夜话", "start": at, "end": at, "created_at": at, "updated_at": at})
}

fn doc_url(code: &str, id: &str) -> String {
    format!("{}/{}", db(code), id)
}

fn exists(h: &TestHub, code: &str, id: &str) -> bool {
    h.get(&doc_url(code, id), "admin").status == 200
}

#[test]
fn hq_puts_a_review_in_its_subtree_only() {
    let h = start();
    let r = h.put(
        &doc_url("330101", &review_id()),
        "hq",
        &review("330101", "returned", "照片不清楚"),
    );
    assert_eq!(r.status, 201, "{:?}", r.body);
    // Approving replaces it: a new revision of the same document.
    let mut approve = review("330101", "approved", "");
    approve["_rev"] = r.body["rev"].clone();
    let r = h.put(&doc_url("330101", &review_id()), "hq", &approve);
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert!(r.body["rev"].as_str().unwrap().starts_with("2-"));
    // The cadre's phone reads it by sync (a reader of its own database).
    assert_eq!(
        h.get(&doc_url("330101", &review_id()), "a").body["verdict"],
        "approved"
    );
    // Above its own station is outside its subtree: forbidden.
    let r = h.put(
        &doc_url("33", &review_id()),
        "hq",
        &review("33", "approved", ""),
    );
    assert_eq!((r.status, &r.body["error"]), (403, &json!("forbidden")));
    assert!(!exists(&h, "33", &review_id()));
}

#[test]
fn hq_writes_nothing_of_a_stations_own_records() {
    let h = start();
    let r = h.put(&doc_url("330101", ACT), "hq", &activity("330101"));
    assert_eq!((r.status, &r.body["error"]), (403, &json!("forbidden")));
    let r = h.post(&db("330101"), "hq", &activity("330101"));
    assert_eq!(r.status, 403);
    assert!(!exists(&h, "330101", ACT));
    // Nor deletes one, nor adds an attachment to one.
    let put = h.put(&doc_url("330101", ACT), "a", &activity("330101"));
    let rev = put.body["rev"].as_str().unwrap().to_owned();
    let r = h.delete(&format!("{}?rev={rev}", doc_url("330101", ACT)), "hq");
    assert_eq!(r.status, 403);
    let r = h.req(
        "PUT",
        &format!("{}/note.txt?rev={rev}", doc_url("330101", ACT)),
        Some(&common::basic("hq")),
        Some("x"),
    );
    assert_eq!(r.status, 403);
    assert_eq!(
        h.get(&doc_url("330101", ACT), "a").body["_rev"],
        rev.as_str()
    );
}

#[test]
fn a_cadre_writes_no_review() {
    let h = start();
    let r = h.put(
        &doc_url("330101", &review_id()),
        "a",
        &review("330101", "approved", ""),
    );
    assert_eq!((r.status, &r.body["error"]), (403, &json!("forbidden")));
    // Not by replication either.
    let mut replicated = review("330101", "approved", "");
    replicated["_rev"] = json!("1-0123456789abcdef0123456789abcdef");
    let r = h.post(
        &format!("{}/_bulk_docs", db("330101")),
        "a",
        &json!({"docs": [replicated], "new_edits": false}),
    );
    assert_eq!(r.status, 201);
    assert_eq!(r.body[0]["error"], "forbidden", "{:?}", r.body);
    assert!(!exists(&h, "330101", &review_id()));
}

#[test]
fn bulk_docs_refuses_each_forbidden_document_in_its_place() {
    let h = start();
    let url = format!("{}/_bulk_docs", db("330101"));
    let r = h.post(
        &url,
        "hq",
        &json!({"docs": [activity("330101"), review("330101", "returned", "请补照片")]}),
    );
    assert_eq!(r.status, 201);
    assert_eq!(r.body[0]["error"], "forbidden", "{:?}", r.body);
    assert_eq!(r.body[0]["id"], ACT);
    assert_eq!(r.body[1]["ok"], true, "{:?}", r.body);
    assert!(!exists(&h, "330101", ACT) && exists(&h, "330101", &review_id()));
    // The cadre's mixed batch: the activity is written, the review refused.
    let other = "review:activity:0190a0e0-0000-7000-8000-000000000002";
    let mut theirs = review("330101", "approved", "");
    theirs["_id"] = json!(other);
    theirs["activity"] = json!("activity:0190a0e0-0000-7000-8000-000000000002");
    let r = h.post(&url, "a", &json!({"docs": [theirs, activity("330101")]}));
    assert_eq!(r.body[0]["error"], "forbidden", "{:?}", r.body);
    assert_eq!(r.body[1]["ok"], true, "{:?}", r.body);
    assert!(exists(&h, "330101", ACT) && !exists(&h, "330101", other));
}

#[test]
fn a_malformed_review_is_refused_and_nothing_written() {
    let h = start();
    let url = doc_url("330101", &review_id());
    for (what, body) in [
        (
            "returned without a reason",
            review("330101", "returned", " "),
        ),
        ("unknown verdict", review("330101", "maybe", "")),
        ("another station's", review("330102", "approved", "")),
        ("no revision reviewed", {
            let mut d = review("330101", "approved", "");
            d.as_object_mut().unwrap().remove("activity_rev");
            d
        }),
    ] {
        let r = h.put(&url, "hq", &body);
        assert_eq!(
            (r.status, &r.body["error"]),
            (400, &json!("bad_request")),
            "{what}"
        );
        let r = h.post(
            &format!("{}/_bulk_docs", db("330101")),
            "hq",
            &json!({"docs": [body]}),
        );
        assert_eq!(r.status, 400, "{what} in _bulk_docs");
    }
    let r = h.put(
        &doc_url(
            "330101",
            "review:volunteer:0190a0e0-0000-7000-8000-000000000001",
        ),
        "hq",
        &json!({"type": "review"}),
    );
    assert_eq!(r.status, 400);
    assert!(!exists(&h, "330101", &review_id()));
}
