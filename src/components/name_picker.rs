//! Choosing one record by name — a team (派单, 关联服务队) or a volunteer (积分兑换): a
//! search by name or pinyin initials (`model::names`, as the volunteer list searches)
//! over choices in pinyin order, each a large tap target; the chosen one shows with 更换.
//! Writes the chosen id into `chosen`; the choices come from `records`; owns no record.

use crate::ctx::use_app;
use crate::i18n::*;
use crate::message::ErrorNote;
use crate::records::people::{team_choices, volunteer_choices, Choice};
use leptos::prelude::*;
use model::names::matches_name;

/// What the picker chooses from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    /// The station's teams.
    Team,
    /// The station's volunteers.
    Volunteer,
}

/// The picker; `chosen` holds the picked id (empty: none yet).
#[component]
pub fn NamePicker(pick: Pick, chosen: RwSignal<String>) -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    let choices = LocalResource::new(move || {
        ctx.changed.track();
        let store = ctx.store();
        async move {
            match pick {
                Pick::Team => team_choices(&store).await,
                Pick::Volunteer => volunteer_choices(&store).await,
            }
        }
    });
    let query = RwSignal::new(String::new());
    let picked = move || {
        let id = chosen.get();
        choices
            .get()
            .and_then(Result::ok)
            .and_then(|cs| cs.into_iter().find(|c| c.id == id))
    };
    let shown = move || -> Vec<Choice> {
        let q = query.get();
        let all = choices.get().and_then(Result::ok).unwrap_or_default();
        all.into_iter()
            .filter(|c| q.trim().is_empty() || matches_name(&c.name, q.trim()))
            .collect()
    };
    let (testid, search, none, fix) = match pick {
        Pick::Team => (
            "team",
            t_string!(i18n, team_search),
            t_string!(i18n, no_teams),
            ("/teams", t_string!(i18n, teams_title)),
        ),
        Pick::Volunteer => (
            "volunteer",
            t_string!(i18n, volunteer_search),
            t_string!(i18n, no_volunteers),
            ("/volunteers/new", t_string!(i18n, new_volunteer)),
        ),
    };
    view! {
        <div class="name-picker" data-testid=format!("{testid}-picker")>
            {move || match (choices.get(), picked()) {
                (Some(Err(e)), _) => {
                    view! { <ErrorNote error=e/> }.into_any()
                }
                (_, Some(c)) => view! {
                    <div class="picked" data-testid=format!("{testid}-picked") data-id=c.id.clone()>
                        <strong>{c.name.clone()}</strong>
                        <button type="button" class="small" data-testid=format!("{testid}-change") on:click=move |_| chosen.set(String::new())>
                            {t!(i18n, team_change)}
                        </button>
                    </div>
                }.into_any(),
                (Some(Ok(all)), None) if all.is_empty() => view! {
                    <p class="hint" data-testid=format!("no-{testid}s")>{none}" "<a href=fix.0>{fix.1}</a></p>
                }.into_any(),
                _ => view! {
                    <input type="search" data-testid=format!("{testid}-search") autocomplete="off"
                        placeholder=search bind:value=query/>
                    <ul class="picks" data-testid=format!("{testid}-options")>
                        {move || shown().into_iter().map(|c| {
                            let id = c.id.clone();
                            view! {
                                <li><button type="button" data-testid=format!("{testid}-option") data-id=c.id.clone()
                                    on:click=move |_| chosen.set(id.clone())>{c.name.clone()}</button></li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </div>
    }
}
