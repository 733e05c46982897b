//! The real binary's `import` and `report`: a station's demo export imported into its
//! database reports the same figures as `model::rollup` on the same documents; a second
//! import changes nothing; a bad file among good ones writes nothing.

use couch::DocRecord;
use exchange::{build, Filter};
use model::demo::{generate, DemoConfig};
use model::rollup::{cells, rollup, StationInfo, HEADERS};
use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_yehua-hub");

fn run(args: &[&str], data: &Path) -> (bool, String, String) {
    let out = Command::new(BIN)
        .args(args)
        .arg("--data")
        .arg(data)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

/// A hub with a township and its village station.
fn hub(dir: &Path) -> std::path::PathBuf {
    let data = dir.join("data");
    let steps: [&[&str]; 2] = [
        &[
            "station",
            "add",
            "330106",
            "--name",
            "某镇实践所",
            "--level",
            "township",
        ],
        &[
            "station",
            "add",
            "330106001",
            "--name",
            "示范村实践站",
            "--parent",
            "330106",
        ],
    ];
    for args in steps {
        let (ok, out, err) = run(args, &data);
        assert!(ok, "{out}{err}");
    }
    data
}

/// A station's year (the demo generator, unmarked, with ids of its own) as the phone
/// stores it, and its export file.
fn demo_export(dir: &Path) -> (Vec<serde_json::Value>, std::path::PathBuf) {
    export_of(
        dir,
        &DemoConfig {
            seed: 7,
            marked: false,
            ..DemoConfig::default()
        },
    )
}

/// The documents `cfg` generates and their export file.
fn export_of(dir: &Path, cfg: &DemoConfig) -> (Vec<serde_json::Value>, std::path::PathBuf) {
    let docs = generate(cfg);
    let records: Vec<DocRecord> = docs
        .iter()
        .map(|d| {
            let mut r = DocRecord::new(d["_id"].as_str().unwrap().into());
            r.update(d.clone()).unwrap();
            r
        })
        .collect();
    let file = build(
        "330106001",
        "2026-11-20T21:00:00+08:00",
        "0.1.0",
        &Filter::default(),
        &records,
    );
    let path = dir.join("yehua-330106001-20261120.json");
    std::fs::write(&path, serde_json::to_vec(&file).unwrap()).unwrap();
    (docs, path)
}

fn doc_rows(data: &Path) -> i64 {
    let c = rusqlite::Connection::open(data.join("hub.sqlite3")).unwrap();
    c.query_row("SELECT COUNT(*) FROM docs", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn import_then_report_matches_the_model_and_a_second_import_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = hub(dir.path());
    let (docs, file) = demo_export(dir.path());
    let file_arg = file.to_str().unwrap();
    let (ok, out, err) = run(&["import", file_arg], &data);
    assert!(ok, "{err}");
    let n = docs.len();
    assert!(
        out.contains(&format!("new {n}, updated 0, unchanged 0, conflicts 0")),
        "{out}"
    );
    assert_eq!(doc_rows(&data), n as i64);
    let (ok, out, err) = run(&["import", file_arg], &data);
    assert!(ok, "{err}");
    assert!(
        out.contains(&format!("new 0, updated 0, unchanged {n}, conflicts 0")),
        "{out}"
    );

    let stations = vec![
        StationInfo {
            code: "330106".into(),
            name: "某镇实践所".into(),
            level: "township".into(),
            parent: None,
        },
        StationInfo {
            code: "330106001".into(),
            name: "示范村实践站".into(),
            level: "village".into(),
            parent: Some("330106".into()),
        },
    ];
    for month in ["2026-11", "2026-06"] {
        let want: Vec<String> = rollup(&docs, &stations)
            .iter()
            .filter(|r| r.month == month)
            .map(|r| cells(r).join("\t"))
            .collect();
        assert_eq!(want.len(), 2, "{month}");
        let (ok, out, err) = run(&["report", "--month", month], &data);
        assert!(ok, "{err}");
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], HEADERS.join("\t"));
        assert_eq!(lines[1..], want[..], "{month}");
        let (ok, village, _) = run(
            &["report", "--month", month, "--station", "330106001"],
            &data,
        );
        assert!(ok);
        assert_eq!(village.lines().skip(1).collect::<Vec<_>>(), want[1..]);
    }
    let (ok, csv, _) = run(&["report", "--month", "2026-11", "--csv"], &data);
    assert!(
        ok && csv.starts_with('\u{feff}') && csv.contains("办结率"),
        "{csv}"
    );
    let (ok, _, err) = run(&["report", "--month", "2026-13"], &data);
    assert!(!ok && err.contains("YYYY-MM"), "{err}");
}

#[test]
fn a_bad_file_among_good_ones_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = hub(dir.path());
    let (_, good) = demo_export(dir.path());
    let text = std::fs::read_to_string(&good).unwrap();
    let bad = dir.path().join("cut.json");
    std::fs::write(&bad, &text[..text.len() / 2]).unwrap();
    let (ok, _, err) = run(
        &["import", good.to_str().unwrap(), bad.to_str().unwrap()],
        &data,
    );
    assert!(!ok);
    assert!(
        err.contains("cut.json") && err.contains("文件不完整"),
        "{err}"
    );
    assert_eq!(doc_rows(&data), 0);
    // A file for a station the hub does not have is refused too.
    let other = dir.path().join("other.json");
    std::fs::write(&other, text.replace("330106001", "330106002")).unwrap();
    let (ok, _, err) = run(&["import", other.to_str().unwrap()], &data);
    assert!(!ok && err.contains("no station `330106002`"), "{err}");
    assert_eq!(doc_rows(&data), 0);
}

#[test]
fn demo_data_that_reached_the_hub_is_reported_apart_and_counts_for_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = hub(dir.path());
    // What the old demo button wrote: unmarked, recognised by id.
    let old = DemoConfig {
        marked: false,
        ..DemoConfig::default()
    };
    let (docs, file) = export_of(dir.path(), &old);
    let (ok, _, err) = run(&["import", file.to_str().unwrap()], &data);
    assert!(ok, "{err}");
    let (ok, out, err) = run(
        &["report", "--month", "2026-11", "--station", "330106001"],
        &data,
    );
    assert!(ok, "{err}");
    let header: Vec<&str> = out.lines().next().unwrap().split('\t').collect();
    let row: Vec<&str> = out.lines().nth(1).unwrap().split('\t').collect();
    let col = |name: &str| row[header.iter().position(|h| *h == name).unwrap()];
    assert_eq!(
        (col("场次"), col("活动总数"), col("志愿者人次")),
        ("0", "0", "0")
    );
    let in_month = docs
        .iter()
        .filter(|d| {
            ["start", "check_in", "created_at", "collected_at"]
                .iter()
                .find_map(|k| d[*k].as_str())
                .is_some_and(|t| t.starts_with("2026-11"))
        })
        .count();
    assert!(in_month > 0);
    assert_eq!(col("示例数据(未计入)"), in_month.to_string());
}
