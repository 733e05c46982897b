//! 冲突记录: the documents whose versions disagree after sync, each with its title and how
//! many versions it has; a tap opens the comparison (`conflict.rs`).

use crate::ctx::use_app;
use crate::i18n::*;
use crate::message::ErrorNote;
use crate::sync::service::use_sync;
use leptos::prelude::*;

/// How many conflicted documents the list shows at most.
const LIMIT: u32 = 200;

/// The conflict list.
#[component]
pub fn ConflictsPage() -> impl IntoView {
    let ctx = use_app();
    let sync = use_sync();
    let i18n = use_i18n();
    let list = LocalResource::new(move || {
        ctx.changed.track();
        sync.state.with(|s| s.conflicts);
        let store = ctx.store();
        async move { store.conflicted(LIMIT).await }
    });
    view! {
        <h2>{t!(i18n, conflicts_title)}</h2>
        <p class="hint">{t!(i18n, conflicts_explain)}</p>
        {move || match list.get() {
            None => ().into_any(),
            Some(Err(e)) => {
                view! { <ErrorNote error=e/> }.into_any()
            }
            Some(Ok(items)) if items.is_empty() => {
                view! { <p data-testid="no-conflicts">{t!(i18n, conflicts_none)}</p> }.into_any()
            }
            Some(Ok(items)) => view! {
                <ul class="list" data-testid="conflict-list">
                    {items.into_iter().map(|c| {
                        let title = c.versions.first().map(title_of).unwrap_or_default();
                        let href = format!("/sync/conflicts/{}", c.id);
                        view! {
                            <li><a href=href>
                                <strong>{title}</strong>
                                <span class="meta">{format!("× {}", c.versions.len())}</span>
                            </a></li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any(),
        }}
    }
}

/// The name a cadre knows a document by.
pub(crate) fn title_of(doc: &serde_json::Value) -> String {
    ["title", "name", "text"]
        .iter()
        .find_map(|k| doc.get(*k).and_then(|v| v.as_str()))
        .unwrap_or_else(|| doc.get("_id").and_then(|v| v.as_str()).unwrap_or_default())
        .to_owned()
}
