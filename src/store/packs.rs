//! The `packs` store (schema 6): where documents live, up to `model::pack::PACK_CAP` per
//! IndexedDB value (the layout and its invariants are `model::pack`'s `//!`).
//!
//! Owns which packs a read or a write touches (the JavaScript form of a pack is
//! `pack_js.rs`): `pack_seqs` beside each pack (its documents' sequences, so the change
//! feed is counted and cut without reading records), finding the packs that hold given ids
//! or index entries — and [`Packs`], the packs of one readwrite transaction: every write
//! puts a changed document on the newest pack and takes it out of its old one, so a
//! document is in exactly one pack. Decides nothing about revisions (`couch::DocRecord`)
//! and never commits (the caller's transaction does).

use super::schema::{PACKS, PACK_SEQS, P_ID};
use super::StoreError;
use couch::{DocRecord, Fresh};
use indexed_db_futures::cursor::CursorDirection;
use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::Transaction;
use indexed_db_futures::KeyRange;
use model::pack::Pack;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use wasm_bindgen::JsValue;

pub(super) use super::pack_js::{
    from_js, load, load_stored, record_at, seqs_js, to_js, winner_at, Stored,
};

/// Which pack holds each of `ids` (ids held nowhere are absent). An empty range answers
/// at once; otherwise one `getKey` of the id index per id, all issued together.
pub(super) async fn locate(
    store: &ObjectStore<'_>,
    ids: &[String],
) -> Result<HashMap<String, u64>, StoreError> {
    let named = ids.iter().filter(|i| !i.is_empty());
    let (Some(lo), Some(hi)) = (named.clone().min(), named.max()) else {
        return Ok(HashMap::new());
    };
    let index = store.index(P_ID)?;
    let any: Vec<f64> = index
        .get_all_keys::<f64>()
        .with_query::<String, _>(KeyRange::Bound(lo.clone(), false, hi.clone(), false))
        .with_limit(1)
        .primitive()?
        .await?
        .collect::<Result<_, _>>()?;
    if any.is_empty() {
        return Ok(HashMap::new());
    }
    let mut pending = Vec::with_capacity(ids.len());
    for id in distinct(ids) {
        let request = index
            .get_key::<String, _>(id.clone())
            .with_key_type::<f64>()
            .primitive()?;
        pending.push((id, request));
    }
    let mut out = HashMap::new();
    for (id, request) in pending {
        if let Some(key) = request.await? {
            out.insert(id, key as u64);
        }
    }
    Ok(out)
}

/// The stored records of `ids` (tombstones included) with their sequences.
pub(super) async fn records(
    store: &ObjectStore<'_>,
    ids: &[String],
) -> Result<HashMap<String, (u64, DocRecord)>, StoreError> {
    let homes = locate(store, ids).await?;
    let packs = load_stored(store, homes.values().copied().collect::<BTreeSet<_>>()).await?;
    let mut out = HashMap::with_capacity(homes.len());
    for (id, key) in homes {
        let Some(pack) = packs.get(&key) else {
            continue;
        };
        if let Some(i) = pack.position(&id) {
            out.insert(id, (pack.seq(i), pack.record(i)?));
        }
    }
    Ok(out)
}

/// The packs holding the first `limit` entries of index `index` within `range`, each once.
pub(super) async fn holding(
    store: &ObjectStore<'_>,
    index: &str,
    range: Option<KeyRange<Vec<String>>>,
    limit: u32,
) -> Result<BTreeMap<u64, Pack>, StoreError> {
    let index = store.index(index)?;
    let keys: Vec<f64> = match range {
        Some(range) => index
            .get_all_keys::<f64>()
            .with_query::<Vec<String>, _>(range)
            .with_limit(limit)
            .serde()?
            .await?
            .collect::<Result<_, _>>()?,
        None => index
            .get_all_keys::<f64>()
            .with_limit(limit)
            .primitive()?
            .await?
            .collect::<Result<_, _>>()?,
    };
    load(
        store,
        keys.into_iter().map(|k| k as u64).collect::<BTreeSet<_>>(),
    )
    .await
}

