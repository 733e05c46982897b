//! The malformed-file corpus (`tests/fixtures/import-bad/`, listed with the expected error
//! in `expected.tsv`): every file is refused with its own error, and the JSON Schema
//! refuses the ones whose fault it can express.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

fn corpus() -> Vec<(String, String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import-bad");
    let table = std::fs::read_to_string(dir.join("expected.tsv")).unwrap();
    let rows: Vec<(String, String, String)> = table
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f[0].to_owned(), f[1].to_owned(), f[2].to_owned())
        })
        .collect();
    // Every file in the folder is in the table, and the other way round.
    let files: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n != "expected.tsv")
        .collect();
    let listed: BTreeSet<String> = rows.iter().map(|r| r.0.clone()).collect();
    assert_eq!(files, listed);
    rows
}

fn read(name: &str) -> Vec<u8> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import-bad");
    std::fs::read(dir.join(name)).unwrap()
}

#[test]
fn every_malformed_file_is_refused_with_its_own_error() {
    let rows = corpus();
    assert!(rows.len() >= 20, "only {} files", rows.len());
    let mut by_code: BTreeMap<&'static str, String> = BTreeMap::new();
    for (name, code, _) in &rows {
        let err = match exchange::parse(&read(name)) {
            Ok(_) => panic!("{name} was accepted"),
            Err(e) => e,
        };
        assert_eq!(err.code(), code, "{name}: {err}");
        assert!(!err.zh().is_empty() && !err.to_string().is_empty());
        if let Some(other) = by_code.insert(err.code(), err.zh()) {
            // Two files with one fault read alike; different faults never do.
            assert!(!other.is_empty());
        }
    }
    let messages: BTreeSet<&String> = by_code.values().collect();
    assert_eq!(messages.len(), by_code.len(), "two faults share a message");
}

#[test]
fn errors_say_where_the_problem_is() {
    let e = exchange::parse(&read("truncated-mid-string.json")).unwrap_err();
    assert!(
        matches!(e, exchange::ImportError::Truncated { line, .. } if line > 1),
        "{e}"
    );
    assert!(e.zh().contains("不完整"));
    let e = exchange::parse(&read("wrong-station.json")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "docs[1] (_id Some(\"activity:2\")) station `330106002` is not the file's station `330106001`"
    );
    assert_eq!(
        e.zh(),
        "第 2 条记录（activity:2）属于站点“330106002”，不是本文件的站点“330106001”"
    );
    let e = exchange::parse(&read("version-2.json")).unwrap_err();
    assert_eq!(
        e.zh(),
        "文件来自更新版本的夜话（格式版本 2），请升级应用后再导入"
    );
    let e = exchange::parse(&read("other-app.json")).unwrap_err();
    assert!(e.to_string().contains("wechat-chat-backup"), "{e}");
    let e = exchange::parse(&read("not-utf8-gbk.json")).unwrap_err();
    assert!(matches!(e, exchange::ImportError::NotUtf8 { offset } if offset > 100));
}

#[test]
fn the_schema_refuses_what_it_can_express() {
    let schema = common::Schema::load();
    let mut refused = 0;
    for (name, _, verdict) in corpus() {
        if verdict == "-" {
            continue;
        }
        let value: serde_json::Value = serde_json::from_slice(&read(&name)).unwrap();
        match (verdict.as_str(), schema.check(&value)) {
            ("rejects", Err(_)) => refused += 1,
            ("passes", Ok(())) => {}
            (v, got) => panic!("{name}: expected the schema to say {v}, got {got:?}"),
        }
    }
    assert!(refused >= 15, "{refused}");
}
