//! Choosing one of the station's teams (派单, 关联服务队): a search by name or pinyin
//! initials (`model::names`, as the volunteer list searches) over the teams in pinyin
//! order, each a large tap target; the chosen team shows with 更换. Writes the chosen
//! team's id into `chosen`; reads teams through `records::people`; owns no record.

use crate::ctx::use_app;
use crate::i18n::*;
use crate::records::people::{team_choices, TeamChoice};
use leptos::prelude::*;
use model::names::matches_name;

/// The picker; `chosen` holds the picked team's id (empty: none yet).
#[component]
pub fn TeamPicker(chosen: RwSignal<String>) -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    let teams = LocalResource::new(move || {
        ctx.changed.track();
        let store = ctx.store();
        async move { team_choices(&store).await }
    });
    let query = RwSignal::new(String::new());
    let picked = move || {
        let id = chosen.get();
        teams
            .get()
            .and_then(Result::ok)
            .and_then(|ts| ts.into_iter().find(|t| t.id == id))
    };
    let shown = move || -> Vec<TeamChoice> {
        let q = query.get();
        let all = teams.get().and_then(Result::ok).unwrap_or_default();
        all.into_iter()
            .filter(|t| q.trim().is_empty() || matches_name(&t.name, q.trim()))
            .collect()
    };
    view! {
        <div class="team-picker" data-testid="team-picker">
            {move || match (teams.get(), picked()) {
                (Some(Err(e)), _) => {
                    let zh = i18n.get_locale() == Locale::zh_CN;
                    view! { <p class="error" role="alert">{e.user_message(zh)}</p> }.into_any()
                }
                (_, Some(t)) => view! {
                    <div class="picked" data-testid="team-picked" data-id=t.id.clone()>
                        <strong>{t.name.clone()}</strong>
                        <button type="button" class="small" data-testid="team-change" on:click=move |_| chosen.set(String::new())>
                            {t!(i18n, team_change)}
                        </button>
                    </div>
                }.into_any(),
                (Some(Ok(all)), None) if all.is_empty() => view! {
                    <p class="hint" data-testid="no-teams">{t!(i18n, no_teams)}" "<a href="/teams">{t!(i18n, teams_title)}</a></p>
                }.into_any(),
                _ => view! {
                    <input type="search" data-testid="team-search" autocomplete="off"
                        placeholder=move || t_string!(i18n, team_search) bind:value=query/>
                    <ul class="picks" data-testid="team-options">
                        {move || shown().into_iter().map(|t| {
                            let id = t.id.clone();
                            view! {
                                <li><button type="button" data-testid="team-option" data-id=t.id.clone()
                                    on:click=move |_| chosen.set(id.clone())>{t.name.clone()}</button></li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </div>
    }
}
