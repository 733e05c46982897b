//! Local-only records: settings, the cadre's profile, drafts and sync checkpoints.
//! They live in the `local` store, are never replicated and carry no revisions.
//! Owns the `local` store; never touches documents.

use super::schema::LOCAL;
use super::{Store, StoreError};
use indexed_db_futures::prelude::*;
use serde::{de::DeserializeOwned, Serialize};

impl Store {
    /// Reads the local record `key`, decoding it from JSON.
    pub async fn get_local<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, StoreError> {
        let tx = self.db.transaction(LOCAL).build()?;
        let text: Option<String> = tx.object_store(LOCAL)?.get(key).primitive()?.await?;
        text.map(|t| {
            serde_json::from_str(&t).map_err(|e| StoreError::Corrupt(format!("{key}: {e}")))
        })
        .transpose()
    }

    /// Writes the local record `key` (committed before this returns).
    pub async fn put_local<T: Serialize>(&self, key: &str, value: &T) -> Result<(), StoreError> {
        let text =
            serde_json::to_string(value).map_err(|e| StoreError::Corrupt(format!("{key}: {e}")))?;
        let tx = self.write_tx(&[LOCAL])?;
        tx.object_store(LOCAL)?
            .put(text)
            .with_key(key)
            .primitive()?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes the local record `key` (no error if absent).
    pub async fn delete_local(&self, key: &str) -> Result<(), StoreError> {
        let tx = self.write_tx(&[LOCAL])?;
        tx.object_store(LOCAL)?.delete(key).primitive()?;
        tx.commit().await?;
        Ok(())
    }
}
