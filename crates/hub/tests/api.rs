//! The CouchDB API against a real hub on a random port: every endpoint replication and
//! the app use, with CouchDB's status codes and bodies.

mod common;

use common::{basic, db, start};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

#[test]
fn welcome_and_databases() {
    let h = start();
    let r = h.req("GET", "/couch/", None, None);
    assert_eq!(r.status, 200);
    assert_eq!(r.body["couchdb"], "Welcome");
    assert!(r.body["version"].is_string());

    let r = h.get("/couch/_all_dbs", "admin");
    assert_eq!(
        r.body,
        json!([
            "station_33",
            "station_3301",
            "station_330101",
            "station_330102"
        ])
    );
    assert_eq!(
        h.get("/couch/_all_dbs", "a").body,
        json!(["station_330101"])
    );

    assert_eq!(
        h.req("PUT", "/couch/extra", Some(&common::basic("admin")), None)
            .status,
        201
    );
    let r = h.req("PUT", "/couch/extra", Some(&common::basic("admin")), None);
    assert_eq!(
        (r.status, r.body["error"].as_str()),
        (412, Some("file_exists"))
    );
    let r = h.req("PUT", "/couch/Bad", Some(&common::basic("admin")), None);
    assert_eq!(
        (r.status, r.body["error"].as_str()),
        (400, Some("illegal_database_name"))
    );
    let r = h.get("/couch/extra", "admin");
    assert_eq!((r.status, &r.body["db_name"]), (200, &json!("extra")));
    assert_eq!(r.body["update_seq"], 0);
    assert_eq!(h.delete("/couch/extra", "admin").status, 200);
    let r = h.get("/couch/extra", "admin");
    assert_eq!(
        (r.status, r.body["error"].as_str()),
        (404, Some("not_found"))
    );
    assert_eq!(h.delete("/couch/extra", "admin").status, 404);
    assert_eq!(
        h.req("PUT", "/couch/mine", Some(&common::basic("a")), None)
            .status,
        403
    );
}

