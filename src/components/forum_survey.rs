//! The 满意度调查 block on a forum's page: one button hands the forum's satisfaction survey
//! round (found, or made and opened, by `records::surveys::for_forum`, then filled in kiosk
//! mode for this forum), and once villagers have answered, the forum's figure — responses
//! and satisfaction rate from `model::survey::forum::figure` — with a link to that survey's
//! results filtered to the forum.

use crate::ctx::use_app;
use crate::i18n::*;
use crate::message::{error_slot, message_text, said, Said};
use crate::records::surveys;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use model::survey::forum::ForumFigure;

/// The forum's satisfaction survey: its figure and the button that starts it.
#[component]
pub fn ForumSurvey(activity_id: String) -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<Said>);
    let figure = {
        let a = activity_id.clone();
        LocalResource::new(move || {
            ctx.changed.track();
            let (store, a) = (ctx.store(), a.clone());
            async move { surveys::forum_figure(&store, &a).await }
        })
    };
    let navigate = use_navigate();
    let start = {
        let a = activity_id.clone();
        move |_| {
            let Some(profile) = ctx.profile.get_untracked() else {
                return;
            };
            // A second tap while the survey is being made must not make another.
            if busy.get_untracked() {
                return;
            }
            busy.set(true);
            let (store, a, navigate) = (ctx.store(), a.clone(), navigate.clone());
            spawn_local(async move {
                match surveys::for_forum(&store, &profile, &a).await {
                    Ok(id) => {
                        ctx.notify_changed();
                        navigate(
                            &format!("/surveys/{id}/fill?activity={a}&kiosk=1"),
                            Default::default(),
                        );
                    }
                    Err(e) => {
                        _ = error.try_set(Some(said(e)));
                        _ = busy.try_set(false);
                    }
                }
            });
        }
    };
    let shown = move || match figure.get() {
        Some(Ok(Some(f))) => Some(figure_view(i18n, &activity_id, f).into_any()),
        Some(Err(e)) => Some(view! { <p class="field-error">{message_text(e)}</p> }.into_any()),
        _ => None,
    };
    view! {
        <section class="forum-survey" data-testid="forum-survey">
            <h3>{t!(i18n, sv_forum_survey)}</h3>
            {shown}
            <p class="hint">{t!(i18n, sv_forum_survey_hint)}</p>
            {error_slot(error, "field-error", None)}
            <button class="primary" data-testid="forum-survey-start" disabled=move || busy.get() on:click=start>{t!(i18n, sv_forum_survey)}</button>
        </section>
    }
}

fn figure_view(
    i18n: leptos_i18n::I18nContext<Locale>,
    activity_id: &str,
    f: ForumFigure,
) -> impl IntoView {
    let rate = f.rate.map(|p| p.to_string()).unwrap_or_default();
    view! {
        <p class="satisfaction" data-testid="forum-satisfaction" data-responses=f.responses.to_string() data-percent=rate>
            <span data-testid="forum-responses">{f.responses}</span>" "{t!(i18n, sv_responses)}
            {f.rate.map(|p| view! { " · "{t!(i18n, sv_satisfaction_rate)}" "<strong data-testid="forum-rate">{p}"%"</strong> })}
        </p>
        <A href=format!("/surveys/{}?activity={activity_id}", f.survey_id) attr:data-testid="forum-results">{t!(i18n, sv_forum_results)}</A>
    }
}
