//! Index queries: pages of one document type ordered by time, and documents related to
//! another (attendance of an activity, concerns by status, responses of a survey).
//!
//! Owns reading through the `packs` store's multiEntry indexes; never writes. An index
//! entry names its pack (the primary key) and ends with the document's id, so a listing
//! reads each pack it touches once and takes the documents out of it. Paging is by key
//! (keyset), not by offset, so page N costs the same as page 1 on 10,000 documents.

use super::packs::{self, starting_with};
use super::schema::{PACKS, P_COUNTED, P_TU};
use super::{Store, StoreError};
use indexed_db_futures::cursor::CursorDirection;
use indexed_db_futures::prelude::*;
use indexed_db_futures::KeyRange;
use model::pack::{Keys, Pack};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// A request for one page of documents of a type, ordered by their sort time.
#[derive(Debug, Clone, PartialEq)]
pub struct PageQuery {
    /// Document type, e.g. `activity`.
    pub doc_type: String,
    /// Newest first (the usual list order) or oldest first.
    pub newest_first: bool,
    /// Continue after this position (from the previous page's `next`).
    pub after: Option<PageCursor>,
    /// Page size.
    pub limit: u32,
}

/// Where a page ended: the sort time and id of its last document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageCursor {
    /// The last document's sort time.
    pub time: String,
    /// The last document's id.
    pub id: String,
}

/// One page of winning documents and where the next page starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Winning bodies with `_id` and `_rev`.
    pub docs: Vec<Value>,
    /// `None` when this was the last page.
    pub next: Option<PageCursor>,
}

/// The relation indexes (sparse; only live documents appear).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// Attendance records of an activity.
    AttendanceByActivity,
    /// Attendance records of a volunteer.
    AttendanceByVolunteer,
    /// Concerns raised at an activity.
    ConcernsByActivity,
    /// Concerns in a status (`open`, `dispatched`, ...).
    ConcernsByStatus,
    /// Responses to a survey.
    ResponsesBySurvey,
    /// Photos of an activity or a concern (rows hold stubs only, never bytes).
    PhotosOf,
}

/// How a relation's `packs` index keys it.
#[derive(Debug, Clone, Copy)]
enum Keyed {
    /// `[key, id]` per document: counted and cut by the index alone.
    PerDocument(&'static str),
    /// `[key, n]` per pack (attendance, `model::pack::COUNTED`): a count sums the `n`s; a
    /// listing reads every pack the key names.
    PerPack(&'static str),
}

impl Relation {
    /// The `packs` index, and the pack's array of `[key, id]` pairs behind it.
    fn index(self) -> (Keyed, Keys) {
        use Keyed::{PerDocument, PerPack};
        match self {
            Self::AttendanceByActivity => (PerPack(P_COUNTED[0].0), Keys::AttendanceActivity),
            Self::AttendanceByVolunteer => (PerPack(P_COUNTED[1].0), Keys::AttendanceVolunteer),
            Self::ConcernsByActivity => (PerDocument("p_ca"), Keys::ConcernActivity),
            Self::ConcernsByStatus => (PerDocument("p_cs"), Keys::ConcernStatus),
            Self::ResponsesBySurvey => (PerDocument("p_rs"), Keys::ResponseSurvey),
            Self::PhotosOf => (PerDocument("p_pa"), Keys::PhotoOf),
        }
    }
}

/// A live document as a listing reads it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Listed {
    /// The document id.
    pub id: String,
    /// The local sequence of its latest write.
    pub seq: u64,
    /// The winning body with `_id` and `_rev`.
    pub doc: Value,
}

/// The documents index array `which` of `packs` names under `key`, by id, at most
/// `limit`: what an index over `[key, id]` lists for `key`.
fn listed_in(
    packs: &BTreeMap<u64, Pack>,
    which: Keys,
    key: &str,
    limit: u32,
) -> Result<Vec<Listed>, StoreError> {
    let mut hits: Vec<(&str, &Pack, usize)> = Vec::new();
    for pack in packs.values() {
        for (k, id) in pack.keyed(which) {
            if k == key {
                if let Some(i) = pack.position(id) {
                    hits.push((id, pack, i));
                }
            }
        }
    }
    hits.sort_unstable_by_key(|(id, _, _)| *id);
    hits.truncate(limit as usize);
    hits.into_iter()
        .map(|(id, pack, i)| {
            Ok(Listed {
                id: id.to_owned(),
                seq: pack.seq(i),
                doc: packs::winner_at(pack, i)?,
            })
        })
        .collect()
}

impl Store {
    /// One page of live documents of a type, by sort time (activities: start time).
    pub async fn page(&self, q: &PageQuery) -> Result<Page, StoreError> {
        self.page_matching(q, &|_| true, u32::MAX).await
    }