#[test]
fn documents_revisions_and_conflicts() {
    let h = start();
    let d = db("330101");
    let r = h.put(
        &format!("{d}/doc1"),
        "a",
        &json!({"title": "村夜话", "n": 1}),
    );
    assert_eq!(r.status, 201);
    let rev1 = r.body["rev"].as_str().unwrap().to_owned();
    assert!(rev1.starts_with("1-"));
    let r = h.get(&format!("{d}/doc1"), "a");
    assert_eq!(
        r.body,
        json!({"_id": "doc1", "_rev": rev1, "title": "村夜话", "n": 1})
    );

    // Editing a stale revision is a conflict; editing the leaf makes generation 2.
    let r = h.put(&format!("{d}/doc1"), "a", &json!({"title": "x"}));
    assert_eq!(
        (r.status, r.body["error"].as_str()),
        (409, Some("conflict"))
    );
    let r = h.put(
        &format!("{d}/doc1"),
        "a",
        &json!({"_rev": rev1, "title": "改"}),
    );
    assert_eq!(r.status, 201);
    let rev2 = r.body["rev"].as_str().unwrap().to_owned();
    let r = h.put(
        &format!("{d}/doc1?rev={rev1}"),
        "a",
        &json!({"title": "旧"}),
    );
    assert_eq!(r.status, 409);

    let r = h.get(&format!("{d}/doc1?revs=true"), "a");
    assert_eq!(r.body["_revisions"]["start"], 2);
    assert_eq!(r.body["_revisions"]["ids"].as_array().unwrap().len(), 2);
    let r = h.get(&format!("{d}/doc1?rev={rev1}"), "a");
    assert_eq!(r.status, 404, "non-leaf bodies are not kept");

    // A replicated branch makes a conflict; the winner is CouchDB's.
    let hash1 = rev1.split_once('-').unwrap().1;
    let other = json!({"docs": [{"_id": "doc1", "_rev": "2-ffff", "title": "分支",
        "_revisions": {"start": 2, "ids": ["ffff", hash1]}}], "new_edits": false});
    let r = h.post(&format!("{d}/_bulk_docs"), "a", &other);
    assert_eq!((r.status, &r.body), (201, &json!([])));
    let r = h.get(&format!("{d}/doc1?conflicts=true"), "a");
    assert_eq!(r.body["_rev"], "2-ffff");
    assert_eq!(r.body["_conflicts"], json!([rev2]));
    // Listings shape their documents the same way (never with `_revisions`).
    let r = h.get(
        &format!("{d}/_all_docs?include_docs=true&conflicts=true&revs=true"),
        "a",
    );
    let doc = &r.body["rows"][0]["doc"];
    assert_eq!(
        (&doc["_rev"], &doc["_conflicts"]),
        (&json!("2-ffff"), &json!([rev2]))
    );
    assert!(doc.get("_revisions").is_none());
    let r = h.get(
        &format!("{d}/_changes?include_docs=true&conflicts=true"),
        "a",
    );
    assert_eq!(r.body["results"][0]["doc"]["_conflicts"], json!([rev2]));
    let r = h.get(&format!("{d}/doc1?open_revs=all&revs=true"), "a");
    assert_eq!(r.body.as_array().unwrap().len(), 2);
    let r = h.get(&format!("{d}/doc1?open_revs=[\"2-ffff\",\"9-nope\"]"), "a");
    assert_eq!(r.body[0]["ok"]["title"], "分支");
    assert_eq!(r.body[1], json!({"missing": "9-nope"}));

    // Deleting the winner exposes the other branch.
    let r = h.delete(&format!("{d}/doc1?rev=2-ffff"), "a");
    assert_eq!(r.status, 200);
    assert!(r.body["rev"].as_str().unwrap().starts_with("3-"));
    let r = h.get(&format!("{d}/doc1"), "a");
    assert_eq!(r.body["_rev"], json!(rev2));
    let r = h.delete(&format!("{d}/doc1?rev={rev2}"), "a");
    assert_eq!(r.status, 200);
    let r = h.get(&format!("{d}/doc1"), "a");
    assert_eq!((r.status, &r.body["reason"]), (404, &json!("deleted")));
    assert_eq!(
        h.get(&format!("{d}/nothing"), "a").body["reason"],
        "missing"
    );
    assert_eq!(h.delete(&format!("{d}/nothing?rev=1-a"), "a").status, 404);
    assert_eq!(h.delete(&format!("{d}/doc1"), "a").status, 409, "no rev");

    // POST /db makes an id.
    let r = h.post(&d, "a", &json!({"x": 1}));
    assert_eq!(r.status, 201);
    assert_eq!(r.body["id"].as_str().unwrap().len(), 32);
}

#[test]
fn bulk_docs_new_edits_and_changes_feed() {
    let h = start();
    let d = db("330101");
    let docs: Vec<Value> = (0..5)
        .map(|i| json!({"_id": format!("d{i}"), "i": i}))
        .collect();
    let r = h.post(&format!("{d}/_bulk_docs"), "a", &json!({"docs": docs}));
    assert_eq!(r.status, 201);
    assert_eq!(r.body.as_array().unwrap().len(), 5);
    assert!(r.body.as_array().unwrap().iter().all(|x| x["ok"] == true));
    // Same ids again without revs: per-document conflicts, the others still written.
    let r = h.post(
        &format!("{d}/_bulk_docs"),
        "a",
        &json!({"docs": [{"_id": "d0"}, {"_id": "new"}]}),
    );
    assert_eq!(r.body[0]["error"], "conflict");
    assert_eq!(r.body[1]["ok"], true);

    let r = h.get(&format!("{d}/_changes"), "a");
    assert_eq!(r.body["results"].as_array().unwrap().len(), 6);
    assert_eq!(r.body["last_seq"], 6);
    let r = h.get(
        &format!("{d}/_changes?since=2&limit=2&include_docs=true"),
        "a",
    );
    let rows = r.body["results"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["seq"], 3);
    assert_eq!(rows[0]["doc"]["i"], 2);
    assert_eq!(r.body["last_seq"], 4);
    assert_eq!(r.body["pending"], 2);
    let r = h.get(
        &format!("{d}/_changes?filter=_doc_ids&doc_ids=[\"d1\",\"new\"]"),
        "a",
    );
    let ids: Vec<&str> = r.body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["d1", "new"]);
    let r = h.post(
        &format!("{d}/_changes?filter=_doc_ids"),
        "a",
        &json!({"doc_ids": ["d4"]}),
    );
    assert_eq!(r.body["results"][0]["id"], "d4");

    // style=all_docs lists every leaf, winner first.
    let b = json!({"docs": [{"_id": "c", "_rev": "1-a"}, {"_id": "c", "_rev": "1-b"}], "new_edits": false});
    h.post(&format!("{d}/_bulk_docs"), "a", &b);
    let r = h.get(&format!("{d}/_changes?since=6&style=all_docs"), "a");
    assert_eq!(
        r.body["results"][0]["changes"],
        json!([{"rev": "1-b"}, {"rev": "1-a"}])
    );
    let r = h.get(&format!("{d}/_changes?since=now"), "a");
    assert_eq!(r.body["results"], json!([]));
}

