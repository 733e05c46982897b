//! `yehua-hub import` of export files made with 含照片, against a real hub: a file built
//! by the exporter itself (`exchange::build` + `inline_attachments`, as the phone makes
//! it) imports every photo with its bytes, which the hub then serves byte-identical, and a
//! second import changes nothing; a file with one corrupted attachment (wrong data,
//! wrong length, not base64, a stub whose bytes are not in the file) is refused whole and
//! writes nothing — neither a document nor a blob — even when the documents before the
//! faulty attachment are sound.

mod common;

use common::{db, start, TestHub};
use couch::attachment::{digest, encode, take_inline};
use couch::DocRecord;
use serde_json::{json, Value};
use std::collections::BTreeMap;

const STATION: &str = "330101";
const AT: &str = "2026-11-20T21:00:00+08:00";
const ACTIVITY: &str = "activity:0190a0b0-0000-7000-8000-000000000001";

fn jpeg(seed: u8, len: usize) -> Vec<u8> {
    let mut v = vec![0xff, 0xd8];
    v.extend((0..len).map(|i| (i as u8).wrapping_mul(37) ^ seed));
    v
}

fn record(mut doc: Value) -> DocRecord {
    take_inline(&mut doc).unwrap();
    let mut r = DocRecord::new(doc["_id"].as_str().unwrap().into());
    r.update(doc).unwrap();
    r
}

fn photo(n: u8, image: &[u8], thumb: &[u8]) -> DocRecord {
    record(
        json!({"_id": format!("photo:0190a0b0-0000-7000-8000-0000000000{n:02}"),
        "type": "photo", "station": STATION, "activity_id": ACTIVITY,
        "taken_at": "2026-11-18T19:40:00+08:00", "created_at": "2026-11-18T20:00:00+08:00",
        "updated_at": "2026-11-18T20:00:00+08:00", "_attachments": {
            "image.jpg": {"content_type": "image/jpeg", "data": encode(image)},
            "thumb.jpg": {"content_type": "image/jpeg", "data": encode(thumb)}}}),
    )
}

/// A forum and three photos of it: the second edited once (its revision 2 keeps revision
/// 1's bytes), the third the same picture as the first (one digest, two photos).
struct Station {
    records: Vec<DocRecord>,
    bytes: BTreeMap<String, Vec<u8>>,
}

fn station() -> Station {
    let pics: Vec<Vec<u8>> = [(1, 250_000), (2, 20_000), (3, 180_000), (4, 15_000)]
        .into_iter()
        .map(|(s, n)| jpeg(s, n))
        .collect();
    let mut second = photo(2, &pics[2], &pics[3]);
    let mut d = second.winner_doc().unwrap();
    d["caption"] = json!("村民在祠堂前");
    second.update(d).unwrap();
    let forum = record(
        json!({"_id": ACTIVITY, "type": "activity", "station": STATION,
        "kind": "evening_forum", "title": "照片夜话", "start": "2026-11-18T19:30:00+08:00"}),
    );
    Station {
        records: vec![
            forum,
            photo(1, &pics[0], &pics[1]),
            second,
            photo(3, &pics[0], &pics[1]),
        ],
        bytes: pics.iter().map(|p| (digest(p), p.clone())).collect(),
    }
}

/// The export file as the phone makes it with 含照片: every type, bytes inline.
fn export(s: &Station) -> Value {
    let mut file = exchange::build(
        STATION,
        AT,
        "0.1.0",
        &exchange::Filter::default(),
        &s.records,
    );
    let left_out = exchange::inline_attachments(&mut file, |d| s.bytes.get(d).cloned());
    assert!(left_out.is_empty(), "{left_out:?}");
    serde_json::to_value(&file).unwrap()
}

fn count(h: &TestHub, table: &str) -> i64 {
    h.hub
        .store
        .read_blocking(|tx| {
            tx.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
                .map_err(hub::store::StoreError::from)
        })
        .unwrap()
}

fn write(dir: &tempfile::TempDir, name: &str, file: &Value) -> std::path::PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, serde_json::to_vec(file).unwrap()).unwrap();
    path
}

fn attachment(h: &TestHub, id: &str, name: &str) -> Vec<u8> {
    let (status, _, bytes) = h.raw(
        "GET",
        &format!("{}/{id}/{name}", db(STATION)),
        "a",
        &[],
        b"",
    );
    assert_eq!(status, 200, "{id}/{name}");
    bytes
}

