//! Attachment bytes, kept once per digest per database (`blobs`). A document's record
//! holds only stubs (crates/couch); the writes module stores a stub's bytes here in the
//! same transaction as the record, and refuses a stub whose bytes are neither here nor in
//! the request, so a stub is never without its bytes. Callers pass the transaction; this
//! module knows nothing of HTTP or access rules.

use super::docs::Db;
use super::StoreError;
use couch::attachment::digest;
use rusqlite::{params, Connection, OptionalExtension};

/// Stores `bytes` under `digest` (the caller computed it from the bytes) unless the
/// database holds that digest already; true if a row was added.
pub fn put(c: &Connection, db: &Db, digest: &str, bytes: &[u8]) -> Result<bool, StoreError> {
    let n = c.execute(
        "INSERT OR IGNORE INTO blobs (db, digest, length, data) VALUES (?1, ?2, ?3, ?4)",
        params![db.id, digest, bytes.len() as i64, bytes],
    )?;
    Ok(n == 1)
}

/// Whether the database holds the bytes of `digest`.
pub fn has(c: &Connection, db: &Db, digest: &str) -> Result<bool, StoreError> {
    Ok(
        c.prepare_cached("SELECT 1 FROM blobs WHERE db = ?1 AND digest = ?2")?
            .query_row(params![db.id, digest], |_| Ok(()))
            .optional()?
            .is_some(),
    )
}

/// The bytes of `digest`, if the database holds them.
pub fn get(c: &Connection, db: &Db, digest: &str) -> Result<Option<Vec<u8>>, StoreError> {
    Ok(
        c.prepare_cached("SELECT data FROM blobs WHERE db = ?1 AND digest = ?2")?
            .query_row(params![db.id, digest], |r| r.get(0))
            .optional()?,
    )
}

/// A stored blob that does not match its digest or length, or a stub without its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlobProblem {
    /// The bytes stored under `digest` hash or count otherwise.
    Corrupt {
        /// The database.
        db: String,
        /// The digest the row is stored under.
        digest: String,
    },
    /// A document's stub names bytes the database does not hold.
    Missing {
        /// The database.
        db: String,
        /// The document.
        doc: String,
        /// The digest.
        digest: String,
    },
}

impl std::fmt::Display for BlobProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BlobProblem::Corrupt { db, digest } => {
                write!(f, "{db}: the bytes stored as {digest} do not match it")
            }
            BlobProblem::Missing { db, doc, digest } => {
                write!(f, "{db}: {doc} refers to {digest}, which is not stored")
            }
        }
    }
}

/// Every stored blob checked against its digest and length, and every stub of every
/// stored document against the blobs (`yehua-hub check`). Reads one blob at a time.
pub fn check_all(c: &Connection) -> Result<Vec<BlobProblem>, StoreError> {
    let mut problems = Vec::new();
    let mut rows = c.prepare(
        "SELECT dbs.name, blobs.digest, blobs.length, blobs.data
           FROM blobs JOIN dbs ON dbs.id = blobs.db ORDER BY blobs.rowid",
    )?;
    let mut rows = rows.query([])?;
    while let Some(r) = rows.next()? {
        let (db, stored, length): (String, String, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
        let data = r.get_ref(3)?.as_blob().map_err(rusqlite::Error::from)?;
        if digest(data) != stored || data.len() as i64 != length {
            problems.push(BlobProblem::Corrupt { db, digest: stored });
        }
    }
    let mut docs = c.prepare(
        "SELECT dbs.name, docs.db, docs.id, docs.record FROM docs JOIN dbs ON dbs.id = docs.db
          WHERE docs.record LIKE '%\"attachments\"%'",
    )?;
    let mut rows = docs.query([])?;
    while let Some(r) = rows.next()? {
        let (name, db_id, id, text): (String, i64, String, String) =
            (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
        let Ok(record) = serde_json::from_str::<couch::DocRecord>(&text) else {
            continue;
        };
        let db = Db {
            id: db_id,
            name: name.clone(),
            update_seq: 0,
        };
        for d in record.digests() {
            if !has(c, &db, d)? {
                problems.push(BlobProblem::Missing {
                    db: name.clone(),
                    doc: id.clone(),
                    digest: d.to_owned(),
                });
            }
        }
    }
    Ok(problems)
}
