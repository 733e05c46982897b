//! The hub's SQLite file: opening it, its schema, and running work on it off the async
//! runtime. Owns connections and transactions; the queries themselves live in
//! [`docs`] (databases, documents, changes, `_local`), [`blobs`] (attachment bytes by
//! digest), [`accounts`] (stations, users, sessions) and [`imports`] (files imported). Knows nothing of HTTP, cookies or who may do what.
//!
//! Schema: numbered steps in [`MIGRATIONS`]; SQLite's `PRAGMA user_version` says how many
//! a file has had, and opening runs the rest in one transaction. A step only adds (tables,
//! columns, indexes), so an older hub's data is never rewritten; a file from a newer hub is
//! refused unchanged.
//!
//! Durability: WAL mode with `synchronous=FULL`. A commit returns only after the WAL is
//! on disk, so an acknowledged write survives a killed process *and* a power cut (the
//! usual failure in a township office). NORMAL would survive a killed process but could
//! lose the last commits on power loss; the price of FULL is one fsync per request, which
//! is small because replication writes a batch of documents per request.

pub mod accounts;
pub mod blobs;
pub mod docs;
pub mod imports;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::{watch, Semaphore};

/// The file name of the database inside the data folder.
pub const DB_FILE: &str = "hub.sqlite3";

/// How long a connection waits for another one's lock before failing.
const BUSY_TIMEOUT_MS: u64 = 10_000;
/// How many read transactions run at once (more wait their turn without holding a
/// blocking thread); also the most reader connections kept open.
const READERS: usize = 8;

/// Why the store failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite reported an error.
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A stored JSON value could not be read back.
    #[error("stored JSON is unreadable: {0}")]
    Json(#[from] serde_json::Error),
    /// The data folder could not be created.
    #[error("cannot create data folder {0}: {1}")]
    Folder(PathBuf, std::io::Error),
    /// A blocking task panicked or was cancelled.
    #[error("storage task failed: {0}")]
    Task(String),
    /// The file was written by a newer hub, whose schema this one does not know.
    #[error("the database is at schema version {found}; this hub knows up to {known}: run the newer hub")]
    NewerSchema { found: u32, known: u32 },
}

/// The schema, step by step: step `i` takes a file at version `i` to `i + 1`. Append only.
/// Step 1 is the schema hubs had before versions were kept, written with `IF NOT EXISTS`
/// so that such a file (at version 0 with every table) passes it unchanged.
pub const MIGRATIONS: &[&str] = &[SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, SCHEMA_V4];

/// The schema version this hub writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

