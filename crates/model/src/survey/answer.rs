//! One villager's answers: which questions are shown (show-if rules, evaluated in order, so a
//! question hidden by a hidden question is hidden too), and the checks the filling screen
//! runs before a response is written — required, option, rating and number range — each
//! reported at its question. Owns answer rules only; never writes.

use super::{Kind, Question};
use serde_json::{Map, Value};

/// Why one answer is refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AnswerError {
    /// A required question shown but not answered.
    #[error("answer required")]
    Required,
    /// A choice that is not one of the options.
    #[error("not one of the options")]
    NotAnOption,
    /// A rating outside 1–5.
    #[error("rating must be 1 to 5")]
    BadRating,
    /// Not a number.
    #[error("not a number")]
    NotANumber,
    /// A number below the minimum.
    #[error("below the minimum {0}")]
    BelowMin(f64),
    /// A number above the maximum.
    #[error("above the maximum {0}")]
    AboveMax(f64),
    /// A value of the wrong JSON shape for the kind.
    #[error("wrong kind of answer")]
    WrongShape,
}

impl AnswerError {
    /// The message shown at the question, in Chinese.
    pub fn zh(&self) -> String {
        match self {
            Self::Required => "此题必答".into(),
            Self::NotAnOption => "请从选项中选择".into(),
            Self::BadRating => "请选择 1 到 5 颗星".into(),
            Self::NotANumber => "请填写数字".into(),
            Self::BelowMin(m) => format!("不能小于 {m}"),
            Self::AboveMax(m) => format!("不能大于 {m}"),
            Self::WrongShape => "答案格式不正确".into(),
        }
    }
}

/// Whether each question is shown, given the answers so far (same order as `questions`).
pub fn visible(questions: &[Question], answers: &Map<String, Value>) -> Vec<bool> {
    let mut shown: Vec<bool> = Vec::with_capacity(questions.len());
    for q in questions {
        let v = match &q.show_if {
            None => true,
            Some(rule) => questions
                .iter()
                .zip(&shown)
                .find(|(e, _)| e.id == rule.question)
                .is_some_and(|(_, &gate_shown)| {
                    gate_shown && answers.get(&rule.question) == Some(&rule.equals)
                }),
        };
        shown.push(v);
    }
    shown
}

/// Whether a value counts as no answer (absent, null, blank text, no choice made).
pub fn is_blank(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.trim().is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        Some(_) => false,
    }
}

/// Parses a number as typed (accepts full-width digits and a full-width point or minus).
pub fn parse_number(typed: &str) -> Option<f64> {
    let ascii: String = typed
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '．' | '。' => '.',
            '－' => '-',
            c => c,
        })
        .collect();
    ascii.parse::<f64>().ok().filter(|n| n.is_finite())
}

fn check_one(q: &Question, v: &Value) -> Result<Value, AnswerError> {
    match q.kind {
        Kind::Single => {
            let s = v.as_str().ok_or(AnswerError::WrongShape)?;
            q.options
                .iter()
                .any(|o| o == s)
                .then(|| v.clone())
                .ok_or(AnswerError::NotAnOption)
        }
        Kind::Multiple => {
            let picked = v.as_array().ok_or(AnswerError::WrongShape)?;
            let mut out = Vec::new();
            // Keep the options' order, whatever order they were tapped in.
            for o in &q.options {
                if picked.iter().any(|p| p.as_str() == Some(o)) {
                    out.push(Value::String(o.clone()));
                }
            }
            if out.len() != picked.len() {
                return Err(AnswerError::NotAnOption);
            }
            Ok(Value::Array(out))
        }
        Kind::Text => v
            .as_str()
            .map(|s| Value::String(s.trim().to_owned()))
            .ok_or(AnswerError::WrongShape),
        Kind::Rating => match v.as_u64() {
            Some(n @ 1..=5) => Ok(Value::from(n)),
            _ => Err(AnswerError::BadRating),
        },
        Kind::Number => {
            let n = match v {
                Value::Number(n) => n.as_f64(),
                Value::String(s) => parse_number(s),
                _ => None,
            }
            .ok_or(AnswerError::NotANumber)?;
            if let Some(lo) = q.min.filter(|lo| n < *lo) {
                return Err(AnswerError::BelowMin(lo));
            }
            if let Some(hi) = q.max.filter(|hi| n > *hi) {
                return Err(AnswerError::AboveMax(hi));
            }
            Ok(serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number))
        }
        Kind::YesNo => v.as_bool().map(Value::Bool).ok_or(AnswerError::WrongShape),
    }
}

/// Checks a response before it is written. On success, the answers to store: only shown,
/// non-blank questions, normalized (trimmed text, numbers as numbers, multiple choices in
/// option order). On failure, every refused question with its error, in question order.
pub fn check_answers(
    questions: &[Question],
    answers: &Map<String, Value>,
) -> Result<Map<String, Value>, Vec<(String, AnswerError)>> {
    let shown = visible(questions, answers);
    let mut out = Map::new();
    let mut errors = Vec::new();
    for (q, shown) in questions.iter().zip(shown) {
        let v = answers.get(&q.id);
        if !shown || is_blank(v) {
            if shown && q.required {
                errors.push((q.id.clone(), AnswerError::Required));
            }
            continue;
        }
        match check_one(q, v.unwrap_or(&Value::Null)) {
            Ok(v) => {
                out.insert(q.id.clone(), v);
            }
            Err(e) => errors.push((q.id.clone(), e)),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// How far along a villager is: (answered shown questions, shown questions) — "3 / 8".
pub fn progress(questions: &[Question], answers: &Map<String, Value>) -> (usize, usize) {
    let shown = visible(questions, answers);
    let total = shown.iter().filter(|s| **s).count();
    let done = questions
        .iter()
        .zip(&shown)
        .filter(|(q, s)| **s && !is_blank(answers.get(&q.id)))
        .count();
    (done, total)
}
