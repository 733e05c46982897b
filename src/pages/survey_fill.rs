//! Filling a survey (`/surveys/:id/fill`, kiosk mode with `?kiosk=1`): the shown questions
//! (show-if rules applied as the villager answers), progress "3 / 8", errors at their
//! question, 提交 through `records::surveys::submit`. In kiosk mode the phone passes from
//! hand to hand: after each submit a thank-you screen and a fresh form; the navigation is
//! hidden and leaving needs a long press. With `?activity=<id>` (a forum handing its
//! satisfaction survey round) every response carries that activity, the forum's title is
//! shown above the form, and leaving goes back to the forum. Works offline like every screen.

use crate::components::answer_input::AnswerInput;
use crate::ctx::use_app;
use crate::i18n::*;
use crate::message::{error_slot, said, Said};
use crate::records::surveys;
use crate::records::RecordError;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use model::survey::answer::{progress, visible, AnswerError};
use model::survey::Survey;
use serde_json::{Map, Value};

/// How long the exit button must be held in kiosk mode.
const LONG_PRESS_MS: u32 = 1500;

fn set_kiosk_class(on: bool) {
    let body = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body());
    if let Some(body) = body {
        let list = body.class_list();
        _ = if on {
            list.add_1("kiosk")
        } else {
            list.remove_1("kiosk")
        };
    }
}

