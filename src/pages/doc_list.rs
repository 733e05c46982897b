//! A paged list of one record type, newest first, handed to its row as typed records.
//! Reads pages from the store (keyset paging, 50 at a time) and reloads after writes; a
//! failed read is shown, never an empty list.

use crate::ctx::use_app;
use crate::i18n::*;
use crate::message::error_slot;
use crate::store::{PageCursor, PageQuery, StoreError};
use leptos::prelude::*;
use leptos::task::spawn_local;
use model::Record;

/// How many rows a page loads.
pub const PAGE_SIZE: u32 = 50;

/// A list of the records of type `T`; `row` renders one.
#[component]
pub fn DocList<T: Record + Send + Sync>(
    row: fn(&T) -> AnyView,
    testid: &'static str,
) -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    let doc_type = T::TYPE.as_str();
    let items = RwSignal::new(Vec::<T>::new());
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
                    let page = page.typed::<T>();
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
            <For each=move || items.get() key=|d| d.id().to_owned() let:doc>
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
