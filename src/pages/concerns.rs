//! 诉求台账: every concern across forums, by status (待派单 / 已派单 / 已办结 / 已评价),
//! each with its next step. Reads through the store's status index; a store failure is
//! shown, never an empty board.

use crate::components::concern_card::ConcernCard;
use crate::components::loaded::{empty, failure, rows};
use crate::ctx::use_app;
use crate::i18n::*;
use crate::labels;
use crate::store::{decode_all, Relation, StoreError};
use leptos::prelude::*;
use model::{Concern, ConcernStatus};

/// How many concerns one status tab lists.
const LIMIT: u32 = 300;

/// The concern board screen.
#[component]
pub fn ConcernsPage() -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    let status = RwSignal::new(ConcernStatus::Open);
    let list = LocalResource::new(move || {
        ctx.changed.track();
        let (store, s) = (ctx.store(), status.get());
        async move {
            let mut v: Vec<Concern> = decode_all(
                store
                    .related(Relation::ConcernsByStatus, s.as_str(), LIMIT)
                    .await?,
            );
            v.sort_by(|a, b| b.meta.updated_at.cmp(&a.meta.updated_at));
            Ok::<_, StoreError>(v)
        }
    });
    view! {
        <h2>{t!(i18n, concerns_title)}</h2>
        <div class="tabs" role="tablist">
            {ConcernStatus::ALL.iter().map(|s| {
                let s = *s;
                view! {
                    <button role="tab" data-testid=format!("tab-{}", s.as_str())
                        aria-selected=move || (status.get() == s).to_string()
                        on:click=move |_| status.set(s)>{move || labels::status(i18n, s)}</button>
                }
            }).collect_view()}
        </div>
        {failure(list)}
        <div data-testid="concern-board">
            <For each=move || rows(list) key=|c| (c.meta.id.clone(), c.meta.rev.clone()) let:c>
                <ConcernCard concern=c/>
            </For>
        </div>
        <Show when=move || empty(list)>
            <p class="empty">{t!(i18n, empty_list)}</p>
        </Show>
    }
}