#[test]
fn longpoll_waits_for_a_change_or_the_timeout() {
    let h = start();
    let d = db("330101");
    let t = Instant::now();
    let r = h.get(
        &format!("{d}/_changes?feed=longpoll&since=0&timeout=300"),
        "a",
    );
    assert_eq!((r.status, &r.body["results"]), (200, &json!([])));
    assert!(t.elapsed() >= Duration::from_millis(250));

    std::thread::scope(|s| {
        let waiter = s.spawn(|| {
            h.get(
                &format!("{d}/_changes?feed=longpoll&since=0&timeout=20000"),
                "a",
            )
        });
        std::thread::sleep(Duration::from_millis(300));
        h.put(&format!("{d}/woke"), "a", &json!({}));
        let t = Instant::now();
        let r = waiter.join().unwrap();
        assert!(t.elapsed() < Duration::from_secs(5));
        assert_eq!(r.body["results"][0]["id"], "woke");
    });
}

#[test]
fn revs_diff_and_bulk_get() {
    let h = start();
    let d = db("330101");
    let b = json!({"docs": [{"_id": "x", "_rev": "2-b", "_revisions": {"start": 2, "ids": ["b", "a"]}, "v": "夜"}],
        "new_edits": false});
    h.post(&format!("{d}/_bulk_docs"), "a", &b);
    let r = h.post(
        &format!("{d}/_revs_diff"),
        "a",
        &json!({"x": ["1-a", "2-b", "3-c"], "y": ["1-z"]}),
    );
    assert_eq!(r.status, 200);
    assert_eq!(
        r.body,
        json!({"x": {"missing": ["3-c"], "possible_ancestors": ["2-b"]}, "y": {"missing": ["1-z"]}})
    );
    let r = h.post(
        &format!("{d}/_bulk_get?revs=true"),
        "a",
        &json!({"docs": [{"id": "x", "rev": "2-b"}, {"id": "x"}, {"id": "x", "rev": "1-a"}, {"id": "q"}]}),
    );
    let res = r.body["results"].as_array().unwrap();
    assert_eq!(res.len(), 4);
    assert_eq!(
        res[0]["docs"][0]["ok"]["_revisions"],
        json!({"start": 2, "ids": ["b", "a"]})
    );
    assert_eq!(res[1]["docs"][0]["ok"]["v"], "夜");
    assert_eq!(res[2]["docs"][0]["error"]["error"], "not_found");
    assert_eq!(res[3]["docs"][0]["error"]["reason"], "missing");
}

