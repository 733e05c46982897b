//! One volunteer (`/volunteers/:id`): details, service hours this month and this year, and
//! the attendance history with each activity. A missing check-out is shown flagged
//! (不计入) and not counted until a cadre confirms it (确认签退); check-in and check-out
//! times can be corrected (修改时间), each change a new revision; the volunteer's 积分
//! (`components::points_card`). 打印证明 opens the 志愿服务记录证明 (`certificate`).

use crate::components::date_field::DateField;
use crate::components::loaded::failure;
use crate::components::points_card::PointsCard;
use crate::ctx::use_app;
use crate::i18n::*;
use crate::message::{error_slot, said, Said};
use crate::records::people::{confirm_check_out, edit_attendance_times};
use crate::records::{self, today, RecordError};
use crate::store::{Relation, StoreError};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use model::date_input::FieldKind;
use model::time::to_local_input;
use model::{Activity, Attendance, Volunteer};

/// One history line: attendance, its activity, its minutes and whether they count.
#[derive(Debug, Clone, PartialEq)]
struct Entry {
    id: String,
    when: String,
    check_out: Option<String>,
    title: String,
    minutes: u64,
    flagged: bool,
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
    let points_id = id.clone();
    let data = LocalResource::new(move || {
        ctx.changed.track();
        let (store, id) = (ctx.store(), id.clone());
        async move {
            let v = records::find::<Volunteer>(&store, &id)
                .await?
                .ok_or_else(|| StoreError::NotFound(id.clone()))?;
            let mut entries = Vec::new();
            for a in store
                .related_as::<Attendance>(Relation::AttendanceByVolunteer, &id)
                .await?
            {
                let act = records::find::<Activity>(&store, &a.activity_id).await?;
                let end = act.as_ref().map(|x| x.end.as_str());
                let Ok(s) = a.service(end) else {
                    continue;
                };
                entries.push(Entry {
                    title: act.map(|x| x.title).unwrap_or_default(),
                    id: a.meta.id,
                    when: a.check_in,
                    check_out: a.check_out,
                    flagged: s.flagged,
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
                <h2>{v.name.clone()}</h2>
                <A href=format!("/volunteers/{}/card", v.meta.id) attr:class="button small" attr:data-testid="card-link">{t!(i18n, qr_card)}</A>
                <A href=format!("/volunteers/{}/edit", v.meta.id) attr:class="button small">{t!(i18n, edit)}</A>
            </div>
            <p class="actions">
                <A href=format!("/volunteers/{}/certificate", v.meta.id) attr:class="button small" attr:data-testid="certificate-link">{t!(i18n, p_print_cert)}</A>
            </p>
            <p class="row-meta">{v.phone.clone()}</p>
        })}
        {failure(data)}
        <div class="stats">
            <div class="stat"><span class="value" data-testid="hours-month">{hours(month.clone())}</span><span class="label">{t!(i18n, hours_month)}</span></div>
            <div class="stat"><span class="value" data-testid="hours-year">{hours(year.clone())}</span><span class="label">{t!(i18n, hours_year)}</span></div>
        </div>
        <PointsCard id=points_id/>
        <h3>{t!(i18n, attendance_history)}</h3>
        <ul class="doc-list" data-testid="attendance-history">
            {move || data.get().and_then(Result::ok).map(|(_, e)| e).unwrap_or_default().into_iter().map(|e| view! {
                <HistoryRow entry=e/>
            }).collect_view()}
        </ul>
    }
}

/// One attendance in the history, with 确认签退 on a flagged one and 修改时间.
#[component]
fn HistoryRow(entry: Entry) -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    let editing = RwSignal::new(false);
    let error = RwSignal::new(None::<Said>);
    let check_in = RwSignal::new(to_local_input(&entry.when).unwrap_or_default());
    let check_out = RwSignal::new(
        entry
            .check_out
            .as_deref()
            .and_then(to_local_input)
            .unwrap_or_default(),
    );
    let id = StoredValue::new(entry.id.clone());
    let done = move |result: Result<(), RecordError>| match result {
        Ok(()) => {
            _ = editing.try_set(false);
            _ = error.try_set(None);
            ctx.notify_changed();
        }
        Err(e) => _ = error.try_set(Some(said(e))),
    };
    let confirm = move |_| {
        let store = ctx.store();
        leptos::task::spawn_local(async move {
            done(confirm_check_out(&store, &id.get_value()).await);
        });
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let store = ctx.store();
        let (a, b) = (check_in.get_untracked(), check_out.get_untracked());
        leptos::task::spawn_local(async move {
            done(edit_attendance_times(&store, &id.get_value(), &a, &b).await);
        });
    };
    let needs_confirm = entry.flagged && !entry.counted;
    view! {
        <li data-testid="history-row">
            <div class="row-title">{entry.title}</div>
            <div class="row-meta">{entry.when.get(..16).unwrap_or_default().replace('T', " ")}" · "
                {if entry.minutes == 0 {
                    view! { <span data-testid="history-minutes">{t!(i18n, under_a_minute)}</span> }.into_any()
                } else {
                    view! { <span data-testid="history-minutes">{entry.minutes}</span>" "{t!(i18n, minutes)} }.into_any()
                }}
                {(!entry.counted).then(|| view! { " · "<span class="tag">{t!(i18n, not_counted)}</span> })}</div>
            <div class="actions">
                {needs_confirm.then(|| view! {
                    <button data-testid="confirm-end" on:click=confirm>{t!(i18n, confirm_end)}</button>
                })}
                <button data-testid="edit-times" on:click=move |_| editing.update(|e| *e = !*e)>{t!(i18n, edit_times)}</button>
            </div>
            <Show when=move || editing.get()>
                <form class="form" on:submit=save novalidate data-testid="times-form">
                    <label>{t!(i18n, check_in_time)}
                        <DateField kind=FieldKind::DateTime name="check_in" value=check_in on_input=Callback::new(move |v| check_in.set(v))/></label>
                    <label>{t!(i18n, check_out_time)}
                        <DateField kind=FieldKind::DateTime name="check_out" value=check_out on_input=Callback::new(move |v| check_out.set(v))/></label>
                    <button class="primary" type="submit">{t!(i18n, save)}</button>
                </form>
            </Show>
            {error_slot(error, "field-error", None)}
        </li>
    }
}