const SCHEMA_V1: &str = r#"
CREATE TABLE IF NOT EXISTS dbs (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    update_seq INTEGER NOT NULL DEFAULT 0,
    security TEXT NOT NULL DEFAULT '{}',
    created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS docs (
    db INTEGER NOT NULL REFERENCES dbs(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    record TEXT NOT NULL,
    winner TEXT NOT NULL,
    deleted INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (db, id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS docs_by_seq ON docs(db, seq);
CREATE TABLE IF NOT EXISTS local_docs (
    db INTEGER NOT NULL REFERENCES dbs(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    rev INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (db, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS stations (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    parent TEXT,
    level TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS stations_by_parent ON stations(parent);
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY,
    station TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY,
    user TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL
);
"#;

/// Step 2: attachment bytes, one row per digest per database (a rowid table: SQLite
/// keeps large values best there), dropped with their database.
const SCHEMA_V2: &str = r#"
CREATE TABLE blobs (
    db INTEGER NOT NULL REFERENCES dbs(id) ON DELETE CASCADE,
    digest TEXT NOT NULL,
    length INTEGER NOT NULL,
    data BLOB NOT NULL,
    UNIQUE (db, digest)
);
"#;

/// Step 3: accounts as CouchDB's `_users` documents. `roles` is the document's role list
/// (`cadre:<code>`, `hq:<code>` or `_admin`; `role` and `station` stay as the access
/// rule's index, written beside it), `rev` its `_rev`, `disabled` 1 for an account that may
/// not sign in. Existing rows get the roles their `role` and `station` meant (`admin` is
/// `_admin`) and a first revision. `dbs.synced_at`: when a replication last wrote a
/// checkpoint there (Unix seconds), the last successful sync 上报情况 shows.
const SCHEMA_V3: &str = r#"
ALTER TABLE dbs ADD COLUMN synced_at INTEGER;
ALTER TABLE users ADD COLUMN roles TEXT NOT NULL DEFAULT '[]';
ALTER TABLE users ADD COLUMN rev TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
UPDATE users SET
    roles = CASE role WHEN 'admin' THEN json_array('_admin')
                      ELSE json_array(role || ':' || station) END,
    rev = '1-' || lower(hex(randomblob(16)));
CREATE INDEX IF NOT EXISTS users_by_station ON users(station);
"#;

/// Step 4: every export file imported (by the console's upload or `yehua-hub import`):
/// when (Unix seconds), into which station, by whom (an account's name; empty for the
/// command line), the file's name as given, and its counts. 上报情况 reads it.
const SCHEMA_V4: &str = r#"
CREATE TABLE imports (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    station TEXT NOT NULL,
    user TEXT NOT NULL,
    file TEXT NOT NULL,
    new INTEGER NOT NULL,
    updated INTEGER NOT NULL,
    unchanged INTEGER NOT NULL,
    conflicts INTEGER NOT NULL
);
CREATE INDEX imports_by_station ON imports(station, at);
"#;

/// The hub's database: one writer connection (SQLite allows one writer at a time) and a
/// pool of readers, which WAL mode lets run beside the writer on a consistent snapshot.
pub struct Store {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    feeds: Mutex<HashMap<String, watch::Sender<u64>>>,
    read_slots: Semaphore,
    write_slot: Semaphore,
}

/// Brings the file to [`SCHEMA_VERSION`] in one transaction, or refuses a newer one.
fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let found: u32 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            found,
            known: SCHEMA_VERSION,
        });
    }
    for step in &MIGRATIONS[found as usize..] {
        tx.execute_batch(step)?;
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    tx.commit()?;
    Ok(())
}

/// Seconds since the Unix epoch.
pub fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

impl Store {
    /// Opens (creating if needed) the database in the data folder `dir`.
    pub fn open(dir: &Path) -> Result<Arc<Self>, StoreError> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::Folder(dir.to_owned(), e))?;
        let path = dir.join(DB_FILE);
        let mut writer = Self::connect(&path)?;
        migrate(&mut writer)?;
        Ok(Arc::new(Self {
            path,
            writer: Mutex::new(writer),
            readers: Mutex::new(Vec::new()),
            feeds: Mutex::new(HashMap::new()),
            read_slots: Semaphore::new(READERS),
            write_slot: Semaphore::new(1),
        }))
    }

    fn connect(path: &Path) -> Result<Connection, StoreError> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)?;
        conn.busy_timeout(std::time::Duration::from_millis(BUSY_TIMEOUT_MS))?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = FULL;
             PRAGMA foreign_keys = ON;",
        )?;
        Ok(conn)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` in one immediate (write) transaction, committed if `f` succeeds.
    /// Blocking: call from a blocking thread or the command line.
    pub fn write_blocking<T, E>(
        &self,
        f: impl FnOnce(&rusqlite::Transaction) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let mut conn = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let out = f(&tx)?;
        tx.commit().map_err(StoreError::from)?;
        Ok(out)
    }

    /// Runs `f` in one read transaction (a consistent snapshot). Blocking.
    pub fn read_blocking<T, E>(
        &self,
        f: impl FnOnce(&rusqlite::Transaction) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let pooled = self
            .readers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        let mut conn = match pooled {
            Some(c) => c,
            None => Self::connect(&self.path)?,
        };
        let out = {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Deferred)
                .map_err(StoreError::from)?;
            let out = f(&tx);
            // A read transaction has nothing to commit; ending it releases the snapshot.
            tx.finish().map_err(StoreError::from)?;
            out
        };
        let mut pool = self.readers.lock().unwrap_or_else(PoisonError::into_inner);
        if pool.len() < READERS {
            pool.push(conn);
        }
        out
    }

    /// [`Store::write_blocking`] on a blocking thread.
    pub async fn write<T, E, F>(self: &Arc<Self>, f: F) -> Result<T, E>
    where
        F: FnOnce(&rusqlite::Transaction) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        // Queue here, not on the mutex, so waiting writers hold no blocking thread.
        let _slot = self
            .write_slot
            .acquire()
            .await
            .map_err(|e| StoreError::Task(e.to_string()))?;
        let store = Arc::clone(self);
        tokio::task::spawn_blocking(move || store.write_blocking(f))
            .await
            .map_err(|e| StoreError::Task(e.to_string()))?
    }

    /// [`Store::read_blocking`] on a blocking thread.
    pub async fn read<T, E, F>(self: &Arc<Self>, f: F) -> Result<T, E>
    where
        F: FnOnce(&rusqlite::Transaction) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        let _slot = self
            .read_slots
            .acquire()
            .await
            .map_err(|e| StoreError::Task(e.to_string()))?;
        let store = Arc::clone(self);
        tokio::task::spawn_blocking(move || store.read_blocking(f))
            .await
            .map_err(|e| StoreError::Task(e.to_string()))?
    }

    /// A receiver that changes whenever [`Store::notify`] is called for `db`. Subscribe
    /// before reading, so that no change between the read and the wait is missed.
    pub fn subscribe(&self, db: &str) -> watch::Receiver<u64> {
        let mut feeds = self.feeds.lock().unwrap_or_else(PoisonError::into_inner);
        feeds
            .entry(db.to_owned())
            .or_insert_with(|| watch::channel(0).0)
            .subscribe()
    }

    /// Wakes the long-polling readers of `db` after a commit changed it.
    pub fn notify(&self, db: &str, seq: u64) {
        let feeds = self.feeds.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(tx) = feeds.get(db) {
            tx.send_replace(seq);
        }
    }

    /// SQLite's `PRAGMA integrity_check`, then every attachment blob against its digest
    /// and every stub against the blobs ([`blobs::check_all`]): `Ok(())` or the problems.
    pub fn integrity_check(&self) -> Result<Result<(), Vec<String>>, StoreError> {
        self.read_blocking(|tx| {
            let mut stmt = tx.prepare("PRAGMA integrity_check")?;
            let rows: Vec<String> = stmt
                .query_map([], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            if rows != ["ok"] {
                return Ok::<_, StoreError>(Err(rows));
            }
            let problems = blobs::check_all(tx)?;
            Ok(if problems.is_empty() {
                Ok(())
            } else {
                Err(problems.iter().map(ToString::to_string).collect())
            })
        })
    }
}
