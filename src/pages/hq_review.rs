//! 审核 (`/hq/review/:code?month=YYYY-MM`), opened from a station's row of 上报情况: that
//! station's activities of the month as the hub holds them, each with where it stands
//! (待审核, 已修改，待审核, 已审核, 退回：reason) and 通过 / 退回 (a reason required to
//! return). Each decision is a review document written to the hub (`sync::console`); the
//! station's own records are never touched, and its phones receive the review by sync.
//! Never reads the phone's store nor fetches itself; the states are `model::review`'s.

use crate::components::date_field::DateField;
use crate::components::loaded::loaded;
use crate::i18n::*;
use crate::labels;
use crate::message::{error_slot, said, Said};
use crate::pages::hq_status::HqTabs;
use crate::sync::console::{self, ConsoleError};
use crate::sync::service::use_sync;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_params_map, use_query_map};
use model::date_input::FieldKind;
use model::review::{Decision, Item, ReviewState, Verdict};

/// The review screen of one station and month.
#[component]
pub fn HqReviewPage() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let code = use_params_map()
        .with_untracked(|p| p.get("code"))
        .unwrap_or_default();
    let asked = use_query_map().with_untracked(|q| q.get("month"));
    let month = RwSignal::new(asked.unwrap_or_else(|| crate::records::today()[..7].to_owned()));
    let data = {
        let code = code.clone();
        LocalResource::new(move || {
            let (m, code) = (month.get(), code.clone());
            let server = sync.settings.get().map(|s| s.server);
            async move {
                match server {
                    Some(s) => console::review_board(&s, &code, &m).await,
                    None => Err(ConsoleError::NotSignedIn),
                }
            }
        })
    };
    // The station's name from the hub's tree; until it arrives (or offline) the code stands alone.
    let name = {
        let code = code.clone();
        LocalResource::new(move || {
            let code = code.clone();
            let server = sync.settings.get().map(|s| s.server);
            async move {
                let stations = console::tree::stations(&server?).await.ok()?;
                stations
                    .into_iter()
                    .find(|s| s.code == code)
                    .map(|s| s.name)
            }
        })
    };
    let done = Callback::new(move |()| data.refetch());
    view! {
        <HqTabs/>
        <h2>{t!(i18n, hq_review_title)}" · "
            <span data-testid="rv-station-name">{move || name.get().flatten()}</span>" "
            <span class="code" data-testid="rv-station">{code.clone()}</span></h2>
        <div class="hq-controls single">
            <label>{t!(i18n, hq_month)}
                <DateField kind=FieldKind::Month testid="rv-month" strict=true
                    value=Signal::derive(move || month.get())
                    label=Signal::derive(move || t_string!(i18n, ph_month).to_owned())
                    on_input=Callback::new(move |v: String| if !v.is_empty() && month.get_untracked() != v { month.set(v) })/>
            </label>
        </div>
        {loaded(data, move |items: Vec<Item>| {
            if items.is_empty() {
                return view! { <p class="hint" data-testid="rv-empty">{t!(i18n, hq_review_empty)}</p> }.into_any();
            }
            view! {
                <div class="review-board">
                    {items.into_iter().map(|item| view! { <ReviewCard item done/> }).collect_view()}
                </div>
            }
            .into_any()
        })}
    }
}

/// One activity: what the cadre recorded, where it stands, and the two decisions.
#[component]
fn ReviewCard(item: Item, done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let a = item.activity;
    let state = item.state;
    let replaces = item.review.and_then(|r| r.meta.rev);
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<Said>);
    let busy = RwSignal::new(false);
    let (id, rev, station) = (
        a.meta.id.clone(),
        a.meta.rev.clone().unwrap_or_default(),
        a.meta.station.clone(),
    );
    let decide = move |verdict: Verdict| {
        let Some(settings) = sync.settings.get_untracked() else {
            error.set(Some(said(ConsoleError::NotSignedIn)));
            return;
        };
        let (id, rev, station, replaces) =
            (id.clone(), rev.clone(), station.clone(), replaces.clone());
        let text = reason.get_untracked();
        busy.set(true);
        spawn_local(async move {
            let at = crate::records::now();
            let decision = Decision {
                activity: &id,
                activity_rev: &rev,
                station: &station,
                verdict,
                reason: &text,
                by: &settings.user,
                at: &at,
            };
            let result = console::review(&settings.server, &decision, replaces.as_deref()).await;
            _ = busy.try_set(false);
            match result {
                Ok(()) => {
                    _ = error.try_set(None);
                    done.run(());
                }
                Err(e) => _ = error.try_set(Some(said(e))),
            }
        });
    };
    let decide_return = decide.clone();
    // The date and time, then the place when there is one (no empty "· ·").
    let when: String = [
        format!(
            "{} {}",
            a.start.get(..10).unwrap_or_default(),
            a.start.get(11..16).unwrap_or_default()
        ),
        a.place.trim().to_owned(),
    ]
    .into_iter()
    .filter(|p| !p.is_empty())
    .map(|p| format!("{p} · "))
    .collect();
    let kind = a.kind;
    let state_key = match &state {
        ReviewState::Pending => "pending",
        ReviewState::Changed => "changed",
        ReviewState::Approved => "approved",
        ReviewState::Returned(_) => "returned",
    };
    let state_text = match state {
        ReviewState::Pending => t_string!(i18n, rv_pending).to_string(),
        ReviewState::Changed => t_string!(i18n, rv_changed).to_string(),
        ReviewState::Approved => t_string!(i18n, rv_approved).to_string(),
        ReviewState::Returned(r) => format!("{}{r}", t_string!(i18n, rv_returned)),
    };
    view! {
        <article class="review-item" data-testid="rv-item" data-id=a.meta.id.clone() data-state=state_key>
            <h3>{a.title.clone()}</h3>
            <p class="row-meta">
                <span class="tag">{move || labels::kind(i18n, kind)}</span>" "{when}
                {t!(i18n, villagers_present)}" "{a.villagers_present}
            </p>
            <p class="notes">{a.notes.clone()}</p>
            <p class=format!("review {state_key}") data-testid="rv-state">{state_text}</p>
            <textarea rows="2" data-testid="rv-reason" bind:value=reason
                placeholder=move || t_string!(i18n, hq_review_reason)></textarea>
            {error_slot(error, "field-error", Some("rv-error"))}
            <div class="actions">
                <button class="primary" data-testid="rv-approve" disabled=move || busy.get()
                    on:click=move |_| decide(Verdict::Approved)>{t!(i18n, hq_review_approve)}</button>
                <button data-testid="rv-return" disabled=move || busy.get()
                    on:click=move |_| decide_return(Verdict::Returned)>{t!(i18n, hq_review_return)}</button>
            </div>
        </article>
    }
}
