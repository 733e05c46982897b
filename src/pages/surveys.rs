//! 问卷 tab: the station's surveys.

use super::doc_list::{text, DocList};
use crate::i18n::*;
use leptos::prelude::*;
use serde_json::Value;

/// The survey list screen.
#[component]
pub fn SurveysPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h2>{t!(i18n, surveys_title)}</h2>
        <DocList doc_type="survey" row=survey_row testid="survey-list"/>
    }
}

fn survey_row(doc: &Value) -> AnyView {
    let questions = doc
        .get("questions")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    view! {
        <div class="row-title">{text(doc, "title")}</div>
        <div class="row-meta">{text(doc, "status")}" · "{questions}" ?"</div>
    }
    .into_any()
}
