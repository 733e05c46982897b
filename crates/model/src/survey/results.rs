//! A survey's results: per question, how many answered, counts and percentages per option
//! (yes/no as 是/否, ratings as 1–5 stars), the average of ratings and numbers, the text
//! answers; the satisfaction rate (满意 + 基本满意) of the satisfaction template. Owns the
//! survey sums; the results screen only draws them.
//!
//! Counting rules: only responses to the chosen version count (a response answered the
//! questions of its own version); percentages are of the responses that answered that
//! question, rounded half up to whole percent; a multiple-choice answer counts once under
//! each option picked, so its percentages may add up to more than 100. The date filter
//! uses the local date (UTC+8) of `collected_at`, both ends inclusive.

use super::{is_satisfied, Kind, Response, Survey, SATISFACTION_QUESTION};
use crate::time::date_cst;
use serde_json::Value;

/// Which responses to count.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Filter {
    /// Only responses collected at this activity.
    pub activity_id: Option<String>,
    /// First local date `YYYY-MM-DD`, inclusive.
    pub from: Option<String>,
    /// Last local date `YYYY-MM-DD`, inclusive.
    pub until: Option<String>,
}

impl Filter {
    /// Whether a response passes the filter.
    pub fn keeps(&self, r: &Response) -> bool {
        if self
            .activity_id
            .as_ref()
            .is_some_and(|a| r.activity_id.as_ref() != Some(a))
        {
            return false;
        }
        if self.from.is_none() && self.until.is_none() {
            return true;
        }
        let Some(date) = date_cst(&r.collected_at) else {
            return false;
        };
        self.from.as_deref().is_none_or(|f| date.as_str() >= f)
            && self.until.as_deref().is_none_or(|u| date.as_str() <= u)
    }
}

/// One bar: an option and how many chose it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionCount {
    /// The option as shown (`是`, `★★★`, `农业技术`).
    pub label: String,
    /// How many chose it.
    pub count: u64,
    /// Percent of those who answered the question.
    pub percent: u64,
}

/// One question's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionResult {
    /// Question id.
    pub id: String,
    /// Its text.
    pub label: String,
    /// Its kind.
    pub kind: Kind,
    /// Responses that answered it.
    pub answered: u64,
    /// Bars, for single, multiple, yes/no and rating (1 to 5, in that order).
    pub options: Vec<OptionCount>,
    /// Mean of ratings or numbers, when any.
    pub average: Option<f64>,
    /// Text answers, oldest first (blank ones are never stored).
    pub texts: Vec<String>,
}

/// A survey version's results.
#[derive(Debug, Clone, PartialEq)]
pub struct Results {
    /// The version counted.
    pub version: u32,
    /// Responses counted (after the filter).
    pub responses: u64,
    /// One entry per question of the version, in order.
    pub questions: Vec<QuestionResult>,
    /// 满意 + 基本满意 share in percent, for the satisfaction template with answers.
    pub satisfaction: Option<u64>,
}

/// `part / whole` in whole percent, rounded half up; `None` when `whole` is 0.
pub fn percent(part: u64, whole: u64) -> Option<u64> {
    (whole > 0).then(|| (part * 100 + whole / 2) / whole)
}

/// How a rating of `n` stars is labelled on the bars.
pub fn stars(n: u64) -> String {
    "★".repeat(n as usize)
}

/// How many answered 满意 or 基本满意: the part of the satisfaction rate, read from the bars
/// of the satisfaction question.
pub fn satisfied(q: &QuestionResult) -> u64 {
    q.options
        .iter()
        .filter(|o| is_satisfied(&o.label))
        .map(|o| o.count)
        .sum()
}

/// Counts `responses` (any survey, any version: the others are skipped) for `version`.
pub fn results(survey: &Survey, version: u32, responses: &[Response], filter: &Filter) -> Results {
    let questions = survey.questions_of(version).unwrap_or_default();
    let mut mine: Vec<&Response> = responses
        .iter()
        .filter(|r| survey.owns(r) && r.survey_version == version && filter.keeps(r))
        .collect();
    mine.sort_by(|a, b| a.collected_at.cmp(&b.collected_at));
    let figures = questions
        .iter()
        .map(|q| {
            let answers: Vec<&Value> = mine.iter().filter_map(|r| r.answers.get(&q.id)).collect();
            let answered = answers.len() as u64;
            let bar = |label: String, count: u64| OptionCount {
                label,
                count,
                percent: percent(count, answered).unwrap_or(0),
            };
            let count_where =
                |f: &dyn Fn(&Value) -> bool| answers.iter().filter(|v| f(v)).count() as u64;
            let options = match q.kind {
                Kind::Single => q
                    .options
                    .iter()
                    .map(|o| bar(o.clone(), count_where(&|v| v.as_str() == Some(o))))
                    .collect(),
                Kind::Multiple => q
                    .options
                    .iter()
                    .map(|o| {
                        let picked = |v: &Value| {
                            v.as_array()
                                .is_some_and(|a| a.iter().any(|p| p.as_str() == Some(o)))
                        };
                        bar(o.clone(), count_where(&picked))
                    })
                    .collect(),
                Kind::YesNo => [(true, "是"), (false, "否")]
                    .into_iter()
                    .map(|(b, l)| bar(l.into(), count_where(&|v| v.as_bool() == Some(b))))
                    .collect(),
                Kind::Rating => (1..=5)
                    .map(|n| bar(stars(n), count_where(&|v| v.as_u64() == Some(n))))
                    .collect(),
                Kind::Text | Kind::Number => Vec::new(),
            };
            let numbers: Vec<f64> = answers.iter().filter_map(|v| v.as_f64()).collect();
            let average = (matches!(q.kind, Kind::Rating | Kind::Number) && !numbers.is_empty())
                .then(|| numbers.iter().sum::<f64>() / numbers.len() as f64);
            let texts = match q.kind {
                Kind::Text => answers
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect(),
                _ => Vec::new(),
            };
            QuestionResult {
                id: q.id.clone(),
                label: q.label.clone(),
                kind: q.kind,
                answered,
                options,
                average,
                texts,
            }
        })
        .collect::<Vec<_>>();
    let satisfaction = if survey.is_satisfaction() {
        figures
            .iter()
            .find(|f| f.id == SATISFACTION_QUESTION)
            .and_then(|f| percent(satisfied(f), f.answered))
    } else {
        None
    };
    Results {
        version,
        responses: mine.len() as u64,
        questions: figures,
        satisfaction,
    }
}

/// How many responses each version has, newest version first: the results screen's
/// version picker.
pub fn per_version(survey: &Survey, responses: &[Response]) -> Vec<(u32, u64)> {
    (1..=survey.version)
        .rev()
        .filter(|v| survey.questions_of(*v).is_some())
        .map(|v| {
            let n = responses.iter().filter(|r| r.survey_version == v).count() as u64;
            (v, n)
        })
        .collect()
}
