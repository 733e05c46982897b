//! Whether a survey definition can be saved and opened: the builder's refusals, each a
//! typed `SurveyError` naming the question (1-based, as the cadre counts) with a zh-CN
//! message. Owns definition rules only; answers are checked in `answer`.

use super::{Kind, Question, Survey};
use serde_json::Value;
use std::collections::HashSet;

/// Why a survey definition is refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SurveyError {
    /// No title.
    #[error("survey has no title")]
    NoTitle,
    /// No questions.
    #[error("survey has no questions")]
    NoQuestions,
    /// A question without its text.
    #[error("question {0} has no label")]
    NoLabel(usize),
    /// A choice question with fewer than two (non-empty) options.
    #[error("question {0} has fewer than two options")]
    TooFewOptions(usize),
    /// The same option twice in one question.
    #[error("question {0} repeats the option {1:?}")]
    RepeatedOption(usize, String),
    /// A number question whose minimum exceeds its maximum.
    #[error("question {0}: min {1} is greater than max {2}")]
    MinAboveMax(usize, f64, f64),
    /// Two questions share an id.
    #[error("question {0} repeats the id {1:?}")]
    RepeatedId(usize, String),
    /// A show-if rule on a question that is not earlier, or not single choice / yes-no.
    #[error("question {0}: show-if must name an earlier single-choice or yes/no question")]
    BadShowIfQuestion(usize),
    /// A show-if rule whose answer the earlier question cannot give.
    #[error("question {0}: show-if answer {1} is not one of the earlier question's answers")]
    BadShowIfAnswer(usize, Value),
}

impl SurveyError {
    /// The message the cadre sees, in Chinese.
    pub fn zh(&self) -> String {
        match self {
            Self::NoTitle => "请填写问卷标题".into(),
            Self::NoQuestions => "问卷至少需要一个题目".into(),
            Self::NoLabel(n) => format!("第 {n} 题还没有题目内容"),
            Self::TooFewOptions(n) => format!("第 {n} 题是选择题，至少需要两个选项"),
            Self::RepeatedOption(n, o) => format!("第 {n} 题的选项“{o}”重复了"),
            Self::MinAboveMax(n, lo, hi) => {
                format!("第 {n} 题的最小值 {lo} 不能大于最大值 {hi}")
            }
            Self::RepeatedId(n, _) => format!("第 {n} 题的编号与其他题目重复"),
            Self::BadShowIfQuestion(n) => {
                format!("第 {n} 题的显示条件只能依据前面的单选题或是否题")
            }
            Self::BadShowIfAnswer(n, _) => format!("第 {n} 题的显示条件不是前面题目的可选答案"),
        }
    }

    /// The 1-based question the error is about, if any (the builder scrolls to it).
    pub fn question(&self) -> Option<usize> {
        match self {
            Self::NoTitle | Self::NoQuestions => None,
            Self::NoLabel(n)
            | Self::TooFewOptions(n)
            | Self::RepeatedOption(n, _)
            | Self::MinAboveMax(n, _, _)
            | Self::RepeatedId(n, _)
            | Self::BadShowIfQuestion(n)
            | Self::BadShowIfAnswer(n, _) => Some(*n),
        }
    }
}

/// Checks a whole definition; the first problem in reading order wins.
pub fn check(survey: &Survey) -> Result<(), SurveyError> {
    if survey.title.trim().is_empty() {
        return Err(SurveyError::NoTitle);
    }
    check_questions(&survey.questions)
}

/// Checks a list of questions (the current version).
pub fn check_questions(questions: &[Question]) -> Result<(), SurveyError> {
    if questions.is_empty() {
        return Err(SurveyError::NoQuestions);
    }
    let mut ids = HashSet::new();
    for (i, q) in questions.iter().enumerate() {
        let n = i + 1;
        if !ids.insert(q.id.as_str()) {
            return Err(SurveyError::RepeatedId(n, q.id.clone()));
        }
        if q.label.trim().is_empty() {
            return Err(SurveyError::NoLabel(n));
        }
        if q.kind.has_options() {
            let mut seen = HashSet::new();
            for o in q.options.iter().map(|o| o.trim()).filter(|o| !o.is_empty()) {
                if !seen.insert(o) {
                    return Err(SurveyError::RepeatedOption(n, o.to_owned()));
                }
            }
            if seen.len() < 2 {
                return Err(SurveyError::TooFewOptions(n));
            }
        }
        if let (Kind::Number, Some(lo), Some(hi)) = (q.kind, q.min, q.max) {
            if lo > hi {
                return Err(SurveyError::MinAboveMax(n, lo, hi));
            }
        }
        if let Some(rule) = &q.show_if {
            let earlier = questions[..i]
                .iter()
                .find(|e| e.id == rule.question)
                .filter(|e| e.kind.can_gate())
                .ok_or(SurveyError::BadShowIfQuestion(n))?;
            let possible = match earlier.kind {
                Kind::YesNo => rule.equals.is_boolean(),
                _ => rule
                    .equals
                    .as_str()
                    .is_some_and(|s| earlier.options.iter().any(|o| o.trim() == s)),
            };
            if !possible {
                return Err(SurveyError::BadShowIfAnswer(n, rule.equals.clone()));
            }
        }
    }
    Ok(())
}

/// The definition as it is saved: labels and options trimmed, empty options dropped,
/// options cleared on kinds that have none, min/max only on numbers.
pub fn tidy(questions: &[Question]) -> Vec<Question> {
    questions
        .iter()
        .map(|q| {
            let mut q = q.clone();
            q.label = q.label.trim().to_owned();
            q.options = if q.kind.has_options() {
                q.options
                    .iter()
                    .map(|o| o.trim().to_owned())
                    .filter(|o| !o.is_empty())
                    .collect()
            } else {
                Vec::new()
            };
            if q.kind != Kind::Number {
                q.min = None;
                q.max = None;
            }
            q
        })
        .collect()
}
