//! Queries on the `imports` table: one row per export file merged into a station's
//! database (the console's upload or `yehua-hub import`), read by 上报情况. Only reads and
//! writes rows; who may import what belongs to `couch::import`.

use super::StoreError;
use rusqlite::{params, Connection};

/// One imported file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    /// When (Unix seconds).
    pub at: i64,
    /// The station whose database received it.
    pub station: String,
    /// Who imported it (an account's name; empty for the command line).
    pub user: String,
    /// The file's name as given.
    pub file: String,
    /// Its counts.
    pub report: exchange::ImportReport,
}

/// Records an imported file.
pub fn record(c: &Connection, row: &ImportRow) -> Result<(), StoreError> {
    let n = |v: usize| i64::try_from(v).unwrap_or(i64::MAX);
    c.execute(
        "INSERT INTO imports (at, station, user, file, new, updated, unchanged, conflicts)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            row.at,
            row.station,
            row.user,
            row.file,
            n(row.report.new),
            n(row.report.updated),
            n(row.report.unchanged),
            n(row.report.conflicts)
        ],
    )?;
    Ok(())
}

/// Every import, oldest first (a few a month per station: small).
pub fn all(c: &Connection) -> Result<Vec<ImportRow>, StoreError> {
    let mut stmt = c.prepare_cached(
        "SELECT at, station, user, file, new, updated, unchanged, conflicts
         FROM imports ORDER BY at, id",
    )?;
    let n = |v: i64| usize::try_from(v).unwrap_or(0);
    let rows = stmt.query_map([], |r| {
        Ok(ImportRow {
            at: r.get(0)?,
            station: r.get(1)?,
            user: r.get(2)?,
            file: r.get(3)?,
            report: exchange::ImportReport {
                new: n(r.get(4)?),
                updated: n(r.get(5)?),
                unchanged: n(r.get(6)?),
                conflicts: n(r.get(7)?),
            },
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
