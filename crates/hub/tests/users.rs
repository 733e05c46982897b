//! Accounts through CouchDB's own API: `_users` documents and station `_security`. Every
//! rule of the headquarters console: an admin manages everyone, an hq account only the
//! cadres of the stations below its own, a cadre reads only their own document; passwords
//! hashed on write and never returned; refused writes change nothing; a disabled or
//! unknown account answers as slowly as a wrong password.

mod common;

use common::{basic, basic_pw, db, start, TestHub, PW};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const NEW_PW: &str = "tea-field-2026";

fn uid(name: &str) -> String {
    format!("/couch/_users/org.couchdb.user:{name}")
}

fn account(name: &str, role: &str, password: Option<&str>) -> Value {
    let mut doc = json!({"_id": format!("org.couchdb.user:{name}"), "name": name,
                         "type": "user", "roles": [role]});
    if let Some(pw) = password {
        doc["password"] = json!(pw);
    }
    doc
}

/// The stored document of `name` as the admin sees it (Null if none).
fn stored(h: &TestHub, name: &str) -> Value {
    let r = h.get(&uid(name), "admin");
    if r.status == 404 {
        Value::Null
    } else {
        r.body
    }
}

/// Nothing that looks like a password or its hash.
fn assert_no_secret(v: &Value) {
    let text = v.to_string();
    for secret in [
        PW,
        NEW_PW,
        "argon2",
        "password",
        "derived_key",
        "salt",
        "password_scheme",
    ] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
}

#[test]
fn the_command_lines_accounts_carry_couchdb_roles() {
    let h = start();
    for (name, roles) in [
        ("a", json!(["cadre:330101"])),
        ("hq", json!(["hq:3301"])),
        ("admin", json!(["_admin"])),
    ] {
        let doc = stored(&h, name);
        assert_eq!(doc["roles"], roles, "{name}");
        assert_eq!(doc["type"], "user");
        assert_eq!(doc["_id"], format!("org.couchdb.user:{name}"));
        assert!(doc["_rev"].as_str().unwrap().starts_with("1-"));
    }
    let r = h.get("/couch/_session", "hq");
    assert_eq!(r.body["userCtx"]["roles"], json!(["hq:3301"]));
}

#[test]
fn admin_creates_every_kind_of_account_and_they_sign_in() {
    let h = start();
    for (name, role) in [
        ("li", "cadre:330102"),
        ("zhen", "hq:3301"),
        ("boss", "_admin"),
    ] {
        let r = h.put(&uid(name), "admin", &account(name, role, Some(NEW_PW)));
        assert_eq!(r.status, 201, "{name}: {}", r.body);
        assert_eq!(r.body["ok"], true);
        assert_eq!(r.body["id"], format!("org.couchdb.user:{name}"));
        assert_no_secret(&r.body);
        let me = h.req(
            "GET",
            "/couch/_session",
            Some(&basic_pw(name, NEW_PW)),
            None,
        );
        assert_eq!(me.body["userCtx"]["roles"], json!([role]));
    }
    // The new cadre reads and writes its station and nothing else.
    let li = basic_pw("li", NEW_PW);
    assert_eq!(h.req("GET", &db("330102"), Some(&li), None).status, 200);
    assert_eq!(h.req("GET", &db("330101"), Some(&li), None).status, 403);
}

