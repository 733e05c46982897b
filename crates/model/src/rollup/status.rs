//! 上报情况 — who has reported: for one month, one row per station with its last
//! successful sync, its last forum, the month's forums, villagers reached and concerns
//! still open, and two flags. Every figure is taken from [`super::rollup`]'s rows for the
//! month as they are (never added up again here); this module only picks them, finds each
//! station's last forum and sets the flags. No clock and no I/O: `now` is passed in.
//!
//! Rules:
//! - 本月未开展夜话 (`no_forum`): the station's row (its own and everything below it) has no
//!   evening forum in the month.
//! - 7 天未同步 (`not_synced`): a village station whose last sync is unknown or more than
//!   [`STALE_SYNC_SECS`] before `now`. Stations above villages have no cadres' phones and
//!   are never flagged for it.
//! - Concerns open: of the concerns raised in the month, those not resolved by now
//!   (`raised − raised_resolved`, the cohort of 办结率).
//! - The last forum: the latest local date (UTC+8) of a live, non-demo `evening_forum`
//!   activity of the station itself, up to the end of the month.

pub mod imports;

use super::{Figures, Row, StationInfo};
use crate::demo::is_demo;
use crate::time::date_cst;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Seven days: a village whose phones have not synced for longer is flagged.
pub const STALE_SYNC_SECS: i64 = 7 * 24 * 3600;

/// One station's row of 上报情况.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StationStatus {
    /// Administrative code.
    pub code: String,
    /// Name.
    pub name: String,
    /// `village`, `township`, `county` or `city`.
    pub level: String,
    /// The station above, if any.
    pub parent: Option<String>,
    /// The last successful sync (Unix seconds), if any.
    pub last_sync: Option<i64>,
    /// The last forum's date `YYYY-MM-DD` (UTC+8), if any.
    pub last_forum: Option<String>,
    /// Forums held in the month (with the stations below).
    pub forums: u64,
    /// Villagers reached in the month (with the stations below).
    pub villagers: u64,
    /// Concerns raised in the month and still open.
    pub concerns_open: u64,
    /// Activities of the month headquarters approved at their current revision (已审核,
    /// with the stations below).
    #[serde(default)]
    pub reviewed: u64,
    /// Activities of the month (with the stations below): those not 已审核 await review
    /// or correction.
    #[serde(default)]
    pub activities: u64,
    /// 本月未开展夜话.
    pub no_forum: bool,
    /// 7 天未同步.
    pub not_synced: bool,
    /// Records imported files brought in the month (with the stations below; [`imports`]).
    #[serde(default)]
    pub imported: u64,
    /// The last file imported up to the end of the month (Unix seconds), if any.
    #[serde(default)]
    pub last_import: Option<i64>,
}

/// Each station's forum dates (`YYYY-MM-DD`, UTC+8).
pub type ForumDates = BTreeMap<String, BTreeSet<String>>;

/// The dates of every live, non-demo evening forum in winning bodies, by station.
pub fn forum_dates<'a>(docs: impl IntoIterator<Item = &'a Value>) -> ForumDates {
    let mut out = ForumDates::new();
    for d in docs {
        let s = |k: &str| d.get(k).and_then(Value::as_str);
        if s("type") != Some("activity")
            || s("kind") != Some("evening_forum")
            || d.get("_deleted") == Some(&Value::Bool(true))
            || is_demo(d)
        {
            continue;
        }
        if let (Some(station), Some(date)) = (s("station"), s("start").and_then(date_cst)) {
            out.entry(station.to_owned()).or_default().insert(date);
        }
    }
    out
}

/// Each station's last forum date up to the end of `month` (`YYYY-MM`), from the forum
/// dates of one or more sets of documents.
pub fn last_forums<'a>(
    parts: impl IntoIterator<Item = &'a ForumDates>,
    month: &str,
) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    for part in parts {
        for (station, dates) in part {
            let last = dates
                .iter()
                .rev()
                .find(|d| d.get(..7).is_some_and(|m| m <= month));
            if let Some(last) = last {
                let e = out.entry(station.clone()).or_default();
                if *last > *e {
                    *e = last.clone();
                }
            }
        }
    }
    out
}

