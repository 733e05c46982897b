//! 首页: the station at a glance. On a real station, a small way into 演示模式 (training
//! mode) with what it is, and the offer to remove demo data an earlier build wrote here;
//! in training mode, the button that loads the demo data; 待修改, the forums headquarters
//! returned and nobody has edited since (`records::reviews`), each a link to its forum.
//! Records are `records::training`. Everything below the figures is [`HomeExtras`], in
//! the split build part of the forums chunk, fetched once the figures are up (src/chunks.rs).

use crate::chunks::{lazy, Screen};
use crate::components::stat_card::StatCard;
use crate::ctx::use_app;
use crate::i18n::*;
use crate::message::ErrorNote;
use crate::records::training;
use crate::store::{Relation, Store, StoreError};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;

/// The most activities `?demo_activities=N` may ask for (the rendering benchmark uses 10,000).
const MAX_DEMO_ACTIVITIES: usize = 20_000;

/// The figures on the home screen.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Counts {
    activities: u64,
    volunteers: u64,
    open_concerns: u64,
    surveys: u64,
}

async fn counts(store: Store) -> Result<Counts, StoreError> {
    Ok(Counts {
        activities: store.count_type("activity").await?.into(),
        volunteers: store.count_type("volunteer").await?.into(),
        open_concerns: store
            .count_related(Relation::ConcernsByStatus, "open")
            .await?
            .into(),
        surveys: store.count_type("survey").await?.into(),
    })
}

/// The home screen.
#[component]
pub fn HomePage() -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    let figures = LocalResource::new(move || {
        ctx.changed.track();
        counts(ctx.store())
    });
    let get = move |f: fn(&Counts) -> u64| {
        Signal::derive(move || figures.get().and_then(|r| r.ok()).map(|c| f(&c)))
    };
    view! {
        <h2>{t!(i18n, home_welcome)}", "{move || ctx.profile.get().map(|p| p.cadre_name)}</h2>
        <div class="stats">
            <StatCard label=Signal::derive(move || t_string!(i18n, count_activities).to_string()) value=get(|c| c.activities) testid="count-activities"/>
            <StatCard label=Signal::derive(move || t_string!(i18n, count_volunteers).to_string()) value=get(|c| c.volunteers) testid="count-volunteers"/>
            <StatCard label=Signal::derive(move || t_string!(i18n, count_open_concerns).to_string()) value=get(|c| c.open_concerns) testid="count-open-concerns"/>
            <StatCard label=Signal::derive(move || t_string!(i18n, count_surveys).to_string()) value=get(|c| c.surveys) testid="count-surveys"/>
        </div>
        {lazy(Screen::HomeExtras)()}
    }
}

/// What 首页 shows below its figures: the way into the console, 待修改, and training
/// mode's demo data or a real station's way into training mode.
#[component]
pub fn HomeExtras() -> impl IntoView {
    let ctx = use_app();
    view! {
        <ConsoleLink/>
        <ToFix/>
        {if ctx.training {
            view! { <LoadDemo/> }.into_any()
        } else {
            view! { <LegacyDemo/><TrainingOffer/> }.into_any()
        }}
    }
}

/// The way into the headquarters console, for hq and admin accounts once signed in.
#[component]
fn ConsoleLink() -> impl IntoView {
    let i18n = use_i18n();
    let sync = crate::sync::service::use_sync();
    move || {
        sync.settings
            .get()
            .is_some_and(|s| s.headquarters())
            .then(|| view! { <a href="/hq" class="button primary" data-testid="to-console">{t!(i18n, hq_console)}</a> })
    }
}

