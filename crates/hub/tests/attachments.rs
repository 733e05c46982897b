//! Attachments (photos) against a real hub: inline base64 and multipart/related in, the
//! bytes kept once per digest and checked against digest, length and the size limit on
//! the way in (a refusal writes nothing), stubs through edits and replicated revisions,
//! and the bytes back out raw, inline (`attachments=true`, `atts_since`, `_bulk_get`) and
//! multipart — as CouchDB 3 documents each endpoint.

mod common;

use common::{db, start, start_with, TestHub};
use couch::attachment::{digest, encode};
use hub::couch::ApiConfig;
use serde_json::{json, Value};

const PHOTO: &str = "photo:0190a0b0-0000-7000-8000-000000000009";

fn jpeg(seed: u8, len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(31) ^ seed)
        .collect()
}

/// How many blobs the hub's file holds.
fn blob_rows(h: &TestHub) -> i64 {
    h.hub
        .store
        .read_blocking(|tx| {
            tx.query_row("SELECT COUNT(*) FROM blobs", [], |r| r.get(0))
                .map_err(hub::store::StoreError::from)
        })
        .unwrap()
}

fn photo_doc(image: &[u8], thumb: &[u8]) -> Value {
    json!({"_id": PHOTO, "type": "photo", "_attachments": {
        "image.jpg": {"content_type": "image/jpeg", "data": encode(image)},
        "thumb.jpg": {"content_type": "image/jpeg", "data": encode(thumb)},
    }})
}

#[test]
fn inline_photos_are_stored_once_served_with_etag_and_kept_by_stubs() {
    let h = start();
    let (image, thumb) = (jpeg(1, 300_000), jpeg(2, 20_000));
    let path = format!("{}/{PHOTO}", db("330101"));
    let r = h.put(&path, "a", &photo_doc(&image, &thumb));
    assert_eq!(r.status, 201, "{}", r.body);
    let rev1 = r.body["rev"].as_str().unwrap().to_owned();
    // The document holds stubs only.
    let doc = h.get(&path, "a").body;
    assert_eq!(
        doc["_attachments"]["image.jpg"],
        json!({"content_type": "image/jpeg", "digest": digest(&image), "length": 300_000,
               "revpos": 1, "stub": true})
    );
    // The bytes, raw, with their type and CouchDB's ETag; revalidation is a 304.
    let (status, headers, bytes) = h.raw("GET", &format!("{path}/image.jpg"), "a", &[], b"");
    assert_eq!(status, 200);
    assert_eq!(bytes, image);
    let header = |k: &str| {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(k))
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    assert_eq!(header("content-type"), "image/jpeg");
    let etag = format!("\"{}\"", &digest(&image)[4..]);
    assert_eq!(header("etag"), etag);
    assert!(header("cache-control").contains("must-revalidate"));
    let (status, _, body) = h.raw(
        "GET",
        &format!("{path}/image.jpg"),
        "a",
        &[("If-None-Match", &etag)],
        b"",
    );
    assert_eq!((status, body.len()), (304, 0));
    // A caption edit sends stubs: the bytes stay, revpos stays 1.
    let r = h.put(&path, "a", &json!({"_id": PHOTO, "_rev": rev1, "type": "photo",
        "caption": "夜话", "_attachments": {"image.jpg": {"stub": true}, "thumb.jpg": {"stub": true}}}));
    assert_eq!(r.status, 201, "{}", r.body);
    let rev2 = r.body["rev"].as_str().unwrap().to_owned();
    let doc = h.get(&format!("{path}?attachments=true"), "a").body;
    assert_eq!(doc["_attachments"]["thumb.jpg"]["data"], encode(&thumb));
    assert_eq!(doc["_attachments"]["thumb.jpg"]["revpos"], 1);
    assert!(doc["_attachments"]["thumb.jpg"].get("stub").is_none());
    // A client holding revision 1 gets no bytes again (atts_since).
    let since = h
        .get(&format!("{path}?atts_since=[\"{rev1}\"]&revs=true"), "a")
        .body;
    assert_eq!(since["_attachments"]["image.jpg"]["stub"], true);
    assert_eq!(since["_revisions"]["start"], 2);
    // The same photo under another document: still one copy per digest.
    let other = "photo:0190a0b0-0000-7000-8000-00000000000a";
    let mut copy = photo_doc(&image, &thumb);
    copy["_id"] = json!(other);
    assert_eq!(
        h.put(&format!("{}/{other}", db("330101")), "a", &copy)
            .status,
        201
    );
    assert_eq!(blob_rows(&h), 2);
    // Replacing the thumbnail through the attachment endpoint: raw bytes, ?rev=.
    let new_thumb = jpeg(3, 18_000);
    let (status, _, body) = h.raw(
        "PUT",
        &format!("{path}/thumb.jpg?rev={rev2}"),
        "a",
        &[("Content-Type", "image/jpeg")],
        &new_thumb,
    );
    assert_eq!(status, 201, "{}", String::from_utf8_lossy(&body));
    let rev3: Value = serde_json::from_slice(&body).unwrap();
    let doc = h.get(&path, "a").body;
    assert_eq!(doc["_attachments"]["thumb.jpg"]["revpos"], 3);
    assert_eq!(doc["_attachments"]["image.jpg"]["revpos"], 1);
    let (_, _, got) = h.raw("GET", &format!("{path}/thumb.jpg"), "a", &[], b"");
    assert_eq!(got, new_thumb);
    // The old revision's thumbnail is not a leaf any more; a stale rev is a conflict.
    let (status, _, _) = h.raw(
        "DELETE",
        &format!("{path}/thumb.jpg?rev={rev2}"),
        "a",
        &[],
        b"",
    );
    assert_eq!(status, 409);
    let rev3 = rev3["rev"].as_str().unwrap();
    let (status, _, _) = h.raw(
        "DELETE",
        &format!("{path}/thumb.jpg?rev={rev3}"),
        "a",
        &[],
        b"",
    );
    assert_eq!(status, 200);
    assert!(h.get(&path, "a").body["_attachments"]
        .get("thumb.jpg")
        .is_none());
    let (status, _, _) = h.raw("GET", &format!("{path}/thumb.jpg"), "a", &[], b"");
    assert_eq!(status, 404);
    // A reader of another station may not fetch the bytes.
    let (status, _, _) = h.raw("GET", &format!("{path}/image.jpg"), "b", &[], b"");
    assert_eq!(status, 403);
    assert!(h.hub.store.integrity_check().unwrap().is_ok());
}

