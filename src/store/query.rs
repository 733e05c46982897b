//! Index queries: documents related to another (attendance of an activity, concerns by
//! status, responses of a survey), every document of a small type, and counts. Pages of
//! one type by time are `page.rs`.
//!
//! Owns reading through the `packs` store's multiEntry indexes; never writes. An index
//! entry names its pack (the primary key) and ends with the document's id, so a listing
//! reads each pack it touches once and takes the documents out of it.

use super::packs::{self, starting_with};
use super::schema::{PACKS, P_COUNTED, P_TU};
use super::{Store, StoreError};
use indexed_db_futures::prelude::*;
use model::pack::{Keys, Pack};
use serde_json::Value;
use std::collections::BTreeMap;

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
