//! 志愿者 tab: the volunteers of this station.

use super::doc_list::{text, DocList};
use crate::i18n::*;
use leptos::prelude::*;
use serde_json::Value;

/// The volunteer list screen.
#[component]
pub fn VolunteersPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h2>{t!(i18n, volunteers_title)}</h2>
        <DocList doc_type="volunteer" row=volunteer_row testid="volunteer-list"/>
    }
}

fn volunteer_row(doc: &Value) -> AnyView {
    let party = doc
        .get("party_member")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    view! {
        <div class="row-title">{text(doc, "name")}{party.then_some(" ☭")}</div>
        <div class="row-meta">{text(doc, "phone")}</div>
    }
    .into_any()
}
