//! 光荣榜 (`/points/roll`): volunteers ranked by the points earned and adjusted in a month
//! or a year (rules in `model::points::roll`), this month by default. Reads through
//! `records::points`.

use crate::components::date_field::DateField;
use crate::ctx::use_app;
use crate::i18n::*;
use crate::message::ErrorNote;
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
    let list = move || {
        match data.get() {
        None => ().into_any(),
        Some(Err(e)) => {
            view! { <ErrorNote error=e/> }.into_any()
        }
        Some(Ok(lines)) if lines.is_empty() => view! { <p class="empty" data-testid="roll-empty">{t!(i18n, roll_empty)}</p> }.into_any(),
        Some(Ok(lines)) => view! {
            <ol class="roll" data-testid="roll">
                {lines.into_iter().enumerate().map(|(i, (name, l))| view! {
                    <li data-testid="roll-line" data-points=l.points>
                        <span class="rank">{i + 1}</span>
                        <span class="name">{name}</span><strong>{l.points}" "{t!(i18n, points_unit)}</strong>
                    </li>
                }).collect_view()}
            </ol>
        }.into_any(),
    }
    };
    view! {
        <h2>{t!(i18n, roll_title)}</h2>
        <div class="form dash-filters">
            <label>{t!(i18n, x_month)}
                <DateField kind=FieldKind::Month testid="roll-month" value=month on_input=Callback::new(move |v| month.set(v))/>
            </label>
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
