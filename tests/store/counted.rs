//! Schema 7: attendance keyed once per key and pack (`model::pack::COUNTED`), and the
//! upgrade of a database as schema 6 wrote it (packs without the counted arrays, the two
//! attendance indexes with an entry per record).

use super::fresh;
use couch::DocRecord;
use model::pack::Pack;
use serde_json::json;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;
use yehua::store::{Relation, Store};

#[wasm_bindgen::prelude::wasm_bindgen(inline_js = r#"
function opened(name) {
  return new Promise((ok, fail) => {
    const open = indexedDB.open(name);
    open.onerror = () => fail(open.error);
    open.onsuccess = () => ok(open.result);
  });
}
export async function write_v6_packs(name, packs) {
  const db = await opened(name);
  await new Promise((ok, fail) => {
    const tx = db.transaction(['packs', 'pack_seqs'], 'readwrite');
    for (const [key, meta, body, seqs] of packs) {
      const value = JSON.parse(meta);
      value.body = body;
      tx.objectStore('packs').put(value, key);
      tx.objectStore('pack_seqs').put(seqs, key);
    }
    tx.oncomplete = ok;
    tx.onerror = () => fail(tx.error);
  });
  db.close();
}
export async function pack_indexes(name) {
  const db = await opened(name);
  const names = [...db.transaction('packs').objectStore('packs').indexNames];
  db.close();
  return names.join(',');
}
export async function index_entries(name, index) {
  const db = await opened(name);
  const n = await new Promise((ok, fail) => {
    const r = db.transaction('packs').objectStore('packs').index(index).count();
    r.onsuccess = () => ok(r.result);
    r.onerror = () => fail(r.error);
  });
  db.close();
  return n;
}"#)]
extern "C" {
    fn write_v6_packs(name: &str, packs: JsValue) -> js_sys::Promise;
    fn pack_indexes(name: &str) -> js_sys::Promise;
    fn index_entries(name: &str, index: &str) -> js_sys::Promise;
}

async fn wait(p: js_sys::Promise) -> JsValue {
    wasm_bindgen_futures::JsFuture::from(p).await.unwrap()
}

/// 250 attendance records of `activity:x` by seven volunteers, 30 of `activity:y`, and
/// a concern, at sequences 1…281.
fn records() -> Vec<DocRecord> {
    let mut out = Vec::new();
    for n in 0..280u32 {
        let activity = if n < 250 { "activity:x" } else { "activity:y" };
        let id = format!("attendance:{activity}:{n:04}");
        let mut record = DocRecord::new(id.clone());
        record
            .update(
                json!({"_id": id, "type": "attendance", "activity_id": activity,
                "volunteer_id": format!("volunteer:{}", n % 7), "hours": 2}),
            )
            .unwrap();
        out.push(record);
    }
    let mut concern = DocRecord::new("concern:c".into());
    concern
        .update(
            json!({"_id": "concern:c", "type": "concern", "activity_id": "activity:x",
            "status": "open", "text": "路灯坏了"}),
        )
        .unwrap();
    out.push(concern);
    out
}

/// Volunteer `v`'s attendance among [`records`].
fn of_volunteer(v: u32) -> u32 {
    (0..280).filter(|n| n % 7 == v).count() as u32
}

async fn check_relations(store: &Store) {
    let x = store
        .related(Relation::AttendanceByActivity, "activity:x", u32::MAX)
        .await
        .unwrap();
    assert_eq!(x.len(), 250);
    assert!(
        x.windows(2)
            .all(|w| w[0]["_id"].as_str() < w[1]["_id"].as_str()),
        "by id"
    );
    assert_eq!(
        store
            .related(Relation::AttendanceByActivity, "activity:x", 10)
            .await
            .unwrap(),
        x[..10],
        "a limit keeps the first by id"
    );
    for (activity, n) in [("activity:x", 250), ("activity:y", 30), ("activity:z", 0)] {
        let count = store
            .count_related(Relation::AttendanceByActivity, activity)
            .await;
        assert_eq!(count.unwrap(), n, "{activity}");
    }
    for v in 0..7 {
        let key = format!("volunteer:{v}");
        let count = store
            .count_related(Relation::AttendanceByVolunteer, &key)
            .await;
        assert_eq!(count.unwrap(), of_volunteer(v), "{key}");
        let listed = store
            .related(Relation::AttendanceByVolunteer, &key, u32::MAX)
            .await;
        assert!(listed
            .unwrap()
            .iter()
            .all(|d| d["volunteer_id"] == key.as_str()));
    }
    assert_eq!(
        store
            .count_related(Relation::ConcernsByActivity, "activity:x")
            .await
            .unwrap(),
        1
    );
}

