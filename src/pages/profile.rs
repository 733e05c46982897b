//! First start: the cadre enters the station code, name, level and their own name — or
//! 扫码设置: scans the setup QR headquarters printed (`model::setup`, read through
//! `components::qr_scanner`), which fills the station and the sign-in, and types only the
//! password (the scanning part is [`SetupScan`]). The same form edits the profile from 设置. Saved as a local record before
//! the UI moves on; signing in is `sync::service`'s.

use crate::chunks::{lazy, Screen};
use crate::components::qr_scanner::QrScanner;
use crate::ctx::use_app;
use crate::i18n::*;
use crate::message::{error_slot, said, Said};
use crate::profile::{Level, Profile, ProfileError, PROFILE_KEY};
use crate::sync::service::use_sync;
use leptos::prelude::*;
use leptos::task::spawn_local;
use model::setup::{Setup, SetupError};

/// What the scanned setup code said, shared by [`ProfilePage`] and its [`SetupScan`].
#[derive(Clone, Copy)]
struct Scanned(RwSignal<Option<Setup>>);

/// The first-start screen: 扫码设置 ([`SetupScan`], in the split build part of the forums
/// chunk, fetched once the form is up: src/chunks.rs), or the form filled by hand.
#[component]
pub fn ProfilePage() -> impl IntoView {
    let i18n = use_i18n();
    let scanned = RwSignal::new(None::<Setup>);
    provide_context(Scanned(scanned));
    view! {
        <h2>{t!(i18n, profile_title)}</h2>
        <p class="hint">{t!(i18n, profile_intro)}</p>
        {lazy(Screen::SetupScan)()}
        <Show when=move || scanned.with(Option::is_none)>
            <ProfileForm on_saved=Callback::new(|_| ())/>
        </Show>
    }
}

/// 扫码设置: the camera, then what the code filled in and the password; or, before a
/// scan, the way to start one.
#[component]
pub fn SetupScan() -> impl IntoView {
    let i18n = use_i18n();
    let Scanned(scanned) = expect_context::<Scanned>();
    let scanning = RwSignal::new(false);
    let refused = RwSignal::new(None::<SetupError>);
    let on_scan = Callback::new(move |text: String| {
        let origin = web_sys::window()
            .and_then(|w| w.location().origin().ok())
            .unwrap_or_default();
        match Setup::parse_for(&text, &origin) {
            Ok(setup) => {
                refused.set(None);
                scanning.set(false);
                scanned.set(Some(setup));
            }
            Err(e) => refused.set(Some(e)),
        }
    });
    move || {
        match scanned.get() {
        Some(setup) => view! {
            <SetupForm setup/>
            <button class="secondary" data-testid="setup-manual" on:click=move |_| scanned.set(None)>
                {t!(i18n, setup_manual)}
            </button>
        }.into_any(),
        None => view! {
            <div class="setup-scan">
                <p class="hint">{t!(i18n, setup_scan_hint)}</p>
                {error_slot(refused, "error", Some("setup-refused"))}
                <Show when=move || !scanning.get()>
                    <button class="primary" data-testid="setup-scan" on:click=move |_| scanning.set(true)>
                        {t!(i18n, setup_scan)}
                    </button>
                </Show>
                <Show when=move || scanning.get()>
                    <QrScanner on_scan on_close=Callback::new(move |_| scanning.set(false)) read=any_text/>
                </Show>
            </div>
        }.into_any(),
    }
    }
}

/// Every code the camera reads: a wrong one is refused with its reason, not ignored.
fn any_text(text: &str) -> Option<String> {
    Some(text.to_owned())
}

/// What a setup code filled in, and the password: signs in first (a wrong password changes
/// nothing), then saves the profile, and the first sync runs.
#[component]
fn SetupForm(setup: Setup) -> impl IntoView {
    let ctx = use_app();
    let sync = use_sync();
    let i18n = use_i18n();
    let level = Level::parse(&setup.level).unwrap_or_default();
    let cadre = RwSignal::new(setup.user.clone());
    let password = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<Said>);
    let facts = setup.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let profile =
            match Profile::from_form(&setup.station, &setup.name, level, &cadre.get_untracked()) {
                Ok(p) => p,
                Err(_) => {
                    return error.set(Some(Said::text(|l| {
                        td_string!(l, error_required).to_string()
                    })))
                }
            };
        let (server, user, pw) = (
            setup.server.clone(),
            setup.user.clone(),
            password.get_untracked(),
        );
        if pw.is_empty() {
            return error.set(Some(Said::text(|l| {
                td_string!(l, sync_missing_fields).to_string()
            })));
        }
        busy.set(true);
        let store = ctx.store();
        spawn_local(async move {
            let result = match sync.sign_in(&server, &user, &pw).await {
                Ok(()) => store.put_local(PROFILE_KEY, &profile).await.map_err(said),
                Err(e) => Err(said(e)),
            };
            _ = password.try_set(String::new());
            _ = busy.try_set(false);
            match result {
                Ok(()) => {
                    ctx.profile.set(Some(profile));
                    sync.sync_now();
                }
                Err(e) => _ = error.try_set(Some(e)),
            }
        });
    };
    view! {
        <form class="form" on:submit=submit data-testid="setup-form" novalidate>
            <h3>{t!(i18n, setup_scanned_title)}</h3>
            <dl class="setup-facts">
                <dt>{t!(i18n, station_name)}</dt><dd data-testid="setup-station">{facts.name.clone()}</dd>
                <dt>{t!(i18n, station_code)}</dt><dd>{facts.station.clone()}</dd>
                <dt>{t!(i18n, station_level)}</dt><dd>{move || level_label(i18n, level)}</dd>
                <dt>{t!(i18n, sync_user)}</dt><dd data-testid="setup-user">{facts.user.clone()}</dd>
            </dl>
            <label>{t!(i18n, cadre_name)}
                <input name="cadre_name" bind:value=cadre/>
            </label>
            <label>{t!(i18n, setup_password)}
                <input type="password" autocomplete="current-password" data-testid="setup-password" bind:value=password/>
            </label>
            {error_slot(error, "error", Some("setup-error"))}
            <button class="primary big" type="submit" data-testid="setup-sign-in" disabled=move || busy.get()>
                {move || if busy.get() { t_string!(i18n, setup_signing_in) } else { t_string!(i18n, setup_sign_in) }}
            </button>
        </form>
    }
}

fn level_label(i18n: leptos_i18n::I18nContext<Locale>, l: Level) -> &'static str {
    match l {
        Level::Village => t_string!(i18n, level_village),
        Level::Township => t_string!(i18n, level_township),
        Level::County => t_string!(i18n, level_county),
        Level::City => t_string!(i18n, level_city),
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
    let level_label = move |l: Level| level_label(i18n, l);
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
