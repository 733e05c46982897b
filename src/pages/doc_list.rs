//! A paged list of one document type, newest first, shared by the list screens.
//! Reads pages from the store (keyset paging, 50 at a time) and reloads after writes; a
//! failed read is shown, never an empty list.

use crate::ctx::use_app;
use crate::i18n::*;
use crate::message::error_slot;
use crate::store::{PageCursor, PageQuery, StoreError};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;

/// How many rows a page loads.
pub const PAGE_SIZE: u32 = 50;

/// A list of `doc_type` documents; `row` renders one document.
#[component]
pub fn DocList(
    doc_type: &'static str,
    row: fn(&Value) -> AnyView,
    testid: &'static str,
) -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    let items = RwSignal::new(Vec::<Value>::new());
    let next = RwSignal::new(None::<PageCursor>);
    let loaded = RwSignal::new(false);
    let failed = RwSignal::new(None::<StoreError>);
    let load = move |after: Option<PageCursor>| {
        let store = ctx.store();
        spawn_local(async move {
            let q = PageQuery {
                doc_type: doc_type.into(),
                newest_first: true,
                after: after.clone(),
                limit: PAGE_SIZE,
            };
            match store.page(&q).await {
                Ok(page) => {
                    if after.is_none() {
                        _ = items.try_set(page.docs);
                    } else {
                        items.try_update(|v| v.extend(page.docs));
                    }
                    _ = next.try_set(page.next);
                    _ = loaded.try_set(true);
                    _ = failed.try_set(None);
                }
                Err(e) => {
                    leptos::logging::error!("yehua: list {doc_type}: {e}");
                    _ = failed.try_set(Some(e));
                }
            }
        });
    };
    Effect::new(move |_| {
        ctx.changed.track();
        load(None);
    });
    view! {
        {error_slot(failed, "error", Some("load-error"))}
        <ul class="doc-list" data-testid=testid>
            <For each=move || items.get() key=|d| d["_id"].as_str().unwrap_or_default().to_owned() let:doc>
                <li>{row(&doc)}</li>
            </For>
        </ul>
        <Show when=move || loaded.get() && items.with(Vec::is_empty)>
            <p class="empty">{t!(i18n, empty_list)}</p>
        </Show>
        <Show when=move || next.with(Option::is_some)>
            <button class="more" on:click=move |_| load(next.get_untracked())>{t!(i18n, load_more)}</button>
        </Show>
    }
}

/// A string field of a document, or empty.
pub fn text(doc: &Value, key: &str) -> String {
    doc.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}