/// A write keys attendance once per key and pack: 280 records of two activities in three
/// packs make at most six `p_ka` entries, and the counts and listings are exact — also
/// after records move between packs and one is deleted.
#[wasm_bindgen_test]
async fn attendance_is_counted_and_listed_through_one_entry_per_key_and_pack() {
    let name = "t_counted";
    let store = fresh(name).await;
    let docs: Vec<_> = records().iter().filter_map(|r| r.winner_doc()).collect();
    let docs: Vec<_> = docs
        .into_iter()
        .map(|mut d| {
            d.as_object_mut().unwrap().remove("_rev");
            d
        })
        .collect();
    for r in store.bulk_put(docs).await.unwrap() {
        r.unwrap();
    }
    check_relations(&store).await;
    let ka = wait(index_entries(name, "p_ka")).await.as_f64().unwrap();
    assert!(
        ka <= 6.0,
        "one entry per activity and pack, not per record: {ka}"
    );
    // An edit moves a record to the newest pack; a deletion leaves the counts.
    let moved = store.get("attendance:activity:x:0000").await.unwrap();
    let mut edit = moved.clone();
    edit["hours"] = json!(3);
    store.put(edit).await.unwrap();
    let gone = store.get("attendance:activity:x:0001").await.unwrap();
    let rev: couch::RevId = gone["_rev"].as_str().unwrap().parse().unwrap();
    store
        .delete("attendance:activity:x:0001", &rev)
        .await
        .unwrap();
    let count = store
        .count_related(Relation::AttendanceByActivity, "activity:x")
        .await;
    assert_eq!(count.unwrap(), 249);
    let listed = store
        .related(Relation::AttendanceByActivity, "activity:x", u32::MAX)
        .await;
    assert_eq!(listed.unwrap().len(), 249);
    let count = store
        .count_related(Relation::AttendanceByVolunteer, "volunteer:1")
        .await;
    assert_eq!(count.unwrap(), of_volunteer(1) - 1);
    store.close();
}

/// A database as schema 6 wrote it — packs without the counted arrays, attendance in
/// `p_aa` / `p_av` with an entry per record — opens at today's schema: the two indexes
/// are replaced, every pack carries its counted arrays, and every record, relation and
/// count reads as before.
#[wasm_bindgen_test]
async fn a_schema_6_database_upgrades_to_counted_attendance() {
    let name = "t_upgrade_counted";
    Store::delete_database(name).await.unwrap();
    Store::open_named(name, 6).await.unwrap().close();
    let indexes = wait(pack_indexes(name)).await.as_string().unwrap();
    assert!(indexes.contains("p_aa") && indexes.contains("p_av") && !indexes.contains("p_ka"));
    let records = records();
    let stored = js_sys::Array::new();
    for (p, part) in records.chunks(100).enumerate() {
        let mut pack = Pack::default();
        let first = (p * 100 + 1) as u64;
        for (i, record) in part.iter().enumerate() {
            pack.push_record(record, first + i as u64, None);
        }
        // What schema 6 stored: the pack's own fields, no counted arrays.
        let meta = serde_json::to_string(&pack).unwrap();
        assert!(!meta.contains("\"ka\""));
        let seqs: js_sys::Array = pack
            .sq
            .iter()
            .map(|s| JsValue::from_f64(*s as f64))
            .collect();
        let body = js_sys::Uint8Array::from(pack.body());
        let entry = js_sys::Array::of4(&(first as f64).into(), &meta.into(), &body, &seqs);
        stored.push(&entry);
    }
    wait(write_v6_packs(name, stored.into())).await;

    let store = Store::open_named(name, yehua::store::SCHEMA_VERSION)
        .await
        .unwrap();
    let indexes = wait(pack_indexes(name)).await.as_string().unwrap();
    assert!(
        !indexes.contains("p_aa") && !indexes.contains("p_av"),
        "{indexes}"
    );
    assert!(
        indexes.contains("p_ka") && indexes.contains("p_kv"),
        "{indexes}"
    );
    for record in &records {
        assert_eq!(
            store.get_record(&record.id).await.unwrap().as_ref(),
            Some(record)
        );
    }
    let feed = store.changes_since(0, 1000).await.unwrap();
    let seen: Vec<(u64, &str)> = feed.iter().map(|c| (c.seq, c.record.id.as_str())).collect();
    let written: Vec<(u64, &str)> = records
        .iter()
        .enumerate()
        .map(|(i, r)| (i as u64 + 1, r.id.as_str()))
        .collect();
    assert_eq!(seen, written, "the feed as it was");
    check_relations(&store).await;
    store.close();
}
