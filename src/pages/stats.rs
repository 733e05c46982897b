//! 统计 tab: the totals headquarters asks for, computed on the phone by `model::stats`.

use crate::app::use_app;
use crate::components::stat_card::StatCard;
use crate::i18n::*;
use crate::store::{PageQuery, Store, StoreError};
use leptos::prelude::*;
use model::stats::Totals;

/// Streams every activity, attendance and concern through `model::stats::Totals`.
async fn totals(store: Store) -> Result<Totals, StoreError> {
    let mut t = Totals::default();
    for doc_type in ["activity", "attendance", "concern"] {
        let mut q = PageQuery {
            doc_type: doc_type.into(),
            newest_first: true,
            after: None,
            limit: 500,
        };
        loop {
            let page = store.page(&q).await?;
            page.docs.iter().for_each(|d| t.add(d));
            match page.next {
                Some(next) => q.after = Some(next),
                None => break,
            }
        }
    }
    Ok(t)
}

/// The statistics screen.
#[component]
pub fn StatsPage() -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    let figures = LocalResource::new(move || {
        ctx.changed.track();
        totals(ctx.store())
    });
    let get = move |f: fn(&Totals) -> u64| {
        Signal::derive(move || figures.get().and_then(|r| r.ok()).map(|t| f(&t)))
    };
    view! {
        <h2>{t!(i18n, stats_title)}</h2>
        <div class="stats">
            <StatCard label=Signal::derive(move || t_string!(i18n, stats_forums).to_string()) value=get(|t| t.forums) testid="stat-forums"/>
            <StatCard label=Signal::derive(move || t_string!(i18n, stats_villagers).to_string()) value=get(|t| t.villagers) testid="stat-villagers"/>
            <StatCard label=Signal::derive(move || t_string!(i18n, stats_volunteers).to_string()) value=get(|t| t.turnout) testid="stat-turnout"/>
            <StatCard label=Signal::derive(move || t_string!(i18n, stats_hours).to_string()) value=get(|t| t.service_minutes / 60) testid="stat-hours"/>
            <StatCard label=Signal::derive(move || t_string!(i18n, stats_concerns).to_string()) value=get(|t| t.concerns) testid="stat-concerns"/>
            <StatCard label=Signal::derive(move || t_string!(i18n, stats_resolved).to_string()) value=get(|t| t.resolved) testid="stat-resolved"/>
            <StatCard label=Signal::derive(move || t_string!(i18n, stats_satisfaction).to_string()) value=Signal::derive(move || figures.get().and_then(|r| r.ok()).and_then(|t| t.satisfaction_percent())) testid="stat-satisfaction"/>
        </div>
    }
}
