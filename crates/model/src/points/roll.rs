//! Points over many volunteers: every attendance's earned line from the documents a
//! store holds, and the 光荣榜 (honour roll). Rules:
//! - a line is earned as [`super::earned`] says, under the rules of the attendance's own
//!   station; an attendance whose activity is not in the documents earns nothing here;
//! - the roll of a period (`YYYY` or `YYYY-MM`, China time) ranks volunteers by the points
//!   earned at activities that started in it plus the adjustments (奖励 / 扣减) made in
//!   it; redemptions do not lower anyone's honour. Highest first; ties by volunteer id;
//!   volunteers with nothing in the period are not listed.
//!
//! Pure; never stores and never reads the clock.

use super::doc::rules_from_docs;
use super::{earned, Earned, PointsRules};
use crate::time::date_cst;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

fn text<'a>(doc: &'a Value, field: &str) -> &'a str {
    doc.get(field).and_then(Value::as_str).unwrap_or_default()
}

fn live(d: &Value) -> bool {
    d.get("_deleted") != Some(&Value::Bool(true))
}

/// Each station's rules from the `points_rules` documents among `docs`.
pub fn rules_by_station<'a>(
    docs: impl IntoIterator<Item = &'a Value>,
) -> HashMap<String, PointsRules> {
    let mut by: HashMap<&str, Vec<&Value>> = HashMap::new();
    for d in docs {
        if text(d, "type") == "points_rules" && live(d) {
            by.entry(text(d, "station")).or_default().push(d);
        }
    }
    by.into_iter()
        .map(|(s, ds)| (s.to_owned(), rules_from_docs(ds)))
        .collect()
}

/// The earned line of every live attendance among `docs` whose activity is there too.
pub fn earned_all(docs: &[Value]) -> Vec<Earned> {
    let rules = rules_by_station(docs);
    let none = PointsRules::default();
    let activities: HashMap<&str, &Value> = docs
        .iter()
        .filter(|d| text(d, "type") == "activity" && live(d))
        .map(|d| (text(d, "_id"), d))
        .collect();
    docs.iter()
        .filter(|d| text(d, "type") == "attendance" && live(d))
        .filter_map(|a| {
            let act = activities.get(text(a, "activity_id"))?;
            let r = rules.get(text(a, "station")).unwrap_or(&none);
            Some(earned(a, act, r))
        })
        .collect()
}

/// One line of the 光荣榜.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RollLine {
    /// The volunteer.
    pub volunteer_id: String,
    /// Points earned and adjusted in the period.
    pub points: i64,
}

/// The 光荣榜 of `period` (`YYYY` or `YYYY-MM`) from earned lines and adjustments.
pub fn honour_roll(earned: &[Earned], adjustments: &[Value], period: &str) -> Vec<RollLine> {
    let within = |at: &str| date_cst(at).is_some_and(|d| d.starts_with(period));
    let mut sum: BTreeMap<&str, i64> = BTreeMap::new();
    for e in earned.iter().filter(|e| e.points > 0 && within(&e.at)) {
        *sum.entry(&e.volunteer_id).or_default() += i64::from(e.points);
    }
    for a in adjustments
        .iter()
        .filter(|a| live(a) && within(text(a, "at")))
    {
        let p = a.get("points").and_then(Value::as_i64).unwrap_or(0);
        *sum.entry(text(a, "volunteer_id")).or_default() += p;
    }
    let mut roll: Vec<RollLine> = sum
        .into_iter()
        .filter(|(_, p)| *p != 0)
        .map(|(v, points)| RollLine {
            volunteer_id: v.to_owned(),
            points,
        })
        .collect();
    roll.sort_by(|a, b| {
        b.points
            .cmp(&a.points)
            .then_with(|| a.volunteer_id.cmp(&b.volunteer_id))
    });
    roll
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn docs() -> Vec<Value> {
        let act = |id: &str, start: &str, end: &str| {
            json!({"_id": id, "type": "activity",
            "station": "s", "start": start, "end": end})
        };
        let att = |act: &str, vol: &str, i: &str, o: &str| {
            json!({"_id": format!("attendance:{act}:{vol}"),
            "type": "attendance", "station": "s", "activity_id": act, "volunteer_id": vol,
            "check_in": i, "check_out": o})
        };
        vec![
            json!({"_id": "points_rules:1", "type": "points_rules", "station": "s", "from": "2026-01-01",
                "per_attendance": 5, "per_hour": 10}),
            act(
                "a1",
                "2026-10-10T19:00:00+08:00",
                "2026-10-10T21:00:00+08:00",
            ),
            act(
                "a2",
                "2026-11-10T19:00:00+08:00",
                "2026-11-10T21:00:00+08:00",
            ),
            att(
                "a1",
                "v1",
                "2026-10-10T19:00:00+08:00",
                "2026-10-10T21:00:00+08:00",
            ), // 25
            att(
                "a2",
                "v1",
                "2026-11-10T19:00:00+08:00",
                "2026-11-10T20:00:00+08:00",
            ), // 50 %: 0
            att(
                "a2",
                "v2",
                "2026-11-10T19:00:00+08:00",
                "2026-11-10T21:00:00+08:00",
            ), // 25
            att(
                "gone",
                "v3",
                "2026-11-10T19:00:00+08:00",
                "2026-11-10T21:00:00+08:00",
            ),
        ]
    }

    #[test]
    fn earned_lines_use_the_station_rules_and_skip_unknown_activities() {
        let lines = earned_all(&docs());
        assert_eq!(lines.len(), 3);
        let points: Vec<u32> = lines.iter().map(|l| l.points).collect();
        assert_eq!(points, vec![25, 0, 25]);
    }

    #[test]
    fn the_roll_ranks_a_period_by_earned_and_adjusted_points() {
        let lines = earned_all(&docs());
        let adj = vec![
            json!({"volunteer_id": "v1", "points": 3, "at": "2026-11-02T10:00:00+08:00"}),
            json!({"volunteer_id": "v2", "points": -30, "at": "2025-11-02T10:00:00+08:00"}),
        ];
        let names = |r: Vec<RollLine>| {
            r.into_iter()
                .map(|l| (l.volunteer_id, l.points))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            names(honour_roll(&lines, &adj, "2026-11")),
            vec![("v2".into(), 25), ("v1".into(), 3)]
        );
        assert_eq!(
            names(honour_roll(&lines, &adj, "2026")),
            vec![("v1".into(), 28), ("v2".into(), 25)]
        );
        assert_eq!(
            names(honour_roll(&lines, &adj, "2025")),
            vec![("v2".into(), -30)]
        );
        assert!(honour_roll(&lines, &adj, "2024").is_empty());
    }
}
