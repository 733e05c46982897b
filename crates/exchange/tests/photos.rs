//! Photos in export files: built with their stubs, their bytes put inline as CouchDB's
//! `data` (each digest once), valid against the published schema, imported with every
//! digest and length checked first (corrupted data or a stub without bytes refused,
//! nothing planned), and a second import changes nothing.

mod common;

use common::{Schema, STATION};
use couch::attachment::{digest, encode, take_inline};
use couch::DocRecord;
use exchange::{build, inline_attachments, parse, plan, Filter, ImportReport};
use serde_json::{json, Value};
use std::collections::BTreeMap;

const AT: &str = "2026-11-20T21:00:00+08:00";

fn photo(n: u8, image: &[u8], thumb: &[u8]) -> DocRecord {
    let id = format!("photo:0190a0b0-0000-7000-8000-0000000000{n:02}");
    let mut doc = json!({"_id": id, "type": "photo", "station": STATION,
        "activity_id": "activity:0190a0b0-0000-7000-8000-000000000001",
        "taken_at": "2026-11-18T19:40:00+08:00", "created_at": "2026-11-18T20:00:00+08:00",
        "updated_at": "2026-11-18T20:00:00+08:00", "_attachments": {
            "image.jpg": {"content_type": "image/jpeg", "data": encode(image)},
            "thumb.jpg": {"content_type": "image/jpeg", "data": encode(thumb)}}});
    take_inline(&mut doc).unwrap();
    let mut r = DocRecord::new(id);
    r.update(doc).unwrap();
    r
}

struct Photos {
    records: Vec<DocRecord>,
    bytes: BTreeMap<String, Vec<u8>>,
}

/// Three photos; the third shows the same picture as the first (one digest, two records),
/// and the second has a caption edit (revision 2 keeps revision 1's bytes).
fn photos() -> Photos {
    let pics: Vec<Vec<u8>> = (0..4u8).map(|i| vec![0xff, 0xd8, i, 7, 7, 7]).collect();
    let mut second = photo(2, &pics[2], &pics[3]);
    let mut d = second.winner_doc().unwrap();
    d["caption"] = json!("夜话现场");
    second.update(d).unwrap();
    let records = vec![
        photo(1, &pics[0], &pics[1]),
        second,
        photo(3, &pics[0], &pics[1]),
    ];
    let bytes = pics.iter().map(|p| (digest(p), p.clone())).collect();
    Photos { records, bytes }
}

fn export(p: &Photos) -> Value {
    let mut file = build(STATION, AT, "0.1.0", &Filter::default(), &p.records);
    let left_out = inline_attachments(&mut file, |d| p.bytes.get(d).cloned());
    assert!(left_out.is_empty());
    serde_json::to_value(&file).unwrap()
}

fn import(
    db: &mut BTreeMap<String, DocRecord>,
    blobs: &mut BTreeMap<String, Vec<u8>>,
    v: &Value,
) -> ImportReport {
    let file = parse(&serde_json::to_vec(v).unwrap()).unwrap();
    let p = plan(&file, |id| db.get(id).cloned()).unwrap();
    for r in p.changed {
        db.insert(r.id.clone(), r);
    }
    blobs.extend(p.blobs);
    p.report
}

#[test]
fn photos_travel_inline_once_per_digest_and_import_losslessly_twice() {
    let p = photos();
    let file = export(&p);
    Schema::load().check(&file).unwrap();
    let text = file.to_string();
    // Four distinct pictures: four data fields, the shared ones as stubs.
    assert_eq!(text.matches("\"data\"").count(), 4, "{text}");
    let mut db = BTreeMap::new();
    let mut blobs = BTreeMap::new();
    let first = import(&mut db, &mut blobs, &file);
    assert_eq!(first.new, 3);
    let want: BTreeMap<String, DocRecord> = p
        .records
        .iter()
        .map(|r| (r.id.clone(), r.clone()))
        .collect();
    assert_eq!(db, want);
    assert_eq!(blobs, p.bytes);
    let second = import(&mut db, &mut blobs, &file);
    assert_eq!((second.unchanged, second.new, second.updated), (3, 0, 0));
    assert_eq!(db, want);
}

#[test]
fn a_photo_whose_bytes_are_gone_is_left_out_of_the_file() {
    let p = photos();
    let mut file = build(STATION, AT, "0.1.0", &Filter::default(), &p.records);
    let gone = digest(&[0xff, 0xd8, 2, 7, 7, 7]);
    let left_out = inline_attachments(&mut file, |d| (d != gone).then(|| p.bytes[d].clone()));
    assert_eq!(left_out, [p.records[1].id.clone()]);
    assert_eq!(file.docs.len(), 2);
    parse(&serde_json::to_vec(&file).unwrap()).unwrap();
}

#[test]
fn corrupted_or_missing_bytes_are_refused_before_anything_is_planned() {
    let p = photos();
    let good = export(&p);
    let mut corrupt = good.clone();
    let data = corrupt["docs"][0]["_attachments"]["image.jpg"]["data"]
        .as_str()
        .unwrap();
    let mut bytes = data.as_bytes().to_vec();
    bytes[2] = if bytes[2] == b'A' { b'B' } else { b'A' };
    corrupt["docs"][0]["_attachments"]["image.jpg"]["data"] =
        json!(String::from_utf8(bytes).unwrap());
    let e = parse(&serde_json::to_vec(&corrupt).unwrap()).unwrap_err();
    assert_eq!(e.code(), "attachment_corrupt");
    assert!(e.zh().contains("已损坏"), "{}", e.zh());
    let mut long = good.clone();
    long["docs"][0]["_attachments"]["thumb.jpg"]["length"] = json!(7);
    assert_eq!(
        parse(&serde_json::to_vec(&long).unwrap())
            .unwrap_err()
            .code(),
        "attachment_corrupt"
    );
    // The first carrier of a shared digest removed: the later stub has no bytes.
    let mut orphan = good.clone();
    orphan["docs"].as_array_mut().unwrap().remove(0);
    let e = parse(&serde_json::to_vec(&orphan).unwrap()).unwrap_err();
    assert_eq!(e.code(), "attachment_missing");
    let mut no_digest = good;
    no_digest["docs"][0]["_attachments"]["image.jpg"]
        .as_object_mut()
        .unwrap()
        .remove("digest");
    assert_eq!(
        parse(&serde_json::to_vec(&no_digest).unwrap())
            .unwrap_err()
            .code(),
        "bad_attachment"
    );
}
