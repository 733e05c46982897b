//! 统计 tab: the totals headquarters asks for, computed on the phone.

use crate::app::use_app;
use crate::components::stat_card::StatCard;
use crate::i18n::*;
use crate::store::{PageQuery, Relation, Store, StoreError};
use leptos::prelude::*;

#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Totals {
    forums: u64,
    villagers: u64,
    volunteers: u64,
    concerns: u64,
    resolved: u64,
}

async fn totals(store: Store) -> Result<Totals, StoreError> {
    let mut t = Totals::default();
    let mut q = PageQuery { doc_type: "activity".into(), newest_first: true, after: None, limit: 500 };
    loop {
        let page = store.page(&q).await?;
        for doc in &page.docs {
            if doc.get("kind").and_then(|k| k.as_str()) == Some("evening_forum") {
                t.forums += 1;
            }
            t.villagers += doc.get("villagers_present").and_then(|v| v.as_u64()).unwrap_or(0);
        }
        match page.next {
            Some(next) => q.after = Some(next),
            None => break,
        }
    }
    t.volunteers = store.count_type("volunteer").await?.into();
    t.concerns = store.count_type("concern").await?.into();
    for status in ["resolved", "rated"] {
        t.resolved += u64::from(store.count_related(Relation::ConcernsByStatus, status).await?);
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
    let get = move |f: fn(&Totals) -> u64| Signal::derive(move || figures.get().and_then(|r| r.ok()).map(|t| f(&t)));
    view! {
        <h2>{t!(i18n, stats_title)}</h2>
        <div class="stats">
            <StatCard label=Signal::derive(move || t_string!(i18n, stats_forums).to_string()) value=get(|t| t.forums) testid="stat-forums"/>
            <StatCard label=Signal::derive(move || t_string!(i18n, stats_villagers).to_string()) value=get(|t| t.villagers) testid="stat-villagers"/>
            <StatCard label=Signal::derive(move || t_string!(i18n, stats_volunteers).to_string()) value=get(|t| t.volunteers) testid="stat-volunteers"/>
            <StatCard label=Signal::derive(move || t_string!(i18n, stats_concerns).to_string()) value=get(|t| t.concerns) testid="stat-concerns"/>
            <StatCard label=Signal::derive(move || t_string!(i18n, stats_resolved).to_string()) value=get(|t| t.resolved) testid="stat-resolved"/>
        </div>
    }
}