#[test]
fn hq_manages_only_cadres_below_its_own_station() {
    let h = start();
    let r = h.put(
        &uid("li"),
        "hq",
        &account("li", "cadre:330102", Some(NEW_PW)),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    for (name, role, why) in [
        ("boss", "_admin", "an hq account creating an admin"),
        ("zhen", "hq:330101", "an hq account creating hq"),
        (
            "self",
            "cadre:3301",
            "a cadre of its own station (not below it)",
        ),
        ("far", "cadre:33", "a cadre above it"),
    ] {
        let r = h.put(&uid(name), "hq", &account(name, role, Some(NEW_PW)));
        assert_eq!(
            (r.status, &r.body["error"]),
            (403, &json!("forbidden")),
            "{why}"
        );
        assert_eq!(stored(&h, name), Value::Null, "{why}: nothing written");
        let login = h.req(
            "GET",
            "/couch/_session",
            Some(&basic_pw(name, NEW_PW)),
            None,
        );
        assert_eq!(login.status, 401, "{why}: no account to sign in with");
    }
    // Nor change what it does not manage: the admin's account, or its own role.
    let admin = stored(&h, "admin");
    let mut grab = admin.clone();
    grab["password"] = json!(NEW_PW);
    assert_eq!(h.put(&uid("admin"), "hq", &grab).status, 403);
    let mut promote = stored(&h, "hq");
    promote["roles"] = json!(["hq:33"]);
    assert_eq!(h.put(&uid("hq"), "hq", &promote).status, 403);
    assert_eq!(stored(&h, "admin")["_rev"], admin["_rev"]);
    assert_eq!(stored(&h, "hq")["roles"], json!(["hq:3301"]));
    // Moving its cadre outside its subtree is refused too.
    let mut out = stored(&h, "li");
    out["roles"] = json!(["cadre:33"]);
    assert_eq!(h.put(&uid("li"), "hq", &out).status, 403);
    // hq lists itself and the cadres below; a cadre lists nothing.
    let list = h.get("/couch/_users/_all_docs?include_docs=true", "hq");
    let names: Vec<&str> = list.body["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["doc"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["a", "b", "hq", "li"]);
    assert_no_secret(&list.body);
    assert_eq!(h.get("/couch/_users/_all_docs", "a").status, 403);
    let all = h.get("/couch/_users/_all_docs?include_docs=true", "admin");
    assert_eq!(all.body["rows"].as_array().unwrap().len(), 5);
    assert_no_secret(&all.body);
}

#[test]
fn a_cadre_reads_only_their_own_document() {
    let h = start();
    let own = h.get(&uid("a"), "a");
    assert_eq!(own.status, 200);
    assert_eq!(own.body["name"], "a");
    assert_no_secret(&own.body);
    for other in ["b", "hq", "admin", "nobody"] {
        let r = h.get(&uid(other), "a");
        assert_eq!(
            (r.status, &r.body["error"]),
            (404, &json!("not_found")),
            "{other}"
        );
    }
    // hq does not read the admin's document or another hq's.
    assert_eq!(h.get(&uid("admin"), "hq").status, 404);
    assert_eq!(h.get(&uid("a"), "hq").status, 200);
    // A cadre may change their own password, but not their role, and not others'.
    let mut mine = own.body.clone();
    mine["roles"] = json!(["hq:3301"]);
    assert_eq!(h.put(&uid("a"), "a", &mine).status, 403);
    let mut theirs = stored(&h, "b");
    theirs["password"] = json!(NEW_PW);
    assert_eq!(h.put(&uid("b"), "a", &theirs).status, 403);
    let mut pw = own.body.clone();
    pw["password"] = json!(NEW_PW);
    assert_eq!(h.put(&uid("a"), "a", &pw).status, 201);
    assert_eq!(
        h.req("GET", &db("330101"), Some(&basic_pw("a", NEW_PW)), None)
            .status,
        200
    );
    assert_eq!(stored(&h, "a")["roles"], json!(["cadre:330101"]));
}

#[test]
fn no_get_answer_carries_a_password_or_its_hash() {
    let h = start();
    let r = h.put(
        &uid("li"),
        "admin",
        &account("li", "cadre:330102", Some(NEW_PW)),
    );
    assert_no_secret(&r.body);
    for (path, user) in [
        (uid("li"), "admin"),
        (uid("li"), "hq"),
        (uid("a"), "a"),
        ("/couch/_users/_all_docs?include_docs=true".into(), "admin"),
        ("/couch/_users".into(), "admin"),
        ("/couch/_session".into(), "a"),
    ] {
        let r = h.get(&path, user);
        assert_eq!(r.status, 200, "{path}");
        assert_no_secret(&r.body);
    }
    // Nor does the stored row keep the password itself.
    let raw = std::fs::read(h.dir.path().join(hub::store::DB_FILE)).unwrap();
    assert!(!raw.windows(NEW_PW.len()).any(|w| w == NEW_PW.as_bytes()));
}

#[test]
fn password_rules_refuse_and_change_nothing() {
    let h = start();
    for (pw, why) in [
        ("short1", "fewer than 8 characters"),
        ("lixiaoming", "the user name"),
        ("12345678", "well known"),
        ("woaini1314", "well known"),
        ("Password", "well known, in another case"),
    ] {
        let doc = account("lixiaoming", "cadre:330102", Some(pw));
        let r = h.put(&uid("lixiaoming"), "admin", &doc);
        assert_eq!(
            (r.status, &r.body["error"]),
            (400, &json!("bad_request")),
            "{why}"
        );
        assert!(
            r.body["reason"].as_str().unwrap().contains("password"),
            "{why}"
        );
        assert_eq!(stored(&h, "lixiaoming"), Value::Null, "{why}");
    }
    // A reset to a weak password leaves the old one working.
    let mut a = stored(&h, "a");
    a["password"] = json!("a");
    assert_eq!(h.put(&uid("a"), "admin", &a).status, 400);
    assert_eq!(h.get(&db("330101"), "a").status, 200);
    // A new account needs one at all.
    let r = h.put(&uid("li"), "admin", &account("li", "cadre:330102", None));
    assert_eq!(r.status, 400);
}

#[test]
fn malformed_documents_are_400_and_change_nothing() {
    let h = start();
    let good = account("li", "cadre:330102", Some(NEW_PW));
    let with = |k: &str, v: Value| {
        let mut d = good.clone();
        d[k] = v;
        d
    };
    for (body, why) in [
        (with("type", json!("admin")), "type not user"),
        (with("name", json!("wang")), "name differs from the id"),
        (
            with("roles", json!(["cadre:330102", "_admin"])),
            "two roles",
        ),
        (with("roles", json!(["admin"])), "an unknown role"),
        (with("roles", json!([])), "no role"),
        (
            with("roles", json!(["cadre:999"])),
            "a station that does not exist",
        ),
        (
            with("password_sha", json!("abc")),
            "a field the hub would drop",
        ),
        (json!([1, 2]), "not an object"),
    ] {
        let r = h.put(&uid("li"), "admin", &body);
        assert_eq!(r.status, 400, "{why}: {}", r.body);
        assert_eq!(stored(&h, "li"), Value::Null, "{why}");
    }
    let r = h.put("/couch/_users/li", "admin", &good);
    assert_eq!(r.status, 400, "an id without org.couchdb.user:");
}

#[test]
fn reset_disable_enable_change_station_and_delete() {
    let h = start();
    let r = h.put(
        &uid("li"),
        "hq",
        &account("li", "cadre:330102", Some(NEW_PW)),
    );
    let rev1 = r.body["rev"].as_str().unwrap().to_owned();
    let li = |pw: &str| basic_pw("li", pw);
    assert_eq!(
        h.req("GET", &db("330102"), Some(&li(NEW_PW)), None).status,
        200
    );
    let login = h.req(
        "POST",
        "/couch/_session",
        None,
        Some(&json!({"name": "li", "password": NEW_PW}).to_string()),
    );
    let cookie = login
        .set_cookie
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();

    // Without the current _rev: a conflict, nothing changed.
    let mut doc = account("li", "cadre:330102", Some("another-pass-1"));
    assert_eq!(h.put(&uid("li"), "hq", &doc).status, 409);
    doc["_rev"] = json!("1-00000000000000000000000000000000");
    assert_eq!(h.put(&uid("li"), "hq", &doc).status, 409);

    // Reset: the old password (even one verified a moment ago) and the session stop.
    doc["_rev"] = json!(rev1);
    let r = h.put(&uid("li"), "hq", &doc);
    assert_eq!(r.status, 201);
    let rev2 = r.body["rev"].as_str().unwrap().to_owned();
    assert!(rev2.starts_with("2-"));
    assert_eq!(
        h.req("GET", &db("330102"), Some(&li(NEW_PW)), None).status,
        401
    );
    assert_eq!(h.req("GET", &db("330102"), Some(&cookie), None).status, 401);
    assert_eq!(
        h.req("GET", &db("330102"), Some(&li("another-pass-1")), None)
            .status,
        200
    );

    // Disable: no sign-in, though the password is right; enable: back.
    let mut off = stored(&h, "li");
    off["disabled"] = json!(true);
    let r = h.put(&uid("li"), "hq", &off);
    assert_eq!(r.status, 201);
    assert_eq!(stored(&h, "li")["disabled"], true);
    let r = h.req("GET", &db("330102"), Some(&li("another-pass-1")), None);
    assert_eq!(r.status, 401);
    let mut on = stored(&h, "li");
    on["disabled"] = json!(false);
    assert_eq!(h.put(&uid("li"), "hq", &on).status, 201);
    assert_eq!(
        h.req("GET", &db("330102"), Some(&li("another-pass-1")), None)
            .status,
        200
    );

    // Change station: access moves with the role.
    let mut moved = stored(&h, "li");
    moved["roles"] = json!(["cadre:330101"]);
    assert_eq!(h.put(&uid("li"), "hq", &moved).status, 201);
    assert_eq!(
        h.req("GET", &db("330101"), Some(&li("another-pass-1")), None)
            .status,
        200
    );
    assert_eq!(
        h.req("GET", &db("330102"), Some(&li("another-pass-1")), None)
            .status,
        403
    );

    // Delete: a stale rev conflicts; hq may not delete itself or the admin.
    let rev = stored(&h, "li")["_rev"].as_str().unwrap().to_owned();
    assert_eq!(
        h.delete(&format!("{}?rev={rev1}", uid("li")), "hq").status,
        409
    );
    let hq_rev = stored(&h, "hq")["_rev"].as_str().unwrap().to_owned();
    assert_eq!(
        h.delete(&format!("{}?rev={hq_rev}", uid("hq")), "hq")
            .status,
        403
    );
    assert_eq!(
        h.delete(&format!("{}?rev={rev}", uid("admin")), "hq")
            .status,
        404
    );
    let r = h.delete(&format!("{}?rev={rev}", uid("li")), "hq");
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(stored(&h, "li"), Value::Null);
    assert_eq!(
        h.req("GET", &db("330101"), Some(&li("another-pass-1")), None)
            .status,
        401
    );
}

#[test]
fn station_security_is_the_access_rule() {
    let h = start();
    let want = json!({
        "admins": {"names": [], "roles": ["_admin"]},
        "members": {"names": [], "roles": ["cadre:330101", "hq:330101", "hq:3301", "hq:33"]},
    });
    let sec = format!("{}/_security", db("330101"));
    assert_eq!(h.get(&sec, "a").body, want);
    assert_eq!(h.get(&sec, "hq").body, want);
    // Writing the same object (as a console does after creating a station) is accepted;
    // writing another is refused with the reason, and only an admin may write.
    assert_eq!(h.put(&sec, "hq", &want).status, 403);
    let r = h.put(&sec, "admin", &want);
    assert_eq!((r.status, &r.body["ok"]), (200, &json!(true)));
    let mut wider = want.clone();
    wider["members"]["roles"] = json!(["cadre:330101", "cadre:330102"]);
    let r = h.put(&sec, "admin", &wider);
    assert_eq!(r.status, 400);
    assert!(r.body["reason"].as_str().unwrap().contains("station tree"));
    assert_eq!(h.get(&sec, "a").body, want);
    // A cadre of another station may not read it.
    assert_eq!(h.get(&sec, "b").status, 403);
}

/// The median of three timed logins.
fn login_time(h: &TestHub, name: &str, password: &str) -> Duration {
    let mut times: Vec<Duration> = (0..3)
        .map(|_| {
            let t = Instant::now();
            let r = h.req(
                "GET",
                "/couch/_session",
                Some(&basic_pw(name, password)),
                None,
            );
            assert_eq!(r.status, 401, "{name}");
            t.elapsed()
        })
        .collect();
    times.sort();
    times[1]
}

#[test]
fn login_is_timing_safe_for_unknown_and_disabled_accounts() {
    let h = start();
    let mut off = stored(&h, "b");
    off["disabled"] = json!(true);
    assert_eq!(h.put(&uid("b"), "admin", &off).status, 201);
    // Each refusal runs argon2 once, whatever the reason …
    for (name, pw) in [("a", "wrong-pass"), ("ghost", "wrong-pass"), ("b", PW)] {
        let before = h.hub.argon2_runs();
        let r = h.req("GET", "/couch/_session", Some(&basic_pw(name, pw)), None);
        assert_eq!(r.status, 401, "{name}");
        assert_eq!(h.hub.argon2_runs() - before, 1, "{name}: one argon2 check");
    }
    // … and takes as long: an unknown or disabled name is no quicker to refuse.
    let wrong = login_time(&h, "a", "wrong-pass-2");
    for (name, pw) in [("ghost2", "wrong-pass-2"), ("b", PW)] {
        let t = login_time(&h, name, pw);
        assert!(
            t * 2 >= wrong,
            "{name}: {t:?} against a wrong password's {wrong:?}"
        );
    }
    // The right password of a disabled account answers exactly like a wrong one.
    let r = h.req("GET", "/couch/_session", Some(&basic("b")), None);
    assert_eq!(
        r.body,
        h.req(
            "GET",
            "/couch/_session",
            Some(&basic_pw("a", "nope-nope")),
            None
        )
        .body
    );
}
