//! Pages of one document type ordered by sort time (the activity list, its search and
//! filters), through the `packs` index `p_tu` on `[type, sort time, id]`.
//!
//! Owns how a page is read; never writes. Paging is by key (keyset), not by offset, so
//! page N costs the same as page 1 on 10,000 documents. A page reads in rounds — the
//! entries still wanted, then twice as many each round — and a round costs three requests
//! whatever its size: a key cursor `advance`s to the round's last entry, one `getAllKeys`
//! over the round's span names the packs holding its entries, and those packs are read
//! together; the entries themselves are the packs' own `tu` keys within the span, in
//! IndexedDB's order (`model::key_span`). Stepping the cursor entry by entry cost a
//! request, a wake-up and a key conversion per entry: most of a first screen's time.

use super::packs::{self, Stored};
use super::schema::{PACKS, P_TU};
use super::{Store, StoreError};
use indexed_db_futures::cursor::CursorDirection;
use indexed_db_futures::internals::SystemRepr;
use indexed_db_futures::prelude::*;
use indexed_db_futures::KeyRange;
use model::key_span::{self, Bound, Span};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use wasm_bindgen::JsCast;

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

impl PageQuery {
    /// The index keys the page may list: the type's, cut after the previous page.
    fn span(&self) -> Span {
        let t = &self.doc_type;
        let mut span = Span {
            lower: Bound::closed(vec![t.clone()]),
            upper: Bound::closed(vec![t.clone(), "\u{ffff}".to_owned()]),
        };
        if let Some(c) = &self.after {
            let cut = Bound::open(vec![t.clone(), c.time.clone(), c.id.clone()]);
            match self.newest_first {
                true => span.upper = cut,
                false => span.lower = cut,
            }
        }
        span
    }
}

fn key_range(span: &Span) -> KeyRange<Vec<String>> {
    let (lo, hi) = (&span.lower, &span.upper);
    KeyRange::Bound(lo.key.clone(), lo.open, hi.key.clone(), hi.open)
}

/// The key of the entry a cursor stands on after a step; `None` past its end (where the
/// step's request has a null result: the cursor keeps its last key).
fn at_entry(cursor: &web_sys::IdbCursor) -> Result<Option<Vec<String>>, StoreError> {
    // web-sys marks `IDBCursor.request` deprecated; IndexedDB 3.0 has it, and so does every
    // browser (`indexed_db_futures` reads it the same way to await a step).
    #[allow(deprecated)]
    let request = cursor.request();
    if request.result().map_err(StoreError::from_js)?.is_null() {
        return Ok(None);
    }
    let key = cursor.key().map_err(StoreError::from_js)?;
    let key = key
        .dyn_into::<js_sys::Array>()
        .map_err(StoreError::from_js)?;
    Ok(Some(
        key.iter()
            .map(|k| k.as_string().unwrap_or_default())
            .collect(),
    ))
}

/// A pack read for a page, with its `[type, sort time, id]` keys.
struct Read {
    pack: Stored,
    keys: Vec<[String; 3]>,
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
        let whole = q.span();
        let direction = match q.newest_first {
            true => CursorDirection::Prev,
            false => CursorDirection::Next,
        };
        let tx = self.db.transaction(PACKS).build()?;
        let store = tx.object_store(PACKS)?;
        let index = store.index(P_TU)?;
        let mut page = Page {
            docs: Vec::new(),
            next: None,
        };
        let Some(mut cursor) = index
            .open_key_cursor()
            .with_query::<Vec<String>, _>(key_range(&whole))
            .with_direction(direction)
            .serde()?
            .await?
        else {
            return Ok(page);
        };
        let limit = q.limit as usize;
        let mut read: BTreeMap<u64, Read> = BTreeMap::new();
        let mut last: Option<[String; 3]> = None;
        let mut scanned = 0u32;
        let mut exhausted = false;
        // Each round's span runs from where the last one ended (`near`) to the entry the
        // cursor stops on; the cursor starts on the first entry, so the first round
        // advances one less.
        let mut near = whole.clone();
        let (mut round, mut first) = (q.limit.max(1), true);
        'rounds: while page.docs.len() < limit && scanned < max_scan {
            let want = round.min(max_scan - scanned);
            round = round.saturating_mul(2);
            cursor.advance_by(want - u32::from(first)).await?;
            first = false;
            let far = at_entry(cursor.as_sys())?;
            let mut span = near.clone();
            match (q.newest_first, &far) {
                (true, Some(k)) => span.lower = Bound::closed(k.clone()),
                (false, Some(k)) => span.upper = Bound::closed(k.clone()),
                (true, None) => span.lower = whole.lower.clone(),
                (false, None) => span.upper = whole.upper.clone(),
            }
            let homes: BTreeSet<u64> = index
                .get_all_keys::<f64>()
                .with_query::<Vec<String>, _>(key_range(&span))
                .serde()?
                .await?
                .map(|k| k.map(|k| k as u64))
                .collect::<Result<_, _>>()?;
            let new = homes.iter().copied().filter(|h| !read.contains_key(h));
            for (home, pack) in packs::load_stored(&store, new.collect::<Vec<_>>()).await? {
                let keys = pack.type_keys()?;
                read.insert(home, Read { pack, keys });
            }
            let mut entries: Vec<(&[String; 3], &Stored)> = homes
                .iter()
                .filter_map(|h| read.get(h))
                .flat_map(|r| r.keys.iter().map(move |k| (k, &r.pack)))
                .filter(|(k, _)| span.contains(&k[..]))
                .collect();
            entries.sort_by(|(a, _), (b, _)| key_span::compare(&a[..], &b[..]));
            if q.newest_first {
                entries.reverse();
            }
            for (key, pack) in entries {
                if page.docs.len() >= limit || scanned >= max_scan {
                    break 'rounds;
                }
                scanned += 1;
                if let Some(i) = pack.position(&key[2]) {
                    let doc = pack.winner(i)?;
                    if keep(&doc) {
                        page.docs.push(doc);
                    }
                }
                last = Some(key.clone());
            }
            let Some(far) = far else {
                exhausted = true;
                break;
            };
            match q.newest_first {
                true => near.upper = Bound::open(far),
                false => near.lower = Bound::open(far),
            }
        }
        if let (Some([_, time, id]), false) = (last, exhausted) {
            page.next = Some(PageCursor { time, id });
        }
        Ok(page)
    }
}
