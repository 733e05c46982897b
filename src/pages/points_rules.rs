//! 积分规则 (`/points/rules`): the version in force today and every earlier one, and a
//! form that adds a version from a date (a new version never rewrites points earned
//! under an earlier one; the same date again replaces that date's version). Reads and
//! writes through `records::points`; the rules themselves are `model::points`.

use crate::components::date_field::DateField;
use crate::components::loaded::loaded;
use crate::ctx::use_app;
use crate::i18n::*;
use crate::message::{error_slot, said, Said};
use crate::records::points::{rules, save_rules};
use crate::records::today;
use leptos::prelude::*;
use leptos::task::spawn_local;
use model::date_input::FieldKind;
use model::points::{RuleVersion, DEFAULT_MIN_SHARE_PERCENT};

/// The rules screen.
#[component]
pub fn PointsRulesPage() -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    let data = LocalResource::new(move || {
        ctx.changed.track();
        let store = ctx.store();
        async move { rules(&store).await }
    });
    let from = RwSignal::new(today());
    let fields: [RwSignal<String>; 5] = [
        RwSignal::new("10".to_owned()),
        RwSignal::new("0".to_owned()),
        RwSignal::new(DEFAULT_MIN_SHARE_PERCENT.to_string()),
        RwSignal::new("0".to_owned()),
        RwSignal::new("0".to_owned()),
    ];
    let [per_hour, per_attendance, share, resolve, satisfied] = fields;
    let error = RwSignal::new(None::<Said>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(profile) = ctx.profile.get_untracked() else {
            return;
        };
        let n = |s: RwSignal<String>| s.get_untracked().trim().parse::<u32>().ok();
        let (Some(h), Some(a), Some(sh), Some(r), Some(sa)) = (
            n(per_hour),
            n(per_attendance),
            n(share),
            n(resolve),
            n(satisfied),
        ) else {
            error.set(Some(Said::text(|l| td_string!(l, rules_bad).to_string())));
            return;
        };
        let version = RuleVersion {
            from: from.get_untracked(),
            per_hour: h,
            per_attendance: a,
            min_share_percent: sh.min(255) as u8,
            resolve_bonus: r,
            satisfied_bonus: sa,
        };
        let store = ctx.store();
        spawn_local(async move {
            match save_rules(&store, &profile, &version).await {
                Ok(_) => {
                    _ = error.try_set(None);
                    ctx.notify_changed();
                }
                Err(e) => _ = error.try_set(Some(said(e))),
            }
        });
    };
    let versions = loaded(data, move |r| {
        if r.versions.is_empty() {
            return view! { <p class="empty" data-testid="no-rules">{t!(i18n, rules_none)}</p> }
                .into_any();
        }
        {
            let now = r.in_force(&today()).map(|v| v.from.clone());
            let mut vs = r.versions;
            vs.sort_by(|a, b| b.from.cmp(&a.from));
            vs.into_iter().map(|v| {
                let current = now.as_deref() == Some(v.from.as_str());
                view! {
                    <li data-testid="rules-version" data-from=v.from.clone() class:current=current>
                        <div class="row-title">{t!(i18n, rules_from)}" "{v.from.clone()}
                            {current.then(|| view! { " "<span class="tag">{t!(i18n, rules_current)}</span> })}</div>
                        <div class="row-meta">
                            {t!(i18n, rules_per_hour)}" "{v.per_hour}" · "{t!(i18n, rules_per_attendance)}" "{v.per_attendance}
                            " · "{t!(i18n, rules_share)}" "{v.min_share_percent}"% · "{t!(i18n, rules_resolve)}" "{v.resolve_bonus}
                            " · "{t!(i18n, rules_satisfied)}" "{v.satisfied_bonus}
                        </div>
                    </li>
                }
            }).collect_view().into_any()
        }
    });
    let number = move |label: &'static str, name: &'static str, value: RwSignal<String>| {
        view! {
            <label>{label}<input name=name inputmode="numeric" bind:value=value/></label>
        }
    };
    view! {
        <h2>{t!(i18n, rules_title)}</h2>
        <p class="hint">{t!(i18n, rules_explain)}</p>
        <ul class="doc-list" data-testid="rules-versions">{versions}</ul>
        <form class="form" on:submit=save data-testid="rules-form" novalidate>
            <h3>{t!(i18n, rules_new)}</h3>
            <label>{t!(i18n, rules_from)}
                <DateField kind=FieldKind::Date testid="rules-from" value=from on_input=Callback::new(move |v| from.set(v))/>
            </label>
            {number(t_string!(i18n, rules_per_hour), "per_hour", per_hour)}
            {number(t_string!(i18n, rules_per_attendance), "per_attendance", per_attendance)}
            {number(t_string!(i18n, rules_share), "min_share", share)}
            {number(t_string!(i18n, rules_resolve), "resolve_bonus", resolve)}
            {number(t_string!(i18n, rules_satisfied), "satisfied_bonus", satisfied)}
            {error_slot(error, "field-error", None)}
            <button class="primary" type="submit" data-testid="rules-save">{t!(i18n, save)}</button>
        </form>
    }
}
