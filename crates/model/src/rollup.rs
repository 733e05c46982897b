//! The headquarters dashboard: figures per station per month, summed up the station tree
//! (village → township → county → city). One implementation for the phone and for
//! `yehua-hub report`, so both show the same numbers. Owns the counting rules only; it
//! takes winning document bodies and never reads a store or the clock.
//!
//! Rules (months are `YYYY-MM` at UTC+8):
//! - An activity counts in the month of its `start`; 场次 are `evening_forum` activities,
//!   受众人次 the sum of `villagers_present`.
//! - An attendance record is one volunteer turnout in its activity's month (its own
//!   `check_in` month if the activity is not in the data). Service minutes follow
//!   [`crate::attendance::service`]: a missing check-out is flagged and not counted until a
//!   cadre confirms it.
//! - A concern is raised in the month of `created_at`. It is resolved (status `resolved`
//!   or `rated`) in the month of `resolved_at`, else of `updated_at`. 办结率 is a cohort
//!   rate: of the concerns raised in a month, the share resolved by now (never above 100%).
//!   Ratings count in the month of `rated_at` (else the resolution month); the rating
//!   share is (满意 + 基本满意) / all ratings.
//! - Survey satisfaction (the convention shared with the survey module): responses whose
//!   `survey_id` names a survey with `"template": "satisfaction"`; of their answers to the
//!   question `"satisfaction"`, the share that is 满意 or 基本满意; month of `collected_at`.
//! - A document counts for its `station`; every station's figures are added to each
//!   station above it. A station missing from the list is a group of its own.
//! - 志愿积分: points earned by attendance ([`crate::points::earned`] under the station's
//!   rules) count in the activity's month; redeemed points (`redemption` documents) in the
//!   month of their `at`. Adjustments are a volunteer's own matter and are not summed.
//! - 有照片的活动: an activity counted above (live, in the data, not demo) that at least
//!   one live, non-demo `photo` names as its `activity_id`, once however many photos it
//!   has, in the activity's month and for the activity's station. Photos of concerns,
//!   and photos whose activity is not in the data, count nowhere.
//! - 已审核活动: an activity counted above whose review ([`crate::review`], the document
//!   `review:<activity id>`) approves the activity's current revision (`_rev`), once, in
//!   the activity's month and station; an activity edited after its approval is not.
//!   Review documents count nowhere else.
//! - Demo data ([`crate::demo::is_demo`]: the marker, or an id the unmarked demo button
//!   wrote) is work nobody did: it is left out of every figure and only counted, as 示例数据
//!   (未计入), in the month of its `start`, `check_in`, `created_at` or `collected_at`
//!   (the first present) — unless the caller counts it ([`Demo::Count`]: the phone's
//!   training mode, whose store holds nothing else).
//!
//! [`stations`] builds the list on a phone, which has no `stations` table (its rule is in
//! that module's doc); [`status`] is 上报情况, who has reported in a month (flags and the
//! month's rows, taken from these figures); [`tree`] the headquarters console's station
//! tree (outline, a new station's level, where a station may move).

pub mod stations;
pub mod status;
pub mod tree;

use crate::attendance::service;
use crate::csv;
use crate::demo::is_demo;
use crate::points::roll::rules_by_station;
use crate::points::{earned, PointsRules};
use crate::review::approves;
use crate::survey::{is_satisfied, SATISFACTION_QUESTION, SATISFACTION_TEMPLATE};
use crate::time::month_cst;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// A station in the administrative tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StationInfo {
    /// Administrative code.
    pub code: String,
    /// Display name.
    pub name: String,
    /// `village`, `township`, `county` or `city`.
    pub level: String,
    /// The station above, if any.
    pub parent: Option<String>,
}

