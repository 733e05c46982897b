//! 扫码核验 (`/verify`, from 统计): scans the verification QR of a printed page and answers,
//! offline, 与系统数据一致 / 数据已修改（打印后有变动） / 本机无此记录, listing the sections
//! that differ (a printed figure beside today's, or 有变动 for a section's digest). The
//! comparison is `model::paper::stamp::verify` through `records::paper::check`.

use crate::components::qr_scanner::QrScanner;
use crate::ctx::use_app;
use crate::i18n::*;
use crate::message::ErrorNote;
use crate::records::paper::{self, CheckError};
use leptos::prelude::*;
use leptos::task::spawn_local;
use model::paper::stamp::{readable_time, Difference, Kind, Stamp, Verdict};

/// A printed page's stamp, for the scanner (a volunteer card is not one).
fn stamp_text(text: &str) -> Option<String> {
    Stamp::decode(text).is_ok().then(|| text.to_owned())
}

fn kind_label(i18n: leptos_i18n::I18nContext<Locale>, k: Kind) -> &'static str {
    match k {
        Kind::Forum => t_string!(i18n, p_kind_f),
        Kind::Ledger => t_string!(i18n, p_kind_l),
        Kind::Notice => t_string!(i18n, p_kind_n),
        Kind::Certificate => t_string!(i18n, p_kind_c),
        Kind::PointsBook => t_string!(i18n, p_kind_b),
    }
}

fn part_label(i18n: leptos_i18n::I18nContext<Locale>, key: &str) -> &'static str {
    match key {
        "info" => t_string!(i18n, p_key_info),
        "agenda" => t_string!(i18n, p_key_agenda),
        "teams" => t_string!(i18n, p_key_teams),
        "volunteers" => t_string!(i18n, p_key_volunteers),
        "hours" => t_string!(i18n, p_key_hours),
        "concerns" => t_string!(i18n, p_key_concerns),
        "satisfaction" => t_string!(i18n, p_key_satisfaction),
        "forums" => t_string!(i18n, p_key_forums),
        "villagers" => t_string!(i18n, p_key_villagers),
        "turnout" => t_string!(i18n, p_key_turnout),
        "raised" => t_string!(i18n, p_key_raised),
        "resolved" => t_string!(i18n, p_key_resolved),
        "rating" => t_string!(i18n, p_key_rating),
        "table" => t_string!(i18n, p_key_table),
        "records" => t_string!(i18n, p_key_records),
        "person" => t_string!(i18n, p_key_person),
        "entries" => t_string!(i18n, p_key_entries),
        "balance" => t_string!(i18n, p_key_balance),
        _ => t_string!(i18n, p_key_count),
    }
}

/// The 扫码核验 screen.
#[component]
pub fn VerifyPage() -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    let scanning = RwSignal::new(true);
    let result = RwSignal::new(None::<Result<(Stamp, Verdict, Option<String>), CheckError>>);
    let scanned = Callback::new(move |text: String| {
        scanning.set(false);
        let store = ctx.store();
        spawn_local(async move {
            _ = result.try_set(Some(paper::check(&store, &text).await));
        });
    });
    view! {
        <h2>{t!(i18n, p_verify_title)}</h2>
        <p class="hint">{t!(i18n, p_verify_intro)}</p>
        <Show when=move || scanning.get()>
            <QrScanner on_scan=scanned read=stamp_text on_close=Callback::new(move |_| scanning.set(false))/>
        </Show>
        {move || result.get().map(|r| match r {
            Err(e) => view! { <ErrorNote error=e testid="verify-error"/> }.into_any(),
            Ok((stamp, verdict, title)) => view! { <Answer stamp verdict title/> }.into_any(),
        })}
        <Show when=move || !scanning.get()>
            <button class="primary" data-testid="verify-again" on:click=move |_| { result.set(None); scanning.set(true); }>{t!(i18n, p_scan_again)}</button>
        </Show>
    }
}

#[component]
fn Answer(stamp: Stamp, verdict: Verdict, title: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let (class, state) = match &verdict {
        Verdict::Same => ("verdict same", "same"),
        Verdict::Changed(_) => ("verdict changed", "changed"),
        Verdict::Unknown => ("verdict unknown", "unknown"),
    };
    let headline = match &verdict {
        Verdict::Same => t!(i18n, p_same).into_any(),
        Verdict::Changed(_) => t!(i18n, p_changed).into_any(),
        Verdict::Unknown => t!(i18n, p_unknown).into_any(),
    };
    let diffs = match verdict {
        Verdict::Changed(d) => d,
        _ => Vec::new(),
    };
    view! {
        <div class=class role="status" data-testid="verdict" data-state=state>
            <p class="verdict-head">{headline}</p>
            <p class="row-meta" data-testid="verify-subject">{kind_label(i18n, stamp.kind)}{title.map(|t| format!(" · {t}"))}</p>
            <p class="row-meta">{t!(i18n, p_printed_at)}" "{readable_time(&stamp.printed_at)}</p>
            {(!diffs.is_empty()).then(|| view! {
                <table class="sheet-table" data-testid="verify-diffs">
                    <thead><tr><th></th><th>{t!(i18n, p_printed)}</th><th>{t!(i18n, p_now)}</th></tr></thead>
                    <tbody>{diffs.into_iter().map(|d| view! { <DiffRow d/> }).collect_view()}</tbody>
                </table>
            })}
        </div>
    }
}

#[component]
fn DiffRow(d: Difference) -> impl IntoView {
    let i18n = use_i18n();
    let label = part_label(i18n, d.key);
    let (printed, now) = if d.figure {
        (
            d.printed.into_any(),
            d.now.unwrap_or_else(|| "—".into()).into_any(),
        )
    } else if d.now.is_some() {
        ("".into_any(), t!(i18n, p_moved).into_any())
    } else {
        ("".into_any(), t!(i18n, p_gone).into_any())
    };
    view! { <tr data-testid="verify-diff" data-key=d.key><th>{label}</th><td>{printed}</td><td>{now}</td></tr> }
}
