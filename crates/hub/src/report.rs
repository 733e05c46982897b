//! `yehua-hub report --month YYYY-MM [--station CODE]`: the headquarters dashboard on the
//! hub. Reads the winning revision of every live document in the station databases and
//! hands them to `model::rollup` — the same code the app runs — grouped by the hub's
//! stations table. Owns reading and choosing rows; every figure comes from `model`.

use crate::admin::station_db;
use crate::store::{accounts, docs as q, Store, StoreError};
use model::rollup::{rollup, Row, StationInfo};

/// Why `report` failed.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The month is not `YYYY-MM`.
    #[error("month `{0}` must be YYYY-MM, e.g. 2026-11")]
    BadMonth(String),
    /// The station is not on this hub.
    #[error("there is no station `{0}`")]
    NoStation(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// True if `m` is a month `YYYY-MM`.
pub fn month_ok(m: &str) -> bool {
    let b = m.as_bytes();
    b.len() == 7
        && b[4] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || c.is_ascii_digit())
        && (1..=12).contains(&m[5..].parse::<u8>().unwrap_or(0))
}

/// The rows of `month` for `station` and every station below it (all stations if None).
pub fn report(store: &Store, month: &str, station: Option<&str>) -> Result<Vec<Row>, ReportError> {
    if !month_ok(month) {
        return Err(ReportError::BadMonth(month.into()));
    }
    let (stations, codes, docs) = store.read_blocking(|tx| {
        let stations: Vec<StationInfo> = accounts::stations_all(tx)?
            .into_iter()
            .map(|s| StationInfo {
                code: s.code,
                name: s.name,
                level: s.level,
                parent: s.parent,
            })
            .collect();
        let codes: Vec<String> = match station {
            Some(code) => {
                if !stations.iter().any(|s| s.code == code) {
                    return Err(ReportError::NoStation(code.into()));
                }
                accounts::station_subtree(tx, code)?
            }
            None => stations.iter().map(|s| s.code.clone()).collect(),
        };
        let mut docs = Vec::new();
        for code in &codes {
            if let Some(db) = q::db_get(tx, &station_db(code))? {
                docs.extend(q::live_winners(tx, &db)?);
            }
        }
        Ok::<_, ReportError>((stations, codes, docs))
    })?;
    Ok(rollup(&docs, &stations)
        .into_iter()
        .filter(|r| r.month == month && (station.is_none() || codes.contains(&r.code)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::month_ok;

    #[test]
    fn months_are_checked() {
        assert!(month_ok("2026-11"));
        for bad in ["2026-13", "2026-1", "202611", "2026/11", "２０２６-11"] {
            assert!(!month_ok(bad), "{bad}");
        }
    }
}
