//! Every response of a survey as one CSV table for Excel and WPS: UTF-8 with BOM, Chinese
//! headers, one row per response (oldest first), one column per question any version asked
//! (a response leaves the questions of other versions empty). Owns the cell formats.

use super::{Kind, Question, Response, Survey};
use crate::csv::table;
use serde_json::Value;
use std::collections::HashMap;

/// The fixed columns before the questions.
pub const FIXED_HEADER: [&str; 4] = ["序号", "提交时间", "问卷版本", "活动"];

/// One answer as a spreadsheet cell: choices joined by 、, yes/no as 是/否, numbers without
/// a trailing `.0`.
pub fn cell(q: &Question, v: Option<&Value>) -> String {
    let Some(v) = v else { return String::new() };
    match (q.kind, v) {
        (Kind::Multiple, Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join("、"),
        (Kind::YesNo, Value::Bool(b)) => (if *b { "是" } else { "否" }).into(),
        (_, Value::String(s)) => s.clone(),
        (_, Value::Number(n)) => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
            _ => n.to_string(),
        },
        (_, other) => other.to_string(),
    }
}

/// The CSV text. `activity_titles` maps activity ids to titles (an unknown id is written
/// as it is).
pub fn responses_csv(
    survey: &Survey,
    responses: &[Response],
    activity_titles: &HashMap<String, String>,
) -> String {
    let columns = survey.all_questions();
    let mut header: Vec<&str> = FIXED_HEADER.to_vec();
    header.extend(columns.iter().map(|q| q.label.as_str()));
    let mut mine: Vec<&Response> = responses.iter().filter(|r| survey.owns(r)).collect();
    mine.sort_by(|a, b| a.collected_at.cmp(&b.collected_at));
    let rows: Vec<Vec<String>> = mine
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let asked = survey.questions_of(r.survey_version).unwrap_or_default();
            let activity = r.activity_id.as_deref().map_or(String::new(), |a| {
                activity_titles
                    .get(a)
                    .cloned()
                    .unwrap_or_else(|| a.to_owned())
            });
            let mut row = vec![
                (i + 1).to_string(),
                r.collected_at.clone(),
                r.survey_version.to_string(),
                activity,
            ];
            row.extend(columns.iter().map(|q| {
                // Read the answer with the definition of the version it answered.
                let own = asked.iter().find(|a| a.id == q.id).unwrap_or(q);
                cell(own, r.answers.get(&q.id))
            }));
            row
        })
        .collect();
    table(&header, &rows)
}
