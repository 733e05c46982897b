//! The database schema and its numbered migrations.
//!
//! Owns object-store and index creation. Each migration `n` takes a database at version
//! `n - 1` to version `n`, and they run in order inside the browser's versionchange
//! transaction, so an upgrade is all-or-nothing. Migrations are applied through raw
//! `web_sys` because `indexed_db_futures` 0.6 does not expose the versionchange
//! transaction, which adding an index to an existing store needs; everything else in the
//! store uses `indexed_db_futures`.
//!
//! Invariant: a migration never rewrites or drops documents; it adds structure, and
//! drops only an index another one replaces (version 7: nothing of a document is in one).

use model::pack::{Pack, COUNTED};
use model::row::DocRow;
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use web_sys::{IdbDatabase, IdbIndexParameters, IdbObjectStore, IdbTransaction};

/// The app's database name.
pub const DB_NAME: &str = "yehua";
/// The newest schema version this build knows.
pub const SCHEMA_VERSION: u32 = 7;

/// Documents as schemas 1–5 kept them, one row per document id (`model::row`). Since
/// schema 6 documents live in [`PACKS`]; version 6 copies every row there, and this store
/// is kept as it was (migrations only add), never written or read again.
pub(crate) const DOCS: &str = "docs";
/// Documents since schema 6: up to `model::pack::PACK_CAP` per value (`model::pack`),
/// out-of-line key = the sequence of the pack's first document when it was made.
pub(crate) const PACKS: &str = "packs";
/// Beside each pack (same key): its documents' sequences, ascending — the change feed's
/// counts and cuts without reading records.
pub(crate) const PACK_SEQS: &str = "pack_seqs";
/// The `packs` index on document ids (multiEntry over `ids`).
pub(crate) const P_ID: &str = "p_id";
/// The `packs` index on `[type, sort time, id]` of live documents (multiEntry over `tu`).
pub(crate) const P_TU: &str = "p_tu";
/// The `packs` index on `[type, id]` of live conflicted documents (multiEntry over `cf`).
pub(crate) const P_CF: &str = "p_cf";
/// The `packs` relation indexes version 6 made: `(index, key path)`, each over `[key, id]`
/// pairs. Version 7 drops the first two (attendance), keyed since by [`P_COUNTED`].
pub(crate) const P_RELATIONS: [(&str, &str); 6] = [
    ("p_aa", "aa"),
    ("p_av", "av"),
    ("p_ca", "ca"),
    ("p_cs", "cs"),
    ("p_rs", "rs"),
    ("p_pa", "pa"),
];
/// The `packs` indexes of attendance since version 7: `(index, key path)`, each over the
/// pack's counted `[key, n]` array (`model::pack::COUNTED`): one entry per key and pack.
pub(crate) const P_COUNTED: [(&str, &str); 2] = [("p_ka", COUNTED[0].1), ("p_kv", COUNTED[1].1)];
/// The local change sequence as schemas 1–4 kept it: key = seq, value = doc id. Since
/// schema 5 the feed is the `seq` index of `docs` (every row carries its last local seq);
/// this store is kept, as migrations only add, but no longer written or read.
pub(crate) const CHANGES: &str = "changes";
/// Local-only records (settings, drafts, checkpoints): key = string, value = JSON text.
pub(crate) const LOCAL: &str = "local";
/// Attachment bytes (schema v4): key = CouchDB digest (`md5-…`), value = a `Blob`. One
/// entry per digest, shared by every revision and document that names it.
pub(crate) const BLOBS: &str = "blobs";

/// One schema step: `(version it produces, what it does)`.
type Migration = (
    u32,
    fn(&IdbDatabase, &IdbTransaction) -> Result<(), JsValue>,
);

const MIGRATIONS: &[Migration] = &[
    (1, v1_base_stores),
    (2, v2_relation_indexes),
    (3, v3_conflicted_index),
    (4, v4_blobs_and_photo_index),
    (5, v5_seq_index),
    (6, v6_packs),
    (7, v7_counted_attendance),
];

/// Version 1: the three stores, and documents by type and by type + updated time.
fn v1_base_stores(db: &IdbDatabase, _tx: &IdbTransaction) -> Result<(), JsValue> {
    let params = web_sys::IdbObjectStoreParameters::new();
    params.set_key_path(&JsValue::from_str("id"));
    let docs = db.create_object_store_with_optional_parameters(DOCS, &params)?;
    index(&docs, "type", &JsValue::from_str("t"))?;
    let compound = js_sys::Array::of3(&"t".into(), &"u".into(), &"id".into());
    index(&docs, "type_updated", &compound)?;
    db.create_object_store(CHANGES)?;
    db.create_object_store(LOCAL)?;
    Ok(())
}