#[test]
fn local_docs_all_docs_security() {
    let h = start();
    let d = db("330101");
    let r = h.get(&format!("{d}/_local/cp"), "a");
    assert_eq!(r.status, 404);
    let r = h.put(&format!("{d}/_local/cp"), "a", &json!({"seq": 1}));
    assert_eq!((r.status, &r.body["rev"]), (201, &json!("0-1")));
    assert_eq!(
        h.put(&format!("{d}/_local/cp"), "a", &json!({"seq": 2}))
            .status,
        409
    );
    let r = h.put(
        &format!("{d}/_local/cp"),
        "a",
        &json!({"_rev": "0-1", "seq": 2}),
    );
    assert_eq!(r.body["rev"], "0-2");
    let r = h.get(&format!("{d}/_local/cp"), "a");
    assert_eq!(r.body, json!({"_id": "_local/cp", "_rev": "0-2", "seq": 2}));
    assert_eq!(
        h.get(&format!("{d}/_changes"), "a").body["results"],
        json!([])
    );
    assert_eq!(h.delete(&format!("{d}/_local/cp?rev=0-2"), "a").status, 200);
    assert_eq!(h.get(&format!("{d}/_local/cp"), "a").status, 404);

    for id in ["b", "a", "c", "日"] {
        h.put(&format!("{d}/{id}"), "a", &json!({"k": id}));
    }
    let rev_c = h.get(&format!("{d}/c"), "a").body["_rev"].clone();
    h.delete(&format!("{d}/c?rev={}", rev_c.as_str().unwrap()), "a");
    let r = h.get(&format!("{d}/_all_docs"), "a");
    assert_eq!(r.body["total_rows"], 3);
    let keys: Vec<&str> = r.body["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["a", "b", "日"]);
    let r = h.get(
        &format!("{d}/_all_docs?startkey=\"b\"&endkey=\"c\"&include_docs=true"),
        "a",
    );
    assert_eq!(r.body["rows"].as_array().unwrap().len(), 1);
    assert_eq!(r.body["rows"][0]["doc"]["k"], "b");
    let r = h.get(&format!("{d}/_all_docs?descending=true&limit=1"), "a");
    assert_eq!(r.body["rows"][0]["id"], "日");
    let r = h.post(
        &format!("{d}/_all_docs"),
        "a",
        &json!({"keys": ["c", "zz", "a"]}),
    );
    let rows = r.body["rows"].as_array().unwrap();
    assert_eq!(rows[0]["value"]["deleted"], true);
    assert_eq!(rows[1], json!({"key": "zz", "error": "not_found"}));
    assert_eq!(rows[2]["id"], "a");

    // A station database's _security is what the station tree gives (tests/users.rs);
    // any other database keeps what an admin stored.
    let other = "/couch/other";
    assert_eq!(h.req("PUT", other, Some(&basic("admin")), None).status, 201);
    assert_eq!(
        h.get(&format!("{other}/_security"), "admin").body,
        json!({})
    );
    let sec = json!({"members": {"roles": ["cadre"]}});
    assert_eq!(h.put(&format!("{d}/_security"), "a", &sec).status, 403);
    assert_eq!(h.put(&format!("{other}/_security"), "a", &sec).status, 403);
    assert_eq!(
        h.put(&format!("{other}/_security"), "admin", &sec).status,
        200
    );
    assert_eq!(h.get(&format!("{other}/_security"), "admin").body, sec);
    let r = h.post(&format!("{d}/_ensure_full_commit"), "a", &json!({}));
    assert_eq!((r.status, &r.body["ok"]), (201, &json!(true)));
}

#[test]
fn cors_and_security_headers() {
    let h = start();
    let r = h.req("GET", "/couch/", None, None);
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    assert!(r
        .header("content-security-policy")
        .unwrap()
        .contains("default-src 'none'"));
    // A preflight from the configured origin is allowed with credentials.
    let url = format!("{}/couch/station_330101/_bulk_docs", h.base);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let req = ureq::http::Request::builder()
        .method("OPTIONS")
        .uri(&url)
        .header("Origin", "http://app.example")
        .header("Access-Control-Request-Method", "POST")
        .body(())
        .unwrap();
    let res = agent.run(req).unwrap();
    assert_eq!(
        res.headers().get("access-control-allow-origin").unwrap(),
        "http://app.example"
    );
    assert_eq!(
        res.headers()
            .get("access-control-allow-credentials")
            .unwrap(),
        "true"
    );
}
