//! The hub under hostile and careless clients (one test per finding of the review):
//! no request can stall every station, exhaust memory, slip past the login limit, lock
//! out the real user, or leave a record that can never be read again. Time and memory
//! are checked through counters and generous bounds, not races.

mod common;

use common::{basic, basic_pw, db, start_with, TestHub, PW};
use hub::auth::limiter::{ADDRESS_FAILURES, FREE_FAILURES};
use hub::couch::{ApiConfig, MAX_ITEMS, MAX_REVS_PER_DOC};
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::{IpAddr, TcpStream};
use std::time::{Duration, Instant};

/// A hub that believes `X-Forwarded-For` from loopback, as behind the office's proxy.
fn behind_proxy(api: ApiConfig) -> TestHub {
    start_with(ApiConfig {
        trusted_proxies: vec![IpAddr::from([127, 0, 0, 1])],
        ..api
    })
}

/// A request with any headers; returns the status, the headers and the JSON body.
fn send(
    h: &TestHub,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, Vec<(String, String)>, Value) {
    let r = h.send(method, path, headers, body);
    (r.status, r.headers, r.body)
}

fn header<'a>(heads: &'a [(String, String)], name: &str) -> Option<&'a str> {
    heads
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// `k` conflicting revisions `2-b<i>` of document `id`, each a child of `1-root`.
fn branches(id: &str, k: usize) -> Value {
    let docs: Vec<Value> = (0..k)
        .map(|i| {
            let h = format!("b{i:06}");
            json!({"_id": id, "_rev": format!("2-{h}"),
                   "_revisions": {"start": 2, "ids": [h, "root"]}, "n": i})
        })
        .collect();
    json!({"docs": docs, "new_edits": false})
}

#[test]
fn one_documents_thousand_revisions_do_not_stall_another_station() {
    let h = start_with(ApiConfig::default());
    let batch = format!("{}/_bulk_docs", db("330101"));
    let other = format!("{}/one", db("330102"));
    std::thread::scope(|s| {
        let heavy = s.spawn(|| {
            let t = Instant::now();
            let r = h.post(&batch, "a", &branches("x", MAX_REVS_PER_DOC));
            (r.status, t.elapsed())
        });
        let t = Instant::now();
        assert_eq!(h.put(&other, "b", &json!({"v": 1})).status, 201);
        let waited = t.elapsed();
        let (status, took) = heavy.join().unwrap();
        assert_eq!(status, 201);
        // 1,000 revisions took 1.2 s and 4,000 took 37 s when merging was quadratic.
        assert!(took < Duration::from_secs(5), "the batch took {took:?}");
        assert!(
            waited < Duration::from_secs(5),
            "the other station waited {waited:?}"
        );
    });
    let r = h.get(&format!("{}/x?open_revs=all", db("330101")), "a");
    assert_eq!(r.body.as_array().unwrap().len(), MAX_REVS_PER_DOC);
    // One more revision of one document in one request is refused, and writes nothing.
    let r = h.post(&batch, "a", &branches("y", MAX_REVS_PER_DOC + 1));
    assert_eq!((r.status, &r.body["error"]), (400, &json!("bad_request")));
    assert_eq!(h.get(&format!("{}/y", db("330101")), "a").status, 404);
}