/// The range of `[key, …]` entries of a relation index.
pub(super) fn starting_with(key: &str) -> KeyRange<Vec<String>> {
    KeyRange::Bound(
        vec![key.to_owned()],
        false,
        vec![key.to_owned(), "\u{ffff}".to_owned()],
        false,
    )
}

/// Every pack's sequences after `since` in `pack_seqs`: `(pack key, its sequences)` in
/// key order, starting with the pack that may hold both older and newer ones.
pub(super) async fn seqs_after(
    seqs: &ObjectStore<'_>,
    since: u64,
) -> Result<Vec<(u64, Vec<f64>)>, StoreError> {
    let mut out = Vec::new();
    if let Some(mut cursor) = seqs
        .open_cursor()
        .with_query::<f64, _>(KeyRange::UpperBound(since as f64, false))
        .with_direction(CursorDirection::Prev)
        .serde()?
        .await?
    {
        if let Some(list) = cursor.next_record_ser::<Vec<f64>>().await? {
            let key: Option<f64> = cursor.key()?;
            out.push((key.unwrap_or_default() as u64, list));
        }
    }
    let keys: Vec<f64> = seqs
        .get_all_keys::<f64>()
        .with_query::<f64, _>(KeyRange::LowerBound(since as f64, true))
        .primitive()?
        .await?
        .collect::<Result<_, _>>()?;
    let lists: Vec<Vec<f64>> = seqs
        .get_all::<Vec<f64>>()
        .with_query::<f64, _>(KeyRange::LowerBound(since as f64, true))
        .serde()?
        .await?
        .collect::<Result<_, _>>()?;
    out.extend(keys.into_iter().map(|k| k as u64).zip(lists));
    for (_, list) in &mut out {
        list.retain(|s| *s as u64 > since);
    }
    out.retain(|(_, list)| !list.is_empty());
    Ok(out)
}

/// The newest local sequence (0 for an empty store): the last entry of the last pack's
/// sequences, since packs in key order hold ascending sequence ranges.
pub(super) async fn last_seq(seqs: &ObjectStore<'_>) -> Result<u64, StoreError> {
    let cursor = seqs
        .open_cursor()
        .with_direction(CursorDirection::Prev)
        .primitive()?
        .await?;
    let Some(mut cursor) = cursor else {
        return Ok(0);
    };
    let list: Option<Vec<f64>> = cursor.next_record_ser().await?;
    Ok(list.and_then(|l| l.last().copied()).unwrap_or(0.0) as u64)
}

/// The packs of one readwrite transaction (over `packs` and `pack_seqs`): those read, the
/// newest (where changed documents go), and which changed. [`Packs::flush`] writes them.
pub(super) struct Packs<'tx> {
    store: ObjectStore<'tx>,
    seqs: ObjectStore<'tx>,
    loaded: BTreeMap<u64, Pack>,
    dirty: BTreeSet<u64>,
    home: HashMap<String, u64>,
    tail: Option<u64>,
    /// The newest local sequence: the next change gets `seq + 1`.
    pub(super) seq: u64,
}

impl<'tx> Packs<'tx> {
    /// Opens the packs of `tx`, reading the newest pack (new documents join it while it
    /// has room) and the newest sequence.
    pub(super) async fn open(tx: &'tx Transaction<'_>) -> Result<Self, StoreError> {
        let store = tx.object_store(PACKS)?;
        let seqs = tx.object_store(PACK_SEQS)?;
        let mut loaded = BTreeMap::new();
        let mut tail = None;
        let mut seq = 0;
        if let Some(mut cursor) = store
            .open_cursor()
            .with_direction(CursorDirection::Prev)
            .primitive()?
            .await?
        {
            if let Some(value) = cursor.next_record::<JsValue>().await? {
                let key: Option<f64> = cursor.key()?;
                let key = key.unwrap_or_default() as u64;
                let pack = from_js(&value)?;
                seq = pack.last_seq().unwrap_or(key);
                loaded.insert(key, pack);
                tail = Some(key);
            }
        }
        Ok(Self {
            store,
            seqs,
            loaded,
            dirty: BTreeSet::new(),
            home: HashMap::new(),
            tail,
            seq,
        })
    }

