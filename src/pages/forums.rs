//! 夜话 tab: forums and other activities, newest first.

use super::doc_list::{text, DocList};
use crate::i18n::*;
use leptos::prelude::*;
use serde_json::Value;

/// The activity list screen.
#[component]
pub fn ForumsPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h2>{t!(i18n, forums_title)}</h2>
        <DocList doc_type="activity" row=activity_row testid="activity-list"/>
    }
}

fn activity_row(doc: &Value) -> AnyView {
    let date = text(doc, "start").chars().take(10).collect::<String>();
    let present = doc
        .get("villagers_present")
        .and_then(Value::as_u64)
        .unwrap_or(0);
    view! {
        <div class="row-title">{text(doc, "title")}</div>
        <div class="row-meta">{date}" · "{text(doc, "place")}" · "{present}" 👥"</div>
    }
    .into_any()
}
