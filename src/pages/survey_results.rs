//! One survey (`/surveys/:id`): its status and version, the lifecycle buttons (编辑, 开放,
//! 结束, 填写, 轮流填写), and its results — per question counts, percentages and bars,
//! rating and number averages, text answers, the satisfaction rate of the satisfaction
//! template — filtered by activity (from the start with `?activity=<id>`, the forum page's
//! link) and date, with the responses CSV. Sums are
//! `model::survey::results`'; this screen only draws them.

use crate::components::date_field::DateField;
use crate::components::option_bars::OptionBars;
use crate::ctx::use_app;
use crate::i18n::*;
use crate::labels;
use crate::message::{error_slot, said, Said};
use crate::pwa::files;
use crate::records::surveys;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_params_map, use_query_map};
use model::date_input::FieldKind;
use model::survey::results::{per_version, results, Filter, QuestionResult};
use model::survey::{Kind, Response, Status, Survey};
use std::collections::HashMap;

fn question_view(
    i18n: leptos_i18n::I18nContext<Locale>,
    n: usize,
    q: QuestionResult,
) -> impl IntoView {
    let avg = q.average.map(|a| format!("{:.1}", a));
    let label = q.label.clone();
    let avg_attr = avg.clone().unwrap_or_default();
    view! {
        <section class="question-result" data-testid="question-result" data-question=q.id.clone() data-answered=q.answered.to_string() data-average=avg_attr>
            <h3>{n}". "{q.label.clone()}</h3>
            <p class="meta">{t!(i18n, sv_answered)}" "{q.answered}
                {avg.map(|a| view! { " · "{t!(i18n, sv_average)}" "<span class="average">{a}</span> })}</p>
            <Show when={let empty = q.options.is_empty(); move || !empty}>
                <OptionBars options=q.options.clone() label=label.clone()/>
            </Show>
            <Show when={let k = q.kind; move || k == Kind::Text}>
                <ul class="text-answers">{q.texts.iter().map(|t| view! { <li>{t.clone()}</li> }).collect_view()}</ul>
            </Show>
        </section>
    }
}

