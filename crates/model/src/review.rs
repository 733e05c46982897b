//! 审核: headquarters' review of an activity. A review is its own document,
//! `review:<activity id>` ([`crate::id::review_id`]), in the activity's station database:
//! headquarters never changes a station's records, it writes this one document beside
//! them and the station's phones receive it by sync. Owns the review's shape, its checks
//! and the state an activity is in; never reads a store or the clock.
//!
//! Rules:
//! - A review names the activity revision it judged (`activity_rev`). It counts only while
//!   that is still the activity's current (winning) revision: any later edit of the
//!   activity puts it back to 待审核, marked 已修改 so headquarters knows to look again.
//!   So an approval is of what headquarters saw, never of a later text.
//! - 已审核: approved, and the activity not edited since. 退回 (with the reason): returned,
//!   and the activity not edited since — these are the cadre's 待修改 list.
//! - No review → 待审核. A deleted review is no review.
//! - A returned review must say why (`reason`, not blank); an approval may carry a note.

use crate::doc::{Activity, Meta};
use crate::id::{self, DocType};
use crate::validate::ValidationError;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// What headquarters decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Verdict {
    /// 通过 — the activity counts as 已审核.
    #[serde(rename = "approved")]
    Approved,
    /// 退回 — the cadre is asked to correct it.
    #[serde(rename = "returned")]
    Returned,
}

impl Verdict {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Approved => "approved",
            Verdict::Returned => "returned",
        }
    }
}

/// A review document (`type: "review"`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Review {
    /// Common fields (`station` is the activity's station).
    #[serde(flatten)]
    pub meta: Meta,
    /// The activity's id.
    pub activity: String,
    /// The activity revision that was reviewed.
    pub activity_rev: String,
    /// 通过 or 退回.
    pub verdict: Verdict,
    /// Why it was returned (required then), or a note.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// The headquarters account that reviewed it.
    #[serde(default)]
    pub by: String,
    /// When (RFC 3339, UTC+8).
    #[serde(default)]
    pub at: String,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Where an activity stands with headquarters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReviewState {
    /// 待审核: never reviewed.
    Pending,
    /// 待审核（已修改）: reviewed, then edited — for headquarters to look again.
    Changed,
    /// 已审核.
    Approved,
    /// 退回：reason — for the cadre to correct.
    Returned(String),
}

impl ReviewState {
    /// Whether headquarters has this activity to look at (待审核 or 已修改).
    pub fn awaits_review(&self) -> bool {
        matches!(self, ReviewState::Pending | ReviewState::Changed)
    }
}

/// The state of an activity at `activity_rev` (its current revision) given its review.
pub fn state(activity_rev: &str, review: Option<&Review>) -> ReviewState {
    match review {
        None => ReviewState::Pending,
        Some(r) if r.activity_rev != activity_rev => ReviewState::Changed,
        Some(r) => match r.verdict {
            Verdict::Approved => ReviewState::Approved,
            Verdict::Returned => ReviewState::Returned(r.reason.clone()),
        },
    }
}

/// Whether a review body (a live winner) approves the activity at `activity_rev`: what
/// `rollup` counts as 已审核, read from the raw bodies it is given.
pub fn approves(review: &Value, activity_rev: Option<&str>) -> bool {
    let s = |k: &str| review.get(k).and_then(Value::as_str);
    review.get("_deleted") != Some(&Value::Bool(true))
        && s("verdict") == Some(Verdict::Approved.as_str())
        && activity_rev.is_some_and(|rev| s("activity_rev") == Some(rev))
}

/// The activities returned and not edited since (the cadre's 待修改), in the order given.
pub fn to_fix<'a>(
    activities: &'a [Activity],
    review_of: impl Fn(&str) -> Option<&'a Review>,
) -> Vec<(&'a Activity, String)> {
    activities
        .iter()
        .filter_map(|a| {
            let rev = a.meta.rev.as_deref().unwrap_or_default();
            match state(rev, review_of(&a.meta.id)) {
                ReviewState::Returned(reason) => Some((a, reason)),
                _ => None,
            }
        })
        .collect()
}