#[test]
fn lies_and_oversized_photos_are_refused_with_nothing_written() {
    let h = start_with(ApiConfig {
        max_attachment: 100_000,
        ..ApiConfig::default()
    });
    let path = format!("{}/{PHOTO}", db("330101"));
    let image = jpeg(1, 50_000);
    let mut lie = photo_doc(&image, b"t");
    lie["_attachments"]["image.jpg"]["digest"] = json!(digest(b"other bytes"));
    let r = h.put(&path, "a", &lie);
    assert_eq!(
        (r.status, r.body["error"].as_str()),
        (400, Some("bad_request"))
    );
    assert!(
        r.body["reason"].as_str().unwrap().contains("digest"),
        "{}",
        r.body
    );
    let mut long = photo_doc(&image, b"t");
    long["_attachments"]["image.jpg"]["length"] = json!(50_001);
    assert_eq!(h.put(&path, "a", &long).status, 400);
    let mut garbage = photo_doc(&image, b"t");
    garbage["_attachments"]["image.jpg"]["data"] = json!("***");
    assert_eq!(h.put(&path, "a", &garbage).status, 400);
    let big = photo_doc(&jpeg(1, 100_001), b"t");
    let r = h.put(&path, "a", &big);
    assert_eq!(
        (r.status, r.body["error"].as_str()),
        (413, Some("attachment_too_large"))
    );
    assert!(
        r.body["reason"].as_str().unwrap().contains("100000"),
        "{}",
        r.body
    );
    let (status, _, _) = h.raw(
        "PUT",
        &format!("{path}/image.jpg"),
        "a",
        &[("Content-Type", "image/jpeg")],
        &jpeg(1, 100_001),
    );
    assert_eq!(status, 413);
    // A replicated stub whose bytes the hub never received: 412 missing_stub.
    let r = h.post(
        &format!("{}/_bulk_docs", db("330101")),
        "a",
        &json!({"new_edits": false, "docs": [
            {"_id": "photo:x", "_rev": "1-aaaa", "_attachments": {"image.jpg": {"stub": true,
                "content_type": "image/jpeg", "digest": digest(b"never sent"), "length": 10, "revpos": 1}}},
            {"_id": "other", "_rev": "1-bbbb"}
        ]}),
    );
    assert_eq!(
        (r.status, r.body["error"].as_str()),
        (412, Some("missing_stub"))
    );
    // One bad document in a batch fails it whole.
    let r = h.post(
        &format!("{}/_bulk_docs", db("330101")),
        "a",
        &json!({"docs": [photo_doc(b"fine", b"t"), lie]}),
    );
    assert_eq!(r.status, 400);
    assert_eq!(h.get(&db("330101"), "a").body["doc_count"], 0);
    assert_eq!(blob_rows(&h), 0);
}

