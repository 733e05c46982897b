//! The survey builder (`/surveys/:id/edit`): title, description, linked activity, the
//! question cards (`components::question_editor`) and 添加题目 by kind. 保存 writes through
//! `records::surveys::save`; a refusal names the question and scrolls nothing away — the
//! card is marked. Saving after responses exist makes a new version (said on screen).
//! The form stays disabled until the survey has been read into it; a failed read is shown.

use crate::components::question_editor::{kind_label, QuestionEditor};
use crate::ctx::use_app;
use crate::i18n::*;
use crate::message::ErrorNote;
use crate::records::surveys::{self, Heading};
use crate::records::RecordError;
use crate::store::PageQuery;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};
use model::survey::{edit, Kind, Question, Survey};
use model::Activity;

/// The builder screen.
#[component]
pub fn SurveyFormPage() -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    let id = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    let survey = RwSignal::new(None::<Survey>);
    let heading = RwSignal::new(Heading::default());
    let draft = RwSignal::new(Vec::<Question>::new());
    let activities = RwSignal::new(Vec::<Activity>::new());
    let error = RwSignal::new(None::<(Option<usize>, RecordError)>);
    let new_kind = RwSignal::new(Kind::Single);
    // Disabled until the survey has filled the form: a title typed earlier would be overwritten.
    let ready = RwSignal::new(false);
    // Cards are keyed by position: rebuild them only when the count changes, so typing in a
    // card never re-creates the input under the cadre's thumb.
    let count = Memo::new(move |_| draft.with(Vec::len));
    {
        let (store, id) = (ctx.store(), id.clone());
        spawn_local(async move {
            match surveys::load(&store, &id).await {
                Ok(s) => {
                    _ = heading.try_set(Heading {
                        title: s.title.clone(),
                        description: s.description.clone(),
                        activity_id: s.activity_id.clone(),
                    });
                    _ = draft.try_set(s.questions.clone());
                    _ = survey.try_set(Some(s));
                    _ = ready.try_set(true);
                }
                Err(e) => _ = error.try_set(Some((None, e))),
            }
            let q = PageQuery {
                doc_type: "activity".into(),
                newest_first: true,
                after: None,
                limit: 30,
            };
            if let Ok(page) = store.page(&q).await {
                _ = activities.try_set(page.typed::<Activity>().docs);
            }
        });
    }
    let navigate = use_navigate();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (store, id, h, d, navigate) = (
            ctx.store(),
            id.clone(),
            heading.get_untracked(),
            draft.get_untracked(),
            navigate.clone(),
        );
        spawn_local(async move {
            match surveys::save(&store, &id, &h, &d).await {
                Ok(new_version) => {
                    ctx.notify_changed();
                    let to = format!(
                        "/surveys/{id}{}",
                        if new_version { "?new_version=1" } else { "" }
                    );
                    navigate(&to, Default::default());
                }
                Err(e) => {
                    let at = match &e {
                        RecordError::Survey(s) => s.question(),
                        _ => None,
                    };
                    _ = error.try_set(Some((at, e)));
                }
            }
        });
    };
    let add = move |_| {
        let s = survey.get_untracked().unwrap_or_default();
        draft.update(|d| edit::add(&s, d, new_kind.get_untracked()));
    };
    let set = move |apply: fn(&mut Heading, String)| {
        move |ev| heading.update(|h| apply(h, event_target_value(&ev)))
    };
    view! {
        <h2>{t!(i18n, sv_builder_title)}</h2>
        <form class="form survey-form" on:submit=submit data-testid="survey-form" novalidate>
            <fieldset class="plain" disabled=move || !ready.get()>
            <label>{t!(i18n, sv_title)}<input name="title" prop:value=move || heading.with(|h| h.title.clone()) on:input=set(|h, v| h.title = v)/></label>
            <label>{t!(i18n, sv_description)}<textarea name="description" rows="2" prop:value=move || heading.with(|h| h.description.clone()) on:input=set(|h, v| h.description = v)></textarea></label>
            <label>{t!(i18n, sv_activity)}
                <select name="activity" on:change=move |ev| { let v = event_target_value(&ev); heading.update(|h| h.activity_id = Some(v).filter(|v| !v.is_empty())) }
                    prop:value=move || heading.with(|h| h.activity_id.clone().unwrap_or_default())>
                    <option value="">{t!(i18n, sv_no_activity)}</option>
                    {move || activities.get().into_iter().map(|a| {
                        let label = format!("{} {}", a.start.get(..10).unwrap_or_default(), a.title);
                        view! { <option value=a.meta.id>{label}</option> }
                    }).collect_view()}
                </select>
            </label>
            <ol class="question-list">
                {move || (0..count.get()).map(|i| {
                    let flagged = Signal::derive(move || error.with(|e| e.as_ref().and_then(|(at, _)| *at) == Some(i + 1)));
                    view! { <QuestionEditor i=i draft=draft survey=survey flagged=flagged/> }
                }).collect_view()}
            </ol>
            <div class="add-question">
                <select name="new_kind" on:change=move |ev| if let Some(k) = Kind::parse(&event_target_value(&ev)) { new_kind.set(k) }>
                    {Kind::ALL.into_iter().map(|k| view! { <option value=k.as_str()>{move || kind_label(i18n, k)}</option> }).collect_view()}
                </select>
                <button type="button" name="add" on:click=add>{t!(i18n, sv_add_question)}</button>
            </div>
            {move || error.get().map(|(_, error)| view! { <ErrorNote error class="field-error" testid="form-error"/> })}
            <button class="primary" type="submit">{t!(i18n, save)}</button>
            </fieldset>
        </form>
    }
}
