//! 上报情况's column 本月导入记录 / 最近导入: what headquarters received from a station by
//! export files (sent by WeChat, uploaded in the console or `yehua-hub import`) instead
//! of by sync. Rules:
//! - 本月导入记录 (`imported`): the records the month's imported files brought to the hub
//!   (each file's new + updated, as its import report counted them; unchanged ones brought
//!   nothing), the month being the import's time in China (UTC+8); a station's row counts
//!   its own files and those of every station below it, like the other columns.
//! - 最近导入 (`last_import`): the time of the last file imported into the station or
//!   below it, up to the end of the month.
//!
//! Rows come from [`super::status`]; imports from the hub's `imports` table. No clock
//! and no I/O.

use super::StationStatus;
use crate::time::rfc3339_cst;
use std::collections::HashMap;

/// One imported file, as 上报情况 counts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// The station whose database received it.
    pub station: String,
    /// When (Unix seconds).
    pub at: i64,
    /// Records it brought (new + updated).
    pub records: u64,
}

/// The month (`YYYY-MM`, UTC+8) of a Unix time.
fn month_of(at: i64) -> Option<String> {
    rfc3339_cst(at.saturating_mul(1000))
        .ok()
        .and_then(|t| t.get(..7).map(str::to_owned))
}

/// Fills `imported` and `last_import` of `rows` (one month's, with their parents) from
/// `imports`.
pub fn apply(rows: &mut [StationStatus], imports: &[Imported], month: &str) {
    let parent: HashMap<String, Option<String>> = rows
        .iter()
        .map(|r| (r.code.clone(), r.parent.clone()))
        .collect();
    let at: HashMap<String, usize> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (r.code.clone(), i))
        .collect();
    for imp in imports {
        let Some(m) = month_of(imp.at) else { continue };
        if m.as_str() > month {
            continue;
        }
        // The station and each station above it that is among the rows, once each.
        let mut code = Some(imp.station.clone());
        let mut seen = Vec::new();
        while let Some(c) = code.take() {
            if seen.contains(&c) {
                break;
            }
            let Some(&i) = at.get(&c) else { break };
            let row = &mut rows[i];
            if m == month {
                row.imported += imp.records;
            }
            row.last_import = row.last_import.max(Some(imp.at));
            code = parent.get(&c).cloned().flatten();
            seen.push(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(code: &str, parent: Option<&str>) -> StationStatus {
        StationStatus {
            code: code.into(),
            name: code.into(),
            level: if parent.is_some() {
                "village"
            } else {
                "township"
            }
            .into(),
            parent: parent.map(Into::into),
            last_sync: None,
            last_forum: None,
            forums: 0,
            villagers: 0,
            concerns_open: 0,
            reviewed: 0,
            activities: 0,
            no_forum: true,
            not_synced: true,
            imported: 0,
            last_import: None,
        }
    }

    #[test]
    fn a_months_files_count_in_their_station_and_above_by_china_time() {
        let mut rows = vec![row("1", None), row("11", Some("1")), row("12", Some("1"))];
        // 2026-10-31T16:30Z is 11-01 00:30 in China: November's.
        let oct_31_utc = 1_793_464_200;
        let nov_6 = 1_793_894_400;
        let dec_2 = 1_796_140_800;
        let imports = [
            Imported {
                station: "11".into(),
                at: oct_31_utc,
                records: 5,
            },
            Imported {
                station: "11".into(),
                at: nov_6,
                records: 2,
            },
            Imported {
                station: "12".into(),
                at: 1_790_000_000,
                records: 9,
            },
            Imported {
                station: "12".into(),
                at: dec_2,
                records: 4,
            },
            Imported {
                station: "99".into(),
                at: nov_6,
                records: 3,
            },
        ];
        assert_eq!(month_of(oct_31_utc).as_deref(), Some("2026-11"));
        apply(&mut rows, &imports, "2026-11");
        let get = |c: &str| rows.iter().find(|r| r.code == c).unwrap().clone();
        assert_eq!(
            (get("11").imported, get("11").last_import),
            (7, Some(nov_6))
        );
        // September's file is not November's records, but it is the last import; December's is after.
        assert_eq!(
            (get("12").imported, get("12").last_import),
            (0, Some(1_790_000_000))
        );
        // The township counts both villages; a station not among the rows counts nowhere.
        assert_eq!((get("1").imported, get("1").last_import), (7, Some(nov_6)));
    }
}
