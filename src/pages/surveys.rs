//! 问卷 tab: the station's surveys (title, status, questions, version), and new ones — blank
//! or from the two built-in templates (夜话满意度调查, 群众需求征集) — made as drafts and
//! opened in the builder.

use super::doc_list::DocList;
use crate::ctx::use_app;
use crate::i18n::*;
use crate::labels;
use crate::message::{error_slot, said, Said};
use crate::records::surveys;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use model::survey::templates::Template;
use model::survey::Survey;
use model::Record;

/// The survey list screen.
#[component]
pub fn SurveysPage() -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    let error = RwSignal::new(None::<Said>);
    let navigate = use_navigate();
    let create = move |template: Option<Template>| {
        let navigate = navigate.clone();
        move |_| {
            let Some(profile) = ctx.profile.get_untracked() else {
                return;
            };
            let (store, navigate) = (ctx.store(), navigate.clone());
            spawn_local(async move {
                match surveys::create(&store, &profile, template).await {
                    Ok(id) => {
                        ctx.notify_changed();
                        navigate(&format!("/surveys/{id}/edit"), Default::default());
                    }
                    Err(e) => _ = error.try_set(Some(said(e))),
                }
            });
        }
    };
    view! {
        <h2>{t!(i18n, surveys_title)}</h2>
        <div class="actions">
            <button class="primary small" data-testid="new-survey" on:click=create(None)>{t!(i18n, sv_new_blank)}</button>
            <button class="small" data-testid="template-satisfaction" on:click=create(Some(Template::Satisfaction))>{t!(i18n, sv_tpl_satisfaction)}</button>
            <button class="small" data-testid="template-needs" on:click=create(Some(Template::Needs))>{t!(i18n, sv_tpl_needs)}</button>
        </div>
        {error_slot(error, "field-error", None)}
        <DocList row=survey_row testid="survey-list"/>
    }
}

fn survey_row(survey: &Survey) -> AnyView {
    let (status, questions) = (survey.status, survey.questions.len());
    let href = format!("/surveys/{}", Record::id(survey));
    let title = survey.title.clone();
    view! {
        <A href=href attr:class="row-link">
            <div class="row-title">{title}</div>
            <div class="row-meta"><span class=format!("badge status-{}", status.as_str())>{labels::survey_status(use_i18n(), status)}</span>" · "{questions}" "{t!(use_i18n(), sv_questions)}</div>
        </A>
    }
    .into_any()
}