/// The filling screen.
#[component]
pub fn SurveyFillPage() -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    let id = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    let (kiosk, activity) = use_query_map().with_untracked(|q| {
        let kiosk = q.get("kiosk").is_some_and(|v| v == "1");
        (kiosk, q.get("activity").filter(|a| !a.is_empty()))
    });
    // Where submitting (outside kiosk mode) and leaving kiosk mode go back to.
    let back = match &activity {
        Some(a) => format!("/forums/{a}"),
        None => format!("/surveys/{id}"),
    };
    let activity_title = RwSignal::new(None::<String>);
    let survey = RwSignal::new(None::<Survey>);
    let answers = RwSignal::new(Map::<String, Value>::new());
    let errors = RwSignal::new(Vec::<(String, AnswerError)>::new());
    let message = RwSignal::new(None::<Said>);
    let thanks = RwSignal::new(false);
    let collected = RwSignal::new(0u32);
    if kiosk {
        set_kiosk_class(true);
        on_cleanup(|| set_kiosk_class(false));
    }
    {
        let (store, id) = (ctx.store(), id.clone());
        spawn_local(async move {
            match surveys::load(&store, &id).await {
                Ok(s) => _ = survey.try_set(Some(s)),
                Err(e) => _ = message.try_set(Some(said(e))),
            }
        });
    }
    if let Some(a) = activity.clone() {
        let store = ctx.store();
        spawn_local(async move {
            match surveys::activity_title(&store, &a).await {
                Ok(t) => _ = activity_title.try_set(Some(t)),
                Err(e) => _ = message.try_set(Some(said(e))),
            }
        });
    }
    let navigate = use_navigate();
    let submit = {
        let (navigate, back, activity) = (navigate.clone(), back.clone(), activity.clone());
        move |_| {
            let (Some(profile), Some(s)) = (ctx.profile.get_untracked(), survey.get_untracked())
            else {
                return;
            };
            let (store, a, navigate, back, activity) = (
                ctx.store(),
                answers.get_untracked(),
                navigate.clone(),
                back.clone(),
                activity.clone(),
            );
            spawn_local(async move {
                match surveys::submit(&store, &profile, &s, activity.as_deref(), &a).await {
                    Ok(_) => {
                        ctx.notify_changed();
                        _ = errors.try_set(Vec::new());
                        _ = message.try_set(None);
                        if kiosk {
                            _ = answers.try_set(Map::new());
                            collected.try_update(|n| *n += 1);
                            _ = thanks.try_set(true);
                        } else {
                            navigate(&back, Default::default());
                        }
                    }
                    Err(e) => {
                        _ = message.try_set(Some(said(e.clone())));
                        if let RecordError::Answers(list) = e {
                            _ = errors.try_set(list);
                        }
                    }
                }
            });
        }
    };
    // Long press to leave kiosk mode: a timer armed on press, cancelled on release.
    let hold = StoredValue::new_local(None::<gloo_timers::callback::Timeout>);
    let press = {
        let navigate = navigate.clone();
        move |_| {
            let (navigate, back) = (navigate.clone(), back.clone());
            let t = gloo_timers::callback::Timeout::new(LONG_PRESS_MS, move || {
                navigate(&back, Default::default())
            });
            hold.set_value(Some(t));
        }
    };
    let release = move |_| hold.set_value(None);
    // The shown questions' ids: the cards are rebuilt only when this list changes, never
    // on a keystroke, so a text answer keeps its focus.
    let shown_ids = Memo::new(move |_| {
        survey.with(|s| {
            s.as_ref().map_or_else(Vec::new, |s| {
                answers.with(|a| {
                    let vis = visible(&s.questions, a);
                    s.questions
                        .iter()
                        .zip(vis)
                        .filter(|(_, v)| *v)
                        .map(|(q, _)| q.id.clone())
                        .collect::<Vec<_>>()
                })
            })
        })
    });
    let counts = move || {
        survey.with(|s| {
            s.as_ref()
                .map(|s| answers.with(|a| progress(&s.questions, a)))
        })
    };
    let error_of = move |qid: String| {
        Signal::derive(move || {
            errors.with(|e| e.iter().find(|(q, _)| *q == qid).map(|(_, e)| e.clone()))
        })
    };
    view! {
        <div class="survey-fill" class:kiosk-mode=kiosk data-testid="survey-fill">
            <h2>{move || survey.with(|s| s.as_ref().map(|s| s.title.clone()))}</h2>
            {move || activity_title.get().map(|t| view! {
                <p class="notice" data-testid="fill-activity">{t!(i18n, sv_collecting_for)}" "<strong>{t}</strong></p>
            })}
            <Show when=move || !thanks.get() fallback=move || view! {
                <div class="thanks" data-testid="thanks">
                    <p class="thanks-big">{t!(i18n, sv_thanks)}</p>
                    <p data-testid="kiosk-count" data-count=move || collected.get().to_string()>{t!(i18n, sv_collected)}" "{move || collected.get()}</p>
                    <button class="primary big" data-testid="next-villager" on:click=move |_| thanks.set(false)>{t!(i18n, sv_next_villager)}</button>
                </div>
            }>
                <p class="survey-desc">{move || survey.with(|s| s.as_ref().map(|s| s.description.clone()))}</p>
                <p class="progress-text" data-testid="fill-progress">{move || counts().map(|(d, t)| format!("{d} / {t}"))}</p>
                {move || {
                    let ids = shown_ids.get();
                    survey.with_untracked(|s| s.as_ref().map(|s| s.questions.iter().filter(|q| ids.contains(&q.id)).cloned().collect::<Vec<_>>()))
                        .unwrap_or_default()
                        .into_iter()
                        .enumerate()
                        .map(|(n, q)| {
                            let err = error_of(q.id.clone());
                            view! { <AnswerInput q=q no=n + 1 answers=answers error=err/> }
                        })
                        .collect_view()
                }}
                {error_slot(message, "field-error", Some("form-error"))}
                <button class="primary big" data-testid="submit-response" on:click=submit.clone()>{t!(i18n, sv_submit)}</button>
            </Show>
            <Show when=move || kiosk>
                <button class="kiosk-exit" data-testid="kiosk-exit" on:pointerdown=press.clone() on:pointerup=release on:pointerleave=release on:pointercancel=release>{t!(i18n, sv_kiosk_exit)}</button>
            </Show>
        </div>
    }
}
