//! 志愿者 tab: the station's volunteers in pinyin order (`collate`), searched by name or
//! pinyin initials (`model::names`) and filtered by team, with links to add a volunteer
//! and to the teams. Reads through the store; a failed read is shown, never an empty list.

use crate::collate::sort_by_name;
use crate::components::loaded::failure;
use crate::ctx::use_app;
use crate::i18n::*;
use crate::records::people::team_choices;
use crate::store::StoreError;
use leptos::prelude::*;
use leptos_router::components::A;
use model::names::matches_name;
use model::Volunteer;

/// The volunteer list screen.
#[component]
pub fn VolunteersPage() -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    let (query, team) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let data = LocalResource::new(move || {
        ctx.changed.track();
        let store = ctx.store();
        async move {
            let vols = store.all_as::<Volunteer>().await?;
            let teams = team_choices(&store).await?;
            Ok::<_, StoreError>((vols, teams))
        }
    });
    let shown = move || {
        let (q, t) = (query.get(), team.get());
        let mut v: Vec<Volunteer> = data
            .get()
            .and_then(Result::ok)
            .map(|(v, _)| v)
            .unwrap_or_default()
            .into_iter()
            .filter(|v| matches_name(&v.name, &q))
            .filter(|v| t.is_empty() || v.in_team(&t))
            .collect();
        sort_by_name(&mut v, |v| &v.name);
        v
    };
    view! {
        <div class="title-row">
            <h2>{t!(i18n, volunteers_title)}</h2>
            <A href="/volunteers/new" attr:class="button primary small" attr:data-testid="new-volunteer">{t!(i18n, new_volunteer)}</A>
        </div>
        <p class="actions links">
            <A href="/teams" attr:class="button small" attr:data-testid="teams-link">{t!(i18n, teams_title)}</A>
            <A href="/points" attr:class="button small" attr:data-testid="shop-link">{t!(i18n, shop_title)}</A>
        </p>
        <div class="filters">
            <input type="search" data-testid="volunteer-search" placeholder=move || t_string!(i18n, search_name) bind:value=query/>
            <select data-testid="filter-team" on:change=move |ev| team.set(event_target_value(&ev))>
                <option value="">{t!(i18n, all_teams)}</option>
                {move || data.get().and_then(Result::ok).map(|(_, t)| t).unwrap_or_default().into_iter().map(|t| view! {
                    <option value=t.id>{t.name}</option>
                }).collect_view()}
            </select>
        </div>
        {failure(data)}
        <ul class="doc-list" data-testid="volunteer-list">
            <For each=shown key=|v| (v.meta.id.clone(), v.meta.rev.clone()) let:v>
                <li>
                    <A href=format!("/volunteers/{}", v.meta.id) attr:class="row-link">
                        <div class="row-title">{v.name.clone()}{(v.party_member == Some(true)).then_some(" ☭")}</div>
                        <div class="row-meta">{v.phone.clone()}</div>
                    </A>
                </li>
            </For>
        </ul>
    }
}
