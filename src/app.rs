//! The app: i18n, opening the store, the first-start profile, router and layout.
//!
//! Opens the store and provides the context every screen uses ([`crate::ctx::AppCtx`]).
//! Architecture invariant: this is the only place the store is opened.

use crate::chunks::{lazy, Screen};
use crate::components::{bottom_nav::BottomNav, sync_badge::SyncBadge};
use crate::ctx::{use_app, AppCtx, LOCALE_KEY};
use crate::i18n::*;
use crate::message::message_text;
use crate::pages;
use crate::profile::{Profile, PROFILE_KEY};
use crate::records::training;
use crate::store::{Store, StoreError};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

/// Where opening the app has got to.
#[derive(Clone)]
enum BootState {
    Opening,
    Failed(StoreError),
    Ready(AppCtx),
}

/// The root component.
#[component]
pub fn App() -> impl IntoView {
    let pwa = crate::pwa::init();
    view! {
        <I18nContextProvider>
            <Boot pwa/>
        </I18nContextProvider>
    }
}

#[component]
fn Boot(pwa: crate::pwa::PwaCtx) -> impl IntoView {
    let i18n = use_i18n();
    let boot = RwSignal::new_local(BootState::Opening);
    let online = RwSignal::new(navigator_online());
    watch_online(online);
    // The opening screen's chunk downloads while the store opens, not after.
    crate::chunks::prefetch_opening_screen();
    spawn_local(async move {
        match open(online).await {
            Ok((ctx, locale)) => {
                if let Some(l) = locale {
                    i18n.set_locale(l);
                }
                boot.set(BootState::Ready(ctx));
            }
            Err(e) => {
                leptos::logging::error!("yehua: cannot open store: {e}");
                boot.set(BootState::Failed(e));
            }
        }
        // The first screen is rendered in the microtasks after `set`; a timer runs after
        // them. Then the worker may download the rest of the app.
        gloo_timers::future::TimeoutFuture::new(0).await;
        pwa.start_worker();
    });
    move || match boot.get() {
        BootState::Opening => {
            view! { <p class="boot" data-testid="boot">{t!(i18n, opening)}</p> }.into_any()
        }
        BootState::Failed(e) => {
            let detail = e.to_string();
            view! {
                <div class="boot error" role="alert">
                    <h2>{t!(i18n, open_failed)}</h2>
                    <p>{message_text(e)}</p>
                    <p class="detail">{detail}</p>
                </div>
            }
            .into_any()
        }
        BootState::Ready(ctx) => {
            provide_context(ctx);
            provide_context(crate::sync::service::SyncService::start(ctx));
            view! { <Shell/> }.into_any()
        }
    }
}

/// Opens the real store, or the training store when the real one says so.
async fn open(online: RwSignal<bool>) -> Result<(AppCtx, Option<Locale>), StoreError> {
    let real = Store::open().await?;
    let profile: Option<Profile> = real.get_local(PROFILE_KEY).await?;
    let training = training::is_on(&real).await?;
    let (store, profile) = if training {
        training::open(profile.as_ref()).await?
    } else {
        (real.clone(), profile)
    };
    let locale: Option<String> = match store.get_local(LOCALE_KEY).await? {
        Some(l) => Some(l),
        None => real.get_local(LOCALE_KEY).await?,
    };
    let locale = locale.and_then(|l| Locale::get_all().iter().copied().find(|x| x.as_str() == l));
    let ctx = AppCtx::new(store, profile, online, training);
    Ok((ctx, locale))
}

/// 演示模式's banner: on every screen, with the way back.
#[component]
fn TrainingBanner() -> impl IntoView {
    let i18n = use_i18n();
    let leaving = RwSignal::new(false);
    let leave = move |_| {
        leaving.set(true);
        spawn_local(async move {
            match training::switch(false).await {
                // Home: the page open now shows a training record the real store lacks.
                Ok(()) => open_home(),
                Err(e) => {
                    leptos::logging::error!("yehua: leave training mode: {e}");
                    leaving.set(false);
                }
            }
        });
    };
    view! {
        <div class="training-banner" role="status" data-testid="training-banner">
            <span>{t!(i18n, training_banner)}</span>
            <button class="secondary" data-testid="leave-training" on:click=leave disabled=move || leaving.get()>
                {t!(i18n, training_leave)}
            </button>
        </div>
    }
}

/// Reloads the page: the app opens again in the mode just chosen.
pub fn reload() {
    if let Some(w) = web_sys::window() {
        _ = w.location().reload();
    }
}

/// Loads the home screen afresh (the app opens again in the mode just chosen).
fn open_home() {
    if let Some(w) = web_sys::window() {
        _ = w.location().replace("/");
    }
}

