//! 志愿积分: a station's points rules, the points a volunteer earns from attendance, the
//! points a team earns from concerns, and the ledger that adds adjustments (奖励 / 扣减)
//! and redemptions (积分超市). Pure: reads documents, never stores anything, never reads
//! the clock. The screens and `rollup` take every figure from here.
//!
//! The rules, all of them:
//! 1. A station's `points_rules` document holds dated versions, each in force from its
//!    `from` date (`YYYY-MM-DD`, China time) until the next version's. A change of rules is
//!    a new version: last month's points stay as they were earned. Before the first
//!    version nothing is earned.
//! 2. An attendance earns points under the version in force on its activity's start date,
//!    if its service counts ([`crate::attendance::service`]: a missing check-out counts
//!    only once a cadre confirms it) and the volunteer was present for at least
//!    `min_share_percent` of the activity (default 60 %, exactly 60 % counts). An
//!    activity without duration asks no share.
//! 3. It earns `per_attendance + per_hour × minutes ÷ 60`, rounded down to whole points.
//!    Points are derived, never typed: correcting a check-out corrects the points.
//! 4. A concern resolved (已办结 or 已评价) earns its assigned team `resolve_bonus`, and a
//!    满意 rating a further `satisfied_bonus`, under the version in force on the day it was
//!    resolved. Team points are the team's honour, not anyone's balance.
//! 5. A volunteer's balance = earned + adjustments (signed, with a reason) − redemptions.
//!    Entries count in time order; ties by document id.
//! 6. A new redemption is refused when it costs more than the balance ([`can_redeem`]).
//!    Two phones offline may both redeem; both documents are kept. If the balance then
//!    falls below zero, the ledger is overdrawn (积分透支) and names every redemption
//!    made since the last credit before the balance went negative, for a person to
//!    settle: nothing is dropped or merged.

use crate::attendance;
use crate::time::{date_cst, parse_millis};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

pub mod doc;
pub mod roll;

#[cfg(test)]
mod tests;

/// The share of an activity a volunteer must be present for, unless the rules say.
pub const DEFAULT_MIN_SHARE_PERCENT: u8 = 60;

/// One dated version of a station's rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleVersion {
    /// In force from this date (`YYYY-MM-DD`, China time).
    pub from: String,
    /// Points per counted hour of service.
    #[serde(default)]
    pub per_hour: u32,
    /// Points per counted attendance.
    #[serde(default)]
    pub per_attendance: u32,
    /// The share of the activity's duration a volunteer must be present for (percent).
    #[serde(default = "default_share")]
    pub min_share_percent: u8,
    /// Points to the assigned team for a resolved concern.
    #[serde(default)]
    pub resolve_bonus: u32,
    /// Further points to that team when the villager rated it 满意.
    #[serde(default)]
    pub satisfied_bonus: u32,
}

fn default_share() -> u8 {
    DEFAULT_MIN_SHARE_PERCENT
}

/// A station's rules: its versions, in any order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointsRules {
    /// Every version ever in force.
    #[serde(default)]
    pub versions: Vec<RuleVersion>,
}

impl PointsRules {
    /// The version in force on `date` (`YYYY-MM-DD`): the latest `from` on or before it.
    pub fn in_force(&self, date: &str) -> Option<&RuleVersion> {
        self.versions
            .iter()
            .filter(|v| v.from.as_str() <= date)
            .max_by(|a, b| a.from.cmp(&b.from))
    }
}

/// Why an attendance earned nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotCounted {
    /// No rules were in force on the activity's date.
    NoRules,
    /// The check-out is missing and no cadre has confirmed the activity's end.
    Unconfirmed,
    /// Present for less than the rules ask (percent present, percent asked).
    TooShort { share: u8, asked: u8 },
    /// A time could not be read (the activity or the attendance).
    BadTimes,
}

/// What one attendance earned, and under which rules: a line of the volunteer's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Earned {
    /// The attendance document.
    pub attendance_id: String,
    /// The volunteer.
    pub volunteer_id: String,
    /// The activity.
    pub activity_id: String,
    /// When it counts in the ledger: the activity's start (RFC 3339).
    pub at: String,
    /// Minutes of service.
    pub minutes: u64,
    /// Points earned (0 when not counted).
    pub points: u32,
    /// The rules version's `from` date it was earned under.
    pub rule_from: Option<String>,
    /// Why it earned nothing, if it did not.
    pub not_counted: Option<NotCounted>,
}

