//! The satisfaction survey at a forum (村夜话): which survey a forum's 满意度调查 button
//! hands round, and the forum's figure (how many responses were collected there, and the
//! share 满意 + 基本满意). Owns only these two choices; the counting is `results`'.
//!
//! Rules:
//! - A survey collects satisfaction when it was made from the satisfaction template
//!   (`template: "satisfaction"`, the mark `rollup` reads) and its current version still
//!   asks the single-choice `satisfaction` question.
//! - The button uses an open one: first one already linked to this forum, else the newest
//!   (ids are UUID v7, so the largest id is the newest). With none, the caller makes one.
//! - The figure counts the responses carrying the forum's `activity_id` in every
//!   satisfaction-template survey (open or closed) and every version, through
//!   `results::results` with an activity filter; the rate is of those that answered the
//!   `satisfaction` question, as in `rollup`.

use super::results::{per_version, percent, results, satisfied, Filter};
use super::{Kind, Response, Status, Survey, SATISFACTION_QUESTION};

/// Whether `s` is a satisfaction survey a forum can hand round (see the module rules).
pub fn collects_satisfaction(s: &Survey) -> bool {
    s.is_satisfaction()
        && s.questions
            .iter()
            .any(|q| q.id == SATISFACTION_QUESTION && q.kind == Kind::Single)
}

/// The open satisfaction survey forum `activity_id` should use, if any.
pub fn pick<'a>(surveys: &'a [Survey], activity_id: &str) -> Option<&'a Survey> {
    surveys
        .iter()
        .filter(|s| s.status == Status::Open && collects_satisfaction(s))
        .max_by_key(|s| (s.activity_id.as_deref() == Some(activity_id), s.id()))
}

/// A forum's satisfaction figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForumFigure {
    /// Responses collected at the forum.
    pub responses: u64,
    /// Of those, how many answered the `satisfaction` question.
    pub answered: u64,
    /// How many answered 满意 or 基本满意.
    pub satisfied: u64,
    /// `satisfied / answered` in whole percent, when anyone answered.
    pub rate: Option<u64>,
    /// The survey holding most of the forum's responses (the newest on a tie): where the
    /// forum page links to its results.
    pub survey_id: String,
}

