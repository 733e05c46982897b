//! The dashboard table: one row per month (and per group at headquarters) with the
//! figures `model::rollup` counted. Each row carries its figures as `data-*` attributes.
//! It scrolls sideways on a narrow screen; the CSV beside it holds every column.

use crate::i18n::*;
use leptos::prelude::*;
use model::rollup::Row;

fn pct(p: Option<u64>) -> String {
    p.map(|p| format!("{p}%")).unwrap_or_else(|| "—".into())
}

/// The table of `rows` in their order; `show_group` adds the 单位 column.
#[component]
pub fn DashTable(
    #[prop(into)] rows: Signal<Vec<Row>>,
    #[prop(into)] show_group: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let body = move || {
        let group = show_group.get();
        rows.get()
            .into_iter()
            .map(|r| {
                let f = r.figures;
                let hours = format!("{:.1}", f.service_hours());
                let (res, rating, survey) = (
                    pct(f.resolution_percent()),
                    pct(f.rating_percent()),
                    pct(f.survey_percent()),
                );
                // The attributes keep their own copies: the cells below take the strings.
                let attrs = (hours.clone(), res.clone(), rating.clone(), survey.clone());
                view! {
                    <tr data-testid="dash-row" data-month=r.month.clone() data-code=r.code.clone()
                        data-forums=f.forums data-reviewed=f.reviewed data-villagers=f.villagers data-turnout=f.turnout
                        data-hours=attrs.0 data-raised=f.raised data-resolved=f.resolved
                        data-resolution=attrs.1 data-rating=attrs.2 data-survey=attrs.3>
                        <th scope="row">{r.month.clone()}</th>
                        {group.then(|| view! { <td class="group">{r.name.clone()}</td> })}
                        <td>{f.forums}</td>
                        <td>{f.reviewed}</td>
                        <td>{f.villagers}</td>
                        <td>{f.turnout}</td>
                        <td>{hours}</td>
                        <td>{f.raised}</td>
                        <td>{f.resolved}</td>
                        <td>{res}</td>
                        <td>{rating}</td>
                        <td>{survey}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <div class="table-scroll">
            <table class="dash" data-testid="dash-table">
                <thead><tr>
                    <th scope="col">{t!(i18n, x_month)}</th>
                    {move || show_group.get().then(|| view! { <th scope="col">{t!(i18n, x_group)}</th> })}
                    <th scope="col">{t!(i18n, x_col_forums)}</th>
                    <th scope="col">{t!(i18n, x_col_reviewed)}</th>
                    <th scope="col">{t!(i18n, x_col_villagers)}</th>
                    <th scope="col">{t!(i18n, x_col_turnout)}</th>
                    <th scope="col">{t!(i18n, x_col_hours)}</th>
                    <th scope="col">{t!(i18n, x_col_raised)}</th>
                    <th scope="col">{t!(i18n, x_col_resolved)}</th>
                    <th scope="col">{t!(i18n, x_col_resolution)}</th>
                    <th scope="col">{t!(i18n, x_col_rating)}</th>
                    <th scope="col">{t!(i18n, x_col_survey)}</th>
                </tr></thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
}