    /// Like [`Store::page`], keeping only documents `keep` accepts, and scanning at most
    /// `max_scan` rows: a rare search term stops after `max_scan` rows with a cursor to
    /// continue from, so no single call walks all 10,000 activities.
    pub async fn page_matching(
        &self,
        q: &PageQuery,
        keep: &dyn Fn(&Value) -> bool,
        max_scan: u32,
    ) -> Result<Page, StoreError> {
        let t = q.doc_type.clone();
        let (lower, upper) = (vec![t.clone()], vec![t.clone(), "\u{ffff}".to_owned()]);
        let range = match (&q.after, q.newest_first) {
            (None, _) => KeyRange::Bound(lower, false, upper, false),
            (Some(c), true) => {
                KeyRange::Bound(lower, false, vec![t, c.time.clone(), c.id.clone()], true)
            }
            (Some(c), false) => {
                KeyRange::Bound(vec![t, c.time.clone(), c.id.clone()], true, upper, false)
            }
        };
        let direction = if q.newest_first {
            CursorDirection::Prev
        } else {
            CursorDirection::Next
        };
        let tx = self.db.transaction(PACKS).build()?;
        let store = tx.object_store(PACKS)?;
        let index = store.index(P_TU)?;
        let mut read: BTreeMap<u64, packs::Stored> = BTreeMap::new();
        let mut docs = Vec::new();
        let mut last: Option<Vec<String>> = None;
        let mut scanned = 0u32;
        let mut exhausted = true;
        if let Some(mut cursor) = index
            .open_key_cursor()
            .with_query::<Vec<String>, _>(range)
            .with_direction(direction)
            .serde()?
            .await?
        {
            exhausted = false;
            // The cursor steps through keys in rounds (the entries still wanted, then twice
            // as many each round, up to `max_scan`), and the packs a round reaches are read
            // together — one round trip per round, not one per pack.
            let mut round = (q.limit as usize).max(1);
            let mut ahead: VecDeque<(Vec<String>, u64)> = VecDeque::new();
            let mut ended = false;
            while docs.len() < q.limit as usize && scanned < max_scan {
                let Some((key, home)) = ahead.pop_front() else {
                    // The next round: step the cursor, then read the packs it reached.
                    let wanted = round.min((max_scan - scanned) as usize);
                    round = round.saturating_mul(2);
                    while !ended && ahead.len() < wanted {
                        match cursor.next_key_ser::<Vec<String>>().await? {
                            Some(key) => {
                                let home: Option<f64> = cursor.primary_key()?;
                                ahead.push_back((key, home.unwrap_or_default() as u64));
                            }
                            None => ended = true,
                        }
                    }
                    if ahead.is_empty() {
                        exhausted = true;
                        break;
                    }
                    let new: BTreeSet<u64> = ahead
                        .iter()
                        .map(|(_, home)| *home)
                        .filter(|home| !read.contains_key(home))
                        .collect();
                    read.extend(packs::load_stored(&store, new).await?);
                    continue;
                };
                scanned += 1;
                let id = key.get(2).map(String::as_str).unwrap_or_default();
                let found = read.get(&home).and_then(|p| Some((p, p.position(id)?)));
                if let Some((pack, i)) = found {
                    let doc = pack.winner(i)?;
                    if keep(&doc) {
                        docs.push(doc);
                    }
                }
                last = Some(key);
            }
        }
        let next = match last {
            Some(mut key) if !exhausted && key.len() == 3 => Some(PageCursor {
                id: key.pop().unwrap_or_default(),
                time: key.pop().unwrap_or_default(),
            }),
            _ => None,
        };
        Ok(Page { docs, next })
    }

