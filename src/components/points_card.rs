//! 积分 on a volunteer's page: the balance, 积分透支 with the redemptions to settle, the
//! points earned month by month, every entry with its source (which activity and rules
//! version, which adjustment and why, which redemption), 奖励 / 扣减 with a reason, and
//! the way to the 积分超市 for this volunteer. Figures from `records::points`
//! (`model::points`); never opens the store itself.

use crate::components::loaded::loaded;
use crate::ctx::use_app;
use crate::i18n::*;
use crate::message::{error_slot, said, Said};
use crate::records::points::{adjust, volunteer_points, VolunteerPoints};
use leptos::prelude::*;
use leptos::task::spawn_local;
use model::points::{Entry, NotCounted};
use std::collections::BTreeMap;

/// The points section of volunteer `id`.
#[component]
pub fn PointsCard(id: String) -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    let data = {
        let id = id.clone();
        LocalResource::new(move || {
            ctx.changed.track();
            let (store, id) = (ctx.store(), id.clone());
            async move { volunteer_points(&store, &id).await }
        })
    };
    let (amount, reason, error) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(None::<Said>),
    );
    let save_adjustment = {
        let id = id.clone();
        move |_| {
            let Some(profile) = ctx.profile.get_untracked() else {
                return;
            };
            let Ok(points) = amount.get_untracked().trim().parse::<i64>() else {
                error.set(Some(Said::text(|l| {
                    td_string!(l, points_amount_bad).to_string()
                })));
                return;
            };
            let (store, id) = (ctx.store(), id.clone());
            spawn_local(async move {
                match adjust(&store, &profile, &id, points, &reason.get_untracked()).await {
                    Ok(_) => {
                        _ = amount.try_set(String::new());
                        _ = reason.try_set(String::new());
                        _ = error.try_set(None);
                        ctx.notify_changed();
                    }
                    Err(e) => _ = error.try_set(Some(said(e))),
                }
            });
        }
    };
    let body = loaded(data, |p| view! { <Ledger p/> }.into_any());
    view! {
        <section class="points" data-testid="points">
            <div class="title-row">
                <h3>{t!(i18n, points_title)}</h3>
                <a href=format!("/volunteers/{id}/points") class="button small" data-testid="print-book">{t!(i18n, book_print)}</a>
                <a href=format!("/points?volunteer={id}") class="button small" data-testid="to-shop">{t!(i18n, points_redeem)}</a>
            </div>
            {body}
            <details class="adjust">
                <summary data-testid="adjust-open">{t!(i18n, points_adjust)}</summary>
                <div class="form">
                    <label>{t!(i18n, points_adjust_amount)}
                        <input inputmode="numeric" data-testid="adjust-points" bind:value=amount/>
                    </label>
                    <label>{t!(i18n, points_adjust_reason)}<input data-testid="adjust-reason" bind:value=reason/></label>
                    {error_slot(error, "field-error", None)}
                    <button class="primary" data-testid="adjust-save" on:click=save_adjustment>{t!(i18n, save)}</button>
                </div>
            </details>
        </section>
    }
}

/// The balance, the overdraw, the months and the entries.
#[component]
fn Ledger(p: VolunteerPoints) -> impl IntoView {
    let i18n = use_i18n();
    let l = p.ledger.clone();
    let mut months: BTreeMap<String, u32> = BTreeMap::new();
    for e in &l.entries {
        if let Entry::Earned(e) = e {
            if e.points > 0 {
                *months.entry(e.at.chars().take(7).collect()).or_default() += e.points;
            }
        }
    }
    let overdrawn_count = l.overdrawn.len();
    let overdrawn: Vec<String> = l
        .overdrawn
        .iter()
        .map(|id| p.items.get(id).cloned().unwrap_or_default())
        .collect();
    let lines: Vec<(String, String, i64, String)> =
        l.entries.iter().rev().map(|e| line(i18n, e, &p)).collect();
    view! {
        <p class="balance" data-testid="points-balance" data-value=l.balance>
            {t!(i18n, points_balance)}" "<strong>{l.balance}</strong>" "{t!(i18n, points_unit)}
        </p>
        {(!overdrawn.is_empty()).then(|| view! {
            <div class="warning-box" role="alert" data-testid="points-overdrawn" data-count=overdrawn_count>
                <p><strong>{t!(i18n, points_overdrawn)}</strong>" "{t!(i18n, points_overdrawn_explain)}</p>
                <ul>{overdrawn.into_iter().map(|name| view! { <li>{name}</li> }).collect_view()}</ul>
            </div>
        })}
        {(!months.is_empty()).then(|| view! {
            <p class="row-meta" data-testid="points-months">
                {t!(i18n, points_by_month)}" "{months.into_iter().rev().map(|(m, n)| format!("{m}: {n}")).collect::<Vec<_>>().join(" · ")}
            </p>
        })}
        <ul class="doc-list" data-testid="points-history">
            {lines.into_iter().map(|(kind, what, delta, why)| view! {
                <li data-testid="points-entry" data-kind=kind.clone() data-delta=delta>
                    <div class="title-row"><span>{what}</span>
                        <strong class=if delta < 0 { "minus" } else { "plus" }>{format!("{delta:+}")}</strong>
                    </div>
                    <div class="row-meta">{why}</div>
                </li>
            }).collect_view()}
        </ul>
    }
}

/// One history line: kind, what, the change and where it came from.
fn line(
    i18n: leptos_i18n::I18nContext<Locale>,
    e: &Entry,
    p: &VolunteerPoints,
) -> (String, String, i64, String) {
    let date = |at: &str| at.chars().take(10).collect::<String>();
    match e {
        Entry::Earned(x) => {
            let title = p.titles.get(&x.activity_id).cloned().unwrap_or_default();
            let why = match &x.not_counted {
                None => format!(
                    "{} {}",
                    t_string!(i18n, points_rule_from),
                    x.rule_from.clone().unwrap_or_default()
                ),
                Some(NotCounted::NoRules) => t_string!(i18n, points_no_rules).to_owned(),
                Some(NotCounted::Unconfirmed) => t_string!(i18n, points_unconfirmed).to_owned(),
                Some(NotCounted::TooShort { share, asked }) => {
                    format!("{} {share}% < {asked}%", t_string!(i18n, points_too_short))
                }
                Some(NotCounted::BadTimes) => t_string!(i18n, points_bad_times).to_owned(),
            };
            (
                "earned".into(),
                format!("{} {title}", date(&x.at)),
                e.delta(),
                why,
            )
        }
        Entry::Adjustment {
            at, reason, points, ..
        } => {
            let kind = if *points < 0 {
                t_string!(i18n, points_deduct)
            } else {
                t_string!(i18n, points_reward)
            };
            (
                "adjustment".into(),
                format!("{} {kind}", date(at)),
                e.delta(),
                reason.clone(),
            )
        }
        Entry::Redemption { id, at, .. } => {
            let item = p.items.get(id).cloned().unwrap_or_default();
            (
                "redemption".into(),
                format!("{} {}", date(at), t_string!(i18n, points_redeemed)),
                e.delta(),
                item,
            )
        }
    }
}
