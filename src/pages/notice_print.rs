//! The month's 公示 for print (`/stats/notice/:station/:month`, 统计 → 打印公示): resolved
//! concerns (text, team, result, rating; villagers' names masked, telephone numbers starred
//! out by `model::paper`), each volunteer's counted hours, the notice period (3 working days
//! by default, changeable before printing) and the contact line (station and cadre, never
//! a telephone number).

use crate::collate::sort_by_name;
use crate::components::loaded::loaded_found;
use crate::components::paper::{month_params, station_name, PaperFrame};
use crate::ctx::use_app;
use crate::i18n::*;
use crate::labels;
use crate::records::{now, paper, today};
use leptos::prelude::*;
use model::paper::hours;
use model::paper::month::{notice_period, Notice};

/// The 公示 print screen.
#[component]
pub fn NoticePrintPage() -> impl IntoView {
    let ctx = use_app();
    let (station, month) = month_params();
    let data = LocalResource::new(move || {
        let (store, station, month) = (ctx.store(), station.clone(), month.clone());
        async move { paper::notice(&store, &station, &month).await }
    });
    loaded_found(data, |notice| view! { <NoticeView notice/> }.into_any())
}

#[component]
fn NoticeView(notice: Notice) -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    let stamp = notice.stamp(&now());
    let name = station_name(&notice.station);
    let cadre = ctx
        .profile
        .get_untracked()
        .map(|p| p.cadre_name)
        .unwrap_or_default();
    let days = RwSignal::new(3u32);
    let today = today();
    let period = {
        let today = today.clone();
        Signal::derive(move || notice_period(&today, days.get()).unwrap_or_default())
    };
    let total = hours(notice.total_minutes());
    let Notice {
        month,
        concerns,
        mut volunteers,
        ..
    } = notice;
    sort_by_name(&mut volunteers, |v| &v.name);
    view! {
        <label class="form no-print">{t!(i18n, p_notice_days)}
            <select data-testid="notice-days" on:change=move |ev| days.set(event_target_value(&ev).parse().unwrap_or(3))>
                {[3u32, 5, 7].into_iter().map(|d| view! { <option value=d selected=d == 3>{d}</option> }).collect_view()}
            </select>
        </label>
        <PaperFrame stamp testid="notice-print">
            <section class="sheet notice" data-testid="notice-sheet">
                <header class="sheet-head">
                    <div class="sheet-station">{name.clone()}</div>
                    <h1>{month.clone()}" "{t!(i18n, p_notice_title)}</h1>
                </header>
                <p>{t!(i18n, p_notice_intro)}</p>
                <h2>{t!(i18n, p_notice_concerns)}</h2>
                {if concerns.is_empty() { view! { <p class="sheet-none">{t!(i18n, p_none)}</p> }.into_any() } else { view! {
                    <table class="sheet-table" data-testid="notice-concerns">
                        <thead><tr><th>{t!(i18n, p_concern_text)}</th><th>{t!(i18n, p_villager)}</th><th>{t!(i18n, p_team)}</th><th>{t!(i18n, p_result)}</th><th>{t!(i18n, p_rating)}</th></tr></thead>
                        <tbody>
                            {concerns.into_iter().map(|c| {
                                let rating = c.rating.clone();
                                view! {
                                    <tr data-testid="notice-concern"><td>{c.text}</td><td class="nowrap" data-testid="notice-villager">{c.villager}</td><td>{c.team}</td><td>{c.result}</td><td class="nowrap">{move || labels::rating_text(i18n, &rating)}</td></tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any() }}
                <h2>{t!(i18n, p_notice_hours)}</h2>
                {if volunteers.is_empty() { view! { <p class="sheet-none">{t!(i18n, p_none)}</p> }.into_any() } else { view! {
                    <table class="sheet-table" data-testid="notice-hours">
                        <thead><tr><th>{t!(i18n, p_name)}</th><th>{t!(i18n, p_activities)}</th><th>{t!(i18n, p_hours)}</th></tr></thead>
                        <tbody>
                            {volunteers.into_iter().map(|v| view! {
                                <tr data-testid="notice-volunteer"><td>{v.name}</td><td class="num">{v.activities}</td><td class="num">{hours(v.minutes)}</td></tr>
                            }).collect_view()}
                            <tr class="total"><td colspan="2">{t!(i18n, p_total)}</td><td class="num">{total}</td></tr>
                        </tbody>
                    </table>
                }.into_any() }}
                <p class="notice-period" data-testid="notice-period">{t!(i18n, p_period)}{t!(i18n, p_colon)}{move || period.get().0}" "{t!(i18n, p_to)}" "{move || period.get().1}
                    {move || t!(i18n, p_working_days, n = days.get())}</p>
                <p class="notice-contact">{t!(i18n, p_contact)}{t!(i18n, p_colon)}{cadre}" · "{name.clone()}</p>
                <p class="notice-sign">{name.clone()}<br/>{today.clone()}</p>
            </section>
        </PaperFrame>
    }
}
