//! New and edit volunteer (`/volunteers/new`, `/volunteers/:id/edit`): name, mobile number
//! (checked; a duplicate is warned about), the optional 志愿者编号, teams (in pinyin order), skills, 党员, active.
//! An edit stays disabled until the stored record has filled it.

use crate::ctx::use_app;
use crate::i18n::*;
use crate::message::error_slot;
use crate::records::people::{
    duplicate_phone, save_volunteer, team_choices, Choice, VolunteerInput,
};
use crate::records::{self, RecordError};
use crate::store::StoreError;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};
use model::Volunteer;

/// The volunteer form screen.
#[component]
pub fn VolunteerFormPage() -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    let id = use_params_map().with_untracked(|p| p.get("id"));
    let input = RwSignal::new(VolunteerInput {
        active: true,
        ..Default::default()
    });
    let teams = RwSignal::new(Vec::<Choice>::new());
    // An edit opens disabled until the record has filled it: a keystroke made earlier
    // would be overwritten by the store's values.
    let ready = RwSignal::new(id.is_none());
    let (error, warning) = (
        RwSignal::new(None::<RecordError>),
        RwSignal::new(None::<String>),
    );
    {
        let (store, id) = (ctx.store(), id.clone());
        spawn_local(async move {
            match team_choices(&store).await {
                Ok(all) => _ = teams.try_set(all),
                Err(e) => _ = error.try_set(Some(e.into())),
            }
            let found = match &id {
                Some(id) => records::find::<Volunteer>(&store, id)
                    .await
                    .and_then(|v| v.ok_or_else(|| StoreError::NotFound(id.clone()))),
                None => return,
            };
            match found {
                Ok(v) => {
                    _ = input.try_set(v.into());
                    _ = ready.try_set(true);
                }
                Err(e) => _ = error.try_set(Some(e.into())),
            }
        });
    }
    let check_dup = {
        let id = id.clone();
        move |_| {
            let (store, phone, id) = (ctx.store(), input.get_untracked().phone, id.clone());
            spawn_local(async move {
                let dup = duplicate_phone(&store, &phone, id.as_deref())
                    .await
                    .ok()
                    .flatten();
                _ = warning.try_set(dup);
            });
        }
    };
    let navigate = use_navigate();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(profile) = ctx.profile.get_untracked() else {
            return;
        };
        let (store, v, existing, navigate) = (
            ctx.store(),
            input.get_untracked(),
            id.clone(),
            navigate.clone(),
        );
        spawn_local(async move {
            match save_volunteer(&store, &profile, existing.as_deref(), &v).await {
                Ok(id) => {
                    ctx.notify_changed();
                    navigate(&format!("/volunteers/{id}"), Default::default());
                }
                Err(e) => _ = error.try_set(Some(e)),
            }
        });
    };
    let field = move |read: fn(&VolunteerInput) -> String| move || input.with(read);
    let set = move |apply: fn(&mut VolunteerInput, String)| {
        move |ev| input.update(|i| apply(i, event_target_value(&ev)))
    };
    view! {
        <h2>{t!(i18n, volunteer_form_title)}</h2>
        <form class="form" on:submit=submit data-testid="volunteer-form" novalidate>
            <fieldset class="plain" disabled=move || !ready.get()>
            <label>{t!(i18n, person_name)}<input name="name" prop:value=field(|i| i.name.clone()) on:input=set(|i, v| i.name = v)/></label>
            <label>{t!(i18n, phone)}<input name="phone" type="tel" inputmode="tel" prop:value=field(|i| i.phone.clone()) on:input=set(|i, v| i.phone = v) on:change=check_dup/></label>
            <p class="warning" data-testid="dup-warning">{move || warning.get().map(|n| format!("{}{n}", t_string!(i18n, duplicate_phone)))}</p>
            <label>{t!(i18n, volunteer_number)}<input name="volunteer_number" inputmode="numeric" prop:value=field(|i| i.number.clone()) on:input=set(|i, v| i.number = v)/></label>
            <fieldset class="teams">
                <legend>{t!(i18n, teams_title)}</legend>
                {move || teams.get().into_iter().map(|t| {
                    let (t1, t2) = (t.id.clone(), t.id.clone());
                    view! {
                        <label class="check"><input type="checkbox" name="team"
                            prop:checked=move || input.with(|i| i.teams.contains(&t1))
                            on:change=move |ev| { let on = event_target_checked(&ev); input.update(|i| { i.teams.retain(|x| x != &t2); if on { i.teams.push(t2.clone()) } }) }/>
                            {t.name}</label>
                    }
                }).collect_view()}
            </fieldset>
            <label>{t!(i18n, skills)}<input name="skills" prop:value=field(|i| i.skills.clone()) on:input=set(|i, v| i.skills = v)/></label>
            <label class="check"><input type="checkbox" name="party" prop:checked=move || input.with(|i| i.party_member) on:change=move |ev| input.update(|i| i.party_member = event_target_checked(&ev))/>{t!(i18n, party_member)}</label>
            <label class="check"><input type="checkbox" name="active" prop:checked=move || input.with(|i| i.active) on:change=move |ev| input.update(|i| i.active = event_target_checked(&ev))/>{t!(i18n, active)}</label>
            {error_slot(error, "field-error", Some("form-error"))}
            <button class="primary" type="submit">{t!(i18n, save)}</button>
            </fieldset>
        </form>
    }
}