fn text<'a>(doc: &'a Value, field: &str) -> &'a str {
    doc.get(field).and_then(Value::as_str).unwrap_or_default()
}

/// What `attendance` earns at `activity` under `rules` (rules 2 and 3).
pub fn earned(attendance: &Value, activity: &Value, rules: &PointsRules) -> Earned {
    let start = text(activity, "start");
    let mut line = Earned {
        attendance_id: text(attendance, "_id").to_owned(),
        volunteer_id: text(attendance, "volunteer_id").to_owned(),
        activity_id: text(attendance, "activity_id").to_owned(),
        at: start.to_owned(),
        minutes: 0,
        points: 0,
        rule_from: None,
        not_counted: None,
    };
    let service = attendance::service(attendance, Some(text(activity, "end")));
    let span = parse_millis(text(activity, "end"))
        .ok()
        .zip(parse_millis(start).ok());
    let (Ok(service), Some((end, begin)), Some(date)) = (service, span, date_cst(start)) else {
        line.not_counted = Some(NotCounted::BadTimes);
        return line;
    };
    line.minutes = service.minutes;
    let Some(rule) = rules.in_force(&date) else {
        line.not_counted = Some(NotCounted::NoRules);
        return line;
    };
    line.rule_from = Some(rule.from.clone());
    if !service.counted {
        line.not_counted = Some(NotCounted::Unconfirmed);
        return line;
    }
    let duration = ((end - begin).max(0) / 60_000) as u64;
    if duration > 0 && service.minutes * 100 < duration * u64::from(rule.min_share_percent) {
        let share = (service.minutes * 100 / duration).min(100) as u8;
        line.not_counted = Some(NotCounted::TooShort {
            share,
            asked: rule.min_share_percent,
        });
        return line;
    }
    let hours = u64::from(rule.per_hour) * service.minutes / 60;
    line.points = u32::try_from(u64::from(rule.per_attendance) + hours).unwrap_or(u32::MAX);
    line
}

/// Points each team earned from `concerns` under `rules` (rule 4).
pub fn team_points(concerns: &[Value], rules: &PointsRules) -> BTreeMap<String, u32> {
    let mut out = BTreeMap::new();
    for c in concerns {
        let status = text(c, "status");
        let team = text(c, "assigned_team");
        if team.is_empty() || !matches!(status, "resolved" | "rated") {
            continue;
        }
        let Some(rule) = date_cst(text(c, "resolved_at")).and_then(|d| rules.in_force(&d)) else {
            continue;
        };
        let mut points = rule.resolve_bonus;
        if text(c, "rating") == "satisfied" {
            points += rule.satisfied_bonus;
        }
        *out.entry(team.to_owned()).or_insert(0) += points;
    }
    out
}

/// One line of a volunteer's ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// Points from an attendance.
    Earned(Earned),
    /// A cadre's 奖励 (positive) or 扣减 (negative), with its reason.
    Adjustment {
        id: String,
        at: String,
        points: i64,
        reason: String,
    },
    /// Points spent at the shop.
    Redemption {
        id: String,
        at: String,
        points: u32,
        item: String,
    },
}

impl Entry {
    fn at(&self) -> &str {
        match self {
            Entry::Earned(e) => &e.at,
            Entry::Adjustment { at, .. } | Entry::Redemption { at, .. } => at,
        }
    }
    fn id(&self) -> &str {
        match self {
            Entry::Earned(e) => &e.attendance_id,
            Entry::Adjustment { id, .. } | Entry::Redemption { id, .. } => id,
        }
    }
    /// The signed change to the balance.
    pub fn delta(&self) -> i64 {
        match self {
            Entry::Earned(e) => i64::from(e.points),
            Entry::Adjustment { points, .. } => *points,
            Entry::Redemption { points, .. } => -i64::from(*points),
        }
    }
}

/// A volunteer's points: every entry in time order, the balance, and an overdraw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ledger {
    /// Entries in the order they count (rule 5).
    pub entries: Vec<Entry>,
    /// Earned + adjustments − redemptions.
    pub balance: i64,
    /// The redemptions to settle when the balance went below zero (rule 6), else empty.
    pub overdrawn: Vec<String>,
}

