//! One volunteer (`/volunteers/:id`): details, service hours this month and this year, and
//! the attendance history with each activity. A missing check-out is shown flagged
//! (不计入) and not counted.

use crate::app::use_app;
use crate::i18n::*;
use crate::records::today;
use crate::store::{Relation, StoreError};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use model::attendance::service;

/// One history line: attendance, its activity, its minutes and whether they count.
#[derive(Debug, Clone, PartialEq)]
struct Entry {
    when: String,
    title: String,
    minutes: u64,
    counted: bool,
}

/// The volunteer screen.
#[component]
pub fn VolunteerDetailPage() -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    let id = use_params_map()
        .with_untracked(|p| p.get("id"))
        .unwrap_or_default();
    let data = LocalResource::new(move || {
        ctx.changed.track();
        let (store, id) = (ctx.store(), id.clone());
        async move {
            let v = store.get(&id).await?;
            let mut entries = Vec::new();
            for a in store
                .related(Relation::AttendanceByVolunteer, &id, u32::MAX)
                .await?
            {
                let act = store
                    .get(a["activity_id"].as_str().unwrap_or_default())
                    .await
                    .ok();
                let end = act
                    .as_ref()
                    .and_then(|x| x["end"].as_str())
                    .map(str::to_owned);
                let Ok(s) = service(&a, end.as_deref()) else {
                    continue;
                };
                entries.push(Entry {
                    when: a["check_in"].as_str().unwrap_or_default().to_owned(),
                    title: act
                        .as_ref()
                        .and_then(|x| x["title"].as_str())
                        .unwrap_or_default()
                        .to_owned(),
                    minutes: s.minutes,
                    counted: s.counted,
                });
            }
            entries.sort_by(|a, b| b.when.cmp(&a.when));
            Ok::<_, StoreError>((v, entries))
        }
    });
    let today = today();
    let (month, year) = (today[..7].to_owned(), today[..4].to_owned());
    let hours = move |prefix: String| {
        move || {
            let m: u64 = data
                .get()
                .and_then(Result::ok)
                .map(|(_, e)| {
                    e.iter()
                        .filter(|x| x.counted && x.when.starts_with(&prefix))
                        .map(|x| x.minutes)
                        .sum()
                })
                .unwrap_or(0);
            format!("{:.1}", m as f64 / 60.0)
        }
    };
    view! {
        {move || data.get().and_then(Result::ok).map(|(v, _)| view! {
            <div class="title-row">
                <h2>{v["name"].as_str().unwrap_or_default().to_owned()}</h2>
                <A href=format!("/volunteers/{}/card", v["_id"].as_str().unwrap_or_default()) attr:class="button small" attr:data-testid="card-link">{t!(i18n, qr_card)}</A>
                <A href=format!("/volunteers/{}/edit", v["_id"].as_str().unwrap_or_default()) attr:class="button small">{t!(i18n, edit)}</A>
            </div>
            <p class="row-meta">{v["phone"].as_str().unwrap_or_default().to_owned()}</p>
        })}
        <div class="stats">
            <div class="stat"><span class="value" data-testid="hours-month">{hours(month.clone())}</span><span class="label">{t!(i18n, hours_month)}</span></div>
            <div class="stat"><span class="value" data-testid="hours-year">{hours(year.clone())}</span><span class="label">{t!(i18n, hours_year)}</span></div>
        </div>
        <h3>{t!(i18n, attendance_history)}</h3>
        <ul class="doc-list" data-testid="attendance-history">
            {move || data.get().and_then(Result::ok).map(|(_, e)| e).unwrap_or_default().into_iter().map(|e| view! {
                <li>
                    <div class="row-title">{e.title}</div>
                    <div class="row-meta">{e.when.get(..16).unwrap_or_default().replace('T', " ")}" · "{e.minutes}" "{t!(i18n, minutes)}
                        {(!e.counted).then(|| view! { " · "<span class="tag">{t!(i18n, not_counted)}</span> })}</div>
                </li>
            }).collect_view()}
        </ul>
    }
}
