//! 上报情况 on the hub: for one month and the stations a caller may see, each station's
//! row (`model::rollup::status`) and the month's dashboard figures per station, summed up
//! the tree (`model::rollup`'s rows). Reads the live winners of each station database,
//! the stations table, each database's last sync (the last replication checkpoint a
//! phone wrote there) and the `imports` table (本月导入记录, 最近导入); every figure comes
//! from `model`. Knows nothing of HTTP.
//!
//! Speed: a county's 300 stations with a year of data each must answer within a second
//! on two cores (`examples/bench_status.rs`). Each station database's counts (rollup's
//! `per_station_month`, and its forums' dates) are kept in memory keyed by the
//! database's update sequence, so a station whose data has not changed since the last
//! question is not read again; the stations that did change are read on two threads.
//! `serve` fills the cache in the background at start ([`warm`]), so only a question in
//! the first seconds after a start reads every database (3.8 s for 300 stations' years).

use crate::admin::station_db;
use crate::report::{month_ok, ReportError};
use crate::store::{accounts, docs as q, imports, Store, StoreError};
use model::rollup::status::imports::{self as status_imports, Imported};
use model::rollup::status::{forum_dates, last_forums, status, ForumDates, StationStatus};
use model::rollup::{merge, per_station_month, roll_up, Demo, Row, StationInfo, StationMonths};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

/// The answer of `GET /couch/_yehua/status?month=`.
#[derive(Debug, Clone, Serialize)]
pub struct StatusAnswer {
    /// `YYYY-MM`.
    pub month: String,
    /// When it was computed (Unix seconds), the time the 7-day flag is measured from.
    pub now: i64,
    /// One row per station, in code order.
    pub stations: Vec<StationStatus>,
    /// The month's dashboard rows: each station and each group above, summed up the tree.
    pub figures: Vec<Row>,
}

/// One station database's counts, as of an update sequence.
struct Counted {
    seq: u64,
    months: Arc<StationMonths>,
    forums: Arc<ForumDates>,
}

/// Counts per station database, reused while the database is unchanged.
#[derive(Default)]
pub struct StatusCache {
    counted: Mutex<HashMap<String, Counted>>,
}

type Parts = (Arc<StationMonths>, Arc<ForumDates>);

impl StatusCache {
    fn get(&self, db: &str, seq: u64) -> Option<Parts> {
        let map = self.counted.lock().unwrap_or_else(PoisonError::into_inner);
        map.get(db)
            .filter(|c| c.seq == seq)
            .map(|c| (Arc::clone(&c.months), Arc::clone(&c.forums)))
    }

    fn put(&self, db: String, seq: u64, parts: &Parts) {
        let mut map = self.counted.lock().unwrap_or_else(PoisonError::into_inner);
        map.insert(
            db,
            Counted {
                seq,
                months: Arc::clone(&parts.0),
                forums: Arc::clone(&parts.1),
            },
        );
    }
}

/// Reads and counts the station databases `dbs` (name, update seq) not in the cache.
fn count(
    store: &Store,
    cache: &StatusCache,
    dbs: &[(String, u64)],
) -> Result<Vec<Parts>, StoreError> {
    let one = |(name, seq): &(String, u64)| -> Result<Parts, StoreError> {
        if let Some(p) = cache.get(name, *seq) {
            return Ok(p);
        }
        let docs = store.read_blocking(|tx| match q::db_get(tx, name)? {
            Some(db) => q::live_winner_bodies(tx, &db),
            None => Ok(Vec::new()),
        })?;
        let parts = (
            Arc::new(per_station_month(&docs, Demo::LeaveOut)),
            Arc::new(forum_dates(&docs)),
        );
        cache.put(name.clone(), *seq, &parts);
        Ok(parts)
    };
    // Two threads: the hub's budget is two cores.
    let half = dbs.len().div_ceil(2);
    let (a, b) = dbs.split_at(half);
    std::thread::scope(|s| {
        let other = s.spawn(|| b.iter().map(one).collect::<Result<Vec<_>, _>>());
        let mut out = a.iter().map(one).collect::<Result<Vec<_>, _>>()?;
        let rest = other
            .join()
            .map_err(|_| StoreError::Task("a counting thread panicked".into()))??;
        out.extend(rest);
        Ok(out)
    })
}

/// Counts every station database into `cache` (what `serve` runs at start, on a thread of
/// its own), so the first question is answered from memory.
pub fn warm(store: &Store, cache: &StatusCache) -> Result<(), StoreError> {
    let dbs = store.read_blocking(|tx| {
        let mut dbs = Vec::new();
        for s in accounts::stations_all(tx)? {
            if let Some(db) = q::db_get(tx, &station_db(&s.code))? {
                dbs.push((db.name, db.update_seq));
            }
        }
        Ok::<_, StoreError>(dbs)
    })?;
    count(store, cache, &dbs).map(|_| ())
}

/// 上报情况 for `month` over `codes` (a caller's stations; None: every station), at `now`.
/// Blocking: call off the async runtime.
pub fn station_status(
    store: &Store,
    cache: &StatusCache,
    month: &str,
    codes: Option<&[String]>,
    now: i64,
) -> Result<StatusAnswer, ReportError> {
    if !month_ok(month) {
        return Err(ReportError::BadMonth(month.into()));
    }
    let (stations, syncs, dbs, imported) = store.read_blocking(|tx| {
        let all = accounts::stations_all(tx)?;
        let mut stations = Vec::new();
        let mut syncs = HashMap::new();
        let mut dbs = Vec::new();
        for s in all {
            if codes.is_some_and(|c| !c.contains(&s.code)) {
                continue;
            }
            if let Some(db) = q::db_get(tx, &station_db(&s.code))? {
                if let Some(at) = q::synced_at(tx, &db)? {
                    syncs.insert(s.code.clone(), at);
                }
                dbs.push((db.name, db.update_seq));
            }
            stations.push(StationInfo {
                code: s.code,
                name: s.name,
                level: s.level,
                parent: s.parent,
            });
        }
        let imported: Vec<Imported> = imports::all(tx)?
            .into_iter()
            .map(|i| Imported {
                station: i.station,
                at: i.at,
                records: (i.report.new + i.report.updated) as u64,
            })
            .collect();
        Ok::<_, ReportError>((stations, syncs, dbs, imported))
    })?;
    let parts = count(store, cache, &dbs)?;
    let months = merge(parts.iter().map(|p| p.0.as_ref()));
    let forums = last_forums(parts.iter().map(|p| p.1.as_ref()), month);
    let figures: Vec<Row> = roll_up(&months, &stations)
        .into_iter()
        .filter(|r| r.month == month && stations.iter().any(|s| s.code == r.code))
        .collect();
    let mut rows = status(&figures, &stations, &syncs, &forums, now);
    status_imports::apply(&mut rows, &imported, month);
    Ok(StatusAnswer {
        month: month.to_owned(),
        now,
        stations: rows,
        figures,
    })
}
