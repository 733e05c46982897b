//! Typed reads: the store's winning bodies handed to screens as `model` records
//! (`Activity`, `Concern`, `Volunteer`, …) through [`model::Record`], so a screen names
//! fields the compiler checks instead of reading JSON by name.
//!
//! One record read by id that does not have its type's shape is an error
//! ([`StoreError::Shape`], shown with what to do). In a list, such a document (written by
//! another tool through the hub) is left out and logged with its id and the field, so one
//! odd document does not blank a whole list; it stays stored, synced and exported.
//! Owns decoding only; reads through `query` and `docs`, never writes.

use super::{Page, PageCursor, Relation, Store, StoreError};
use model::Record;
use serde_json::Value;

/// One page of typed records and where the next page starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Records<T> {
    /// The records, in the page's order.
    pub docs: Vec<T>,
    /// `None` when this was the last page.
    pub next: Option<PageCursor>,
}

impl Page {
    /// The page's documents as `T`, odd ones left out (and logged).
    pub fn typed<T: Record>(self) -> Records<T> {
        Records {
            docs: decode_all(self.docs),
            next: self.next,
        }
    }
}

/// Decodes a list, leaving out (and logging) what does not have `T`'s shape.
pub fn decode_all<T: Record>(docs: Vec<Value>) -> Vec<T> {
    docs.into_iter()
        .filter_map(|d| {
            T::decode(d)
                .map_err(|e| leptos::logging::warn!("yehua: left out of a list: {e}"))
                .ok()
        })
        .collect()
}

impl Store {
    /// The live record `id` as `T`, or `None` when it is not on this phone (or deleted).
    pub async fn find_as<T: Record>(&self, id: &str) -> Result<Option<T>, StoreError> {
        match self.get(id).await {
            Ok(doc) => Ok(Some(T::decode(doc)?)),
            Err(StoreError::NotFound(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Every live record of `T`'s type (small sets: teams, volunteers, surveys).
    pub async fn all_as<T: Record>(&self) -> Result<Vec<T>, StoreError> {
        let docs = self.all_of_type(T::TYPE.as_str(), u32::MAX).await?;
        Ok(decode_all(docs))
    }

    /// The live records of `T` related to `key` through `relation`.
    pub async fn related_as<T: Record>(
        &self,
        relation: Relation,
        key: &str,
    ) -> Result<Vec<T>, StoreError> {
        let docs = self.related(relation, key, u32::MAX).await?;
        Ok(decode_all(docs))
    }
}
