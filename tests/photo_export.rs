//! Browser tests of 导出 with 含照片 (`records::exchange::export_file`) against real
//! IndexedDB: the photos' bytes are read from the store's blobs and put inline, equal to
//! the stored bytes; a photo whose full image is not on the phone (only its thumbnail), or
//! whose stored bytes no longer match their digest, is left out whole and counted; the
//! file always passes the importer; without 含照片 no photo is in the file.
#![cfg(target_arch = "wasm32")]

use serde_json::{json, Value};
use wasm_bindgen_test::*;
use yehua::pwa::photo::{bytes, jpeg};
use yehua::records::exchange::{export_file, filter, read_all};
use yehua::store::{BlobPut, Store};

wasm_bindgen_test_configure!(run_in_browser);

const STATION: &str = "330106001";
const AT: &str = "2026-11-20T21:00:00+08:00";
const FORUM: &str = "activity:0190a0b0-0000-7000-8000-000000000001";

async fn fresh(name: &str) -> Store {
    Store::delete_database(name).await.unwrap();
    Store::open_named(name, yehua::store::SCHEMA_VERSION)
        .await
        .unwrap()
}

/// Bytes that look like a JPEG and differ by `seed`.
fn jpeg_bytes(seed: u8, len: usize) -> Vec<u8> {
    let mut v = vec![0xff, 0xd8, 0xff, 0xe0];
    v.extend((0..len).map(|i| (i as u8).wrapping_mul(29).wrapping_add(seed)));
    v.extend([0xff, 0xd9]);
    v
}

fn digest(b: &[u8]) -> String {
    couch::attachment::digest(b)
}

/// A photo of the forum as `records::photos` writes it.
fn photo_doc(n: u8, image: &[u8], thumb: &[u8]) -> Value {
    let stub =
        |b: &[u8]| json!({"content_type": "image/jpeg", "digest": digest(b), "length": b.len()});
    json!({"_id": format!("photo:0190a0b0-0000-7000-8000-0000000000{n:02}"), "type": "photo",
        "station": STATION, "activity_id": FORUM, "taken_at": "2026-11-18T19:40:00+08:00",
        "created_at": "2026-11-18T20:00:00+08:00", "updated_at": "2026-11-18T20:00:00+08:00",
        "_attachments": {"image.jpg": stub(image), "thumb.jpg": stub(thumb)}})
}

/// Stores photo `n`; `stored` are the bytes actually kept under each digest (normally the
/// same bytes).
async fn add_photo(store: &Store, n: u8, image: &[u8], thumb: &[u8], stored: [&[u8]; 2]) {
    let blobs = [(image, stored[0]), (thumb, stored[1])]
        .into_iter()
        .map(|(named, kept)| BlobPut {
            digest: digest(named),
            blob: jpeg(kept).unwrap(),
        })
        .collect();
    store
        .put_with_blobs(photo_doc(n, image, thumb), blobs)
        .await
        .unwrap();
}

fn decoded(data: &Value) -> Vec<u8> {
    let mut doc = json!({"_attachments": {"x": {"data": data}}});
    couch::attachment::take_inline(&mut doc)
        .unwrap()
        .remove(0)
        .bytes
}

#[wasm_bindgen_test]
async fn photos_go_inline_from_the_stores_blobs_and_a_photo_without_its_full_image_stays_out() {
    let store = fresh("t_photo_export").await;
    store
        .put(json!({"_id": FORUM, "type": "activity", "station": STATION,
            "kind": "evening_forum", "title": "照片夜话", "start": "2026-11-18T19:30:00+08:00"}))
        .await
        .unwrap();
    let pics: Vec<Vec<u8>> = (0..8u8)
        .map(|i| jpeg_bytes(i, if i % 2 == 0 { 240_000 } else { 18_000 }))
        .collect();
    for n in 0..3u8 {
        let (image, thumb) = (&pics[2 * n as usize], &pics[2 * n as usize + 1]);
        add_photo(&store, n + 1, image, thumb, [image, thumb]).await;
    }
    // Photo 2's full image dropped (释放照片空间): only its thumbnail is here.
    store.drop_blobs(&[digest(&pics[2])]).await.unwrap();
    // Photo 4's full image was damaged on the phone: other bytes under its digest.
    add_photo(&store, 4, &pics[6], &pics[7], [&pics[0], &pics[7]]).await;

    let records = read_all(&store, &|_, _| {}).await.unwrap();
    let with = filter("", "", &[], true);
    let made = export_file(&store, &records, STATION, &with, AT)
        .await
        .unwrap();
    assert_eq!(made.photos_left_out, 2, "photos 2 and 4");
    let file = exchange::parse(&made.bytes).expect("the importer accepts the file");
    assert_eq!(made.count, file.docs.len());
    assert!(file.types.iter().any(|t| t == "photo"));
    let photos: Vec<&Value> = file.docs.iter().filter(|d| d["type"] == "photo").collect();
    let ids: Vec<&str> = photos.iter().map(|d| d["_id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "photo:0190a0b0-0000-7000-8000-000000000001",
            "photo:0190a0b0-0000-7000-8000-000000000003"
        ]
    );
    for doc in photos {
        for name in ["image.jpg", "thumb.jpg"] {
            let att = &doc["_attachments"][name];
            let d = att["digest"].as_str().unwrap();
            let kept = bytes(&store.get_blob(d).await.unwrap().unwrap())
                .await
                .unwrap();
            assert_eq!(decoded(&att["data"]), kept, "{} {name}", doc["_id"]);
            assert_eq!(att["length"], json!(kept.len()));
        }
    }
    assert!(file.docs.iter().any(|d| d["_id"] == FORUM));

    // Without 含照片: no photo, nothing left out, and no bytes in the file.
    let without = filter("", "", &[], false);
    let plain = export_file(&store, &records, STATION, &without, AT)
        .await
        .unwrap();
    let file = exchange::parse(&plain.bytes).unwrap();
    assert_eq!(plain.photos_left_out, 0);
    assert!(file.docs.iter().all(|d| d["type"] != "photo"));
    assert!(!file.types.iter().any(|t| t == "photo"));
    assert!(plain.bytes.len() < made.bytes.len() / 10);
}
