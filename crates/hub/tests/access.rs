//! Who may do what: cadres only their own station, hq reads below and writes only reviews,
//! admin everything; wrong passwords 401; sessions by cookie; the login rate limit; a
//! burst of sign-ins queues for argon2 instead of running it once per request.

mod common;

use common::{basic, basic_pw, db, start, start_with};
use hub::couch::ApiConfig;
use serde_json::json;

#[test]
fn cadre_of_a_is_forbidden_on_b() {
    let h = start();
    assert_eq!(
        h.put(&format!("{}/x", db("330101")), "a", &json!({}))
            .status,
        201
    );
    for (method, path) in [
        ("GET", db("330102")),
        ("GET", format!("{}/_changes", db("330102"))),
        ("GET", format!("{}/x", db("330102"))),
        ("PUT", format!("{}/x", db("330102"))),
        ("POST", format!("{}/_bulk_docs", db("330102"))),
        ("POST", format!("{}/_revs_diff", db("330102"))),
        ("GET", format!("{}/_local/cp", db("330102"))),
        ("GET", db("3301")),
    ] {
        let r = h.req(method, &path, Some(&basic("a")), Some("{\"docs\":[]}"));
        assert_eq!(r.status, 403, "{method} {path}");
        assert_eq!(r.body["error"], "forbidden");
    }
    assert_eq!(h.get(&format!("{}/x", db("330101")), "b").status, 403);
}

#[test]
fn hq_reads_below_and_writes_none_of_a_stations_records() {
    let h = start();
    h.put(&format!("{}/x", db("330101")), "a", &json!({"v": 1}));
    assert_eq!(h.get(&format!("{}/x", db("330101")), "hq").status, 200);
    assert_eq!(h.get(&db("3301"), "hq").status, 200);
    assert_eq!(h.get(&db("33"), "hq").status, 403, "above is not below");
    assert_eq!(
        h.get("/couch/_all_dbs", "hq").body,
        json!(["station_3301", "station_330101", "station_330102"])
    );
    let r = h.put(&format!("{}/y", db("330101")), "hq", &json!({}));
    assert_eq!((r.status, &r.body["error"]), (403, &json!("forbidden")));
    // hq may write reviews below (tests/review.rs), so `_bulk_docs` is open to it and
    // refuses every other document in its place, writing none of them.
    let r = h.post(
        &format!("{}/_bulk_docs", db("330101")),
        "hq",
        &json!({"docs": [{"_id": "y"}]}),
    );
    assert_eq!(r.status, 201);
    assert_eq!(r.body[0]["error"], "forbidden");
    assert_eq!(h.get(&format!("{}/y", db("330101")), "a").status, 404);
    let r = h.post(
        &format!("{}/_bulk_docs", db("33")),
        "hq",
        &json!({"docs": []}),
    );
    assert_eq!(r.status, 403, "above is not below");
    // hq reads a station's checkpoints but writes none, and cannot delete a cadre's
    // (replicators take the 403 on a source checkpoint as read-only access).
    let cp = format!("{}/_local/cp", db("330101"));
    assert_eq!(h.put(&cp, "a", &json!({"seq": 5})).status, 201);
    assert_eq!(h.get(&cp, "hq").body["seq"], 5);
    let r = h.put(&cp, "hq", &json!({"_rev": "0-1", "seq": 0}));
    assert_eq!((r.status, &r.body["error"]), (403, &json!("forbidden")));
    assert_eq!(h.delete(&format!("{cp}?rev=0-1"), "hq").status, 403);
    assert_eq!(
        h.get(&cp, "a").body["seq"],
        5,
        "the cadre's checkpoint is untouched"
    );
    assert_eq!(
        h.put(&format!("{}/z", db("330102")), "admin", &json!({}))
            .status,
        201
    );
}

