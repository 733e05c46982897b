//! A pack's JavaScript value (schema 6, `model::pack`): its fields as JavaScript values
//! (one `JSON.parse` of text serialized in Rust; one `JSON.stringify` back), its records a
//! `Uint8Array` of UTF-8 JSON copied in and out as bytes — a few crossings per pack, none
//! per field, and no record is decoded into a JavaScript string. Reading packs by key, and
//! [`Stored`], one document taken out of a pack without decoding the rest.
//!
//! Owns the conversion only: which packs to read and how documents move between them is
//! `packs.rs`; it never opens a transaction.

use super::StoreError;
use couch::DocRecord;
use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use model::pack::{Pack, META_FIELDS};
use std::collections::BTreeMap;
use wasm_bindgen::{JsCast, JsValue};

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

/// A pack's JavaScript value: its fields (and its counted arrays, `Pack::stored`) parsed
/// once from text serialized in Rust, and its records' bytes copied into a `Uint8Array` (`body`) — no string decoding, no parsing.
pub(super) fn to_js(pack: &Pack) -> Result<JsValue, StoreError> {
    let meta = serde_json::to_string(&pack.stored()).map_err(corrupt)?;
    let value = js_sys::JSON::parse(&meta).map_err(StoreError::from_js)?;
    let body = js_sys::Uint8Array::from(pack.body());
    js_sys::Reflect::set(&value, &JsValue::from_str("body"), &body).map_err(StoreError::from_js)?;
    Ok(value)
}

/// A pack's `pack_seqs` value: its documents' sequences, ascending, as a JavaScript array
/// (what the write path and migration 6 both put beside the pack).
pub(super) fn seqs_js(pack: &Pack) -> JsValue {
    // One copy into a typed array and one `Array.from`, not a crossing per sequence.
    let seqs: Vec<f64> = pack.sq.iter().map(|s| *s as f64).collect();
    js_sys::Array::from(&js_sys::Float64Array::from(seqs.as_slice())).into()
}

/// The fields `JSON.stringify` keeps of a stored pack (all but `body`).
fn meta_fields() -> js_sys::Array {
    META_FIELDS.iter().map(|f| JsValue::from_str(f)).collect()
}

fn body_of(value: &JsValue) -> js_sys::Uint8Array {
    js_sys::Reflect::get(value, &JsValue::from_str("body"))
        .ok()
        .and_then(|b| b.dyn_into::<js_sys::Uint8Array>().ok())
        .unwrap_or_else(|| js_sys::Uint8Array::new_with_length(0))
}

/// A stored pack back in Rust: its fields stringified once in JavaScript and parsed by
/// `serde_json`, its records' bytes copied out; refused if they disagree.
pub(super) fn from_js(value: &JsValue) -> Result<Pack, StoreError> {
    let meta = js_sys::JSON::stringify_with_replacer(value, &meta_fields())
        .map_err(StoreError::from_js)?;
    Pack::decode(&String::from(meta), body_of(value).to_vec()).map_err(corrupt)
}

/// A pack as read, still a JavaScript value: one document is taken out of it (its
/// position by `indexOf`, its record text, its sequence) without decoding the other 99.
pub(super) struct Stored(JsValue);

impl Stored {
    /// A pack value as IndexedDB handed it out.
    pub(super) fn new(value: JsValue) -> Self {
        Self(value)
    }

    fn array(&self, field: &str) -> js_sys::Array {
        js_sys::Reflect::get(&self.0, &JsValue::from_str(field))
            .map(JsValue::unchecked_into)
            .unwrap_or_default()
    }

    /// Where `id` is in the pack.
    pub(super) fn position(&self, id: &str) -> Option<u32> {
        let i = self.array("ids").index_of(&JsValue::from_str(id), 0);
        u32::try_from(i).ok()
    }

    /// The pack's `[type, sort time, id]` keys (`tu`, live documents only): the field
    /// stringified once in JavaScript and parsed by `serde_json`.
    pub(super) fn type_keys(&self) -> Result<Vec<[String; 3]>, StoreError> {
        let keys =
            js_sys::Reflect::get(&self.0, &JsValue::from_str("tu")).map_err(StoreError::from_js)?;
        if keys.is_undefined() {
            return Ok(Vec::new());
        }
        let text = js_sys::JSON::stringify(&keys).map_err(StoreError::from_js)?;
        serde_json::from_str(&String::from(text)).map_err(corrupt)
    }

    /// The sequence of the document at `i`.
    pub(super) fn seq(&self, i: u32) -> u64 {
        self.array("sq").get(i).as_f64().unwrap_or_default() as u64
    }

    /// The record of the document at `i`: only its bytes are copied out of the pack.
    pub(super) fn record(&self, i: u32) -> Result<DocRecord, StoreError> {
        let ends = self.array("ends");
        let end = ends.get(i).as_f64().unwrap_or_default() as u32;
        let start = match i {
            0 => 0,
            _ => ends.get(i - 1).as_f64().unwrap_or_default() as u32,
        };
        let bytes = body_of(&self.0).subarray(start, end.max(start)).to_vec();
        serde_json::from_slice(&bytes).map_err(|e| {
            let id = self.array("ids").get(i).as_string().unwrap_or_default();
            StoreError::Corrupt(format!("{id}: {e}"))
        })
    }

    /// The winning document at `i` (a live one: listings only reach live entries).
    pub(super) fn winner(&self, i: u32) -> Result<serde_json::Value, StoreError> {
        winner(&self.record(i)?)
    }
}

/// Reads the packs `keys` as they are stored (all requests issued before the first is
/// awaited).
pub(super) async fn load_stored(
    store: &ObjectStore<'_>,
    keys: impl IntoIterator<Item = u64>,
) -> Result<BTreeMap<u64, Stored>, StoreError> {
    let mut pending = Vec::new();
    for key in keys {
        pending.push((key, store.get::<JsValue, _, _>(key as f64).primitive()?));
    }
    let mut out = BTreeMap::new();
    for (key, request) in pending {
        if let Some(value) = request.await? {
            out.insert(key, Stored(value));
        }
    }
    Ok(out)
}

/// Decodes the record at `i` of `pack`.
pub(super) fn record_at(pack: &Pack, i: usize) -> Result<DocRecord, StoreError> {
    pack.record(i)
        .map_err(|e| StoreError::Corrupt(format!("{}: {e}", pack.ids[i])))
}

/// The winning document at `i` of `pack` (a live one: listings only reach live entries).
pub(super) fn winner_at(pack: &Pack, i: usize) -> Result<serde_json::Value, StoreError> {
    winner(&record_at(pack, i)?)
}

/// The winning document of a record a listing reached (live: it has a winner).
fn winner(record: &DocRecord) -> Result<serde_json::Value, StoreError> {
    record
        .winner_doc()
        .ok_or_else(|| StoreError::Corrupt(format!("{} has no winner", record.id)))
}

/// Reads the packs `keys`, decoded (all requests issued before the first is awaited).
pub(super) async fn load(
    store: &ObjectStore<'_>,
    keys: impl IntoIterator<Item = u64>,
) -> Result<BTreeMap<u64, Pack>, StoreError> {
    load_stored(store, keys)
        .await?
        .into_iter()
        .map(|(key, stored)| Ok((key, from_js(&stored.0)?)))
        .collect()
}