#[test]
fn repeated_reads_are_answered_once_and_answers_are_capped() {
    let h = start_with(ApiConfig {
        max_answer: 2 * 1024 * 1024,
        ..ApiConfig::default()
    });
    let d = db("330101");
    let big = "夜".repeat(70 * 1024); // about 210 KB of JSON
    for i in 0..12 {
        assert_eq!(
            h.put(&format!("{d}/big{i}"), "a", &json!({"t": big}))
                .status,
            201
        );
    }
    // The same large document asked for 1,000 times: one answer (was 195 MiB).
    let same: Vec<Value> = (0..1000).map(|_| json!({"id": "big0"})).collect();
    let r = h.post(&format!("{d}/_bulk_get"), "hq", &json!({"docs": same}));
    assert_eq!(r.status, 200);
    assert_eq!(r.body["results"].as_array().unwrap().len(), 1);
    // Twelve different ones pass the 2 MiB cap: 413, not a growing answer.
    let all: Vec<Value> = (0..12).map(|i| json!({"id": format!("big{i}")})).collect();
    let r = h.post(&format!("{d}/_bulk_get"), "hq", &json!({"docs": all}));
    assert_eq!((r.status, &r.body["error"]), (413, &json!("too_large")));
    let keys: Vec<String> = (0..12).map(|i| format!("big{i}")).collect();
    let r = h.post(
        &format!("{d}/_all_docs?include_docs=true"),
        "hq",
        &json!({ "keys": keys }),
    );
    assert_eq!(r.status, 413);
    let r = h.get(&format!("{d}/_changes?include_docs=true"), "hq");
    assert_eq!(r.status, 413);
    // Repeated keys and open_revs are answered once each.
    let r = h.post(
        &format!("{d}/_all_docs"),
        "hq",
        &json!({ "keys": vec!["big1"; 500] }),
    );
    assert_eq!(r.body["rows"].as_array().unwrap().len(), 1);
    let rev = r.body["rows"][0]["value"]["rev"]
        .as_str()
        .unwrap()
        .to_owned();
    let open = serde_json::to_string(&vec![rev; 300]).unwrap();
    let r = h.get(&format!("{d}/big1?open_revs={open}"), "hq");
    assert_eq!(r.body.as_array().unwrap().len(), 1);
    // Too many distinct items: 400 before anything is read.
    let many: Vec<Value> = (0..=MAX_ITEMS)
        .map(|i| json!({"id": format!("n{i}")}))
        .collect();
    let r = h.post(&format!("{d}/_bulk_get"), "hq", &json!({"docs": many}));
    assert_eq!(r.status, 400);
}