/// The rows of 上报情况 for `stations` (in their order), from `rows` (rollup's rows for
/// the month), the last syncs (Unix seconds by code) and the last forums.
pub fn status(
    rows: &[Row],
    stations: &[StationInfo],
    last_sync: &HashMap<String, i64>,
    last_forum: &BTreeMap<String, String>,
    now: i64,
) -> Vec<StationStatus> {
    let by_code: HashMap<&str, &Figures> =
        rows.iter().map(|r| (r.code.as_str(), &r.figures)).collect();
    let none = Figures::default();
    stations
        .iter()
        .map(|s| {
            let f = by_code.get(s.code.as_str()).copied().unwrap_or(&none);
            let synced = last_sync.get(&s.code).copied();
            StationStatus {
                code: s.code.clone(),
                name: s.name.clone(),
                level: s.level.clone(),
                parent: s.parent.clone(),
                last_sync: synced,
                last_forum: last_forum.get(&s.code).cloned(),
                forums: f.forums,
                villagers: f.villagers,
                concerns_open: f.raised.saturating_sub(f.raised_resolved),
                reviewed: f.reviewed,
                activities: f.activities,
                no_forum: f.forums == 0,
                not_synced: s.level == "village"
                    && synced.is_none_or(|t| now - t > STALE_SYNC_SECS),
                imported: 0,
                last_import: None,
            }
        })
        .collect()
}

/// What 上报情况's table is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    /// Station code (the tree's order).
    Code,
    /// Longest without a sync first (never synced before any).
    LastSync,
    /// Longest without a forum first (none at all before any).
    LastForum,
    /// Most forums first.
    Forums,
    /// Most villagers reached first.
    Villagers,
    /// Most concerns open first.
    ConcernsOpen,
}

impl SortBy {
    /// Every order, as the screen offers them.
    pub const ALL: [SortBy; 6] = [
        SortBy::Code,
        SortBy::LastSync,
        SortBy::LastForum,
        SortBy::Forums,
        SortBy::Villagers,
        SortBy::ConcernsOpen,
    ];

    /// A stable name for a form value.
    pub fn key(self) -> &'static str {
        match self {
            SortBy::Code => "code",
            SortBy::LastSync => "last_sync",
            SortBy::LastForum => "last_forum",
            SortBy::Forums => "forums",
            SortBy::Villagers => "villagers",
            SortBy::ConcernsOpen => "concerns_open",
        }
    }

    /// The order named `key` (code order for anything else).
    pub fn from_key(key: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|s| s.key() == key)
            .unwrap_or(SortBy::Code)
    }
}

/// Whether a row carries a flag.
pub fn is_flagged(s: &StationStatus) -> bool {
    s.no_forum || s.not_synced
}

/// The rows to show: flagged ones only if asked, sorted by `by` (ties in code order).
pub fn view(rows: &[StationStatus], by: SortBy, flagged_only: bool) -> Vec<StationStatus> {
    let mut out: Vec<StationStatus> = rows
        .iter()
        .filter(|s| !flagged_only || is_flagged(s))
        .cloned()
        .collect();
    out.sort_by(|a, b| {
        let primary = match by {
            SortBy::Code => std::cmp::Ordering::Equal,
            SortBy::LastSync => a.last_sync.cmp(&b.last_sync),
            SortBy::LastForum => a.last_forum.cmp(&b.last_forum),
            SortBy::Forums => b.forums.cmp(&a.forums),
            SortBy::Villagers => b.villagers.cmp(&a.villagers),
            SortBy::ConcernsOpen => b.concerns_open.cmp(&a.concerns_open),
        };
        primary.then_with(|| a.code.cmp(&b.code))
    });
    out
}

