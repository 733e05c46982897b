//! First start: the cadre enters the station code, name, level and their own name.
//! The same form edits the profile from 设置. Saved as a local record before the UI
//! moves on.

use crate::ctx::use_app;
use crate::i18n::*;
use crate::message::{error_slot, said, Said};
use crate::profile::{Level, Profile, ProfileError, PROFILE_KEY};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The first-start screen.
#[component]
pub fn ProfilePage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h2>{t!(i18n, profile_title)}</h2>
        <p class="hint">{t!(i18n, profile_intro)}</p>
        <ProfileForm on_saved=Callback::new(|_| ())/>
    }
}

/// The profile form; calls `on_saved` once the profile is committed to IndexedDB.
#[component]
pub fn ProfileForm(on_saved: Callback<()>) -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    let current = ctx.profile.get_untracked();
    let code = RwSignal::new(
        current
            .as_ref()
            .map(|p| p.station_code.clone())
            .unwrap_or_default(),
    );
    let name = RwSignal::new(
        current
            .as_ref()
            .map(|p| p.station_name.clone())
            .unwrap_or_default(),
    );
    let level = RwSignal::new(current.as_ref().map(|p| p.level).unwrap_or_default());
    let cadre = RwSignal::new(
        current
            .as_ref()
            .map(|p| p.cadre_name.clone())
            .unwrap_or_default(),
    );
    let error = RwSignal::new(None::<ProfileError>);
    let saving = RwSignal::new(false);
    let save_error = RwSignal::new(None::<Said>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let profile = match Profile::from_form(&code.get(), &name.get(), level.get(), &cadre.get())
        {
            Ok(p) => p,
            Err(e) => return error.set(Some(e)),
        };
        error.set(None);
        saving.set(true);
        let store = ctx.store();
        spawn_local(async move {
            match store.put_local(PROFILE_KEY, &profile).await {
                Ok(()) => {
                    ctx.profile.set(Some(profile));
                    on_saved.run(());
                }
                Err(e) => {
                    leptos::logging::error!("yehua: save profile: {e}");
                    save_error.set(Some(said(e)));
                }
            }
            saving.set(false);
        });
    };
    let field_error = move |which: ProfileError| {
        move || {
            (error.get() == Some(which)).then(|| match which {
                ProfileError::StationCode => t_string!(i18n, error_station_code),
                _ => t_string!(i18n, error_required),
            })
        }
    };
    let level_label = move |l: Level| match l {
        Level::Village => t_string!(i18n, level_village),
        Level::Township => t_string!(i18n, level_township),
        Level::County => t_string!(i18n, level_county),
        Level::City => t_string!(i18n, level_city),
    };
    view! {
        <form class="form" on:submit=submit data-testid="profile-form" novalidate>
            <label>{t!(i18n, station_code)}
                <input name="station_code" inputmode="numeric" bind:value=code/>
            </label>
            <p class="field-error" role="alert">{field_error(ProfileError::StationCode)}</p>
            <label>{t!(i18n, station_name)}
                <input name="station_name" bind:value=name/>
            </label>
            <p class="field-error" role="alert">{field_error(ProfileError::StationName)}</p>
            <label>{t!(i18n, station_level)}
                <select name="level" on:change=move |ev| {
                    if let Some(l) = Level::parse(&event_target_value(&ev)) { level.set(l) }
                }>
                    {Level::ALL.into_iter().map(|l| view! {
                        <option value=l.as_str() selected=move || level.get() == l>{move || level_label(l)}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>{t!(i18n, cadre_name)}
                <input name="cadre_name" bind:value=cadre/>
            </label>
            <p class="field-error" role="alert">{field_error(ProfileError::CadreName)}</p>
            {error_slot(save_error, "field-error", None)}
            <button class="primary" type="submit" disabled=move || saving.get()>
                {move || if saving.get() { t_string!(i18n, saving) } else { t_string!(i18n, save) }}
            </button>
        </form>
    }
}
