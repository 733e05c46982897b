//! The month's 台账 for print (`/stats/ledger/:station/:month`, 统计 → 打印台账): a cover
//! with `rollup`'s figures of the station and month, the table of every activity, then each
//! activity's record page; one verification QR for the whole ledger on every page.

use crate::components::loaded::loaded_found;
use crate::components::paper::{month_params, station_name, ForumSheet, PaperFrame, Signatures};
use crate::ctx::use_app;
use crate::i18n::*;
use crate::labels;
use crate::records::{now, paper};
use leptos::prelude::*;
use model::paper::month::Ledger;

/// The 台账 print screen.
#[component]
pub fn LedgerPrintPage() -> impl IntoView {
    let ctx = use_app();
    let (station, month) = month_params();
    let data = LocalResource::new(move || {
        let (store, station, month) = (ctx.store(), station.clone(), month.clone());
        async move { paper::ledger(&store, &station, &month).await }
    });
    loaded_found(data, |ledger| view! { <LedgerView ledger/> }.into_any())
}

#[component]
fn LedgerView(ledger: Ledger) -> impl IntoView {
    let i18n = use_i18n();
    let stamp = ledger.stamp(&now());
    let name = station_name(&ledger.station);
    let c = ledger.cover;
    let pct = |p: Option<u64>| p.map_or_else(|| "—".to_owned(), |p| format!("{p}%"));
    let figure = |label: String, value: String, testid: &'static str| {
        let shown = value.clone();
        view! { <tr data-testid=testid data-value=value><th>{label}</th><td class="num">{shown}</td></tr> }
    };
    let Ledger {
        month,
        table,
        records,
        ..
    } = ledger;
    view! {
        <PaperFrame stamp testid="ledger-print">
            <section class="sheet cover" data-testid="ledger-cover">
                <div class="cover-station">{name.clone()}</div>
                <h1 class="cover-title">{month.clone()}" "{t!(i18n, p_ledger_title)}</h1>
                <table class="sheet-table cover-figures">
                    <tbody>
                        {figure(t_string!(i18n, p_cover_forums).to_owned(), c.forums.to_string(), "cover-forums")}
                        {figure(t_string!(i18n, p_cover_activities).to_owned(), c.activities.to_string(), "cover-activities")}
                        {figure(t_string!(i18n, p_cover_villagers).to_owned(), c.villagers.to_string(), "cover-villagers")}
                        {figure(t_string!(i18n, p_cover_turnout).to_owned(), c.turnout.to_string(), "cover-turnout")}
                        {figure(t_string!(i18n, p_cover_hours).to_owned(), format!("{:.1}", c.service_hours()), "cover-hours")}
                        {figure(t_string!(i18n, p_cover_raised).to_owned(), c.raised.to_string(), "cover-raised")}
                        {figure(t_string!(i18n, p_cover_resolved).to_owned(), c.resolved.to_string(), "cover-resolved")}
                        {figure(t_string!(i18n, p_cover_rating).to_owned(), pct(c.rating_percent()), "cover-rating")}
                    </tbody>
                </table>
                <Signatures/>
            </section>
            <section class="sheet" data-testid="ledger-table">
                <h2>{t!(i18n, p_table_title)}</h2>
                <table class="sheet-table">
                    <thead><tr>
                        <th>{t!(i18n, p_date)}</th><th>{t!(i18n, p_col_title)}</th><th>{t!(i18n, p_kind)}</th>
                        <th>{t!(i18n, p_villagers)}</th><th>{t!(i18n, p_col_volunteers)}</th><th>{t!(i18n, p_hours)}</th>
                    </tr></thead>
                    <tbody>
                        {table.into_iter().map(|row| {
                            let kind = row.kind.clone();
                            view! {
                                <tr data-testid="ledger-row">
                                    <td class="nowrap">{row.date}<br/>{row.time}</td><td>{row.title}</td><td>{move || labels::kind_text(i18n, &kind)}</td>
                                    <td class="num">{row.villagers}</td><td class="num">{row.volunteers}</td><td class="num">{row.hours}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
            {records.into_iter().map(|record| view! { <ForumSheet record station_name=name.clone()/> }).collect_view()}
        </PaperFrame>
    }
}
