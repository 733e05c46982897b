//! The builder's operations on a survey: add, move, duplicate and delete questions, save an
//! edited question list (a new version once responses exist) and move the lifecycle on.
//! Owns how a definition changes; `check` decides whether it is acceptable.

use super::check::{check, tidy, SurveyError};
use super::{Kind, Question, Status, Survey, Version};

/// An id no version of the survey has used (`q<n>`, one above the highest), so a new
/// question never inherits the answers of a deleted one.
pub fn fresh_id(survey: &Survey, draft: &[Question]) -> String {
    let used = survey
        .versions
        .iter()
        .flat_map(|v| v.questions.iter())
        .chain(survey.questions.iter())
        .chain(draft.iter());
    let top = used
        .filter_map(|q| q.id.strip_prefix('q')?.parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    format!("q{}", top + 1)
}

/// Appends a new empty question of `kind`.
pub fn add(survey: &Survey, draft: &mut Vec<Question>, kind: Kind) {
    let id = fresh_id(survey, draft);
    draft.push(Question::new(id, kind));
}

/// Moves question `i` one place up (`up`) or down; out of range does nothing.
pub fn move_by_one(draft: &mut [Question], i: usize, up: bool) {
    let j = if up { i.checked_sub(1) } else { Some(i + 1) };
    if let Some(j) = j.filter(|j| *j < draft.len() && i < draft.len()) {
        draft.swap(i, j);
    }
}

/// Inserts a copy of question `i` right after it, with a fresh id.
pub fn duplicate(survey: &Survey, draft: &mut Vec<Question>, i: usize) {
    if let Some(q) = draft.get(i) {
        let mut copy = q.clone();
        copy.id = fresh_id(survey, draft);
        draft.insert(i + 1, copy);
    }
}

/// Deletes question `i`, and the show-if rules of later questions that depended on it.
pub fn delete(draft: &mut Vec<Question>, i: usize) {
    if i >= draft.len() {
        return;
    }
    let gone = draft.remove(i).id;
    for q in draft.iter_mut() {
        if q.show_if.as_ref().is_some_and(|r| r.question == gone) {
            q.show_if = None;
        }
    }
}

/// Replaces the survey's questions with `draft` (tidied). When the survey already has
/// responses and the questions changed, the current questions become an earlier version and
/// the version number goes up, so every response stays tied to what it answered. Returns
/// whether a new version was made. Refuses a definition `check` refuses.
pub fn save_questions(
    survey: &mut Survey,
    draft: &[Question],
    has_responses: bool,
) -> Result<bool, SurveyError> {
    let draft = tidy(draft);
    let mut next = survey.clone();
    next.questions = draft.clone();
    check(&next)?;
    if draft == survey.questions {
        return Ok(false);
    }
    let new_version = has_responses;
    if new_version {
        survey.versions.push(Version {
            version: survey.version,
            questions: std::mem::take(&mut survey.questions),
        });
        survey.version += 1;
    }
    survey.questions = draft;
    Ok(new_version)
}

/// Why a lifecycle step is refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StatusError {
    /// The definition cannot be opened.
    #[error(transparent)]
    Invalid(#[from] SurveyError),
    /// A closed survey cannot go back to draft, nor a draft straight to closed.
    #[error("cannot go from {0:?} to {1:?}")]
    NotAllowed(Status, Status),
}

impl StatusError {
    /// The message the cadre sees, in Chinese.
    pub fn zh(&self) -> String {
        match self {
            Self::Invalid(e) => e.zh(),
            Self::NotAllowed(..) => "问卷当前状态不能这样更改".into(),
        }
    }
}

/// Moves the lifecycle: draft → open (only a valid definition), open → closed, and
/// closed → open to collect again. Nothing goes back to draft once opened.
pub fn set_status(survey: &mut Survey, to: Status) -> Result<(), StatusError> {
    use Status::*;
    match (survey.status, to) {
        (a, b) if a == b => return Ok(()),
        (Draft, Open) | (Closed, Open) => check(survey)?,
        (Open, Closed) => {}
        (a, b) => return Err(StatusError::NotAllowed(a, b)),
    }
    survey.status = to;
    Ok(())
}
