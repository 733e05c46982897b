//! 夜话 tab: activities newest first, filtered by kind, month and pending concerns, and
//! searched by a Chinese word in title, place, host or speaker. Pages of 50 by keyset
//! through the store; typing is debounced, and rows are keyed, so 10,000 activities stay
//! smooth. Owns the list's filter state only.

use crate::components::date_field::DateField;
use crate::ctx::use_app;
use crate::i18n::*;
use crate::labels;
use crate::message::error_slot;
use crate::records::pending_concerns;
use crate::store::{PageCursor, PageQuery, StoreError};
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use model::date_input::FieldKind;
use model::filter::ActivityFilter;
use model::Activity;
use std::collections::HashSet;

/// Rows per page.
const PAGE: u32 = 50;
/// Rows one search call may scan before offering "load more".
const MAX_SCAN: u32 = 2_000;
/// Quiet time after the last keystroke before searching.
const DEBOUNCE_MS: u32 = 250;

/// The activity list screen.
#[component]
pub fn ForumsPage() -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    let filter = RwSignal::new(ActivityFilter::default());
    let typed = RwSignal::new(0u32);
    let items = RwSignal::new(Vec::<Activity>::new());
    let next = RwSignal::new(None::<PageCursor>);
    let loaded = RwSignal::new(false);
    let failed = RwSignal::new(None::<StoreError>);
    let load = move |after: Option<PageCursor>| {
        let store = ctx.store();
        let f = filter.get_untracked();
        spawn_local(async move {
            let pending: HashSet<String> = if f.pending_only {
                match pending_concerns(&store).await {
                    Ok(cs) => cs.iter().map(|c| c.activity_id.clone()).collect(),
                    Err(e) => {
                        leptos::logging::error!("yehua: pending concerns: {e}");
                        _ = failed.try_set(Some(e));
                        return;
                    }
                }
            } else {
                HashSet::new()
            };
            let q = PageQuery {
                doc_type: "activity".into(),
                newest_first: true,
                after: after.clone(),
                limit: PAGE,
            };
            let scan = if f.is_empty() { u32::MAX } else { MAX_SCAN };
            match store
                .page_matching(&q, &|d| f.matches(d, &pending), scan)
                .await
            {
                Ok(page) if filter.try_get_untracked().as_ref() == Some(&f) => {
                    let page = page.typed::<Activity>();
                    if after.is_none() {
                        items.set(page.docs);
                    } else {
                        items.update(|v| v.extend(page.docs));
                    }
                    next.set(page.next);
                    loaded.set(true);
                    failed.set(None);
                }
                Ok(_) => {} // the filter changed meanwhile; a newer load is on its way
                Err(e) => {
                    leptos::logging::error!("yehua: activity list: {e}");
                    _ = failed.try_set(Some(e));
                }
            }
        });
    };
    Effect::new(move |_| {
        ctx.changed.track();
        filter.track();
        load(None);
    });
    let on_search = move |ev| {
        let value = event_target_value(&ev);
        let n = typed.get_untracked() + 1;
        typed.set(n);
        spawn_local(async move {
            TimeoutFuture::new(DEBOUNCE_MS).await;
            if typed.try_get_untracked() == Some(n) {
                filter.try_update(|f| f.text = value);
            }
        });
    };
    view! {
        <div class="title-row">
            <h2>{t!(i18n, forums_title)}</h2>
            <A href="/concerns" attr:class="button small" attr:data-testid="concern-board-link">{t!(i18n, concerns_title)}</A>
            <A href="/forums/new" attr:class="button primary small" attr:data-testid="new-forum">{t!(i18n, new_forum)}</A>
        </div>
        <div class="filters">
            <input type="search" data-testid="forum-search" placeholder=move || t_string!(i18n, search_forums) on:input=on_search/>
            <select data-testid="filter-kind" on:change=move |ev| filter.update(|f| f.kind = event_target_value(&ev))>
                <option value="">{t!(i18n, all_kinds)}</option>
                {model::ActivityKind::ALL.iter().map(|k| view! { <option value=k.as_str()>{labels::kind(i18n, *k)}</option> }).collect_view()}
            </select>
            <DateField kind=FieldKind::Month testid="filter-month" strict=true
                value=Signal::derive(move || filter.with(|f| f.month.clone()))
                label=Signal::derive(move || t_string!(i18n, ph_month).to_owned())
                on_input=Callback::new(move |v: String| if filter.with_untracked(|f| f.month != v) { filter.update(|f| f.month = v) })/>
            <label class="check">
                <input type="checkbox" data-testid="filter-pending" on:change=move |ev| filter.update(|f| f.pending_only = event_target_checked(&ev))/>
                {t!(i18n, has_pending_concerns)}
            </label>
        </div>
        <PendingDraft/>
        {error_slot(failed, "error", Some("load-error"))}
        <ul class="doc-list" data-testid="activity-list">
            <For each=move || items.get() key=|d| (d.meta.id.clone(), d.meta.rev.clone()) let:doc>
                <li><ActivityRow doc=doc/></li>
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

/// One activity in the list; tapping opens it.
#[component]
fn ActivityRow(doc: Activity) -> impl IntoView {
    let i18n = use_i18n();
    let start = &doc.start;
    let when = format!(
        "{} {}",
        start.get(..10).unwrap_or_default(),
        start.get(11..16).unwrap_or_default()
    );
    let (present, kind) = (doc.villagers_present, doc.kind);
    // Without a place there is no empty " · · ".
    let place = Some(&doc.place)
        .filter(|p| !p.trim().is_empty())
        .map(|p| format!(" · {p}"));
    view! {
        <A href=format!("/forums/{}", doc.meta.id) attr:class="row-link">
            <div class="row-title">{doc.title.clone()}</div>
            <div class="row-meta">
                <span class="tag">{move || labels::kind(i18n, kind)}</span>" "{when}{place}" · "{present}" 👥"
            </div>
        </A>
    }
}

/// A link back to an unsaved new activity, if one was being typed.
#[component]
fn PendingDraft() -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    let draft = LocalResource::new(move || {
        let store = ctx.store();
        async move {
            crate::records::load_draft(&store, &crate::records::draft_key(None))
                .await
                .ok()
                .flatten()
        }
    });
    view! {
        {move || draft.get().flatten().map(|d| view! {
            <A href="/forums/new" attr:class="draft-banner" attr:data-testid="draft-banner">
                {t!(i18n, unsaved_draft)}": "{if d.title.is_empty() { "…".to_owned() } else { d.title.clone() }}
            </A>
        })}
    }
}