    /// Live documents related to `key` through `relation`, at most `limit`, by id.
    pub async fn related(
        &self,
        relation: Relation,
        key: &str,
        limit: u32,
    ) -> Result<Vec<Value>, StoreError> {
        let (index, keys) = relation.index();
        let tx = self.db.transaction(PACKS).build()?;
        let store = tx.object_store(PACKS)?;
        // A per-pack entry stands for any number of documents: every pack is read.
        let (index, packs_limit) = match index {
            Keyed::PerDocument(name) => (name, limit),
            Keyed::PerPack(name) => (name, u32::MAX),
        };
        let read = packs::holding(&store, index, Some(starting_with(key)), packs_limit).await?;
        Ok(listed_in(&read, keys, key, limit)?
            .into_iter()
            .map(|l| l.doc)
            .collect())
    }

    /// Every live document of a type (for small sets: teams, volunteers), at most `limit`.
    pub async fn all_of_type(&self, doc_type: &str, limit: u32) -> Result<Vec<Value>, StoreError> {
        let rows = self.listed_of_type(doc_type, limit).await?;
        Ok(rows.into_iter().map(|l| l.doc).collect())
    }

    /// Every live document of a type, by id, through the `[type, time, id]` index (with a
    /// `limit` below their number: the `limit` soonest by time).
    pub(super) async fn listed_of_type(
        &self,
        doc_type: &str,
        limit: u32,
    ) -> Result<Vec<Listed>, StoreError> {
        let tx = self.db.transaction(PACKS).build()?;
        let store = tx.object_store(PACKS)?;
        let read = packs::holding(&store, P_TU, Some(starting_with(doc_type)), limit).await?;
        listed_in(&read, Keys::Type, doc_type, limit)
    }

    /// How many live documents of a type there are.
    pub async fn count_type(&self, doc_type: &str) -> Result<u32, StoreError> {
        self.count_index(P_TU, doc_type).await
    }

    /// How many live documents are related to `key` through `relation`.
    pub async fn count_related(&self, relation: Relation, key: &str) -> Result<u32, StoreError> {
        match relation.index().0 {
            Keyed::PerDocument(name) => self.count_index(name, key).await,
            Keyed::PerPack(name) => self.sum_counted(name, key).await,
        }
    }

    /// The sum of the `n`s of a counted index's `[key, n]` entries (one per pack).
    async fn sum_counted(&self, index: &str, key: &str) -> Result<u32, StoreError> {
        let tx = self.db.transaction(PACKS).build()?;
        let store = tx.object_store(PACKS)?;
        let index = store.index(index)?;
        let mut sum = 0u32;
        if let Some(mut cursor) = index
            .open_key_cursor()
            .with_query::<Vec<String>, _>(starting_with(key))
            .serde()?
            .await?
        {
            while let Some((_, n)) = cursor.next_key_ser::<(String, f64)>().await? {
                sum += n as u32;
            }
        }
        Ok(sum)
    }

    /// How many entries of a `packs` index start with `key` (one per live document).
    async fn count_index(&self, index: &str, key: &str) -> Result<u32, StoreError> {
        let tx = self.db.transaction(PACKS).build()?;
        let n = tx
            .object_store(PACKS)?
            .index(index)?
            .count()
            .with_query::<Vec<String>, _>(starting_with(key))
            .serde()?
            .await?;
        Ok(n)
    }
}