/// 待修改: the forums headquarters returned, with its reason; shown only when there are some.
#[component]
fn ToFix() -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    let list = LocalResource::new(move || {
        ctx.changed.track();
        let store = ctx.store();
        async move { crate::records::reviews::to_fix(&store).await }
    });
    move || {
        match list.get() {
        Some(Ok(items)) if !items.is_empty() => view! {
            <section class="to-fix" data-testid="to-fix">
                <h3>{t!(i18n, rv_to_fix)}</h3>
                <ul class="list">
                    {items.into_iter().map(|(a, reason)| view! {
                        <li>
                            <a href=format!("/forums/{}", a.meta.id) data-testid="to-fix-item">
                                <strong>{a.title.clone()}</strong>" "
                                <span class="row-meta">{a.start.get(..10).unwrap_or_default().to_owned()}</span>
                                <span class="reason">{t!(i18n, rv_returned)}{reason}</span>
                            </a>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        }
        .into_any(),
        Some(Err(e)) => view! { <ErrorNote error=e/> }.into_any(),
        _ => ().into_any(),
    }
    }
}

/// Training mode's button: writes the demo data set into the training store.
#[component]
fn LoadDemo() -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    let demo = RwSignal::new(None::<bool>);
    // `make bench` measures the activity list with 10,000 activities: `/?demo_activities=N`
    // sizes the demo data set (a trainer may use it too); the default is a year of one village.
    let activities = use_query_map().with_untracked(|q| {
        q.get("demo_activities")
            .and_then(|n| n.parse::<usize>().ok())
            .map(|n| n.clamp(1, MAX_DEMO_ACTIVITIES))
    });
    let load_demo = move |_| {
        let store = ctx.store();
        let Some(profile) = ctx.profile.get_untracked() else {
            return;
        };
        demo.set(Some(false));
        spawn_local(async move {
            let defaults = model::demo::DemoConfig::default();
            let cfg = model::demo::DemoConfig {
                station: profile.station_code,
                cadre: profile.cadre_name,
                activities: activities.unwrap_or(defaults.activities),
                ..defaults
            };
            let docs = model::demo::generate(&cfg);
            match store.bulk_put(docs).await {
                Ok(_) => {
                    _ = demo.try_set(Some(true));
                    ctx.notify_changed();
                }
                Err(e) => {
                    _ = demo.try_set(None);
                    leptos::logging::error!("yehua: demo data: {e}");
                }
            }
        });
    };
    view! {
        <button class="primary" data-testid="load-demo" on:click=load_demo disabled=move || demo.get() == Some(false)>
            {move || match demo.get() {
                Some(false) => t_string!(i18n, demo_loading),
                Some(true) => t_string!(i18n, demo_loaded),
                None => t_string!(i18n, load_demo),
            }}
        </button>
    }
}

/// A real station's small way into training mode, saying what it is.
#[component]
fn TrainingOffer() -> impl IntoView {
    let i18n = use_i18n();
    let entering = RwSignal::new(false);
    let enter = move |_| {
        entering.set(true);
        spawn_local(async move {
            match training::switch(true).await {
                Ok(()) => crate::app::reload(),
                Err(e) => {
                    leptos::logging::error!("yehua: enter training mode: {e}");
                    entering.set(false);
                }
            }
        });
    };
    view! {
        <section class="training-offer" data-testid="training-offer">
            <p class="hint">{t!(i18n, training_offer)}</p>
            <button data-testid="enter-training" on:click=enter disabled=move || entering.get()>
                {t!(i18n, training_enter)}
            </button>
        </section>
    }
}

/// Demo data an earlier build wrote under this real station: how much, and its removal.
#[component]
fn LegacyDemo() -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    let found = LocalResource::new(move || {
        ctx.changed.track();
        async move { training::legacy_demo(&ctx.store()).await }
    });
    let removing = RwSignal::new(false);
    let removed = RwSignal::new(None::<u32>);
    let error = RwSignal::new(None::<StoreError>);
    let remove = move |_| {
        let Some(profile) = ctx.profile.get_untracked() else {
            return;
        };
        removing.set(true);
        spawn_local(async move {
            match training::remove_legacy_demo(&ctx.store(), &profile).await {
                Ok(r) => {
                    removed.set(Some(r.purged + r.tombstoned));
                    error.set(None);
                    ctx.notify_changed();
                }
                Err(e) => {
                    leptos::logging::error!("yehua: remove demo data: {e}");
                    error.set(Some(e));
                }
            }
            removing.set(false);
        });
    };
    let count = move || match found.get() {
        Some(Ok(ids)) => ids.len(),
        Some(Err(e)) => {
            leptos::logging::error!("yehua: look for demo data: {e}");
            0
        }
        None => 0,
    };
    view! {
        <Show when=move || count() != 0>
            <div class="warning-box" role="alert" data-testid="legacy-demo" data-count=count>
                <p>{move || t!(i18n, legacy_demo_found, n = count())}</p>
                <button class="primary" data-testid="remove-legacy-demo" on:click=remove disabled=move || removing.get()>
                    {t!(i18n, legacy_demo_remove)}
                </button>
            </div>
        </Show>
        {move || removed.get().map(|n| view! {
            <p class="ok" role="status" data-testid="legacy-demo-removed">{t!(i18n, legacy_demo_removed, n = n)}</p>
        })}
        {move || error.get().map(|e| {
            view! { <ErrorNote error=e/> }
        })}
    }
}
