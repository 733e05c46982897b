//! The 统计 dashboard's data: every live record read in batches, counted by
//! `model::rollup` per station and month and summed up the station tree the phone knows
//! (`model::rollup::stations`), and the small selections the screen makes from the rows
//! (groups, months, a group's monthly series). Figures are never added up here except
//! through `rollup::Figures::add` (the "all months" total).

use super::exchange::{read_all, winners};
use crate::profile::{Level, Profile};
use crate::store::{Store, StoreError};
use model::rollup::stations::known_stations;
use model::rollup::{per_station_month, roll_up, Demo, Figures, Row, StationInfo};

/// The rows the phone shows: a village station sees its own months; a township, county
/// or city (headquarters) sees every station in its store and every group above them.
/// Demo data is counted apart ([`Demo::LeaveOut`]) except in training mode.
pub async fn load(
    store: &Store,
    profile: &Profile,
    demo: Demo,
    progress: &dyn Fn(u32, u32),
) -> Result<Vec<Row>, StoreError> {
    let records = read_all(store, progress).await?;
    let docs = winners(&records);
    drop(records);
    let base = per_station_month(&docs, demo);
    let own = StationInfo {
        code: profile.station_code.clone(),
        name: profile.station_name.clone(),
        level: profile.level.as_str().to_owned(),
        parent: None,
    };
    let codes: Vec<&str> = base.keys().map(|(code, _)| code.as_str()).collect();
    let stations = known_stations(&own, &docs, codes);
    let mut rows = roll_up(&base, &stations);
    if profile.level == Level::Village {
        rows.retain(|r| r.code == own.code);
    }
    Ok(rows)
}

/// A group the dashboard can show: its code, name and level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// Station code.
    pub code: String,
    /// Display name (the code when unknown).
    pub name: String,
    /// `village`, `township`, …
    pub level: String,
}

/// The groups present in `rows`, from the top level down, then by code.
pub fn groups(rows: &[Row]) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    for r in rows {
        if !out.iter().any(|g| g.code == r.code) {
            out.push(Group {
                code: r.code.clone(),
                name: r.name.clone(),
                level: r.level.clone(),
            });
        }
    }
    let rank = |l: &str| {
        ["city", "county", "township", "village"]
            .iter()
            .position(|x| *x == l)
    };
    out.sort_by(|a, b| {
        (rank(&a.level).unwrap_or(9), &a.code).cmp(&(rank(&b.level).unwrap_or(9), &b.code))
    });
    out
}

/// The group shown by default: the phone's own station if it has figures, else the top.
pub fn default_group(groups: &[Group], own: &str) -> Option<String> {
    groups
        .iter()
        .find(|g| g.code == own)
        .or(groups.first())
        .map(|g| g.code.clone())
}

/// The months with figures for `code`, newest first.
pub fn months(rows: &[Row], code: &str) -> Vec<String> {
    let mut m: Vec<String> = rows
        .iter()
        .filter(|r| r.code == code)
        .map(|r| r.month.clone())
        .collect();
    m.sort_unstable_by(|a, b| b.cmp(a));
    m.dedup();
    m
}

/// The figures of `code` in `month`, or over every month when `month` is `None`.
pub fn figures(rows: &[Row], code: &str, month: Option<&str>) -> Figures {
    let mut f = Figures::default();
    rows.iter()
        .filter(|r| r.code == code && month.is_none_or(|m| r.month == m))
        .for_each(|r| f.add(&r.figures));
    f
}

/// The month before `YYYY-MM`.
fn prev_month(m: &str) -> Option<String> {
    let (y, mo) = m.split_once('-')?;
    let (y, mo): (i32, u32) = (y.parse().ok()?, mo.parse().ok()?);
    Some(if mo <= 1 {
        format!("{:04}-12", y - 1)
    } else {
        format!("{y:04}-{:02}", mo - 1)
    })
}

/// The last `n` calendar months up to the newest month of `code` (months without
/// figures included, as zero), oldest first: the charts' x axis.
pub fn series(rows: &[Row], code: &str, n: usize) -> Vec<(String, Figures)> {
    let Some(last) = months(rows, code).into_iter().next() else {
        return Vec::new();
    };
    let mut span = vec![last];
    while span.len() < n {
        match span.last().and_then(|m| prev_month(m)) {
            Some(p) => span.push(p),
            None => break,
        }
    }
    span.reverse();
    span.into_iter()
        .map(|m| {
            let f = figures(rows, code, Some(&m));
            (m, f)
        })
        .collect()
}

/// The table's rows: newest month first, each month's groups from the top level down;
/// only `month` when one is chosen.
pub fn table_rows(rows: &[Row], month: Option<&str>) -> Vec<Row> {
    let mut out: Vec<Row> = rows
        .iter()
        .filter(|r| month.is_none_or(|m| r.month == m))
        .cloned()
        .collect();
    // `roll_up` sorts by month, then level, then code; a stable sort on the month alone
    // puts the newest month first and keeps that order inside each month.
    out.sort_by(|a, b| b.month.cmp(&a.month));
    out
}
