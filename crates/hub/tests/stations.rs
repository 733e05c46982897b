//! The station tree over HTTP, `/couch/_yehua/stations`: hq lists its subtree, adds a
//! village under its township (the database and its `_security` come with it), renames
//! and moves stations inside its subtree; it cannot add at the top, above or beside
//! itself, move its own station, move a station out of its subtree, or make a cycle; a
//! cadre changes nothing; admin changes anything; codes, names and levels are checked.
//! Every refusal writes nothing.

mod common;

use common::{db, start};
use serde_json::{json, Value};

const TREE: &str = "/couch/_yehua/stations";

fn codes(h: &common::TestHub, user: &str) -> Vec<String> {
    let res = h.get(TREE, user);
    assert_eq!(res.status, 200, "{}", res.body);
    res.body["stations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["code"].as_str().unwrap().to_owned())
        .collect()
}

fn station(h: &common::TestHub, code: &str) -> Value {
    let all = h.get(TREE, "admin").body;
    all["stations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["code"] == code)
        .cloned()
        .unwrap_or(Value::Null)
}

fn refused(res: &common::Res, status: u16, problem: &str) {
    assert_eq!(res.status, status, "{}", res.body);
    assert_eq!(res.body["problem"], problem, "{}", res.body);
}

#[test]
fn hq_adds_a_village_under_its_township_with_database_and_security() {
    let h = start();
    assert_eq!(codes(&h, "hq"), ["3301", "330101", "330102"]);
    let new = json!({"code": "330103", "name": "新村", "parent": "3301", "level": "village"});
    let res = h.post(TREE, "hq", &new);
    assert_eq!(res.status, 201, "{}", res.body);
    assert_eq!(codes(&h, "hq"), ["3301", "330101", "330102", "330103"]);
    let sec = h.get(&format!("{}/_security", db("330103")), "hq");
    assert_eq!(sec.status, 200, "{}", sec.body);
    let roles = sec.body["members"]["roles"].to_string();
    assert!(
        roles.contains("cadre:330103") && roles.contains("hq:3301"),
        "{roles}"
    );
    // hq reads the new database at once; adding it again is 409.
    assert_eq!(h.get(&db("330103"), "hq").status, 200);
    refused(&h.post(TREE, "hq", &new), 409, "exists");
    // The hq account can now create a cadre of it (the accounts screen's next step).
    assert_eq!(
        h.put(
            "/couch/_users/org.couchdb.user:c3",
            "hq",
            &json!({"name": "c3", "type": "user", "roles": ["cadre:330103"], "password": "lantern-42x"})
        )
        .status,
        201
    );
}

#[test]
fn hq_cannot_add_at_the_top_above_or_beside_itself() {
    let h = start();
    let add = |parent: Value, code: &str, level: &str| {
        h.post(
            TREE,
            "hq",
            &json!({"code": code, "name": "某站", "parent": parent, "level": level}),
        )
    };
    refused(&add(json!(null), "34", "county"), 403, "not_yours");
    refused(&add(json!("33"), "3302", "township"), 403, "not_yours");
    refused(&add(json!("33"), "330201", "village"), 403, "not_yours");
    // Inside its subtree the level must be below the parent's.
    refused(
        &add(json!("330101"), "330101001", "village"),
        400,
        "level_order",
    );
    refused(&add(json!("3301"), "330199", "county"), 400, "level_order");
    refused(&add(json!("3301"), "330199", "hamlet"), 400, "bad_level");
    refused(&add(json!("3301"), "33-01", "village"), 400, "bad_code");
    refused(&add(json!("3301"), "", "village"), 400, "bad_code");
    let blank = h.post(
        TREE,
        "hq",
        &json!({"code": "330199", "name": "  ", "parent": "3301", "level": "village"}),
    );
    refused(&blank, 400, "empty_name");
    refused(&add(json!("3309"), "330901", "village"), 403, "not_yours");
    // Malformed bodies.
    assert_eq!(h.post(TREE, "hq", &json!({"code": "330199"})).status, 400);
    assert_eq!(h.post(TREE, "hq", &json!([1])).status, 400);
    // A cadre sees and changes nothing.
    assert_eq!(codes(&h, "a"), Vec::<String>::new());
    refused(
        &h.post(
            TREE,
            "a",
            &json!({"code": "330199", "name": "x", "parent": "330101", "level": "village"}),
        ),
        403,
        "not_yours",
    );
    // Nothing was written.
    assert_eq!(codes(&h, "admin"), ["33", "3301", "330101", "330102"]);
    assert_eq!(h.get(&db("330199"), "admin").status, 404);
}

#[test]
fn hq_renames_and_moves_inside_its_subtree_only() {
    let h = start();
    let put = |user: &str, code: &str, name: &str, parent: Value| {
        h.put(
            &format!("{TREE}/{code}"),
            user,
            &json!({"name": name, "parent": parent}),
        )
    };
    // A second township under hq's: hq may add it? No — a township cannot sit under a
    // township. Admin adds one beside hq's, and hq may not move a village there.
    assert_eq!(
        h.post(
            TREE,
            "admin",
            &json!({"code": "3302", "name": "邻镇", "parent": "33", "level": "township"})
        )
        .status,
        201
    );
    let ok = put("hq", "330101", "示范村", json!("3301"));
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_eq!(station(&h, "330101")["name"], "示范村");
    refused(
        &put("hq", "330101", "示范村", json!("3302")),
        403,
        "not_yours",
    );
    refused(
        &put("hq", "330101", "示范村", json!(null)),
        403,
        "not_yours",
    );
    // hq renames its own station but does not move it.
    assert_eq!(put("hq", "3301", "某镇所", json!("33")).status, 200);
    refused(
        &put("hq", "3301", "某镇所", json!("3302")),
        403,
        "own_station",
    );
    // Outside the subtree: neither rename nor move.
    refused(&put("hq", "3302", "改名", json!("33")), 403, "not_yours");
    refused(&put("hq", "33", "改名", json!(null)), 403, "not_yours");
    refused(&put("a", "330101", "改名", json!("3301")), 403, "not_yours");
    refused(&put("hq", "330101", " ", json!("3301")), 400, "empty_name");
    assert_eq!(station(&h, "3302")["name"], "邻镇");
    assert_eq!(station(&h, "330101")["parent"], "3301");

    // Admin moves a village to the other township; hq loses it.
    assert_eq!(
        put("admin", "330102", "站330102", json!("3302")).status,
        200
    );
    assert_eq!(codes(&h, "hq"), ["3301", "330101"]);
    assert_eq!(h.get(&db("330102"), "hq").status, 403);
    refused(
        &put("admin", "330102", "x", json!("339")),
        404,
        "no_station",
    );
}

#[test]
fn a_move_never_makes_a_cycle() {
    let h = start();
    let put = |code: &str, parent: &str| {
        h.put(
            &format!("{TREE}/{code}"),
            "admin",
            &json!({"name": "站", "parent": parent}),
        )
    };
    refused(&put("33", "330101"), 400, "cycle");
    refused(&put("3301", "3301"), 400, "cycle");
    refused(&put("33", "3301"), 400, "cycle");
    assert_eq!(station(&h, "33")["parent"], Value::Null);
    assert_eq!(station(&h, "3301")["parent"], "33");
}