/// The figure of forum `activity_id` over `responses` (of any surveys); `None` when no
/// satisfaction survey has a response from it.
pub fn figure(
    surveys: &[Survey],
    responses: &[Response],
    activity_id: &str,
) -> Option<ForumFigure> {
    let filter = Filter {
        activity_id: Some(activity_id.to_owned()),
        ..Filter::default()
    };
    let mut total = ForumFigure {
        responses: 0,
        answered: 0,
        satisfied: 0,
        rate: None,
        survey_id: String::new(),
    };
    let mut best = (0u64, None::<&str>);
    for s in surveys.iter().filter(|s| s.is_satisfaction()) {
        let mut here = 0;
        for (version, _) in per_version(s, responses) {
            let r = results(s, version, responses, &filter);
            here += r.responses;
            if let Some(q) = r.questions.iter().find(|q| q.id == SATISFACTION_QUESTION) {
                total.answered += q.answered;
                total.satisfied += satisfied(q);
            }
        }
        total.responses += here;
        if here > 0 && (here, s.id()) > best {
            best = (here, s.id());
        }
    }
    total.rate = percent(total.satisfied, total.answered);
    total.survey_id = best.1?.to_owned();
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::super::edit::set_status;
    use super::super::templates::{survey, Template};
    use super::*;
    use serde_json::{json, Map, Value};

    fn sat(id: &str, status: Status) -> Survey {
        let mut s = survey(Template::Satisfaction);
        s.extra.insert("_id".into(), json!(id));
        if status != Status::Draft {
            set_status(&mut s, Status::Open).unwrap();
        }
        if status == Status::Closed {
            set_status(&mut s, Status::Closed).unwrap();
        }
        s
    }

    fn resp(survey: &str, version: u32, activity: Option<&str>, answer: Option<&str>) -> Response {
        let mut answers = Map::new();
        if let Some(a) = answer {
            answers.insert(SATISFACTION_QUESTION.into(), Value::from(a));
        }
        Response {
            survey_id: survey.into(),
            survey_version: version,
            activity_id: activity.map(str::to_owned),
            answers,
            collected_at: "2026-11-29T20:30:00+08:00".into(),
            ..Response::default()
        }
    }

    #[test]
    fn only_the_satisfaction_template_with_its_question_collects() {
        assert!(collects_satisfaction(&survey(Template::Satisfaction)));
        assert!(!collects_satisfaction(&survey(Template::Needs)));
        let mut edited = survey(Template::Satisfaction);
        edited.questions.retain(|q| q.id != SATISFACTION_QUESTION);
        assert!(
            !collects_satisfaction(&edited),
            "the counted question was removed"
        );
        let mut copied = survey(Template::Satisfaction);
        copied.template = None;
        assert!(
            !collects_satisfaction(&copied),
            "same questions, no template mark"
        );
    }

    #[test]
    fn pick_takes_an_open_one_linked_first_then_the_newest() {
        assert_eq!(pick(&[], "activity:a"), None);
        let mut needs = survey(Template::Needs);
        needs.extra.insert("_id".into(), json!("survey:9"));
        set_status(&mut needs, Status::Open).unwrap();
        let others = [
            sat("survey:1", Status::Draft),
            sat("survey:2", Status::Closed),
            needs,
        ];
        assert_eq!(
            pick(&others, "activity:a"),
            None,
            "draft, closed, other template"
        );
        let mut all = others.to_vec();
        all.push(sat("survey:3", Status::Open));
        all.push(sat("survey:5", Status::Open));
        all.push(sat("survey:4", Status::Open));
        assert_eq!(
            pick(&all, "activity:a").and_then(Survey::id),
            Some("survey:5")
        );
        all[3].activity_id = Some("activity:a".into());
        assert_eq!(
            pick(&all, "activity:a").and_then(Survey::id),
            Some("survey:3")
        );
        assert_eq!(
            pick(&all, "activity:b").and_then(Survey::id),
            Some("survey:5")
        );
    }

    #[test]
    fn figure_counts_this_forum_only_through_results() {
        let s = sat("survey:1", Status::Open);
        let rs = vec![
            resp("survey:1", 1, Some("activity:a"), Some("满意")),
            resp("survey:1", 1, Some("activity:a"), Some("基本满意")),
            resp("survey:1", 1, Some("activity:a"), Some("不满意")),
            resp("survey:1", 1, Some("activity:b"), Some("不满意")),
            resp("survey:1", 1, None, Some("不满意")),
        ];
        let f = figure(std::slice::from_ref(&s), &rs, "activity:a").unwrap();
        assert_eq!((f.responses, f.answered, f.satisfied), (3, 3, 2));
        assert_eq!(f.rate, Some(67));
        assert_eq!(f.survey_id, "survey:1");
        let filter = Filter {
            activity_id: Some("activity:a".into()),
            ..Filter::default()
        };
        assert_eq!(f.rate, results(&s, 1, &rs, &filter).satisfaction);
        assert_eq!(figure(&[s], &rs, "activity:c"), None);
    }

    #[test]
    fn figure_adds_versions_and_surveys_and_ignores_other_templates() {
        let mut v2 = sat("survey:1", Status::Open);
        let mut draft = v2.questions.clone();
        draft[4].label = "还有别的建议吗？".into();
        super::super::edit::save_questions(&mut v2, &draft, true).unwrap();
        assert_eq!(v2.version, 2);
        let mut needs = survey(Template::Needs);
        needs.extra.insert("_id".into(), json!("survey:8"));
        let rs = vec![
            resp("survey:1", 1, Some("activity:a"), Some("满意")),
            resp("survey:1", 2, Some("activity:a"), Some("不满意")),
            resp("survey:1", 2, Some("activity:a"), None),
            resp("survey:2", 1, Some("activity:a"), Some("基本满意")),
            resp("survey:8", 1, Some("activity:a"), Some("满意")),
        ];
        let surveys = [v2, sat("survey:2", Status::Closed), needs];
        let f = figure(&surveys, &rs, "activity:a").unwrap();
        assert_eq!((f.responses, f.answered, f.satisfied), (4, 3, 2));
        assert_eq!(f.rate, Some(67));
        assert_eq!(f.survey_id, "survey:1", "most of the forum's responses");
    }
}
