//! A team's figures on its page: the concerns dispatched to it, how many it resolved,
//! how many are overdue, and the villagers' ratings. Rules:
//! - a concern is the team's when its `assigned_team` is the team's id (typed names are
//!   not counted until linked — they could name anyone);
//! - dispatched counts every such concern whatever its status; resolved those `resolved`
//!   or `rated`; overdue as [`super::is_overdue`] says on `today`;
//! - the rating share is (满意 + 基本满意) / all ratings, as `rollup` counts it.
//!
//! Tombstones and other types are ignored. Pure; never reads a store or the clock.

use super::is_overdue;
use serde_json::Value;

/// One team's concern figures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TeamFigures {
    /// Concerns dispatched to the team (派单).
    pub dispatched: u64,
    /// Of those, resolved (办结).
    pub resolved: u64,
    /// Of those, past their due date and not resolved (已超期).
    pub overdue: u64,
    /// Ratings 满意.
    pub satisfied: u64,
    /// Ratings 基本满意.
    pub basically_satisfied: u64,
    /// Ratings 不满意.
    pub unsatisfied: u64,
}

impl TeamFigures {
    /// (满意 + 基本满意) / all ratings, in percent; `None` before the first rating.
    pub fn rating_percent(&self) -> Option<u64> {
        let rated = self.satisfied + self.basically_satisfied + self.unsatisfied;
        let good = self.satisfied + self.basically_satisfied;
        (rated > 0).then(|| (good * 100 + rated / 2) / rated)
    }
}

/// The figures of team `team` (its id) over `concerns` (winning bodies) on `today`.
pub fn team_figures<'a>(
    concerns: impl IntoIterator<Item = &'a Value>,
    team: &str,
    today: &str,
) -> TeamFigures {
    let mut f = TeamFigures::default();
    let s = |d: &'a Value, k: &str| d.get(k).and_then(Value::as_str);
    for d in concerns {
        let live = d.get("_deleted") != Some(&Value::Bool(true));
        if !live || s(d, "type") != Some("concern") || s(d, "assigned_team") != Some(team) {
            continue;
        }
        f.dispatched += 1;
        f.resolved += u64::from(matches!(s(d, "status"), Some("resolved" | "rated")));
        f.overdue += u64::from(is_overdue(d, today));
        match s(d, "rating") {
            Some("satisfied") => f.satisfied += 1,
            Some("basically_satisfied") => f.basically_satisfied += 1,
            Some("unsatisfied") => f.unsatisfied += 1,
            _ => {}
        }
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const A: &str = "team:0199ece4-7b1a-7000-8000-00000000a001";
    const B: &str = "team:0199ece4-7b1a-7000-8000-00000000b002";

    fn concern(team: &str, status: &str, due: &str, rating: Option<&str>) -> Value {
        let mut d = json!({"type": "concern", "status": status, "assigned_team": team, "due": due});
        if let Some(r) = rating {
            d["rating"] = json!(r);
        }
        d
    }

    #[test]
    fn counts_only_the_teams_own_concerns_by_the_rules() {
        let docs = vec![
            concern(A, "assigned", "2026-11-01", None), // overdue
            concern(A, "assigned", "2026-12-31", None),
            concern(A, "resolved", "2026-11-01", None), // resolved: not overdue
            concern(A, "rated", "", Some("satisfied")),
            concern(A, "rated", "", Some("basically_satisfied")),
            concern(A, "rated", "", Some("unsatisfied")),
            concern(B, "rated", "", Some("satisfied")),
            concern("农技服务队", "assigned", "2026-11-01", None), // typed: not counted
            json!({"type": "concern", "assigned_team": A, "status": "assigned", "_deleted": true}),
            json!({"type": "activity", "assigned_team": A}),
        ];
        let f = team_figures(&docs, A, "2026-11-30");
        assert_eq!(
            f,
            TeamFigures {
                dispatched: 6,
                resolved: 4,
                overdue: 1,
                satisfied: 1,
                basically_satisfied: 1,
                unsatisfied: 1,
            }
        );
        assert_eq!(f.rating_percent(), Some(67));
        assert_eq!(team_figures(&docs, B, "2026-11-30").dispatched, 1);
        assert_eq!(TeamFigures::default().rating_percent(), None);
    }
}
