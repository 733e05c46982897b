//! The hub's SQLite schema versions: a new file is at the current version, a file written
//! by this hub reopens unchanged, a file from before versions were kept is brought up to
//! date with its data intact, and a file from a newer hub is refused unchanged.

use hub::store::{Store, StoreError, DB_FILE, MIGRATIONS, SCHEMA_VERSION};
use rusqlite::Connection;

fn version(path: &std::path::Path) -> u32 {
    Connection::open(path)
        .unwrap()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap()
}

fn stations(path: &std::path::Path) -> Vec<String> {
    let conn = Connection::open(path).unwrap();
    let mut q = conn
        .prepare("SELECT name FROM stations ORDER BY code")
        .unwrap();
    q.query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn add_station(store: &Store, code: &str, name: &str) {
    store
        .write_blocking(|tx| {
            tx.execute(
                "INSERT INTO stations (code, name, parent, level) VALUES (?1, ?2, NULL, 'village')",
                [code, name],
            )
            .map_err(StoreError::from)
        })
        .unwrap();
}

#[test]
fn a_file_this_hub_wrote_reopens_at_its_version_with_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    add_station(&store, "330106001", "示范村");
    drop(store);
    let path = dir.path().join(DB_FILE);
    assert_eq!(version(&path), SCHEMA_VERSION);
    let again = Store::open(dir.path()).unwrap();
    drop(again);
    assert_eq!(version(&path), SCHEMA_VERSION);
    assert_eq!(stations(&path), ["示范村"]);
}

#[test]
fn a_file_from_before_versions_is_brought_up_to_date_with_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    {
        // What a hub of last week left: the tables, no version.
        let old = Connection::open(&path).unwrap();
        old.execute_batch(MIGRATIONS[0]).unwrap();
        old.execute(
            "INSERT INTO stations (code, name, parent, level) VALUES ('330106001', '示范村', NULL, 'village')",
            [],
        )
        .unwrap();
    }
    assert_eq!(version(&path), 0);
    drop(Store::open(dir.path()).unwrap());
    assert_eq!(version(&path), SCHEMA_VERSION);
    assert_eq!(stations(&path), ["示范村"]);
}

#[test]
fn a_file_from_a_newer_hub_is_refused_and_left_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    add_station(&store, "330106001", "示范村");
    drop(store);
    let path = dir.path().join(DB_FILE);
    Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    match Store::open(dir.path()) {
        Err(StoreError::NewerSchema { found, known }) => {
            assert_eq!((found, known), (SCHEMA_VERSION + 1, SCHEMA_VERSION));
        }
        other => panic!("a newer file must be refused, got {:?}", other.map(|_| ())),
    }
    assert_eq!(version(&path), SCHEMA_VERSION + 1);
    assert_eq!(stations(&path), ["示范村"]);
}

#[test]
fn accounts_of_a_version_1_file_get_their_couchdb_roles() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    {
        let old = Connection::open(&path).unwrap();
        old.execute_batch(MIGRATIONS[0]).unwrap();
        old.pragma_update(None, "user_version", 1).unwrap();
        for (name, station, role) in [
            ("wang", "330106001", "cadre"),
            ("zhen", "330106", "hq"),
            ("root", "330106", "admin"),
        ] {
            old.execute(
                "INSERT INTO users (name, station, role, password_hash, created_at)
                 VALUES (?1, ?2, ?3, 'h', 0)",
                [name, station, role],
            )
            .unwrap();
        }
    }
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(version(&path), SCHEMA_VERSION);
    let users = store
        .read_blocking(|tx| hub::store::accounts::users_all(tx))
        .unwrap();
    let got: Vec<(&str, Vec<String>, bool, bool)> = users
        .iter()
        .map(|u| {
            let rev_ok = u.rev.starts_with("1-") && u.rev.len() == 34;
            (u.name.as_str(), u.roles.clone(), rev_ok, u.disabled)
        })
        .collect();
    let want = |r: &str| vec![r.to_owned()];
    assert_eq!(
        got,
        [
            ("root", want("_admin"), true, false),
            ("wang", want("cadre:330106001"), true, false),
            ("zhen", want("hq:330106"), true, false),
        ]
    );
    // The old columns are left as they were.
    assert_eq!(users[0].role, "admin");
    assert_eq!(users[0].station, "330106");
}
