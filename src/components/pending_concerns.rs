//! 上次夜话遗留问题: the concerns earlier forums left open or dispatched, shown when a
//! forum is opened so they are reported back to the village. Reads through `records`; a
//! failed read is shown, never "nothing pending".

use crate::components::concern_card::ConcernCard;
use crate::components::loaded::failure;
use crate::ctx::use_app;
use crate::i18n::*;
use crate::records::pending_concerns;
use leptos::prelude::*;

/// Pending concerns from other activities than `exclude`.
#[component]
pub fn PendingConcerns(exclude: Option<String>) -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    let list = LocalResource::new(move || {
        ctx.changed.track();
        let store = ctx.store();
        async move { pending_concerns(&store).await }
    });
    let skip = exclude.unwrap_or_default();
    let rows = Memo::new(move |_| {
        list.get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .filter(|c| c.activity_id != skip)
            .collect::<Vec<_>>()
    });
    view! {
        <section class="pending" data-testid="pending-concerns">
            <h3>{t!(i18n, pending_from_earlier)}</h3>
            {failure(list)}
            <Show when=move || !rows.with(Vec::is_empty) || list.get().is_some_and(|r| r.is_err()) fallback=move || view! { <p class="hint">{t!(i18n, no_pending)}</p> }>
                <For each=move || rows.get() key=|c| (c.meta.id.clone(), c.meta.rev.clone()) let:c>
                    <ConcernCard concern=c/>
                </For>
            </Show>
        </section>
    }
}
