//! 志愿服务队 (`/teams`): the station's teams in pinyin order (`collate`) with members and
//! turnout, and a form to add one (name, specialty, leader) or edit one (编辑 fills the
//! same form).

use crate::collate::sort_by_name;
use crate::ctx::use_app;
use crate::i18n::*;
use crate::records::people::{save_team, SPECIALTIES};
use crate::store::Relation;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;

/// The teams screen.
#[component]
pub fn TeamsPage() -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    let data = LocalResource::new(move || {
        ctx.changed.track();
        let store = ctx.store();
        async move {
            let mut teams = store
                .all_of_type("team", u32::MAX)
                .await
                .unwrap_or_default();
            sort_by_name(&mut teams, |t| t["name"].as_str().unwrap_or_default());
            let vols = store
                .all_of_type("volunteer", u32::MAX)
                .await
                .unwrap_or_default();
            let mut out = Vec::new();
            for t in teams {
                let tid = t["_id"].as_str().unwrap_or_default().to_owned();
                let members: Vec<&Value> = vols
                    .iter()
                    .filter(|v| {
                        v["teams"]
                            .as_array()
                            .is_some_and(|a| a.iter().any(|x| x.as_str() == Some(&tid)))
                    })
                    .collect();
                let mut turnout = 0u32;
                for m in &members {
                    turnout += store
                        .count_related(
                            Relation::AttendanceByVolunteer,
                            m["_id"].as_str().unwrap_or_default(),
                        )
                        .await
                        .unwrap_or(0);
                }
                out.push((t, members.len(), turnout));
            }
            out
        }
    });
    let (name, specialty, leader) = (
        RwSignal::new(String::new()),
        RwSignal::new("other".to_owned()),
        RwSignal::new(String::new()),
    );
    let error = RwSignal::new(None::<String>);
    // The team being edited (`None`: the form adds a new one).
    let editing = RwSignal::new(None::<Value>);
    let edit = move |team: Value| {
        name.set(team["name"].as_str().unwrap_or_default().to_owned());
        specialty.set(team["specialty"].as_str().unwrap_or("other").to_owned());
        leader.set(team["leader"].as_str().unwrap_or_default().to_owned());
        editing.set(Some(team));
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
        let zh = i18n.get_locale_untracked() == Locale::zh_CN;
        spawn_local(async move {
            match save_team(
                &store,
                &profile,
                editing.get_untracked(),
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
                Err(e) => _ = error.try_set(Some(e.user_message(zh))),
            }
        });
    };
    view! {
        <h2>{t!(i18n, teams_title)}</h2>
        <ul class="doc-list" data-testid="team-list">
            {move || data.get().unwrap_or_default().into_iter().map(|(t, members, turnout)| {
                let spec = t["specialty"].as_str().unwrap_or_default().to_owned();
                let team = t.clone();
                view! {
                    <li data-testid="team-row">
                        <div class="title-row">
                            <div class="row-title">{t["name"].as_str().unwrap_or_default().to_owned()}</div>
                            <button class="small" data-testid="team-edit" on:click=move |_| edit(team.clone())>{t!(i18n, edit)}</button>
                        </div>
                        <div class="row-meta"><span class="tag">{move || specialty_label(i18n, &spec)}</span>" "
                            {t["leader"].as_str().unwrap_or_default().to_owned()}" · "{t!(i18n, members)}" "{members}" · "{t!(i18n, turnout)}" "{turnout}</div>
                    </li>
                }
            }).collect_view()}
        </ul>
        <form class="form" on:submit=add data-testid="team-form" novalidate>
            <h3>{move || if editing.with(Option::is_some) { t_string!(i18n, edit_team) } else { t_string!(i18n, new_team) }}</h3>
            <label>{t!(i18n, team_name)}<input name="team_name" bind:value=name/></label>
            <label>{t!(i18n, specialty)}
                <select name="specialty" on:change=move |ev| specialty.set(event_target_value(&ev)) prop:value=move || specialty.get()>
                    {SPECIALTIES.iter().map(|s| view! { <option value=*s>{move || specialty_label(i18n, s)}</option> }).collect_view()}
                </select>
            </label>
            <label>{t!(i18n, leader)}<input name="leader" bind:value=leader/></label>
            <p class="field-error" role="alert">{move || error.get()}</p>
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

/// A team specialty in the current language.
pub fn specialty_label(i18n: leptos_i18n::I18nContext<Locale>, s: &str) -> String {
    match s {
        "agritech" => t_string!(i18n, spec_agritech),
        "medical" => t_string!(i18n, spec_medical),
        "legal" => t_string!(i18n, spec_legal),
        "arts" => t_string!(i18n, spec_arts),
        "policy" => t_string!(i18n, spec_policy),
        "sanitation" => t_string!(i18n, spec_sanitation),
        "elderly" => t_string!(i18n, spec_elderly),
        _ => t_string!(i18n, spec_other),
    }
    .to_string()
}