#[component]
fn Shell() -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    view! {
        <Router>
            <header class="top">
                <h1>{t!(i18n, app_name)}</h1>
                <span class="station">{move || ctx.profile.get().map(|p| p.station_name)}</span>
                {(!ctx.training).then(|| view! { <SyncBadge/> })}
            </header>
            {ctx.training.then(|| view! { <TrainingBanner/> })}
            <Show
                when=move || ctx.profile.get().is_some()
                fallback=|| view! { <main class="page"><pages::profile::ProfilePage/></main> }
            >
                <main class="page">
                    <Routes fallback=|| view! { <pages::home::HomePage/> }>
                        <Route path=path!("/") view=pages::home::HomePage/>
                        <Route path=path!("/forums") view=lazy(Screen::Forums)/>
                        <Route path=path!("/forums/new") view=lazy(Screen::ForumForm)/>
                        <Route path=path!("/forums/:id") view=lazy(Screen::ForumDetail)/>
                        <Route path=path!("/forums/:id/edit") view=lazy(Screen::ForumForm)/>
                        <Route path=path!("/forums/:id/print") view=lazy(Screen::ForumPrint)/>
                        <Route path=path!("/concerns") view=lazy(Screen::Concerns)/>
                        <Route path=path!("/forums/:id/roster") view=lazy(Screen::Roster)/>
                        <Route path=path!("/volunteers") view=lazy(Screen::Volunteers)/>
                        <Route path=path!("/volunteers/new") view=lazy(Screen::VolunteerForm)/>
                        <Route path=path!("/volunteers/:id") view=lazy(Screen::VolunteerDetail)/>
                        <Route path=path!("/volunteers/:id/edit") view=lazy(Screen::VolunteerForm)/>
                        <Route path=path!("/volunteers/:id/card") view=lazy(Screen::VolunteerCard)/>
                        <Route path=path!("/volunteers/:id/certificate") view=lazy(Screen::Certificate)/>
                        <Route path=path!("/volunteers/:id/points") view=lazy(Screen::PointsBook)/>
                        <Route path=path!("/teams") view=lazy(Screen::Teams)/>
                        <Route path=path!("/points") view=lazy(Screen::PointsShop)/>
                        <Route path=path!("/points/rules") view=lazy(Screen::PointsRules)/>
                        <Route path=path!("/points/roll") view=lazy(Screen::HonourRoll)/>
                        <Route path=path!("/surveys") view=lazy(Screen::Surveys)/>
                        <Route path=path!("/surveys/:id") view=lazy(Screen::SurveyResults)/>
                        <Route path=path!("/surveys/:id/edit") view=lazy(Screen::SurveyForm)/>
                        <Route path=path!("/surveys/:id/fill") view=lazy(Screen::SurveyFill)/>
                        <Route path=path!("/sync") view=lazy(Screen::Sync)/>
                        <Route path=path!("/sync/conflicts") view=lazy(Screen::Conflicts)/>
                        <Route path=path!("/sync/conflicts/:id") view=lazy(Screen::Conflict)/>
                        <Route path=path!("/stats") view=lazy(Screen::Stats)/>
                        <Route path=path!("/stats/export") view=lazy(Screen::Export)/>
                        <Route path=path!("/stats/ledger/:station/:month") view=lazy(Screen::LedgerPrint)/>
                        <Route path=path!("/stats/notice/:station/:month") view=lazy(Screen::NoticePrint)/>
                        <Route path=path!("/stats/verify") view=lazy(Screen::Verify)/>
                        <Route path=path!("/settings") view=lazy(Screen::Settings)/>
                        <Route path=path!("/hq") view=lazy(Screen::HqStatus)/>
                        <Route path=path!("/hq/accounts") view=lazy(Screen::HqAccounts)/>
                        <Route path=path!("/hq/accounts/:name/setup") view=lazy(Screen::HqSetup)/>
                        <Route path=path!("/hq/review/:code") view=lazy(Screen::HqReview)/>
                        <Route path=path!("/hq/stations") view=lazy(Screen::HqStations)/>
                        <Route path=path!("/hq/import") view=lazy(Screen::HqImport)/>
                    </Routes>
                </main>
                <BottomNav/>
            </Show>
            <crate::components::pwa_layer::PwaLayer/>
        </Router>
    }
}

fn navigator_online() -> bool {
    web_sys::window()
        .map(|w| w.navigator().on_line())
        .unwrap_or(true)
}

/// Keeps `online` in step with the browser's `online` / `offline` events.
fn watch_online(online: RwSignal<bool>) {
    use wasm_bindgen::{closure::Closure, JsCast};
    let Some(window) = web_sys::window() else {
        return;
    };
    for (event, value) in [("online", true), ("offline", false)] {
        let cb = Closure::<dyn Fn()>::new(move || online.set(value));
        window
            .add_event_listener_with_callback(event, cb.as_ref().unchecked_ref())
            .ok();
        cb.forget();
    }
}