/// Version 2: relation indexes (sparse: only rows that carry the field are indexed).
fn v2_relation_indexes(_db: &IdbDatabase, tx: &IdbTransaction) -> Result<(), JsValue> {
    let docs = tx.object_store(DOCS)?;
    for (name, path) in [
        ("attendance_activity", "aa"),
        ("attendance_volunteer", "av"),
        ("concern_activity", "ca"),
        ("concern_status", "cs"),
        ("response_survey", "rs"),
    ] {
        index(&docs, name, &JsValue::from_str(path))?;
    }
    Ok(())
}

/// Version 3: the `conflicted` index (`cf`), filled for rows written before it existed:
/// a cursor walks the rows and adds `cf` where the record has conflicting live leaves.
/// The record itself (`rec`) is not touched.
fn v3_conflicted_index(_db: &IdbDatabase, tx: &IdbTransaction) -> Result<(), JsValue> {
    let docs = tx.object_store(DOCS)?;
    index(&docs, "conflicted", &JsValue::from_str("cf"))?;
    refill_keys(&docs, |row| row.cf.is_some())
}

/// Version 4: the `blobs` store (attachment bytes by digest, out-of-line keys) and the
/// sparse `photo_of` index (`pa`: the activity or concern a live photo shows), filled for
/// photo rows an older build stored (pulled before it knew photos).
fn v4_blobs_and_photo_index(db: &IdbDatabase, tx: &IdbTransaction) -> Result<(), JsValue> {
    db.create_object_store(BLOBS)?;
    let docs = tx.object_store(DOCS)?;
    index(&docs, "photo_of", &JsValue::from_str("pa"))?;
    refill_keys(&docs, |row| row.pa.is_some())
}

/// Walks every row with a cursor and rewrites the rows whose recomputed index keys
/// `changed` says gained a key. The record itself (`rec`) is not touched.
fn refill_keys(docs: &IdbObjectStore, changed: fn(&DocRow) -> bool) -> Result<(), JsValue> {
    let request = docs.open_cursor()?;
    let req = request.clone();
    let on_row = Closure::<dyn FnMut()>::new(move || {
        let Ok(cursor) = req.result() else { return };
        let Some(cursor) = cursor.dyn_ref::<web_sys::IdbCursorWithValue>() else {
            return; // the walk is over
        };
        let value = cursor.value().unwrap_or(JsValue::NULL);
        if let Ok(row) = serde_wasm_bindgen::from_value::<DocRow>(value) {
            if let Ok(record) = row.record() {
                let fixed = DocRow::from_record(&record, row.seq as u64);
                if changed(&fixed) {
                    let ser = serde_wasm_bindgen::Serializer::json_compatible();
                    if let Ok(v) = serde::Serialize::serialize(&fixed, &ser) {
                        cursor.update(&v).ok();
                    }
                }
            }
        }
        cursor.continue_().ok();
    });
    request.set_onsuccess(Some(on_row.as_ref().unchecked_ref()));
    // Lives as long as the upgrade transaction: one closure per migration run.
    on_row.forget();
    Ok(())
}

/// Version 5: the change feed as an index of `docs` on each row's last local sequence
/// (`seq`, which every row has always carried), so a write puts one record per document
/// instead of two and the push reads a batch of the feed in one request. Rows written
/// before are indexed by the browser as the index is created; nothing is rewritten.
fn v5_seq_index(_db: &IdbDatabase, tx: &IdbTransaction) -> Result<(), JsValue> {
    index(&tx.object_store(DOCS)?, SEQ, &JsValue::from_str("seq"))
}