#[test]
fn wrong_password_and_anonymous_are_401() {
    let h = start();
    let r = h.req("GET", &db("330101"), Some(&basic_pw("a", "nope")), None);
    assert_eq!((r.status, &r.body["error"]), (401, &json!("unauthorized")));
    let r = h.req("GET", &db("330101"), Some(&basic_pw("ghost", "nope")), None);
    assert_eq!(r.status, 401);
    let r = h.req("GET", &db("330101"), None, None);
    assert_eq!(r.status, 401);
    let r = h.req("GET", "/couch/_all_dbs", None, None);
    assert_eq!(r.status, 401);
    let r = h.req(
        "POST",
        "/couch/_session",
        None,
        Some(r#"{"name":"a","password":"bad"}"#),
    );
    assert_eq!(r.status, 401);
}

#[test]
fn session_cookie_login_and_logout() {
    let h = start();
    let r = h.req(
        "POST",
        "/couch/_session",
        None,
        Some(&json!({"name": "a", "password": common::PW}).to_string()),
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.body["roles"], json!(["cadre:330101"]));
    let set = r.set_cookie.unwrap();
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Strict"));
    let cookie = set.split(';').next().unwrap().to_owned();
    let r = h.req("GET", "/couch/_session", Some(&cookie), None);
    assert_eq!(r.body["userCtx"]["name"], "a");
    assert_eq!(r.body["info"]["authenticated"], "cookie");
    assert_eq!(h.req("GET", &db("330101"), Some(&cookie), None).status, 200);
    assert_eq!(h.req("GET", &db("330102"), Some(&cookie), None).status, 403);
    let r = h.req("DELETE", "/couch/_session", Some(&cookie), None);
    assert_eq!(r.status, 200);
    assert!(r.set_cookie.unwrap().contains("Max-Age=0"));
    assert_eq!(h.req("GET", &db("330101"), Some(&cookie), None).status, 401);
    let r = h.req("GET", "/couch/_session", None, None);
    assert_eq!(r.body["userCtx"]["name"], serde_json::Value::Null);
}

#[test]
fn logins_are_rate_limited_per_user_and_address() {
    let h = start();
    let mut statuses = Vec::new();
    for _ in 0..12 {
        let r = h.req("GET", &db("330102"), Some(&basic_pw("b", "guess")), None);
        statuses.push(r.status);
    }
    assert_eq!(&statuses[..10], &[401; 10]);
    assert_eq!(statuses[10], 429);
    // Even the right password is refused while blocked; other users are not blocked.
    assert_eq!(h.get(&db("330102"), "b").status, 429);
    assert_eq!(h.get(&db("330101"), "a").status, 200);
}

#[test]
fn expired_sessions_open_nothing() {
    use hub::store::{accounts, now_secs, StoreError};
    let h = start();
    let token = hub::auth::new_token();
    let hash = hub::auth::token_hash(&token);
    h.hub
        .store
        .write_blocking(|tx| accounts::session_put(tx, &hash, "a", now_secs() - 1))
        .unwrap();
    let cookie = format!("AuthSession={token}");
    assert_eq!(h.req("GET", &db("330101"), Some(&cookie), None).status, 401);
    let found = h
        .hub
        .store
        .read_blocking(|tx| Ok::<_, StoreError>(accounts::session_user(tx, &hash)?.is_some()))
        .unwrap();
    assert!(!found);
}

#[test]
fn a_burst_of_basic_requests_runs_argon2_at_most_once_per_permit() {
    // A thousand phones coming back online send Basic credentials at once. Before the
    // permit queue, each request ran its own argon2 (19 MiB each): 1.9 GB of hub memory.
    let h = start_with(ApiConfig {
        max_password_checks: 2,
        ..ApiConfig::default()
    });
    let before = h.hub.argon2_runs();
    std::thread::scope(|s| {
        let calls: Vec<_> = (0..16)
            .map(|_| s.spawn(|| h.get(&db("330101"), "a").status))
            .collect();
        for c in calls {
            assert_eq!(c.join().unwrap(), 200);
        }
    });
    let runs = h.hub.argon2_runs() - before;
    assert!(
        (1..=2).contains(&runs),
        "argon2 ran {runs} times for 16 requests"
    );
    // A wrong password is never answered from the cache, however many ran before it.
    let r = h.req("GET", &db("330101"), Some(&basic_pw("a", "wrong")), None);
    assert_eq!(r.status, 401);
    assert_eq!(h.hub.argon2_runs() - before, runs + 1);
}