    /// The stored records of `ids` (tombstones included), each with its sequence, read
    /// in one round of requests; the packs read stay loaded for the write.
    pub(super) async fn find(
        &mut self,
        ids: &[String],
    ) -> Result<HashMap<String, (u64, DocRecord)>, StoreError> {
        // Every id of the batch gets a home once written: make room for them at once.
        self.home.reserve(ids.len());
        let homes = locate(&self.store, ids).await?;
        let missing: BTreeSet<u64> = homes
            .values()
            .copied()
            .filter(|k| !self.loaded.contains_key(k))
            .collect();
        let read = load(&self.store, missing).await?;
        self.loaded.extend(read);
        let mut out = HashMap::with_capacity(homes.len());
        for (id, key) in homes {
            let Some(pack) = self.loaded.get(&key) else {
                continue;
            };
            if let Some(i) = pack.position(&id) {
                out.insert(id.clone(), (pack.seq(i), record_at(pack, i)?));
                self.home.insert(id, key);
            }
        }
        Ok(out)
    }

    /// Stores `record` as changed now: it gets the next sequence, leaves its old pack and
    /// joins the newest (`fresh`: the leaf a local edit just made, whose body's text is
    /// copied rather than serialized again). Returns the sequence.
    pub(super) fn write(
        &mut self,
        record: &DocRecord,
        fresh: Option<&Fresh>,
    ) -> Result<u64, StoreError> {
        self.seq += 1;
        self.take_out(&record.id);
        let key = match self.tail {
            Some(k) if self.loaded.get(&k).is_some_and(Pack::has_room) => k,
            _ => {
                self.tail = Some(self.seq);
                self.seq
            }
        };
        self.home.insert(record.id.clone(), key);
        let pack = self.loaded.entry(key).or_default();
        pack.push_record(record, self.seq, fresh);
        if pack.has_room() {
            self.dirty.insert(key);
        } else {
            // A full pack is put at once, so the browser writes it while the next is made
            // (put again at the end should a later document of the batch leave it).
            self.dirty.remove(&key);
            self.put(key)?;
        }
        Ok(self.seq)
    }

    /// Removes `id` from the store altogether (a purge: it never left the phone).
    pub(super) fn purge(&mut self, id: &str) {
        self.take_out(id);
        self.home.remove(id);
    }

    fn take_out(&mut self, id: &str) {
        if let Some(key) = self.home.get(id) {
            if let Some(pack) = self.loaded.get_mut(key) {
                if pack.remove(id) {
                    self.dirty.insert(*key);
                }
            }
        }
    }

    /// Puts every changed pack and its sequences, and deletes the packs left empty. Hands
    /// back the packs read and written, to be dropped while the commit is on disk (freeing
    /// them is real work, and the renderer is idle until the commit ends).
    pub(super) fn flush(self) -> Result<BTreeMap<u64, Pack>, StoreError> {
        for key in &self.dirty {
            self.put(*key)?;
        }
        Ok(self.loaded)
    }

    /// Puts pack `key` and its sequences, or deletes both if it is left empty.
    fn put(&self, key: u64) -> Result<(), StoreError> {
        let Some(pack) = self.loaded.get(&key) else {
            return Ok(());
        };
        if pack.is_empty() {
            self.store.delete(key as f64).primitive()?;
            self.seqs.delete(key as f64).primitive()?;
            return Ok(());
        }
        self.store
            .put(to_js(pack)?)
            .with_key(key as f64)
            .primitive()?;
        self.seqs
            .put(seqs_js(pack))
            .with_key(key as f64)
            .primitive()?;
        Ok(())
    }
}

/// Ids of `ids` without repeats, in first-seen order (a batch may name one twice).
pub(super) fn distinct(ids: &[String]) -> Vec<String> {
    let mut seen = HashSet::new();
    ids.iter()
        .filter(|i| !i.is_empty() && seen.insert(i.as_str()))
        .cloned()
        .collect()
}