/// The survey screen.
#[component]
pub fn SurveyResultsPage() -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    let id = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    let (new_version, activity) = use_query_map().with_untracked(|q| {
        let a = q.get("activity").filter(|a| !a.is_empty());
        (q.get("new_version").is_some(), a)
    });
    let survey = RwSignal::new(None::<Survey>);
    let all = RwSignal::new(Vec::<Response>::new());
    let titles = RwSignal::new(HashMap::<String, String>::new());
    let version = RwSignal::new(None::<u32>);
    let filter = RwSignal::new(Filter {
        activity_id: activity,
        ..Filter::default()
    });
    let message = RwSignal::new(None::<Said>);
    let load = {
        let id = id.clone();
        move || {
            let (store, id) = (ctx.store(), id.clone());
            spawn_local(async move {
                match surveys::load(&store, &id).await {
                    Ok(s) => _ = survey.try_set(Some(s)),
                    Err(e) => _ = message.try_set(Some(said(e))),
                }
                if let Ok(rs) = surveys::responses(&store, &id).await {
                    let t = surveys::activity_titles(&store, &rs)
                        .await
                        .unwrap_or_default();
                    _ = titles.try_set(t);
                    _ = all.try_set(rs);
                }
            });
        }
    };
    Effect::new(move |_| {
        ctx.changed.track();
        load();
    });
    let set_status = {
        let id = id.clone();
        move |to: Status| {
            let (store, id) = (ctx.store(), id.clone());
            spawn_local(async move {
                match surveys::set_status(&store, &id, to).await {
                    Ok(()) => {
                        _ = message.try_set(None);
                        ctx.notify_changed();
                    }
                    Err(e) => _ = message.try_set(Some(said(e))),
                }
            });
        }
    };
    let figures = Memo::new(move |_| {
        survey.with(|s| {
            s.as_ref().map(|s| {
                let v = version.get().unwrap_or(s.version);
                all.with(|rs| filter.with(|f| results(s, v, rs, f)))
            })
        })
    });
    let versions = move || {
        survey.with(|s| {
            s.as_ref()
                .map(|s| all.with(|rs| per_version(s, rs)))
                .unwrap_or_default()
        })
    };
    let status = move || survey.with(|s| s.as_ref().map(|s| s.status));
    let download = move |_| {
        let Some(s) = survey.get_untracked() else {
            return;
        };
        let store = ctx.store();
        spawn_local(async move {
            match surveys::csv(&store, &s).await {
                Ok(text) => {
                    let name = format!(
                        "yehua-survey-{}-{}.csv",
                        s.id().unwrap_or_default().trim_start_matches("survey:"),
                        crate::records::today().replace('-', "")
                    );
                    if let Err(e) =
                        files::download(&name, text.as_bytes(), "text/csv;charset=utf-8")
                    {
                        leptos::logging::error!("yehua: csv download: {e}");
                        _ = message.try_set(Some(Said::text(|l| {
                            td_string!(l, sv_download_failed).to_string()
                        })));
                    }
                }
                Err(e) => _ = message.try_set(Some(said(e))),
            }
        });
    };
    let set_date = move |from: bool| {
        Callback::new(move |v: String| {
            let v = Some(v).filter(|v| !v.is_empty());
            if filter.with_untracked(|f| if from { &f.from } else { &f.until } != &v) {
                filter.update(|f| if from { f.from = v } else { f.until = v });
            }
        })
    };
    let date_of = move |from: bool| {
        Signal::derive(move || {
            filter.with(|f| {
                if from {
                    f.from.clone()
                } else {
                    f.until.clone()
                }
                .unwrap_or_default()
            })
        })
    };
    let (s1, s2, s3) = (set_status.clone(), set_status.clone(), set_status);
    let activity_ids = move || {
        let mut ids: Vec<String> =
            all.with(|rs| rs.iter().filter_map(|r| r.activity_id.clone()).collect());
        ids.sort();
        ids.dedup();
        ids
    };
    view! {
        <div class="survey-page" data-testid="survey-page" data-status=move || status().map(Status::as_str).unwrap_or_default()>
            <h2>{move || survey.with(|s| s.as_ref().map(|s| s.title.clone()))}</h2>
            <p class="meta">
                <span class="badge" data-testid="survey-status">{move || status().map(|s| labels::survey_status(i18n, s))}</span>
                " · "{t!(i18n, sv_version)}" "<span data-testid="survey-version">{move || survey.with(|s| s.as_ref().map(|s| s.version))}</span>
                " · "<span data-testid="response-count">{move || all.with(Vec::len)}</span>" "{t!(i18n, sv_responses)}
            </p>
            <Show when=move || new_version>
                <p class="notice" data-testid="new-version-note">{t!(i18n, sv_new_version_note)}</p>
            </Show>
            <div class="actions">
                <Show when=move || status() != Some(Status::Closed)>
                    <a class="button" href=format!("/surveys/{id}/edit") data-testid="edit-survey">{t!(i18n, sv_edit)}</a>
                </Show>
                <Show when=move || status() == Some(Status::Draft)>
                    <button class="primary" data-testid="open-survey" on:click={let f = s1.clone(); move |_| f(Status::Open)}>{t!(i18n, sv_open)}</button>
                </Show>
                <Show when=move || status() == Some(Status::Open)>
                    <a class="button primary" href=move || format!("/surveys/{}/fill", survey.with(|s| s.as_ref().and_then(|s| s.id().map(str::to_owned)).unwrap_or_default())) data-testid="fill-survey">{t!(i18n, sv_fill)}</a>
                    <a class="button" href=move || format!("/surveys/{}/fill?kiosk=1", survey.with(|s| s.as_ref().and_then(|s| s.id().map(str::to_owned)).unwrap_or_default())) data-testid="kiosk-survey">{t!(i18n, sv_kiosk)}</a>
                    <button data-testid="close-survey" on:click={let f = s2.clone(); move |_| f(Status::Closed)}>{t!(i18n, sv_close)}</button>
                </Show>
                <Show when=move || status() == Some(Status::Closed)>
                    <button data-testid="reopen-survey" on:click={let f = s3.clone(); move |_| f(Status::Open)}>{t!(i18n, sv_reopen)}</button>
                </Show>
            </div>
            {error_slot(message, "field-error", Some("survey-error"))}
            <h3>{t!(i18n, sv_results)}</h3>
            <Show when=move || { versions().len() > 1 }>
                <label>{t!(i18n, sv_version)}
                    <select name="version" on:change=move |ev| version.set(event_target_value(&ev).parse().ok())>
                        {move || versions().into_iter().map(|(v, n)| view! { <option value=v.to_string()>{format!("v{v} ({n})")}</option> }).collect_view()}
                    </select>
                </label>
            </Show>
            <div class="filters">
                <label>{t!(i18n, sv_activity)}
                    <select name="filter_activity" on:change=move |ev| { let v = event_target_value(&ev); filter.update(|f| f.activity_id = Some(v).filter(|v| !v.is_empty())) }>
                        <option value="">{t!(i18n, sv_all)}</option>
                        {move || activity_ids().into_iter().map(|a| {
                            let t = titles.with(|t| t.get(&a).cloned().unwrap_or_else(|| a.clone()));
                            let on = filter.with_untracked(|f| f.activity_id.as_ref() == Some(&a));
                            view! { <option value=a selected=on>{t}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label>{t!(i18n, sv_from)}<DateField kind=FieldKind::Date name="from" strict=true value=date_of(true) on_input=set_date(true)/></label>
                <label>{t!(i18n, sv_until)}<DateField kind=FieldKind::Date name="until" strict=true value=date_of(false) on_input=set_date(false)/></label>
            </div>
            <p class="meta">{t!(i18n, sv_counted)}" "<span data-testid="counted">{move || figures.with(|f| f.as_ref().map(|f| f.responses))}</span></p>
            {move || figures.with(|f| f.as_ref().and_then(|f| f.satisfaction)).map(|p| view! {
                <p class="satisfaction" data-testid="satisfaction-rate" data-percent=p.to_string()>{t!(i18n, sv_satisfaction_rate)}" "<strong>{p}"%"</strong></p>
            })}
            {move || figures.get().map(|f| f.questions.into_iter().enumerate().map(|(n, q)| question_view(i18n, n + 1, q)).collect_view())}
            <button class="more" data-testid="download-csv" on:click=download>{t!(i18n, sv_download_csv)}</button>
        </div>
    }
}
