//! 光荣榜 (`/points/roll`): volunteers ranked by the points earned and adjusted in a month
//! or a year (rules in `model::points::roll`), this month by default; on a phone holding
//! several stations (headquarters), each station ranked apart or all together. Reads
//! through `records::points`.

use crate::components::date_field::DateField;
use crate::components::loaded::loaded;
use crate::ctx::use_app;
use crate::i18n::*;
use crate::records::points::roll;
use crate::records::today;
use leptos::prelude::*;
use model::date_input::FieldKind;

/// The honour roll screen.
#[component]
pub fn HonourRollPage() -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    let month = RwSignal::new(today()[..7].to_owned());
    let whole_year = RwSignal::new(false);
    let period = move || {
        let m = month.get();
        if whole_year.get() {
            m.chars().take(4).collect()
        } else {
            m
        }
    };
    let data = LocalResource::new(move || {
        ctx.changed.track();
        let (store, p) = (ctx.store(), period());
        async move { roll(&store, &p).await }
    });
    let station = RwSignal::new(String::new());
    let stations = move || {
        let mut codes: Vec<String> = data
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.station)
            .collect();
        codes.sort();
        codes.dedup();
        codes
    };
    let list = loaded(data, move |entries| {
        let only = station.get();
        let lines: Vec<_> = entries
            .into_iter()
            .filter(|e| only.is_empty() || e.station == only)
            .collect();
        if lines.is_empty() {
            return view! { <p class="empty" data-testid="roll-empty">{t!(i18n, roll_empty)}</p> }
                .into_any();
        }
        view! {
                <ol class="roll" data-testid="roll">
                    {lines.into_iter().enumerate().map(|(i, e)| view! {
                        <li data-testid="roll-line" data-points=e.line.points data-station=e.station>
                            <span class="rank">{i + 1}</span>
                            <span class="name">{e.name}</span><strong>{e.line.points}" "{t!(i18n, points_unit)}</strong>
                        </li>
                    }).collect_view()}
                </ol>
            }.into_any()
    });
    view! {
        <h2>{t!(i18n, roll_title)}</h2>
        <div class="form dash-filters">
            <label>{t!(i18n, x_month)}
                <DateField kind=FieldKind::Month testid="roll-month" value=month on_input=Callback::new(move |v| month.set(v))/>
            </label>
            {move || {
                let codes = stations();
                (codes.len() > 1).then(|| view! {
                    <label>{t!(i18n, roll_station)}
                        <select data-testid="roll-station" on:change=move |ev| station.set(event_target_value(&ev))>
                            <option value="">{t!(i18n, roll_all_stations)}</option>
                            {codes.into_iter().map(|c| view! { <option value=c.clone()>{c.clone()}</option> }).collect_view()}
                        </select>
                    </label>
                })
            }}
        </div>
        <div class="tabs" role="tablist">
                <button role="tab" data-testid="roll-by-month" aria-selected=move || (!whole_year.get()).to_string()
                    on:click=move |_| whole_year.set(false)>{t!(i18n, roll_month)}</button>
                <button role="tab" data-testid="roll-by-year" aria-selected=move || whole_year.get().to_string()
                    on:click=move |_| whole_year.set(true)>{t!(i18n, roll_year)}</button>
        </div>
        {list}
    }
}