/// The figures of one station (or group) in one month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Figures {
    /// Activities of any kind.
    pub activities: u64,
    /// Activities with at least one photo (有照片的活动).
    #[serde(default)]
    pub activities_with_photos: u64,
    /// Activities headquarters approved at their current revision (已审核活动).
    #[serde(default)]
    pub reviewed: u64,
    /// Evening forums held (场次).
    pub forums: u64,
    /// Villagers reached (受众人次).
    pub villagers: u64,
    /// Volunteer turnouts (志愿者人次).
    pub turnout: u64,
    /// Counted service minutes.
    pub service_minutes: u64,
    /// Turnouts with a missing check-out, not counted in the minutes.
    pub flagged: u64,
    /// Concerns raised.
    pub raised: u64,
    /// Of the concerns raised this month, those resolved (or rated) by now.
    pub raised_resolved: u64,
    /// Concerns resolved this month.
    pub resolved: u64,
    /// Concern ratings 满意.
    pub satisfied: u64,
    /// Concern ratings 基本满意.
    pub basically_satisfied: u64,
    /// Concern ratings 不满意.
    pub unsatisfied: u64,
    /// Answers to satisfaction surveys' `satisfaction` question.
    pub survey_answers: u64,
    /// Of those, 满意 or 基本满意.
    pub survey_satisfied: u64,
    /// Points earned by attendance (积分发放).
    #[serde(default)]
    pub points_earned: u64,
    /// Points spent at the shop (积分兑换).
    #[serde(default)]
    pub points_redeemed: u64,
    /// Demo documents left out of every other figure (示例数据, 未计入).
    #[serde(default)]
    pub demo: u64,
}

/// What the count does with demo data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Demo {
    /// Leave it out of every figure and count it under [`Figures::demo`] (real stores).
    LeaveOut,
    /// Count it as work (a training store, which holds nothing else).
    Count,
}

fn percent(part: u64, whole: u64) -> Option<u64> {
    (whole > 0).then(|| (part * 100 + whole / 2) / whole)
}

impl Figures {
    /// Adds another station's or month's figures.
    pub fn add(&mut self, o: &Figures) {
        self.activities += o.activities;
        self.activities_with_photos += o.activities_with_photos;
        self.reviewed += o.reviewed;
        self.forums += o.forums;
        self.villagers += o.villagers;
        self.turnout += o.turnout;
        self.service_minutes += o.service_minutes;
        self.flagged += o.flagged;
        self.raised += o.raised;
        self.raised_resolved += o.raised_resolved;
        self.resolved += o.resolved;
        self.satisfied += o.satisfied;
        self.basically_satisfied += o.basically_satisfied;
        self.unsatisfied += o.unsatisfied;
        self.survey_answers += o.survey_answers;
        self.survey_satisfied += o.survey_satisfied;
        self.points_earned += o.points_earned;
        self.points_redeemed += o.points_redeemed;
        self.demo += o.demo;
    }

    /// Service hours to one decimal.
    pub fn service_hours(&self) -> f64 {
        (self.service_minutes as f64 / 6.0).round() / 10.0
    }

    /// 办结率 in percent: resolved share of the concerns raised this month.
    pub fn resolution_percent(&self) -> Option<u64> {
        percent(self.raised_resolved, self.raised)
    }

    /// Concern ratings that are 满意 or 基本满意, in percent.
    pub fn rating_percent(&self) -> Option<u64> {
        let rated = self.satisfied + self.basically_satisfied + self.unsatisfied;
        percent(self.satisfied + self.basically_satisfied, rated)
    }

    /// Survey satisfaction (满意 + 基本满意 answers), in percent.
    pub fn survey_percent(&self) -> Option<u64> {
        percent(self.survey_satisfied, self.survey_answers)
    }
}

/// Figures keyed by (station code, month).
pub type StationMonths = BTreeMap<(String, String), Figures>;