/// The ledger of one volunteer from their earned lines, `points_adjustment` documents and
/// `redemption` documents (any volunteer's: others are left out).
pub fn ledger(
    volunteer: &str,
    earned: &[Earned],
    adjustments: &[Value],
    redemptions: &[Value],
) -> Ledger {
    let mine = |d: &&Value| text(d, "volunteer_id") == volunteer;
    let mut entries: Vec<Entry> = earned
        .iter()
        .filter(|e| e.volunteer_id == volunteer)
        .cloned()
        .map(Entry::Earned)
        .collect();
    entries.extend(adjustments.iter().filter(mine).map(|d| Entry::Adjustment {
        id: text(d, "_id").to_owned(),
        at: text(d, "at").to_owned(),
        points: d.get("points").and_then(Value::as_i64).unwrap_or(0),
        reason: text(d, "reason").to_owned(),
    }));
    entries.extend(redemptions.iter().filter(mine).map(|d| {
        Entry::Redemption {
            id: text(d, "_id").to_owned(),
            at: text(d, "at").to_owned(),
            points: d
                .get("points")
                .and_then(Value::as_u64)
                .map_or(0, |p| p.min(u64::from(u32::MAX)) as u32),
            item: text(d, "item_id").to_owned(),
        }
    }));
    // Times in any offset compare as instants; an unreadable one counts first.
    entries.sort_by(|a, b| {
        let key = |e: &Entry| parse_millis(e.at()).unwrap_or(i64::MIN);
        key(a).cmp(&key(b)).then_with(|| a.id().cmp(b.id()))
    });
    let mut balance = 0i64;
    // The last credit before the balance first went negative.
    let mut last_credit = None;
    let mut went_negative = false;
    for (i, e) in entries.iter().enumerate() {
        balance += e.delta();
        if !went_negative && e.delta() > 0 {
            last_credit = Some(i);
        }
        went_negative |= balance < 0;
    }
    let overdrawn = if balance < 0 {
        let since = last_credit.map_or(0, |i| i + 1);
        entries[since..]
            .iter()
            .filter_map(|e| match e {
                Entry::Redemption { id, .. } => Some(id.clone()),
                _ => None,
            })
            .collect()
    } else {
        Vec::new()
    };
    Ledger {
        entries,
        balance,
        overdrawn,
    }
}

/// Why a redemption is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PointsError {
    /// It costs more than the balance.
    #[error("the balance is {balance} points; the redemption needs {needed}")]
    Insufficient { balance: i64, needed: u32 },
    /// A redemption must cost at least one point.
    #[error("a redemption must cost at least one point")]
    NotPositive,
    /// The item has fewer left than asked for.
    #[error("{left} left of the item; the redemption asks for {wanted}")]
    OutOfStock { left: i64, wanted: u32 },
}

impl PointsError {
    /// The message the cadre sees, in Chinese.
    pub fn zh(&self) -> String {
        match self {
            Self::Insufficient { balance, needed } => {
                format!("积分不足：现有 {balance} 分，兑换需要 {needed} 分")
            }
            Self::NotPositive => "兑换积分必须大于 0".into(),
            Self::OutOfStock { left, wanted } => {
                format!("库存不足：还剩 {} 件，要兑换 {wanted} 件", (*left).max(0))
            }
        }
    }
}

/// Whether `wanted` pieces may be taken from an item with `left` in stock (`None`:
/// unlimited) — the stock's rule is the balance's: never below zero by a new redemption.
pub fn can_take(left: Option<i64>, wanted: u32) -> Result<(), PointsError> {
    match left {
        Some(left) if i64::from(wanted) > left => Err(PointsError::OutOfStock { left, wanted }),
        _ => Ok(()),
    }
}

/// Whether a redemption of `points` may be made on `balance` (rule 6).
pub fn can_redeem(balance: i64, points: u32) -> Result<(), PointsError> {
    if points == 0 {
        return Err(PointsError::NotPositive);
    }
    if i64::from(points) > balance {
        return Err(PointsError::Insufficient {
            balance,
            needed: points,
        });
    }
    Ok(())
}
