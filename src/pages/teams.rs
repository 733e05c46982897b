//! 志愿服务队 (`/teams`): the station's teams in pinyin order with members, turnout and
//! the concerns dispatched to each (派单 / 办结 / 已超期 / 满意率, `model::concern::team`),
//! and a form to add one (name, specialty, leader) or edit one (编辑 fills the same form).
//! Reads through `records::people`; a store failure is shown, never an empty list.

use crate::components::loaded::failure;
use crate::ctx::use_app;
use crate::i18n::*;
use crate::labels;
use crate::message::{error_slot, said, Said};
use crate::records::people::{save_team, team_rows, SPECIALTIES};
use crate::records::today;
use leptos::prelude::*;
use leptos::task::spawn_local;
use model::Team;

/// The teams screen.
#[component]
pub fn TeamsPage() -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    let data = LocalResource::new(move || {
        ctx.changed.track();
        let store = ctx.store();
        async move { team_rows(&store, &today()).await }
    });
    let (name, specialty, leader) = (
        RwSignal::new(String::new()),
        RwSignal::new("other".to_owned()),
        RwSignal::new(String::new()),
    );
    let error = RwSignal::new(None::<Said>);
    // The team being edited (`None`: the form adds a new one).
    let editing = RwSignal::new(None::<String>);
    let edit = move |team: Team| {
        name.set(team.name);
        specialty.set(team.specialty);
        leader.set(team.leader);
        editing.set(Some(team.meta.id));
    };
    let reset = move || {
        _ = name.try_set(String::new());
        _ = leader.try_set(String::new());
        _ = specialty.try_set("other".to_owned());
        _ = editing.try_set(None);
    };
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(profile) = ctx.profile.get_untracked() else {
            return;
        };
        let store = ctx.store();
        spawn_local(async move {
            match save_team(
                &store,
                &profile,
                editing.get_untracked().as_deref(),
                &name.get_untracked(),
                &specialty.get_untracked(),
                &leader.get_untracked(),
            )
            .await
            {
                Ok(_) => {
                    reset();
                    _ = error.try_set(None);
                    ctx.notify_changed();
                }
                Err(e) => _ = error.try_set(Some(said(e))),
            }
        });
    };
    view! {
        <h2>{t!(i18n, teams_title)}</h2>
        {failure(data)}
        <ul class="doc-list" data-testid="team-list">
            {move || data.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|row| {
                let t = row.team;
                let spec = t.specialty.clone();
                let team = t.clone();
                let f = row.figures;
                let rating = f.rating_percent().map_or_else(|| "—".to_owned(), |p| format!("{p}%"));
                let rating_attr = rating.clone();
                view! {
                    <li data-testid="team-row" data-dispatched=f.dispatched data-resolved=f.resolved
                        data-overdue=f.overdue data-rating=rating_attr>
                        <div class="title-row">
                            <div class="row-title">{t.name.clone()}</div>
                            <button class="small" data-testid="team-edit" on:click=move |_| edit(team.clone())>{t!(i18n, edit)}</button>
                        </div>
                        <div class="row-meta"><span class="tag">{move || labels::specialty(i18n, &spec)}</span>" "
                            {t.leader.clone()}" · "{t!(i18n, members)}" "{row.members}" · "{t!(i18n, turnout)}" "{row.turnout}</div>
                        <div class="row-meta" data-testid="team-concerns">
                            {t!(i18n, team_dispatched)}" "{f.dispatched}" · "{t!(i18n, team_resolved)}" "{f.resolved}
                            {(f.overdue > 0).then(|| view! { " · "<span class="tag overdue">{t!(i18n, overdue)}" "{f.overdue}</span> })}
                            " · "{t!(i18n, team_rating)}" "{rating}
                            " · "<span data-testid="team-points" data-value=row.points>{t!(i18n, team_points)}" "{row.points}</span>
                        </div>
                    </li>
                }
            }).collect_view()}
        </ul>
        <form class="form" on:submit=add data-testid="team-form" novalidate>
            <h3>{move || if editing.with(Option::is_some) { t_string!(i18n, edit_team) } else { t_string!(i18n, new_team) }}</h3>
            <label>{t!(i18n, team_name)}<input name="team_name" bind:value=name/></label>
            <label>{t!(i18n, specialty)}
                <select name="specialty" on:change=move |ev| specialty.set(event_target_value(&ev)) prop:value=move || specialty.get()>
                    {SPECIALTIES.iter().map(|s| view! { <option value=*s>{move || labels::specialty(i18n, s)}</option> }).collect_view()}
                </select>
            </label>
            <label>{t!(i18n, leader)}<input name="leader" bind:value=leader/></label>
            {error_slot(error, "field-error", None)}
            <div class="actions">
                <button class="primary" type="submit" data-testid="team-save">
                    {move || if editing.with(Option::is_some) { t_string!(i18n, save) } else { t_string!(i18n, add) }}
                </button>
                <Show when=move || editing.with(Option::is_some)>
                    <button type="button" on:click=move |_| reset()>{t!(i18n, cancel)}</button>
                </Show>
            </div>
        </form>
    }
}
