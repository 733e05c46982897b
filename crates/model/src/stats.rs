//! The totals headquarters asks for — forums held, villagers reached, volunteer turnout
//! and hours, concerns raised and resolved, satisfaction — folded over documents one at a
//! time, so a phone can stream its store through it and the hub can run the same code.
//! Owns arithmetic only; tombstones and unknown types are ignored.

use crate::time::parse_millis;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Running totals. Add documents with [`Totals::add`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Totals {
    /// Activities of any kind.
    pub activities: u64,
    /// Evening forums (夜话).
    pub forums: u64,
    /// Sum of villagers present.
    pub villagers: u64,
    /// Attendance records (volunteer turnout).
    pub turnout: u64,
    /// Volunteer service minutes (checked-out attendance only).
    pub service_minutes: u64,
    /// Concerns raised.
    pub concerns: u64,
    /// Concerns resolved or rated.
    pub resolved: u64,
    /// Ratings 满意.
    pub satisfied: u64,
    /// Ratings 基本满意.
    pub basically_satisfied: u64,
    /// Ratings 不满意.
    pub unsatisfied: u64,
}

impl Totals {
    /// Counts one document's winning body.
    pub fn add(&mut self, doc: &Value) {
        if doc.get("_deleted") == Some(&Value::Bool(true)) {
            return;
        }
        let s = |k: &str| doc.get(k).and_then(Value::as_str);
        match s("type") {
            Some("activity") => {
                self.activities += 1;
                self.forums += u64::from(s("kind") == Some("evening_forum"));
                self.villagers += doc
                    .get("villagers_present")
                    .and_then(Value::as_u64)
                    .unwrap_or(0);
            }
            Some("attendance") => {
                self.turnout += 1;
                if let (Some(Ok(a)), Some(Ok(b))) = (
                    s("check_in").map(parse_millis),
                    s("check_out").map(parse_millis),
                ) {
                    self.service_minutes += u64::try_from((b - a) / 60_000).unwrap_or(0);
                }
            }
            Some("concern") => {
                self.concerns += 1;
                self.resolved += u64::from(matches!(s("status"), Some("resolved" | "rated")));
                match s("rating") {
                    Some("satisfied") => self.satisfied += 1,
                    Some("basically_satisfied") => self.basically_satisfied += 1,
                    Some("unsatisfied") => self.unsatisfied += 1,
                    _ => {}
                }
            }
            _ => {}
        }
    }

    /// Volunteer service hours, to one decimal.
    pub fn service_hours(&self) -> f64 {
        (self.service_minutes as f64 / 6.0).round() / 10.0
    }

    /// Share of ratings that are 满意 or 基本满意, in percent; `None` before any rating.
    pub fn satisfaction_percent(&self) -> Option<u64> {
        let rated = self.satisfied + self.basically_satisfied + self.unsatisfied;
        (rated > 0).then(|| ((self.satisfied + self.basically_satisfied) * 100 + rated / 2) / rated)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn counts_each_kind_of_document() {
        let mut t = Totals::default();
        t.add(&json!({"type": "activity", "kind": "evening_forum", "villagers_present": 40}));
        t.add(&json!({"type": "activity", "kind": "service", "villagers_present": 10}));
        t.add(&json!({"type": "activity", "kind": "evening_forum", "villagers_present": 99, "_deleted": true}));
        t.add(&json!({"type": "attendance", "check_in": "2026-11-22T18:30:00+08:00", "check_out": "2026-11-22T21:00:00+08:00"}));
        t.add(&json!({"type": "attendance", "check_in": "2026-11-22T18:30:00+08:00"}));
        t.add(&json!({"type": "concern", "status": "open"}));
        t.add(&json!({"type": "concern", "status": "rated", "rating": "satisfied"}));
        t.add(&json!({"type": "concern", "status": "rated", "rating": "unsatisfied"}));
        t.add(&json!({"type": "concern", "status": "resolved"}));
        assert_eq!(
            t,
            Totals {
                activities: 2,
                forums: 1,
                villagers: 50,
                turnout: 2,
                service_minutes: 150,
                concerns: 4,
                resolved: 3,
                satisfied: 1,
                basically_satisfied: 0,
                unsatisfied: 1,
            }
        );
        assert_eq!(t.service_hours(), 2.5);
        assert_eq!(t.satisfaction_percent(), Some(50));
        assert_eq!(Totals::default().satisfaction_percent(), None);
    }
}