#[test]
fn huge_login_names_are_refused_before_anything_sees_them() {
    let h = start_with(ApiConfig::default());
    let json_ct = [("content-type", "application/json")];
    // A 6 MiB login announced: 413 from the headers, before a byte of it is read.
    let mut c = TcpStream::connect(h.base.trim_start_matches("http://")).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let head = "POST /couch/_session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
                Content-Length: 6291456\r\n\r\n{\"name\": \"xxxxxxxx";
    c.write_all(head.as_bytes()).unwrap();
    let mut answer = [0u8; 12];
    c.read_exact(&mut answer).unwrap();
    assert_eq!(&answer, b"HTTP/1.1 413");
    let long = json!({"name": "x".repeat(1000), "password": "p"}).to_string();
    let before = h.hub.argon2_runs();
    let (status, _, _) = send(&h, "POST", "/couch/_session", &json_ct, &long);
    assert_eq!(status, 400);
    assert_eq!(h.hub.argon2_runs(), before, "refused before argon2");
    // Anonymous bodies are small whatever the path: nothing is read for a 401.
    let (status, _, _) = send(
        &h,
        "POST",
        &format!("{}/_bulk_docs", db("330101")),
        &json_ct,
        &"x".repeat(100_000),
    );
    assert_eq!(status, 413);
}

#[test]
fn a_stalled_body_is_dropped_after_the_timeout() {
    let h = start_with(ApiConfig {
        body_timeout: Duration::from_millis(500),
        ..ApiConfig::default()
    });
    let addr = h.base.trim_start_matches("http://").to_owned();
    let mut s = TcpStream::connect(&addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let head = format!(
        "PUT /couch/station_330101/slow HTTP/1.1\r\nHost: x\r\nAuthorization: {}\r\n\
         Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{{\"a\":",
        basic("a")
    );
    s.write_all(head.as_bytes()).unwrap();
    let t = Instant::now();
    let mut answer = String::new();
    let _ = s.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(t.elapsed() < Duration::from_secs(8));
    assert_eq!(h.get(&format!("{}/slow", db("330101")), "a").status, 404);
}

#[test]
fn parallel_guesses_are_counted_before_argon2_and_the_user_still_gets_in() {
    let h = behind_proxy(ApiConfig::default());
    let before = h.hub.argon2_runs();
    let statuses: Vec<u16> = std::thread::scope(|s| {
        let calls: Vec<_> = (0..60)
            .map(|_| {
                s.spawn(|| {
                    let auth = basic_pw("b", "guess");
                    let heads = [
                        ("authorization", auth.as_str()),
                        ("x-forwarded-for", "6.6.6.6"),
                    ];
                    send(&h, "GET", &db("330102"), &heads, "").0
                })
            })
            .collect();
        calls.into_iter().map(|c| c.join().unwrap()).collect()
    });
    let guessed = statuses.iter().filter(|s| **s == 401).count();
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!(guessed + refused, 60);
    assert!(
        guessed as u32 <= FREE_FAILURES,
        "{guessed} guesses were checked"
    );
    assert!(h.hub.argon2_runs() - before <= u64::from(FREE_FAILURES));
    // The guesser's address waits; the real user, from their own phone, gets in.
    let auth = basic("b");
    let at = |ip: &str| {
        send(
            &h,
            "GET",
            &db("330102"),
            &[("authorization", &auth), ("x-forwarded-for", ip)],
            "",
        )
        .0
    };
    assert_eq!(at("6.6.6.6"), 429);
    let heads = [
        ("authorization", auth.as_str()),
        ("x-forwarded-for", "6.6.6.6"),
    ];
    let slowed = h.send("GET", &db("330102"), &heads, "");
    let wait: u64 = slowed
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .unwrap();
    assert!((1..=300).contains(&wait), "{wait}");
    assert_eq!(at("10.1.2.3"), 200);
}

#[test]
fn a_flood_of_anonymous_logins_does_not_starve_a_real_one() {
    let h = behind_proxy(ApiConfig::default());
    let before = h.hub.argon2_runs();
    let (statuses, real) = std::thread::scope(|s| {
        let flood: Vec<_> = (0..200)
            .map(|i| {
                let h = &h;
                s.spawn(move || {
                    let body = json!({"name": format!("nobody{i}"), "password": "x"}).to_string();
                    let heads = [
                        ("content-type", "application/json"),
                        ("x-forwarded-for", "6.6.6.6"),
                    ];
                    send(h, "POST", "/couch/_session", &heads, &body).0
                })
            })
            .collect();
        let body = json!({"name": "a", "password": PW}).to_string();
        let heads = [
            ("content-type", "application/json"),
            ("x-forwarded-for", "10.9.9.9"),
        ];
        let real = send(&h, "POST", "/couch/_session", &heads, &body);
        let statuses: Vec<u16> = flood.into_iter().map(|c| c.join().unwrap()).collect();
        (statuses, real)
    });
    assert_eq!(real.0, 200, "the real login got in");
    assert!(header(&real.1, "set-cookie").is_some());
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert!(
        refused >= 200 - ADDRESS_FAILURES as usize,
        "only {refused} of the flood refused"
    );
    // At most the address's failure allowance ran argon2, plus the real login.
    assert!(h.hub.argon2_runs() - before <= u64::from(ADDRESS_FAILURES) + 1);
}

#[test]
fn deep_bodies_and_empty_revision_hashes_are_refused() {
    let h = start_with(ApiConfig::default());
    let d = db("330101");
    let mut deep = json!(1);
    for _ in 0..120 {
        deep = json!({ "x": deep });
    }
    let r = h.put(&format!("{d}/deep"), "a", &deep);
    assert_eq!(r.status, 400);
    let bad = json!({"docs": [{"_id": "e", "_rev": "2-a", "_revisions": {"start": 2, "ids": ["a", ""]}}],
                     "new_edits": false});
    assert_eq!(h.post(&format!("{d}/_bulk_docs"), "a", &bad).status, 400);
    assert_eq!(h.get(&format!("{d}/_changes"), "a").status, 200);
    assert_eq!(h.get(&format!("{d}/_all_docs"), "a").status, 200);
}

#[test]
fn a_stored_bad_record_breaks_neither_the_feed_nor_the_report() {
    let h = start_with(ApiConfig::default());
    let d = db("330101");
    assert_eq!(
        h.put(&format!("{d}/good"), "a", &json!({"v": 1})).status,
        201
    );
    assert_eq!(
        h.put(&format!("{d}/bad"), "a", &json!({"v": 2})).status,
        201
    );
    // A record written before the checks existed: it no longer reads back.
    h.hub
        .store
        .write_blocking(|tx| {
            tx.execute(
                "UPDATE docs SET record = '{\"id\":\"bad\",\"tree\":{\"2-\":{}}}' WHERE id = 'bad'",
                [],
            )
            .map_err(hub::store::StoreError::from)
        })
        .unwrap();
    let r = h.get(&format!("{d}/_changes"), "a");
    assert_eq!(r.status, 200);
    let ids: Vec<&str> = r.body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["good"]);
    assert_eq!(
        r.body["last_seq"], 2,
        "the feed still moves past the bad row"
    );
    let r = h.get(&format!("{d}/_all_docs?include_docs=true"), "a");
    assert_eq!(r.status, 200);
    assert_eq!(r.body["rows"].as_array().unwrap().len(), 1);
    assert!(hub::report::report(&h.hub.store, "2026-11", None).is_ok());
}

#[test]
fn writes_must_be_json() {
    let h = start_with(ApiConfig::default());
    let d = db("330101");
    let auth = basic("a");
    for ct in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
    ] {
        let heads = [("authorization", auth.as_str()), ("content-type", ct)];
        let (status, _, body) = send(
            &h,
            "POST",
            &format!("{d}/_bulk_docs"),
            &heads,
            r#"{"docs":[{"_id":"t"}]}"#,
        );
        assert_eq!(
            (status, &body["error"]),
            (415, &json!("bad_content_type")),
            "{ct}"
        );
        let (status, _, _) = send(&h, "PUT", &format!("{d}/t"), &heads, r#"{"v":1}"#);
        assert_eq!(status, 415, "{ct}");
    }
    assert_eq!(
        h.get(&format!("{d}/t"), "a").status,
        404,
        "nothing was written"
    );
    let heads = [
        ("authorization", auth.as_str()),
        ("content-type", "application/json; charset=utf-8"),
    ];
    assert_eq!(
        send(&h, "PUT", &format!("{d}/t"), &heads, r#"{"v":1}"#).0,
        201
    );
    // A login form is still a login (CouchDB takes both).
    let form = [("content-type", "application/x-www-form-urlencoded")];
    assert_eq!(
        send(
            &h,
            "POST",
            "/couch/_session",
            &form,
            &format!("name=a&password={PW}")
        )
        .0,
        200
    );
}

#[test]
fn since_beyond_any_sequence_is_400() {
    let h = start_with(ApiConfig::default());
    let r = h.get(
        &format!("{}/_changes?since=18446744073709551615", db("330101")),
        "a",
    );
    assert_eq!((r.status, &r.body["error"]), (400, &json!("bad_request")));
}

#[test]
fn cookies_are_secure_behind_https_and_answers_private() {
    let h = behind_proxy(ApiConfig::default());
    let body = json!({"name": "a", "password": PW}).to_string();
    let json_ct = ("content-type", "application/json");
    let (_, heads, _) = send(
        &h,
        "POST",
        "/couch/_session",
        &[json_ct, ("x-forwarded-proto", "https")],
        &body,
    );
    assert!(header(&heads, "set-cookie").unwrap().contains("; Secure"));
    let (_, heads, _) = send(&h, "POST", "/couch/_session", &[json_ct], &body);
    assert!(!header(&heads, "set-cookie").unwrap().contains("Secure"));
    // A stranger's X-Forwarded-Proto is not believed.
    let direct = start_with(ApiConfig::default());
    let (_, heads, _) = send(
        &direct,
        "POST",
        "/couch/_session",
        &[json_ct, ("x-forwarded-proto", "https")],
        &body,
    );
    assert!(!header(&heads, "set-cookie").unwrap().contains("Secure"));
    let auth = basic("a");
    let (_, heads, _) = send(&h, "GET", &db("330101"), &[("authorization", &auth)], "");
    assert_eq!(
        header(&heads, "cache-control"),
        Some("private, must-revalidate")
    );
}

#[test]
fn many_real_accounts_from_one_address_all_get_in() {
    // A township's phones behind one carrier address, arriving together: they queue for
    // argon2 a few at a time, and none is refused.
    let h = start_with(ApiConfig::default());
    let names: Vec<String> = (0..12).map(|i| format!("cadre{i}")).collect();
    for n in &names {
        hub::admin::add_user(&h.hub.store, n, "330101", "cadre", PW).unwrap();
    }
    let statuses: Vec<u16> = std::thread::scope(|s| {
        let calls: Vec<_> = names
            .iter()
            .map(|n| s.spawn(|| h.get(&db("330101"), n).status))
            .collect();
        calls.into_iter().map(|c| c.join().unwrap()).collect()
    });
    assert_eq!(statuses, vec![200; 12]);
}