/// Counts the winning bodies of live documents per station and month (tombstones and
/// unknown types are ignored; demo data as `demo` says).
pub fn per_station_month<'a>(
    docs: impl IntoIterator<Item = &'a Value>,
    demo: Demo,
) -> StationMonths {
    let s = |d: &'a Value, k: &str| d.get(k).and_then(Value::as_str);
    let mut out = StationMonths::new();
    let docs: Vec<&Value> = docs
        .into_iter()
        .filter(|d| d.get("_deleted") != Some(&Value::Bool(true)))
        .filter(|d| {
            let left_out = demo == Demo::LeaveOut && is_demo(d);
            if left_out {
                let month = ["start", "check_in", "created_at", "collected_at"]
                    .into_iter()
                    .find_map(|k| s(d, k))
                    .and_then(month_cst);
                if let Some(f) = at(&mut out, s(d, "station"), month) {
                    f.demo += 1;
                }
            }
            !left_out
        })
        .collect();
    let rules = rules_by_station(docs.iter().copied());
    let no_rules = PointsRules::default();
    let mut activities: HashMap<&str, (Option<String>, Option<&str>, &Value)> = HashMap::new();
    let mut satisfaction_surveys: HashSet<&str> = HashSet::new();
    let mut photographed: HashSet<&str> = HashSet::new();
    let mut reviews: HashMap<&str, &Value> = HashMap::new();
    for d in &docs {
        match (s(d, "type"), s(d, "_id")) {
            (Some("review"), Some(_)) => {
                if let Some(a) = s(d, "activity") {
                    reviews.insert(a, *d);
                }
            }
            (Some("photo"), Some(_)) => photographed.extend(s(d, "activity_id")),
            (Some("activity"), Some(id)) => {
                let month = s(d, "start").and_then(month_cst);
                activities.insert(id, (month, s(d, "end"), *d));
            }
            (Some("survey"), Some(id)) if s(d, "template") == Some(SATISFACTION_TEMPLATE) => {
                satisfaction_surveys.insert(id);
            }
            _ => {}
        }
    }
    for d in docs {
        let station = s(d, "station");
        match s(d, "type") {
            Some("activity") => {
                if let Some(f) = at(&mut out, station, s(d, "start").and_then(month_cst)) {
                    f.activities += 1;
                    f.activities_with_photos +=
                        u64::from(s(d, "_id").is_some_and(|id| photographed.contains(id)));
                    f.reviewed += u64::from(
                        s(d, "_id")
                            .and_then(|id| reviews.get(id))
                            .is_some_and(|r| approves(r, s(d, "_rev"))),
                    );
                    f.forums += u64::from(s(d, "kind") == Some("evening_forum"));
                    f.villagers += d
                        .get("villagers_present")
                        .and_then(Value::as_u64)
                        .unwrap_or(0);
                }
            }
            Some("attendance") => {
                let act = s(d, "activity_id").and_then(|a| activities.get(a));
                let month = match act {
                    Some((Some(m), _, _)) => Some(m.clone()),
                    _ => s(d, "check_in").and_then(month_cst),
                };
                if let Some(f) = at(&mut out, station, month) {
                    f.turnout += 1;
                    match service(d, act.and_then(|a| a.1)) {
                        Ok(sv) if sv.counted => f.service_minutes += sv.minutes,
                        Ok(sv) if sv.flagged => f.flagged += 1,
                        _ => {}
                    }
                    if let Some((_, _, a)) = act {
                        let r = station.and_then(|st| rules.get(st)).unwrap_or(&no_rules);
                        f.points_earned += u64::from(earned(d, a, r).points);
                    }
                }
            }
            Some("concern") => concern(d, station, &mut out),
            Some("redemption") => {
                if let Some(f) = at(&mut out, station, s(d, "at").and_then(month_cst)) {
                    f.points_redeemed += d.get("points").and_then(Value::as_u64).unwrap_or(0);
                }
            }
            Some("response") => {
                let ours = s(d, "survey_id").is_some_and(|id| satisfaction_surveys.contains(id));
                let answer = d
                    .get("answers")
                    .and_then(|a| a.get(SATISFACTION_QUESTION))
                    .and_then(Value::as_str);
                if let (true, Some(answer)) = (ours, answer.filter(|a| !a.is_empty())) {
                    if let Some(f) = at(&mut out, station, s(d, "collected_at").and_then(month_cst))
                    {
                        f.survey_answers += 1;
                        f.survey_satisfied += u64::from(is_satisfied(answer));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// The figures of `station` in `month`, if both are known.
fn at<'o>(
    out: &'o mut StationMonths,
    station: Option<&str>,
    month: Option<String>,
) -> Option<&'o mut Figures> {
    Some(out.entry((station?.to_owned(), month?)).or_default())
}

fn concern(d: &Value, station: Option<&str>, out: &mut StationMonths) {
    let s = |k: &str| d.get(k).and_then(Value::as_str);
    let done = matches!(s("status"), Some("resolved" | "rated"));
    if let Some(f) = at(out, station, s("created_at").and_then(month_cst)) {
        f.raised += 1;
        f.raised_resolved += u64::from(done);
    }
    if !done {
        return;
    }
    let resolved_month = s("resolved_at").or(s("updated_at")).and_then(month_cst);
    if let Some(f) = at(out, station, resolved_month.clone()) {
        f.resolved += 1;
    }
    let rated_month = s("rated_at").and_then(month_cst).or(resolved_month);
    if let Some(f) = at(out, station, rated_month) {
        match s("rating") {
            Some("satisfied") => f.satisfied += 1,
            Some("basically_satisfied") => f.basically_satisfied += 1,
            Some("unsatisfied") => f.unsatisfied += 1,
            _ => {}
        }
    }
}

/// One row of the dashboard: a station or group in one month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    /// `YYYY-MM`.
    pub month: String,
    /// The group's level (`village`, …; empty for a station not in the list).
    pub level: String,
    /// The group's station code.
    pub code: String,
    /// The group's name (the code if unknown).
    pub name: String,
    /// Its figures: its own documents plus every station below it.
    pub figures: Figures,
}

fn level_rank(level: &str) -> u8 {
    match level {
        "city" => 0,
        "county" => 1,
        "township" => 2,
        "village" => 3,
        _ => 4,
    }
}

/// Sums each station's figures into itself and every station above it; rows sorted by
/// month, then level from the top down, then code.
pub fn roll_up(base: &StationMonths, stations: &[StationInfo]) -> Vec<Row> {
    let by_code: HashMap<&str, &StationInfo> =
        stations.iter().map(|s| (s.code.as_str(), s)).collect();
    let mut groups: BTreeMap<(String, String), Figures> = BTreeMap::new();
    for ((station, month), f) in base {
        let mut seen = BTreeSet::new();
        let mut code = Some(station.as_str());
        while let Some(c) = code.filter(|c| seen.insert(*c)) {
            groups
                .entry((month.clone(), c.to_owned()))
                .or_default()
                .add(f);
            code = by_code.get(c).and_then(|s| s.parent.as_deref());
        }
    }
    let mut rows: Vec<Row> = groups
        .into_iter()
        .map(|((month, code), figures)| {
            let info = by_code.get(code.as_str());
            Row {
                month,
                level: info.map(|s| s.level.clone()).unwrap_or_default(),
                name: info.map_or_else(|| code.clone(), |s| s.name.clone()),
                code,
                figures,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        (&a.month, level_rank(&a.level), &a.code).cmp(&(&b.month, level_rank(&b.level), &b.code))
    });
    rows
}

/// The counts of several sets of documents (e.g. one per station database) as one: each
/// station-month's figures added. Sets must not share documents.
pub fn merge<'a>(parts: impl IntoIterator<Item = &'a StationMonths>) -> StationMonths {
    let mut out = StationMonths::new();
    for part in parts {
        for (k, f) in part {
            out.entry(k.clone()).or_default().add(f);
        }
    }
    out
}

/// Per-station figures rolled up the tree in one call, demo data left out.
pub fn rollup<'a>(docs: impl IntoIterator<Item = &'a Value>, stations: &[StationInfo]) -> Vec<Row> {
    roll_up(&per_station_month(docs, Demo::LeaveOut), stations)
}

/// The level's Chinese name.
pub fn level_zh(level: &str) -> &'static str {
    match level {
        "village" => "村",
        "township" => "乡镇",
        "county" => "县",
        "city" => "市",
        _ => "未登记",
    }
}

/// The CSV headers, in column order.
pub const HEADERS: [&str; 23] = [
    "月份",
    "级别",
    "单位代码",
    "单位",
    "场次",
    "活动总数",
    "受众人次",
    "志愿者人次",
    "服务时长(小时)",
    "未签退人次",
    "诉求数",
    "当月办结",
    "办结率",
    "满意",
    "基本满意",
    "不满意",
    "评价满意率",
    "问卷满意率",
    "积分发放",
    "积分兑换",
    "有照片的活动",
    "已审核活动",
    "示例数据(未计入)",
];

fn pct(p: Option<u64>) -> String {
    p.map(|p| format!("{p}%")).unwrap_or_default()
}

/// A row's cells, in [`HEADERS`] order (also what `yehua-hub report` prints).
pub fn cells(r: &Row) -> Vec<String> {
    let f = &r.figures;
    vec![
        r.month.clone(),
        level_zh(&r.level).to_owned(),
        r.code.clone(),
        r.name.clone(),
        f.forums.to_string(),
        f.activities.to_string(),
        f.villagers.to_string(),
        f.turnout.to_string(),
        format!("{:.1}", f.service_hours()),
        f.flagged.to_string(),
        f.raised.to_string(),
        f.resolved.to_string(),
        pct(f.resolution_percent()),
        f.satisfied.to_string(),
        f.basically_satisfied.to_string(),
        f.unsatisfied.to_string(),
        pct(f.rating_percent()),
        pct(f.survey_percent()),
        f.points_earned.to_string(),
        f.points_redeemed.to_string(),
        f.activities_with_photos.to_string(),
        f.reviewed.to_string(),
        f.demo.to_string(),
    ]
}

/// The table as CSV for Excel and WPS (BOM, Chinese headers).
pub fn to_csv(rows: &[Row]) -> String {
    let rows: Vec<Vec<String>> = rows.iter().map(cells).collect();
    csv::table(&HEADERS, &rows)
}

#[cfg(test)]
mod tests;