/// Version 6: documents in packs (`model::pack`). Creates `packs` with its multiEntry
/// indexes and `pack_seqs`, then copies every `docs` row into packs in sequence order, the
/// index keys recomputed from each record (so a row an earlier step of the same upgrade is
/// still refilling is copied right). `docs` itself is not touched.
fn v6_packs(db: &IdbDatabase, tx: &IdbTransaction) -> Result<(), JsValue> {
    let packs = db.create_object_store(PACKS)?;
    multi_entry(&packs, P_ID, "ids")?;
    multi_entry(&packs, P_TU, "tu")?;
    multi_entry(&packs, P_CF, "cf")?;
    for (name, path) in P_RELATIONS {
        multi_entry(&packs, name, path)?;
    }
    let seqs = db.create_object_store(PACK_SEQS)?;
    let request = tx.object_store(DOCS)?.index(SEQ)?.open_cursor()?;
    let (req, tx) = (request.clone(), tx.clone());
    let mut pack = Pack::default();
    let on_row = Closure::<dyn FnMut()>::new(move || {
        let cursor = req
            .result()
            .ok()
            .and_then(|c| c.dyn_into::<web_sys::IdbCursorWithValue>().ok());
        if let Some(c) = &cursor {
            match c.value().map(serde_wasm_bindgen::from_value::<DocRow>) {
                // Keys recomputed from the record; a record that does not read is copied
                // as it was (its reads say it is damaged, as they did before).
                Ok(Ok(row)) => pack.push(match row.record() {
                    Ok(record) => DocRow::from_record(&record, row.seq as u64),
                    Err(_) => row,
                }),
                _ => return give_up(&tx, 6, "a docs row is not a row"),
            }
        }
        if (cursor.is_none() && !pack.is_empty()) || !pack.has_room() {
            let full = std::mem::take(&mut pack);
            let key = JsValue::from_f64(full.sq[0] as f64);
            let sq = super::packs::seqs_js(&full);
            let put = super::packs::to_js(&full)
                .map_err(|e| JsValue::from_str(&e.to_string()))
                .and_then(|value| packs.put_with_key(&value, &key))
                .and_then(|_| seqs.put_with_key(&sq, &key));
            if put.is_err() {
                return give_up(&tx, 6, "a pack could not be written");
            }
        }
        if let Some(c) = cursor {
            c.continue_().ok();
        }
    });
    request.set_onsuccess(Some(on_row.as_ref().unchecked_ref()));
    // Lives as long as the upgrade transaction: one closure per migration run.
    on_row.forget();
    Ok(())
}

/// Version 7: attendance keyed once per key and pack. Its two relation indexes held one
/// entry per attendance record — the bulk of a station's documents —, which was most of
/// what a write cost IndexedDB; they are derived (nothing of a document is in an index),
/// so they are dropped, and `p_ka` / `p_kv` made over the counted arrays instead. Every
/// pack is rewritten to carry those arrays, its records' bytes and other fields as they
/// were; a pack that does not read is left as it is (its reads say it is damaged).
fn v7_counted_attendance(_db: &IdbDatabase, tx: &IdbTransaction) -> Result<(), JsValue> {
    let packs = tx.object_store(PACKS)?;
    for (name, _) in &P_RELATIONS[..2] {
        packs.delete_index(name)?;
    }
    for (name, path) in P_COUNTED {
        multi_entry(&packs, name, path)?;
    }
    let request = packs.open_cursor()?;
    let (req, tx) = (request.clone(), tx.clone());
    let on_pack = Closure::<dyn FnMut()>::new(move || {
        let Ok(cursor) = req.result() else { return };
        let Some(cursor) = cursor.dyn_ref::<web_sys::IdbCursorWithValue>() else {
            return; // the walk is over
        };
        let value = cursor.value().unwrap_or(JsValue::NULL);
        match super::packs::from_js(&value).and_then(|p| super::packs::to_js(&p)) {
            Ok(counted) => {
                if cursor.update(&counted).is_err() {
                    return give_up(&tx, 7, "a pack could not be written");
                }
            }
            Err(e) => web_sys::console::error_1(
                &format!("yehua: migration 7 left a pack as it was: {e}").into(),
            ),
        }
        cursor.continue_().ok();
    });
    request.set_onsuccess(Some(on_pack.as_ref().unchecked_ref()));
    // Lives as long as the upgrade transaction: one closure per migration run.
    on_pack.forget();
    Ok(())
}

/// Aborts the upgrade (all or nothing: the database stays at its old version).
fn give_up(tx: &IdbTransaction, version: u32, why: &str) {
    web_sys::console::error_1(&format!("yehua: migration {version} failed: {why}").into());
    tx.abort().ok();
}

fn multi_entry(store: &IdbObjectStore, name: &str, path: &str) -> Result<(), JsValue> {
    let params = IdbIndexParameters::new();
    params.set_unique(false);
    params.set_multi_entry(true);
    store.create_index_with_str_and_optional_parameters(name, path, &params)?;
    Ok(())
}

/// The `docs` index that is the local change feed.
pub(crate) const SEQ: &str = "seq";

fn index(store: &IdbObjectStore, name: &str, path: &JsValue) -> Result<(), JsValue> {
    let params = IdbIndexParameters::new();
    params.set_unique(false);
    store.create_index_with_str_sequence_and_optional_parameters(name, path, &params)?;
    Ok(())
}

/// Runs, in the versionchange transaction `tx` of `db`, every migration above `old` up to
/// `target`. A step that fails is logged and its error returned: the caller lets the
/// transaction abort, so the database stays at `old`.
pub(crate) fn upgrade(
    db: &IdbDatabase,
    tx: &IdbTransaction,
    old: u32,
    target: u32,
) -> Result<(), JsValue> {
    for (version, step) in MIGRATIONS {
        if *version > old && *version <= target {
            step(db, tx).inspect_err(|e| {
                web_sys::console::error_2(&"yehua: migration failed".into(), e);
            })?;
        }
    }
    Ok(())
}
