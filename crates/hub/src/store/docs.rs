//! Queries on databases, documents, the change sequence and `_local` documents. Each
//! document is one row holding its [`DocRecord`] as JSON (the revision tree and leaf
//! bodies, merged only by crates/couch) plus its winner, deleted flag and latest
//! sequence. The changes feed is the `(db, seq)` index: like CouchDB's by-seq tree it
//! holds each document once, at its latest change. Callers pass the transaction; this
//! module never opens one and knows nothing of HTTP or access rules.
//!
//! A stored record that no longer reads (written before a check existed) is logged and
//! skipped by every scan — the changes feed, `_all_docs`, the report — so one bad row
//! never makes a station's feed or a county's report fail.

use super::{now_secs, StoreError};
use couch::DocRecord;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::Value;

/// A database's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Db {
    /// Internal id (a re-created database gets a new one).
    pub id: i64,
    /// The database name, e.g. `station_330106001`.
    pub name: String,
    /// The sequence of the latest change.
    pub update_seq: u64,
}

/// The database named `name`, if it exists.
pub fn db_get(c: &Connection, name: &str) -> Result<Option<Db>, StoreError> {
    Ok(c.query_row(
        "SELECT id, name, update_seq FROM dbs WHERE name = ?1",
        [name],
        |r| {
            Ok(Db {
                id: r.get(0)?,
                name: r.get(1)?,
                update_seq: r.get::<_, i64>(2)? as u64,
            })
        },
    )
    .optional()?)
}

/// Creates database `name`; false if it exists already.
pub fn db_create(c: &Connection, name: &str) -> Result<bool, StoreError> {
    let n = c.execute(
        "INSERT OR IGNORE INTO dbs (name, created_at) VALUES (?1, ?2)",
        params![name, now_secs()],
    )?;
    Ok(n == 1)
}

/// Deletes database `name` with all its documents; false if it did not exist.
pub fn db_delete(c: &Connection, name: &str) -> Result<bool, StoreError> {
    Ok(c.execute("DELETE FROM dbs WHERE name = ?1", [name])? == 1)
}

/// Every database name, sorted.
pub fn db_names(c: &Connection) -> Result<Vec<String>, StoreError> {
    let mut stmt = c.prepare("SELECT name FROM dbs ORDER BY name")?;
    let names = stmt
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(names)
}

/// The number of live and of deleted documents.
pub fn db_counts(c: &Connection, db: &Db) -> Result<(u64, u64), StoreError> {
    Ok(c.query_row(
        "SELECT COALESCE(SUM(deleted = 0), 0), COALESCE(SUM(deleted = 1), 0) FROM docs WHERE db = ?1",
        [db.id],
        |r| Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64)),
    )?)
}

/// The database's `_security` object.
pub fn security_get(c: &Connection, db: &Db) -> Result<Value, StoreError> {
    let text: String = c.query_row("SELECT security FROM dbs WHERE id = ?1", [db.id], |r| {
        r.get(0)
    })?;
    Ok(serde_json::from_str(&text)?)
}

/// Replaces the database's `_security` object.
pub fn security_put(c: &Connection, db: &Db, security: &Value) -> Result<(), StoreError> {
    c.execute(
        "UPDATE dbs SET security = ?2 WHERE id = ?1",
        params![db.id, security.to_string()],
    )?;
    Ok(())
}