/// 上报情况 as CSV for Excel (UTF-8 with a BOM): one line per row, the last sync and the
/// last import as `time_text` gives them (the caller formats times), flags as 是 / empty.
pub fn to_csv(rows: &[StationStatus], time_text: impl Fn(i64) -> String) -> String {
    let header = [
        "站点代码",
        "站点名称",
        "层级",
        "最近同步",
        "最近一次夜话",
        "本月夜话场次",
        "本月受众人次",
        "本月未办结诉求",
        "本月未开展夜话",
        "7天未同步",
        "本月导入记录",
        "最近导入",
    ];
    let yes = |b: bool| if b { "是" } else { "" }.to_owned();
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|s| {
            vec![
                s.code.clone(),
                s.name.clone(),
                super::level_zh(&s.level).to_owned(),
                s.last_sync.map(&time_text).unwrap_or_default(),
                s.last_forum.clone().unwrap_or_default(),
                s.forums.to_string(),
                s.villagers.to_string(),
                s.concerns_open.to_string(),
                yes(s.no_forum),
                yes(s.not_synced),
                s.imported.to_string(),
                s.last_import.map(&time_text).unwrap_or_default(),
            ]
        })
        .collect();
    crate::csv::table(&header, &body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rollup::rollup;
    use serde_json::json;

    fn station(code: &str, parent: Option<&str>, level: &str) -> StationInfo {
        StationInfo {
            code: code.into(),
            name: format!("站{code}"),
            level: level.into(),
            parent: parent.map(Into::into),
        }
    }

    #[test]
    fn flags_and_figures_come_from_the_months_rollup() {
        let stations = vec![
            station("1", None, "township"),
            station("11", Some("1"), "village"),
            station("12", Some("1"), "village"),
        ];
        let docs = vec![
            json!({"_id": "activity:a", "type": "activity", "kind": "evening_forum",
                   "station": "11", "start": "2026-11-03T19:30:00+08:00", "villagers_present": 40}),
            json!({"_id": "activity:b", "type": "activity", "kind": "evening_forum",
                   "station": "11", "start": "2026-12-01T19:30:00+08:00", "villagers_present": 9}),
            json!({"_id": "activity:c", "type": "activity", "kind": "lecture",
                   "station": "12", "start": "2026-11-05T19:30:00+08:00", "villagers_present": 7}),
            json!({"_id": "activity:d", "type": "activity", "kind": "evening_forum",
                   "station": "12", "start": "2026-10-31T17:00:00Z", "villagers_present": 5}),
            json!({"_id": "concern:x", "type": "concern", "station": "12", "status": "open",
                   "created_at": "2026-11-06T10:00:00+08:00"}),
            json!({"_id": "concern:y", "type": "concern", "station": "12", "status": "resolved",
                   "created_at": "2026-11-06T10:00:00+08:00", "resolved_at": "2026-11-07T10:00:00+08:00"}),
        ];
        let month = "2026-11";
        let rows: Vec<Row> = rollup(&docs, &stations)
            .into_iter()
            .filter(|r| r.month == month)
            .collect();
        let forums = last_forums([&forum_dates(&docs)], month);
        // 2026-10-31T17:00Z is 11-01 in China; December's forum is after the month.
        assert_eq!(forums["12"], "2026-11-01");
        assert_eq!(forums["11"], "2026-11-03");
        let now = 1_796_000_000;
        let syncs = HashMap::from([
            ("11".to_owned(), now - 3600),
            ("12".to_owned(), now - 8 * 86400),
        ]);
        let got = status(&rows, &stations, &syncs, &forums, now);
        let row = |c: &str| got.iter().find(|s| s.code == c).unwrap();
        assert_eq!((row("11").forums, row("11").villagers), (1, 40));
        assert!(!row("11").no_forum && !row("11").not_synced);
        assert_eq!(row("12").forums, 1, "the forum on 11-01 China time");
        assert_eq!(row("12").concerns_open, 1);
        assert!(row("12").not_synced, "8 days");
        // The township's row is its villages' sum, and is never flagged for syncing.
        assert_eq!((row("1").forums, row("1").villagers), (2, 52));
        assert!(!row("1").not_synced);
        // A month without forums flags every station; a village never synced is flagged.
        let empty = status(&[], &stations, &HashMap::new(), &BTreeMap::new(), now);
        assert!(empty.iter().all(|s| s.no_forum));
        assert_eq!(
            empty.iter().map(|s| s.not_synced).collect::<Vec<_>>(),
            [false, true, true]
        );

        // Sorting, the flagged filter and the CSV.
        let codes = |v: Vec<StationStatus>| v.into_iter().map(|s| s.code).collect::<Vec<_>>();
        assert_eq!(
            codes(view(&got, SortBy::LastSync, false)),
            ["1", "12", "11"]
        );
        assert_eq!(
            codes(view(&got, SortBy::Villagers, false)),
            ["1", "11", "12"]
        );
        assert_eq!(codes(view(&got, SortBy::ConcernsOpen, true)), ["12"]);
        assert_eq!(SortBy::from_key("forums"), SortBy::Forums);
        assert_eq!(SortBy::from_key("nonsense"), SortBy::Code);
        let csv = to_csv(&view(&got, SortBy::Code, true), |t| format!("t{t}"));
        let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
        assert!(lines[0].starts_with("站点代码,站点名称,层级,最近同步"));
        assert_eq!(
            lines[1],
            format!("12,站12,村,t{},2026-11-01,1,12,1,,是,0,", now - 8 * 86400)
        );
    }
}
