//! Surveys (问卷) and their responses: the typed shapes, the lifecycle (draft → open →
//! closed) and versions. Owns the wire format of `survey` and `response` documents; the
//! rules live in submodules: `check` (a definition that can be opened), `answer` (show-if,
//! required and range checks on one response), `edit` (builder operations), `results`
//! (counts, percentages, averages, the satisfaction rate), `csv` (all responses as a
//! spreadsheet), `templates` (夜话满意度调查, 群众需求征集) and `forum` (which satisfaction
//! survey a forum hands round, and the forum's satisfaction figure). Never touches storage.
//!
//! Wire shapes (docs/design.md, "Everything is a CouchDB document"):
//! - survey: `title`, `description`, `activity_id?`, `status` (`draft`/`open`/`closed`),
//!   `template?`, `version` (from 1), `questions: [Question]` (the current version) and
//!   `versions: [{version, questions}]` (every earlier version, oldest first, kept in the
//!   body so they survive revision stemming).
//! - response: `survey_id`, `survey_version`, `activity_id?`, `answers: {question id: value}`,
//!   `collected_at`, `collector`. Append-only: written once, never edited.
//!
//! Answer values by kind: single and text → string; multiple → array of strings;
//! rating → integer 1–5; number → number; yes/no → boolean.
//!
//! Versions: a question keeps its `id` across versions (new questions get fresh ids), so a
//! response is read with the questions of the version it answered (`Survey::questions_of`).

pub mod answer;
pub mod check;
pub mod csv;
pub mod edit;
pub mod forum;
pub mod results;
pub mod templates;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The built-in template whose `satisfaction` question `rollup` counts for headquarters.
pub const SATISFACTION_TEMPLATE: &str = "satisfaction";
/// The question id `rollup` reads in satisfaction-template responses.
pub const SATISFACTION_QUESTION: &str = "satisfaction";
/// The answers counted as satisfied (满意 + 基本满意), and the third.
pub const SATISFACTION_OPTIONS: [&str; 3] = ["满意", "基本满意", "不满意"];

/// Whether `answer` to the satisfaction question counts as satisfied (满意 or 基本满意): the
/// one rule behind the survey results' rate, a forum's figure and the HQ roll-up.
pub fn is_satisfied(answer: &str) -> bool {
    SATISFACTION_OPTIONS[..2].contains(&answer)
}

/// What kind of question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// 单选 — one of the options.
    Single,
    /// 多选 — any of the options.
    Multiple,
    /// 填空 — short text.
    Text,
    /// 满意度 — 1 to 5 stars.
    Rating,
    /// 数字 — a number, optionally between min and max.
    Number,
    /// 是否 — yes or no.
    YesNo,
}

impl Kind {
    /// Every kind, in the builder's order.
    pub const ALL: [Kind; 6] = [
        Kind::Single,
        Kind::Multiple,
        Kind::Text,
        Kind::Rating,
        Kind::Number,
        Kind::YesNo,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Single => "single",
            Kind::Multiple => "multiple",
            Kind::Text => "text",
            Kind::Rating => "rating",
            Kind::Number => "number",
            Kind::YesNo => "yes_no",
        }
    }

    /// Parses the wire name.
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether the question offers options.
    pub fn has_options(self) -> bool {
        matches!(self, Kind::Single | Kind::Multiple)
    }

    /// Whether a later question may be shown only if this one has a given answer.
    pub fn can_gate(self) -> bool {
        matches!(self, Kind::Single | Kind::YesNo)
    }
}

/// "Show only if" an earlier single-choice or yes/no question has this answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShowIf {
    /// The earlier question's id.
    pub question: String,
    /// The answer that shows this question: an option (string) or a boolean.
    pub equals: Value,
}

/// One question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// Stable across versions, e.g. `q3`.
    pub id: String,
    /// What kind.
    pub kind: Kind,
    /// The question as the villager reads it.
    pub label: String,
    /// Must be answered (when shown).
    #[serde(default)]
    pub required: bool,
    /// Choices, for single and multiple.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    /// Smallest allowed number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Largest allowed number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// Shown only if an earlier answer matches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_if: Option<ShowIf>,
    /// Fields of newer app versions, kept unchanged.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Question {
    /// A new, empty question of a kind.
    pub fn new(id: String, kind: Kind) -> Question {
        Question {
            id,
            kind,
            label: String::new(),
            required: false,
            options: if kind.has_options() {
                vec![String::new(), String::new()]
            } else {
                Vec::new()
            },
            min: None,
            max: None,
            show_if: None,
            extra: Map::new(),
        }
    }
}