/// One activity of a station's month as headquarters reviews it.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// The activity at its current revision.
    pub activity: Activity,
    /// Its review, if any (its `_rev` is what replacing it needs).
    pub review: Option<Review>,
    /// Where it stands.
    pub state: ReviewState,
}

/// The activities of `month` (`YYYY-MM`, their `start` at UTC+8) with their reviews and
/// states, by start; reviews of other activities are ignored.
pub fn month_board(activities: Vec<Activity>, reviews: Vec<Review>, month: &str) -> Vec<Item> {
    let mut by_activity: std::collections::HashMap<String, Review> = reviews
        .into_iter()
        .map(|r| (r.activity.clone(), r))
        .collect();
    let mut items: Vec<Item> = activities
        .into_iter()
        .filter(|a| crate::time::month_cst(&a.start).as_deref() == Some(month))
        .map(|activity| {
            let review = by_activity.remove(&activity.meta.id);
            let rev = activity.meta.rev.as_deref().unwrap_or_default();
            let state = state(rev, review.as_ref());
            Item {
                activity,
                review,
                state,
            }
        })
        .collect();
    items.sort_by(|a, b| a.activity.start.cmp(&b.activity.start));
    items
}

/// What headquarters fills in to review an activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision<'a> {
    /// The activity's id.
    pub activity: &'a str,
    /// Its revision as headquarters saw it.
    pub activity_rev: &'a str,
    /// Its station code.
    pub station: &'a str,
    /// 通过 or 退回.
    pub verdict: Verdict,
    /// The reason (required to return).
    pub reason: &'a str,
    /// The reviewer's account name.
    pub by: &'a str,
    /// Now, RFC 3339 at UTC+8 (passed in: `model` never reads the clock).
    pub at: &'a str,
}

impl Decision<'_> {
    /// The review document (without `_rev`; the caller adds the current one to replace
    /// an earlier review), checked as [`check`] checks it.
    pub fn to_doc(&self) -> Result<Value, ValidationError> {
        let doc = serde_json::json!({
            "_id": id::review_id(self.activity),
            "type": DocType::Review.as_str(),
            "station": self.station,
            "created_at": self.at,
            "updated_at": self.at,
            "created_by": self.by,
            "activity": self.activity,
            "activity_rev": self.activity_rev,
            "verdict": self.verdict.as_str(),
            "reason": self.reason.trim(),
            "by": self.by,
            "at": self.at,
        });
        check(&doc)?;
        Ok(doc)
    }
}

/// The review rules beyond the common fields (`validate` calls this for `review:*`): it
/// names the activity its id names, a revision, a verdict, who and when, and a returned
/// review says why.
pub fn check(doc: &Value) -> Result<Review, ValidationError> {
    let r: Review =
        serde_json::from_value(doc.clone()).map_err(|e| ValidationError::Field(field_of(&e)))?;
    if id::parse_id(&r.activity) != Ok(DocType::Activity) || id::review_id(&r.activity) != r.meta.id
    {
        return Err(ValidationError::Field("activity"));
    }
    if !is_rev(&r.activity_rev) {
        return Err(ValidationError::Field("activity_rev"));
    }
    if r.by.trim().is_empty() {
        return Err(ValidationError::Field("by"));
    }
    crate::time::parse_millis(&r.at).map_err(|_| ValidationError::BadTime("at"))?;
    if r.verdict == Verdict::Returned && r.reason.trim().is_empty() {
        return Err(ValidationError::Field("reason"));
    }
    Ok(r)
}

/// `N-<hex>`, a CouchDB revision id.
fn is_rev(s: &str) -> bool {
    s.split_once('-').is_some_and(|(n, h)| {
        !n.is_empty()
            && n.bytes().all(|b| b.is_ascii_digit())
            && !h.is_empty()
            && h.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

fn field_of(e: &serde_json::Error) -> &'static str {
    let text = e.to_string();
    ["activity_rev", "activity", "verdict", "reason", "by", "at"]
        .into_iter()
        .find(|f| text.contains(&format!("`{f}`")))
        .unwrap_or("verdict")
}

#[cfg(test)]
mod tests;