/// The stored record of document `id`, if it was ever written.
pub fn doc_load(c: &Connection, db: &Db, id: &str) -> Result<Option<DocRecord>, StoreError> {
    let text: Option<String> = c
        .query_row(
            "SELECT record FROM docs WHERE db = ?1 AND id = ?2",
            params![db.id, id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(text.map(|t| serde_json::from_str(&t)).transpose()?)
}

/// Stores `record` as the document's latest change and returns its new sequence.
/// Updates `db.update_seq`.
pub fn doc_save(c: &Connection, db: &mut Db, record: &DocRecord) -> Result<u64, StoreError> {
    let winner = record.tree.winner();
    let seq = db.update_seq + 1;
    c.execute(
        "INSERT OR REPLACE INTO docs (db, id, record, winner, deleted, seq)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            db.id,
            record.id,
            serde_json::to_string(record)?,
            winner
                .as_ref()
                .map(|w| w.rev.to_string())
                .unwrap_or_default(),
            winner.is_none_or(|w| w.deleted),
            seq as i64,
        ],
    )?;
    c.execute(
        "UPDATE dbs SET update_seq = ?2 WHERE id = ?1",
        params![db.id, seq as i64],
    )?;
    db.update_seq = seq;
    Ok(seq)
}

/// Reads a stored record, or logs why it cannot be read and gives None.
fn readable(db: &Db, id: &str, text: &str) -> Option<DocRecord> {
    match serde_json::from_str(text) {
        Ok(r) => Some(r),
        Err(e) => {
            tracing::warn!(
                "skipping unreadable stored record {:?} in {}: {e}",
                id.chars().take(200).collect::<String>(),
                db.name
            );
            None
        }
    }
}

/// Documents changed after `since`, in sequence order, at most `limit`, optionally only
/// those with an id in `doc_ids`: `f` gets each `(seq, record)` as it is read. Returns
/// how many rows were read (unreadable ones included, so the caller's paging holds) and
/// the sequence of the last.
pub fn changes<E: From<StoreError>>(
    c: &Connection,
    db: &Db,
    since: u64,
    limit: u64,
    doc_ids: Option<&[String]>,
    mut f: impl FnMut(u64, DocRecord) -> Result<(), E>,
) -> Result<(u64, Option<u64>), E> {
    let ids = doc_ids.map(|ids| Value::from(ids.to_vec()).to_string());
    let mut stmt = c
        .prepare_cached(
            "SELECT seq, id, record FROM docs WHERE db = ?1 AND seq > ?2
           AND (?3 IS NULL OR id IN (SELECT value FROM json_each(?3)))
         ORDER BY seq LIMIT ?4",
        )
        .map_err(StoreError::from)?;
    let mut rows = stmt
        .query(params![
            db.id,
            since.min(i64::MAX as u64) as i64,
            ids,
            limit.min(i64::MAX as u64) as i64
        ])
        .map_err(StoreError::from)?;
    let (mut n, mut last) = (0, None);
    while let Some(row) = rows.next().map_err(StoreError::from)? {
        let seq = row.get::<_, i64>(0).map_err(StoreError::from)? as u64;
        let id: String = row.get(1).map_err(StoreError::from)?;
        let text: String = row.get(2).map_err(StoreError::from)?;
        n += 1;
        last = Some(seq);
        if let Some(rec) = readable(db, &id, &text) {
            f(seq, rec)?;
        }
    }
    Ok((n, last))
}

/// How many documents (optionally only of `doc_ids`) changed after `since`.
pub fn changes_pending(
    c: &Connection,
    db: &Db,
    since: u64,
    doc_ids: Option<&[String]>,
) -> Result<u64, StoreError> {
    let ids = doc_ids.map(|ids| Value::from(ids.to_vec()).to_string());
    Ok(c.query_row(
        "SELECT COUNT(*) FROM docs WHERE db = ?1 AND seq > ?2
           AND (?3 IS NULL OR id IN (SELECT value FROM json_each(?3)))",
        params![db.id, since.min(i64::MAX as u64) as i64, ids],
        |r| r.get::<_, i64>(0),
    )? as u64)
}

/// A key range over document ids for `_all_docs`.
#[derive(Debug, Clone, Default)]
pub struct IdRange {
    /// First id (inclusive), in the direction of travel.
    pub start: Option<String>,
    /// Last id, in the direction of travel.
    pub end: Option<String>,
    /// Whether `end` itself is included.
    pub inclusive_end: bool,
    /// Newest id first.
    pub descending: bool,
    /// Rows to skip.
    pub skip: u64,
    /// Rows to return at most.
    pub limit: u64,
}

/// Live (not deleted) documents in id order within `range`, each given to `f` as read.
pub fn all_docs<E: From<StoreError>>(
    c: &Connection,
    db: &Db,
    range: &IdRange,
    mut f: impl FnMut(DocRecord) -> Result<(), E>,
) -> Result<(), E> {
    let (lo, hi) = if range.descending {
        (range.end.clone(), range.start.clone())
    } else {
        (range.start.clone(), range.end.clone())
    };
    // The bound on the "end" side is exclusive unless inclusive_end.
    let (lo_op, hi_op) = match (range.descending, range.inclusive_end) {
        (false, true) | (true, true) => (">=", "<="),
        (false, false) => (">=", "<"),
        (true, false) => (">", "<="),
    };
    let order = if range.descending { "DESC" } else { "ASC" };
    let sql = format!(
        "SELECT id, record FROM docs WHERE db = ?1 AND deleted = 0
           AND (?2 IS NULL OR id {lo_op} ?2) AND (?3 IS NULL OR id {hi_op} ?3)
         ORDER BY id {order} LIMIT ?4 OFFSET ?5"
    );
    let mut stmt = c.prepare_cached(&sql).map_err(StoreError::from)?;
    let mut rows = stmt
        .query(params![
            db.id,
            lo,
            hi,
            range.limit.min(i64::MAX as u64) as i64,
            range.skip.min(i64::MAX as u64) as i64
        ])
        .map_err(StoreError::from)?;
    while let Some(row) = rows.next().map_err(StoreError::from)? {
        let id: String = row.get(0).map_err(StoreError::from)?;
        let text: String = row.get(1).map_err(StoreError::from)?;
        if let Some(rec) = readable(db, &id, &text) {
            f(rec)?;
        }
    }
    Ok(())
}

/// The `_local` document `id` (without the `_local/` prefix): its revision number and body.
pub fn local_get(c: &Connection, db: &Db, id: &str) -> Result<Option<(u64, Value)>, StoreError> {
    let row: Option<(i64, String)> = c
        .query_row(
            "SELECT rev, body FROM local_docs WHERE db = ?1 AND id = ?2",
            params![db.id, id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    row.map(|(rev, body)| Ok((rev as u64, serde_json::from_str(&body)?)))
        .transpose()
}

/// Writes the `_local` document `id` at revision number `rev`.
pub fn local_put(
    c: &Connection,
    db: &Db,
    id: &str,
    rev: u64,
    body: &Value,
) -> Result<(), StoreError> {
    c.execute(
        "INSERT OR REPLACE INTO local_docs (db, id, rev, body) VALUES (?1, ?2, ?3, ?4)",
        params![db.id, id, rev as i64, body.to_string()],
    )?;
    // A replicator writes its checkpoint only after a batch is committed on both sides:
    // the time of the last one is the database's last successful sync.
    c.execute(
        "UPDATE dbs SET synced_at = ?2 WHERE id = ?1",
        params![db.id, now_secs()],
    )?;
    Ok(())
}

/// The winning body of every live document in `db`, with its `_id` and `_rev`: what the
/// dashboard's counts read. Faster than [`live_winners`]: the revision tree is skipped
/// unparsed and the body picked by the stored winner. A record that does not read is
/// logged and skipped.
pub fn live_winner_bodies(c: &Connection, db: &Db) -> Result<Vec<Value>, StoreError> {
    #[derive(serde::Deserialize)]
    struct Bodies {
        bodies: std::collections::HashMap<String, Value>,
    }
    let mut stmt =
        c.prepare_cached("SELECT id, winner, record FROM docs WHERE db = ?1 AND deleted = 0")?;
    let rows = stmt.query_map([db.id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, winner, text) = row?;
        let body = serde_json::from_str::<Bodies>(&text)
            .ok()
            .and_then(|mut b| b.bodies.remove(&winner));
        match body {
            Some(Value::Object(mut fields)) => {
                fields.insert("_id".into(), Value::String(id));
                // `rollup` counts a review only for the revision it approved.
                fields.insert("_rev".into(), Value::String(winner));
                out.push(Value::Object(fields));
            }
            _ => tracing::warn!(
                "skipping unreadable stored record {:?} in {}",
                id.chars().take(200).collect::<String>(),
                db.name
            ),
        }
    }
    Ok(out)
}

/// When a replication last wrote a checkpoint into `db` (Unix seconds), if ever.
pub fn synced_at(c: &Connection, db: &Db) -> Result<Option<i64>, StoreError> {
    Ok(
        c.query_row("SELECT synced_at FROM dbs WHERE id = ?1", [db.id], |r| {
            r.get(0)
        })?,
    )
}

/// Deletes the `_local` document `id`.
pub fn local_delete(c: &Connection, db: &Db, id: &str) -> Result<(), StoreError> {
    c.execute(
        "DELETE FROM local_docs WHERE db = ?1 AND id = ?2",
        params![db.id, id],
    )?;
    Ok(())
}

/// The winning revision of every live (not deleted) document, as full documents.
pub fn live_winners(c: &Connection, db: &Db) -> Result<Vec<Value>, StoreError> {
    let mut stmt = c.prepare_cached("SELECT id, record FROM docs WHERE db = ?1 AND deleted = 0")?;
    let rows = stmt.query_map([db.id], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, text) = row?;
        out.extend(readable(db, &id, &text).and_then(|r| r.winner_doc()));
    }
    Ok(out)
}
