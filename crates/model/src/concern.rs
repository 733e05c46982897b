//! The 四单闭环 loop of a villager's concern: open → 已派单 assigned → 已办结 resolved →
//! 已评价 rated. Owns the allowed moves, what each move writes into the document and
//! when a dispatched concern is overdue; never stores anything and never reads the clock.
//!
//! `assigned_team` is a team's id: 派单 refuses anything else. A concern an earlier build
//! dispatched to a typed name keeps it as written ([`unlinked_team`]) until 关联服务队
//! ([`Step::LinkTeam`]) replaces it with a team's id, keeping the typed text beside it in
//! `assigned_team_text`. [`team`] counts a team's concerns for its page.

pub mod team;

use crate::date_input::{normalize, DateInputError, FieldKind};
use crate::doc::ConcernStatus;
use crate::id::{parse_id, DocType};
use serde_json::{json, Value};

/// A villager's verdict on how the concern was handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rating {
    /// 满意.
    Satisfied,
    /// 基本满意.
    BasicallySatisfied,
    /// 不满意.
    Unsatisfied,
}

impl Rating {
    /// Every rating, best first.
    pub const ALL: [Rating; 3] = [
        Rating::Satisfied,
        Rating::BasicallySatisfied,
        Rating::Unsatisfied,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Rating::Satisfied => "satisfied",
            Rating::BasicallySatisfied => "basically_satisfied",
            Rating::Unsatisfied => "unsatisfied",
        }
    }

    /// Parses the wire name.
    pub fn parse(s: &str) -> Option<Rating> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The label in Chinese (the CSV tables'; screens use `locales/`).
    pub fn zh(self) -> &'static str {
        match self {
            Rating::Satisfied => "满意",
            Rating::BasicallySatisfied => "基本满意",
            Rating::Unsatisfied => "不满意",
        }
    }
}

/// One step along the loop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// 派单: hand the concern to a team (its id, `team:…`) by a date (`YYYY-MM-DD`).
    Dispatch {
        /// The team's id.
        team: String,
        /// Due date.
        due: String,
    },
    /// 办结: what was done.
    Resolve {
        /// What was done.
        resolution: String,
    },
    /// 评价: the villager's rating and an optional comment.
    Rate {
        /// The rating.
        rating: Rating,
        /// Optional comment.
        comment: String,
    },
    /// 重新打开: the villager was not satisfied, the concern goes back to open.
    Reopen,
    /// 关联服务队: a concern dispatched to a typed team name gets the team's id, in any
    /// status; nothing else changes.
    LinkTeam {
        /// The team's id.
        team: String,
    },
}

