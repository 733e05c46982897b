//! The phone's database: IndexedDB through `indexed_db_futures`.
//!
//! This module owns everything the app keeps on the phone: documents (winning body plus
//! revision tree, as [`couch::DocRecord`]), the local change sequence that push replication
//! reads, local-only records (settings, drafts, checkpoints) that never replicate, and
//! attachment bytes (photos) as Blobs keyed by digest.
//!
//! Architecture invariant: pages and components never touch IndexedDB; they call
//! [`Store`]. Revision logic is not written here: every write goes through
//! `couch::DocRecord`, the same code the hub runs, so phone and hub agree on winners.
//! A write returns only after its transaction has committed (durability `strict`).

mod blobs;
mod conflicts;
mod docs;
mod error;
mod local;
mod open;
mod pack_js;
mod packs;
mod page;
mod query;
mod remove;
mod scan;
mod schema;
mod typed;

pub use blobs::{BlobPut, PhotoRow};
pub use conflicts::Conflicted;
pub use error::StoreError;
pub use page::{Page, PageCursor, PageQuery};
pub use query::Relation;
pub use remove::Removed;
pub use schema::{DB_NAME, SCHEMA_VERSION};
pub use typed::{decode_all, Records};

use indexed_db_futures::database::Database;

/// A handle on the opened `yehua` database. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    db: Database,
    name: String,
}

impl Store {
    /// Opens (creating or migrating) the app's database at the current schema version.
    pub async fn open() -> Result<Self, StoreError> {
        Self::open_named(DB_NAME, SCHEMA_VERSION).await
    }

    /// Opens the database `name` migrated up to `version`; tests use it to build an
    /// older schema and then migrate it.
    pub async fn open_named(name: &str, version: u32) -> Result<Self, StoreError> {
        let db = open::open(name, version).await?;
        Ok(Self {
            db,
            name: name.to_owned(),
        })
    }

    /// The database's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Closes the connection so the database can be deleted or upgraded.
    pub fn close(self) {
        self.db.close();
    }

    /// Deletes the database `name` (tests, and "clear all data" in settings).
    pub async fn delete_database(name: &str) -> Result<(), StoreError> {
        Database::delete_by_name(name)
            .map_err(StoreError::from_open)?
            .await
            .map_err(StoreError::from)
    }
}