#[test]
fn replication_shapes_bulk_docs_in_bulk_get_out() {
    let h = start();
    let (image, thumb) = (jpeg(7, 40_000), jpeg(8, 4_000));
    let rev1 = format!("1-{}", "a".repeat(32));
    let rev2 = format!("2-{}", "b".repeat(32));
    let mut doc = photo_doc(&image, &thumb);
    doc["_rev"] = json!(rev1);
    doc["_attachments"]["image.jpg"]["revpos"] = json!(1);
    let r = h.post(
        &format!("{}/_bulk_docs", db("330101")),
        "a",
        &json!({"new_edits": false, "docs": [doc]}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    // Revision 2 as PouchDB sends it: the unchanged image as a stub, a new thumbnail.
    let new_thumb = jpeg(9, 3_000);
    let r = h.post(
        &format!("{}/_bulk_docs", db("330101")),
        "a",
        &json!({"new_edits": false, "docs": [{"_id": PHOTO, "_rev": rev2, "type": "photo",
            "_revisions": {"start": 2, "ids": ["b".repeat(32), "a".repeat(32)]},
            "_attachments": {
                "image.jpg": {"stub": true, "content_type": "image/jpeg", "digest": digest(&image),
                              "length": 40_000, "revpos": 1},
                "thumb.jpg": {"content_type": "image/jpeg", "data": encode(&new_thumb), "revpos": 2}}}]}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let r = h.post(
        &format!("{}/_bulk_get?revs=true&attachments=true", db("330101")),
        "a",
        &json!({"docs": [{"id": PHOTO, "rev": rev2}, {"id": PHOTO, "rev": rev2.clone() + "x", "atts_since": [rev1]},
                         {"id": PHOTO}]}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let got = &r.body["results"][0]["docs"][0]["ok"];
    assert_eq!(got["_attachments"]["image.jpg"]["data"], encode(&image));
    assert_eq!(got["_attachments"]["thumb.jpg"]["data"], encode(&new_thumb));
    assert_eq!(got["_attachments"]["thumb.jpg"]["revpos"], 2);
    assert_eq!(got["_revisions"]["ids"][1], "a".repeat(32));
    let r = h.post(
        &format!("{}/_bulk_get?attachments=true", db("330101")),
        "a",
        &json!({"docs": [{"id": PHOTO, "rev": rev2, "atts_since": [rev1]}]}),
    );
    let got = &r.body["results"][0]["docs"][0]["ok"];
    assert_eq!(got["_attachments"]["image.jpg"]["stub"], true, "{got}");
    assert_eq!(got["_attachments"]["thumb.jpg"]["data"], encode(&new_thumb));
    // Without attachments=true, stubs only (the phone's pull: thumbnails fetched apart).
    let r = h.post(
        &format!("{}/_bulk_get", db("330101")),
        "a",
        &json!({"docs": [{"id": PHOTO}]}),
    );
    assert!(r.body["results"][0]["docs"][0]["ok"]["_attachments"]["image.jpg"]["data"].is_null());
    let bad = h.post(
        &format!("{}/_bulk_get?attachments=true", db("330101")),
        "a",
        &json!({"docs": [{"id": PHOTO, "atts_since": "2-x"}]}),
    );
    assert_eq!(bad.status, 400);
}

/// A multipart/related body as CouchDB's replicator (and the phone) sends it.
fn related(boundary: &str, doc: &Value, parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out =
        format!("--{boundary}\r\nContent-Type: application/json\r\n\r\n{doc}").into_bytes();
    for (name, bytes) in parts {
        out.extend_from_slice(
            format!(
                "\r\n--{boundary}\r\nContent-Disposition: attachment; filename=\"{name}\"\r\nContent-Type: image/jpeg\r\nContent-Length: {}\r\n\r\n",
                bytes.len()
            )
            .as_bytes(),
        );
        out.extend_from_slice(bytes);
    }
    out.extend_from_slice(format!("\r\n--{boundary}--").as_bytes());
    out
}

#[test]
fn multipart_put_new_edits_false_is_binary_and_checked() {
    let h = start();
    let (image, thumb) = (jpeg(4, 300_000), jpeg(5, 25_000));
    let rev = format!("1-{}", "c".repeat(32));
    let doc = json!({"_id": PHOTO, "_rev": rev, "type": "photo",
        "_revisions": {"start": 1, "ids": ["c".repeat(32)]},
        "_attachments": {
            "image.jpg": {"content_type": "image/jpeg", "follows": true, "length": image.len(),
                          "digest": digest(&image), "revpos": 1},
            "thumb.jpg": {"content_type": "image/jpeg", "follows": true, "length": thumb.len(),
                          "digest": digest(&thumb), "revpos": 1}}});
    let path = format!("{}/{PHOTO}?new_edits=false", db("330101"));
    let ctype = "multipart/related; boundary=\"7b1f0c\"";
    let headers = [("Content-Type", ctype)];
    // Lies and breakage first: each a 400 with nothing written.
    let swapped = related(
        "7b1f0c",
        &doc,
        &[("image.jpg", &thumb), ("thumb.jpg", &image)],
    );
    let one_part = related("7b1f0c", &doc, &[("image.jpg", &image)]);
    let mut cut = related(
        "7b1f0c",
        &doc,
        &[("image.jpg", &image), ("thumb.jpg", &thumb)],
    );
    cut.truncate(cut.len() - 20_000);
    let wrong_boundary = related(
        "other",
        &doc,
        &[("image.jpg", &image), ("thumb.jpg", &thumb)],
    );
    for body in [&swapped, &one_part, &cut, &wrong_boundary] {
        let (status, _, answer) = h.raw("PUT", &path, "a", &headers, body);
        assert_eq!(status, 400, "{}", String::from_utf8_lossy(&answer));
    }
    let (status, _, _) = h.raw(
        "PUT",
        &path,
        "a",
        &[("Content-Type", "multipart/related")],
        &swapped,
    );
    assert_eq!(status, 400);
    assert_eq!(blob_rows(&h), 0);
    assert_eq!(h.get(&format!("{}/{PHOTO}", db("330101")), "a").status, 404);
    // The real thing: binary, within 1.05 × the photo's bytes on the wire.
    let body = related(
        "7b1f0c",
        &doc,
        &[("image.jpg", &image), ("thumb.jpg", &thumb)],
    );
    let photo = (image.len() + thumb.len()) as f64;
    assert!(
        body.len() as f64 <= 1.05 * photo,
        "{} bytes for {photo}",
        body.len()
    );
    let (status, _, answer) = h.raw("PUT", &path, "a", &headers, &body);
    assert_eq!(status, 201, "{}", String::from_utf8_lossy(&answer));
    assert_eq!(blob_rows(&h), 2);
    // Sent again (a resumed push): nothing changes.
    let seq = h.get(&db("330101"), "a").body["update_seq"].clone();
    assert_eq!(h.raw("PUT", &path, "a", &headers, &body).0, 201);
    assert_eq!(h.get(&db("330101"), "a").body["update_seq"], seq);
    // And back as multipart/related when asked (CouchDB's replicator asks so).
    let (status, headers, answer) = h.raw(
        "GET",
        &format!("{}/{PHOTO}?attachments=true&revs=true", db("330101")),
        "a",
        &[("Accept", "multipart/related")],
        b"",
    );
    assert_eq!(status, 200);
    let ctype = headers
        .iter()
        .find(|(k, _)| k == "content-type")
        .map(|(_, v)| v.clone())
        .unwrap();
    let boundary = ctype
        .split("boundary=\"")
        .nth(1)
        .unwrap()
        .trim_end_matches('"');
    let back = hub::couch::multipart::parse(boundary, &answer).unwrap();
    assert_eq!(back.order, ["image.jpg", "thumb.jpg"]);
    assert_eq!(back.parts, [image.clone(), thumb.clone()]);
    assert_eq!(back.doc["_attachments"]["image.jpg"]["follows"], true);
    assert_eq!(back.doc["_revisions"]["start"], 1);
}

#[test]
fn check_finds_a_corrupted_blob() {
    let h = start();
    let path = format!("{}/{PHOTO}", db("330101"));
    assert_eq!(
        h.put(&path, "a", &photo_doc(b"image", b"thumb")).status,
        201
    );
    assert_eq!(h.hub.store.integrity_check().unwrap(), Ok(()));
    h.hub
        .store
        .write_blocking(|tx| {
            tx.execute(
                "UPDATE blobs SET data = X'00' WHERE digest = ?1",
                [digest(b"thumb")],
            )
            .map_err(hub::store::StoreError::from)
        })
        .unwrap();
    let problems = h.hub.store.integrity_check().unwrap().unwrap_err();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains(&digest(b"thumb")), "{problems:?}");
    h.hub
        .store
        .write_blocking(|tx| {
            tx.execute("DELETE FROM blobs", [])
                .map_err(hub::store::StoreError::from)
        })
        .unwrap();
    let problems = h.hub.store.integrity_check().unwrap().unwrap_err();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems.iter().all(|p| p.contains("not stored")),
        "{problems:?}"
    );
}

#[test]
fn importing_a_file_with_photos_checks_every_digest_first_and_twice_changes_nothing() {
    let h = start();
    let (image, thumb) = (jpeg(11, 30_000), jpeg(12, 2_000));
    let hash = "d".repeat(32);
    let photo = |image_data: &str| {
        json!({"_id": PHOTO, "_rev": format!("1-{hash}"), "_revisions": {"start": 1, "ids": [hash]},
            "type": "photo", "station": "330101", "activity_id": "activity:0190a0b0-0000-7000-8000-000000000001",
            "taken_at": "2026-11-18T19:40:00+08:00", "created_at": "2026-11-18T20:00:00+08:00",
            "updated_at": "2026-11-18T20:00:00+08:00", "_attachments": {
                "image.jpg": {"content_type": "image/jpeg", "digest": digest(&image), "length": image.len(),
                              "revpos": 1, "data": image_data},
                "thumb.jpg": {"content_type": "image/jpeg", "digest": digest(&thumb), "length": thumb.len(),
                              "revpos": 1, "data": encode(&thumb)}}})
    };
    let file = |doc: Value| {
        json!({"format": "yehua-export", "version": 1, "exported_at": "2026-11-20T21:00:00+08:00",
            "app_version": "0.1.0", "station": "330101", "range": {"from": null, "until": null},
            "types": ["photo"], "docs": [doc]})
    };
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.json");
    let bad = dir.path().join("bad.json");
    std::fs::write(&good, file(photo(&encode(&image))).to_string()).unwrap();
    std::fs::write(&bad, file(photo(&encode(&image[1..]))).to_string()).unwrap();
    // A corrupted file beside a good one: refused before either is written.
    let refused = hub::import::import_files(&h.hub.store, &[good.clone(), bad]).unwrap_err();
    assert!(refused.to_string().contains("attachment"), "{refused}");
    assert_eq!(blob_rows(&h), 0);
    let reports = hub::import::import_files(&h.hub.store, std::slice::from_ref(&good)).unwrap();
    assert_eq!(reports[0].report.new, 1);
    assert_eq!(blob_rows(&h), 2);
    let (_, _, bytes) = h.raw(
        "GET",
        &format!("{}/{PHOTO}/image.jpg", db("330101")),
        "a",
        &[],
        b"",
    );
    assert_eq!(bytes, image);
    let again = hub::import::import_files(&h.hub.store, &[good]).unwrap();
    assert_eq!((again[0].report.unchanged, again[0].report.new), (1, 0));
    assert_eq!(blob_rows(&h), 2);
    assert_eq!(h.hub.store.integrity_check().unwrap(), Ok(()));
}