/// Why a step was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StepError {
    /// The step does not apply to the concern's current status.
    #[error("cannot {step} a concern that is {from:?}")]
    NotAllowed {
        /// Current status.
        from: ConcernStatus,
        /// The step's name.
        step: &'static str,
    },
    /// A required text (team, resolution) is empty.
    #[error("`{0}` must not be empty")]
    Empty(&'static str),
    /// The document has no valid `status`.
    #[error("the document has no valid concern status")]
    NoStatus,
    /// The due date is not a date.
    #[error("due date: {0}")]
    Due(#[from] DateInputError),
    /// The team is not a team's id (`team:…`).
    #[error("`{0}` is not a team id")]
    NotATeam(String),
    /// 关联服务队 on a concern whose team is already linked or not set.
    #[error("the concern has no typed team name to link")]
    NothingToLink,
}

impl StepError {
    /// The message the cadre sees, in Chinese.
    pub fn zh(&self) -> String {
        match self {
            Self::NotAllowed { .. } => "当前状态下不能执行此操作".into(),
            Self::Empty("team") => "请选择承办队伍".into(),
            Self::Empty(_) => "请填写办理结果".into(),
            Self::NoStatus => "问题记录缺少办理状态".into(),
            Self::Due(_) => "办结期限请按“年-月-日”填写，例如 2026-12-05".into(),
            Self::NotATeam(_) => "请从本站的服务队中选择承办队伍".into(),
            Self::NothingToLink => "这条诉求的承办队伍已经关联".into(),
        }
    }
}

impl Step {
    fn name(&self) -> &'static str {
        match self {
            Step::Dispatch { .. } => "dispatch",
            Step::Resolve { .. } => "resolve",
            Step::Rate { .. } => "rate",
            Step::Reopen => "reopen",
            Step::LinkTeam { .. } => "link",
        }
    }

    /// The status after this step from `from`, or why not.
    pub fn next(&self, from: ConcernStatus) -> Result<ConcernStatus, StepError> {
        use ConcernStatus::*;
        let to = match (self, from) {
            (Step::Dispatch { .. }, Open | Assigned) => Assigned,
            (Step::Resolve { .. }, Assigned) => Resolved,
            (Step::Rate { .. }, Resolved) => Rated,
            (Step::Reopen, Resolved | Rated) => Open,
            (Step::LinkTeam { .. }, any) => any,
            _ => {
                return Err(StepError::NotAllowed {
                    from,
                    step: self.name(),
                })
            }
        };
        Ok(to)
    }

    /// Applies the step to a concern document at time `now` (RFC 3339): checks the move,
    /// sets `status` and the step's fields and `updated_at`. On error `doc` is unchanged.
    pub fn apply(&self, doc: &mut Value, now: &str) -> Result<ConcernStatus, StepError> {
        let from = doc
            .get("status")
            .and_then(Value::as_str)
            .and_then(ConcernStatus::parse)
            .ok_or(StepError::NoStatus)?;
        let to = self.next(from)?;
        let fields = match self {
            Step::Dispatch { team, .. } if team.trim().is_empty() => {
                return Err(StepError::Empty("team"))
            }
            Step::Dispatch { team, due } => {
                let team = team_id(team)?;
                let due = normalize(FieldKind::Date, due)?;
                json!({"assigned_team": team, "due": due, "assigned_at": now})
            }
            Step::LinkTeam { team } => {
                let team = team_id(team)?;
                let written = unlinked_team(doc).ok_or(StepError::NothingToLink)?;
                json!({"assigned_team": team, "assigned_team_text": written})
            }
            Step::Resolve { resolution } if !resolution.trim().is_empty() => {
                json!({"resolution": resolution.trim(), "resolved_at": now})
            }
            Step::Resolve { .. } => return Err(StepError::Empty("resolution")),
            Step::Rate { rating, comment } => {
                json!({"rating": rating.as_str(), "rating_comment": comment.trim(), "rated_at": now})
            }
            Step::Reopen => json!({"reopened_at": now}),
        };
        let obj = doc.as_object_mut().ok_or(StepError::NoStatus)?;
        if let Value::Object(f) = fields {
            obj.extend(f);
        }
        obj.insert("status".into(), json!(to.as_str()));
        obj.insert("updated_at".into(), json!(now));
        Ok(to)
    }
}

/// `team` trimmed, if it is a team's id.
fn team_id(team: &str) -> Result<&str, StepError> {
    let team = team.trim();
    match parse_id(team) {
        Ok(DocType::Team) => Ok(team),
        _ => Err(StepError::NotATeam(team.to_owned())),
    }
}

/// The team name typed by an earlier build's 派单, if `assigned_team` holds one rather
/// than a team's id (shown as written, flagged 未关联服务队).
pub fn unlinked_team(doc: &Value) -> Option<&str> {
    typed_out(doc.get("assigned_team").and_then(Value::as_str)?)
}

/// `assigned_team` when it is typed text rather than a team's id.
fn typed_out(team: &str) -> Option<&str> {
    let team = team.trim();
    (!team.is_empty() && !matches!(parse_id(team), Ok(DocType::Team))).then_some(team)
}

/// Whether a concern still needs reporting back to the village (open or dispatched).
pub fn is_pending(status: &str) -> bool {
    matches!(
        ConcernStatus::parse(status),
        Some(ConcernStatus::Open | ConcernStatus::Assigned)
    )
}

/// Whether a concern is past its due date (`YYYY-MM-DD`) on `today` and still not
/// resolved: open or dispatched, with a due date before today. A concern due today is not.
pub fn is_overdue(doc: &Value, today: &str) -> bool {
    let s = |k: &str| doc.get(k).and_then(Value::as_str).unwrap_or_default();
    overdue(s("status"), s("due"), today)
}

fn overdue(status: &str, due: &str, today: &str) -> bool {
    is_pending(status)
        && normalize(FieldKind::Date, due).is_ok_and(|due| !due.is_empty() && due.as_str() < today)
}

impl crate::Concern {
    /// [`is_overdue`] of the typed record.
    pub fn is_overdue(&self, today: &str) -> bool {
        overdue(self.status.as_str(), self.due(), today)
    }

    /// [`unlinked_team`] of the typed record.
    pub fn unlinked_team(&self) -> Option<&str> {
        typed_out(self.assigned_team())
    }

    /// Whether it still needs reporting back to the village (open or dispatched).
    pub fn is_pending(&self) -> bool {
        matches!(self.status, ConcernStatus::Open | ConcernStatus::Assigned)
    }
}

#[cfg(test)]
mod tests;