#[test]
fn an_exported_file_with_photos_imports_byte_identical_and_twice_changes_nothing() {
    let h = start();
    let s = station();
    let file = export(&s);
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "yehua-330101-20261120.json", &file);

    let first = hub::import::import_files(&h.hub.store, std::slice::from_ref(&path)).unwrap();
    let r = first[0].report;
    assert_eq!((r.new, r.updated, r.unchanged, r.conflicts), (4, 0, 0, 0));
    assert_eq!(count(&h, "blobs"), 4, "one row per digest");
    for rec in &s.records[1..] {
        let doc = rec.winner_doc().unwrap();
        let served = h.get(&format!("{}/{}", db(STATION), rec.id), "a").body;
        assert_eq!(served["_rev"], doc["_rev"], "{}", rec.id);
        for name in ["image.jpg", "thumb.jpg"] {
            let stub = &doc["_attachments"][name];
            assert_eq!(served["_attachments"][name]["revpos"], stub["revpos"]);
            let bytes = attachment(&h, &rec.id, name);
            assert_eq!(
                &bytes,
                &s.bytes[stub["digest"].as_str().unwrap()],
                "{}",
                rec.id
            );
        }
    }
    // The caption edit kept the first revision's bytes: revpos 1 on revision 2.
    let edited = h
        .get(&format!("{}/{}", db(STATION), s.records[2].id), "a")
        .body;
    assert!(edited["_rev"].as_str().unwrap().starts_with("2-"));
    assert_eq!(edited["_attachments"]["image.jpg"]["revpos"], 1);
    assert_eq!(h.hub.store.integrity_check().unwrap(), Ok(()));

    let docs = count(&h, "docs");
    let again = hub::import::import_files(&h.hub.store, &[path]).unwrap();
    let r = again[0].report;
    assert_eq!((r.new, r.updated, r.unchanged, r.conflicts), (0, 0, 4, 0));
    assert_eq!((count(&h, "docs"), count(&h, "blobs")), (docs, 4));
}

#[test]
fn one_corrupted_attachment_refuses_the_file_and_writes_nothing() {
    let h = start();
    let good = export(&station());
    let docs = good["docs"].as_array().unwrap().len();
    let carries =
        |i: usize, name: &str| good["docs"][i]["_attachments"][name].get("data").is_some();
    // The last thumbnail carried in the file (documents before it are sound), and the
    // first carrier of the picture two photos share.
    let late = (0..docs).rev().find(|&i| carries(i, "thumb.jpg")).unwrap();
    assert!(late > 1, "sound documents come before it");
    let last = format!("/docs/{late}/_attachments/thumb.jpg");
    let shared = (0..docs).find(|&i| carries(i, "image.jpg")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut bad: Vec<(&str, Value)> = Vec::new();
    // One byte of the last photo's thumbnail changed (same length, wrong digest).
    let mut f = good.clone();
    let d = f.pointer(&last).unwrap()["data"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut b = base64_decode(&d);
    b[5] ^= 1;
    f.pointer_mut(&last).unwrap()["data"] = json!(encode(&b));
    bad.push(("corrupt-data", f));
    // The right bytes with a wrong length.
    let mut f = good.clone();
    let n = f.pointer(&last).unwrap()["length"].as_u64().unwrap();
    f.pointer_mut(&last).unwrap()["length"] = json!(n + 1);
    bad.push(("wrong-length", f));
    // Data that is not base64.
    let mut f = good.clone();
    f.pointer_mut(&last).unwrap()["data"] = json!(format!("*{}", &d[1..]));
    bad.push(("not-base64", f));
    // The shared picture's carrier removed: the other photo's stub has no bytes.
    let mut f = good.clone();
    f["docs"].as_array_mut().unwrap().remove(shared);
    bad.push(("stub-without-bytes", f));

    let before = (count(&h, "docs"), count(&h, "blobs"));
    for (name, file) in bad {
        let path = write(&dir, &format!("{name}.json"), &file);
        let e = hub::import::import_files(&h.hub.store, &[path]).unwrap_err();
        assert!(
            matches!(e, hub::import::ImportCmdError::Invalid { .. }),
            "{name}: {e}"
        );
        assert!(e.to_string().contains("attachment"), "{name}: {e}");
        assert_eq!(
            (count(&h, "docs"), count(&h, "blobs")),
            before,
            "{name}: nothing written"
        );
    }
    // The same file unharmed goes in.
    let path = write(&dir, "good.json", &good);
    let done = hub::import::import_files(&h.hub.store, &[path]).unwrap();
    assert_eq!(done[0].report.new, 4);
}

fn base64_decode(s: &str) -> Vec<u8> {
    let mut doc = json!({"_attachments": {"x": {"data": s}}});
    take_inline(&mut doc).unwrap().remove(0).bytes
}
