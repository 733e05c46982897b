//! Index queries: pages of one document type ordered by time, and documents related to
//! another (attendance of an activity, concerns by status, responses of a survey).
//!
//! Owns reading through the `docs` store's indexes; never writes. Paging is by key
//! (keyset), not by offset, so page N costs the same as page 1 on 10,000 documents.

use super::schema::DOCS;
use super::{Store, StoreError};
use indexed_db_futures::cursor::CursorDirection;
use indexed_db_futures::prelude::*;
use indexed_db_futures::KeyRange;
use model::row::DocRow;
use serde_json::Value;

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

impl Relation {
    fn index(self) -> &'static str {
        match self {
            Self::AttendanceByActivity => "attendance_activity",
            Self::AttendanceByVolunteer => "attendance_volunteer",
            Self::ConcernsByActivity => "concern_activity",
            Self::ConcernsByStatus => "concern_status",
            Self::ResponsesBySurvey => "response_survey",
            Self::PhotosOf => "photo_of",
        }
    }
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
        let tx = self.db.transaction(DOCS).build()?;
        let store = tx.object_store(DOCS)?;
        let index = store.index("type_updated")?;
        let mut docs = Vec::new();
        let mut last: Option<DocRow> = None;
        let mut scanned = 0u32;
        let mut exhausted = true;
        if let Some(mut cursor) = index
            .open_cursor()
            .with_query::<Vec<String>, _>(range)
            .with_direction(direction)
            .serde()?
            .await?
        {
            exhausted = false;
            while docs.len() < q.limit as usize && scanned < max_scan {
                let Some(row) = cursor.next_record_ser::<DocRow>().await? else {
                    exhausted = true;
                    break;
                };
                scanned += 1;
                let doc = winner(&row)?;
                if keep(&doc) {
                    docs.push(doc);
                }
                last = Some(row);
            }
        }
        let next = match last {
            Some(row) if !exhausted => Some(PageCursor {
                time: row.u.unwrap_or_default(),
                id: row.id,
            }),
            _ => None,
        };
        Ok(Page { docs, next })
    }

    /// Live documents related to `key` through `relation`, at most `limit`.
    pub async fn related(
        &self,
        relation: Relation,
        key: &str,
        limit: u32,
    ) -> Result<Vec<Value>, StoreError> {
        let tx = self.db.transaction(DOCS).build()?;
        let store = tx.object_store(DOCS)?;
        let rows: Vec<DocRow> = store
            .index(relation.index())?
            .get_all()
            .with_query::<String, _>(KeyRange::Only(key.to_owned()))
            .with_limit(limit)
            .serde()?
            .await?
            .collect::<Result<_, _>>()?;
        rows.iter().map(winner).collect()
    }

    /// Every live document of a type (for small sets: teams, volunteers), at most `limit`.
    pub async fn all_of_type(&self, doc_type: &str, limit: u32) -> Result<Vec<Value>, StoreError> {
        let rows = self.rows_of_type(doc_type, limit).await?;
        rows.iter().map(winner).collect()
    }

    /// The rows of every live document of a type, through the `type` index.
    pub(super) async fn rows_of_type(
        &self,
        doc_type: &str,
        limit: u32,
    ) -> Result<Vec<DocRow>, StoreError> {
        let tx = self.db.transaction(DOCS).build()?;
        let store = tx.object_store(DOCS)?;
        let rows: Vec<DocRow> = store
            .index("type")?
            .get_all()
            .with_query::<String, _>(KeyRange::Only(doc_type.to_owned()))
            .with_limit(limit)
            .serde()?
            .await?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// How many live documents of a type there are.
    pub async fn count_type(&self, doc_type: &str) -> Result<u32, StoreError> {
        let tx = self.db.transaction(DOCS).build()?;
        let store = tx.object_store(DOCS)?;
        let n = store
            .index("type")?
            .count()
            .with_query::<String, _>(KeyRange::Only(doc_type.to_owned()))
            .primitive()?
            .await?;
        Ok(n)
    }
}

pub(super) fn winner(row: &DocRow) -> Result<Value, StoreError> {
    let record = row
        .record()
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    record
        .winner_doc()
        .ok_or_else(|| StoreError::Corrupt(format!("{} has no winner", row.id)))
}

impl Store {
    /// How many live documents are related to `key` through `relation`.
    pub async fn count_related(&self, relation: Relation, key: &str) -> Result<u32, StoreError> {
        let tx = self.db.transaction(DOCS).build()?;
        let store = tx.object_store(DOCS)?;
        let n = store
            .index(relation.index())?
            .count()
            .with_query::<String, _>(KeyRange::Only(key.to_owned()))
            .primitive()?
            .await?;
        Ok(n)
    }
}