/// Where a survey is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 草稿 — being built; cannot be filled.
    #[default]
    Draft,
    /// 进行中 — can be filled.
    Open,
    /// 已结束 — results only.
    Closed,
}

impl Status {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Open => "open",
            Status::Closed => "closed",
        }
    }
}

/// An earlier version's questions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Version {
    /// Its number.
    pub version: u32,
    /// Its questions.
    pub questions: Vec<Question>,
}

/// A survey document's body (without the common `Meta` fields, kept in `extra`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Survey {
    /// Title.
    pub title: String,
    /// What it is for.
    #[serde(default)]
    pub description: String,
    /// The activity it follows, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity_id: Option<String>,
    /// Lifecycle.
    #[serde(default)]
    pub status: Status,
    /// `satisfaction` or `needs` when made from a built-in template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    /// The current version (1 for a survey never edited after its first response).
    #[serde(default = "one")]
    pub version: u32,
    /// The current version's questions.
    #[serde(default)]
    pub questions: Vec<Question>,
    /// Earlier versions, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<Version>,
    /// Every other field (`_id`, `_rev`, `type`, `station`, times, fields of newer apps).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

fn one() -> u32 {
    1
}

impl Default for Survey {
    /// An empty draft at version 1.
    fn default() -> Survey {
        Survey {
            title: String::new(),
            description: String::new(),
            activity_id: None,
            status: Status::Draft,
            template: None,
            version: 1,
            questions: Vec::new(),
            versions: Vec::new(),
            extra: Map::new(),
        }
    }
}

impl Survey {
    /// Reads a stored survey.
    pub fn from_doc(doc: &Value) -> Result<Survey, serde_json::Error> {
        Survey::deserialize(doc)
    }

    /// The document body to store.
    pub fn to_doc(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// The survey's id, when stored.
    pub fn id(&self) -> Option<&str> {
        self.extra.get("_id").and_then(Value::as_str)
    }

    /// The questions a version asked; `None` for a version that never existed.
    pub fn questions_of(&self, version: u32) -> Option<&[Question]> {
        if version == self.version {
            return Some(&self.questions);
        }
        self.versions
            .iter()
            .find(|v| v.version == version)
            .map(|v| v.questions.as_slice())
    }

    /// Every question any version asked, by id, in first-seen order from the current version
    /// back (labels from the newest version that has the question): the CSV's columns.
    pub fn all_questions(&self) -> Vec<&Question> {
        let mut out: Vec<&Question> = Vec::new();
        let newest_first = std::iter::once(self.questions.as_slice())
            .chain(self.versions.iter().rev().map(|v| v.questions.as_slice()));
        for qs in newest_first {
            for q in qs {
                if !out.iter().any(|o| o.id == q.id) {
                    out.push(q);
                }
            }
        }
        out
    }

    /// Whether `r` answered this survey (any response counts for a survey not yet stored).
    pub fn owns(&self, r: &Response) -> bool {
        self.id().is_none_or(|id| r.survey_id == id)
    }

    /// Whether this is the satisfaction template headquarters counts.
    pub fn is_satisfaction(&self) -> bool {
        self.template.as_deref() == Some(SATISFACTION_TEMPLATE)
    }
}

/// A response document's body, as written once by the filling screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Response {
    /// The survey answered.
    #[serde(default)]
    pub survey_id: String,
    /// The version answered.
    #[serde(default = "one")]
    pub survey_version: u32,
    /// The activity it was collected at, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity_id: Option<String>,
    /// Question id → answer (hidden and unanswered questions are absent).
    #[serde(default)]
    pub answers: Map<String, Value>,
    /// RFC 3339, UTC+8.
    #[serde(default)]
    pub collected_at: String,
    /// The cadre whose phone collected it.
    #[serde(default)]
    pub collector: String,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Response {
    /// Reads a stored response.
    pub fn from_doc(doc: &Value) -> Result<Response, serde_json::Error> {
        Response::deserialize(doc)
    }
}

#[cfg(test)]
mod tests;
