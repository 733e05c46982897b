//! The parts every printed page shares: the frame (打印 button, sheets, the verification
//! QR repeated on every printed page by `position: fixed` in print CSS), the QR block, the
//! signature lines, and a forum's record sheet (printed alone or inside the month's 台账).
//! Renders what `model::paper` built; never reads the store.

use crate::i18n::*;
use crate::labels;
use crate::records::people::ROLES;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use model::paper::forum::ForumRecord;
use model::paper::hours;
use model::paper::stamp::{readable_time, Stamp};

/// A role code in the current language; free text as recorded stays as it is.
pub fn role_text(i18n: leptos_i18n::I18nContext<Locale>, role: &str) -> String {
    if ROLES.contains(&role) {
        labels::role(i18n, role).to_owned()
    } else {
        role.to_owned()
    }
}

/// The name printed for station `code`: this phone's station name for its own code, the
/// code itself for another station (headquarters printing a station below it).
pub fn station_name(code: &str) -> String {
    let own = crate::ctx::use_app()
        .profile
        .get_untracked()
        .filter(|p| p.station_code == code)
        .map(|p| p.station_name);
    own.unwrap_or_else(|| code.to_owned())
}

/// The `:station` and `:month` of a month's paper route.
pub fn month_params() -> (String, String) {
    use_params_map().with_untracked(|p| {
        (
            p.get("station").unwrap_or_default(),
            p.get("month").unwrap_or_default(),
        )
    })
}

/// Asks the browser to print (a printer, or 保存为 PDF).
fn print() {
    if let Some(w) = web_sys::window() {
        let _ = w.print();
    }
}

/// A print screen: the 打印 button (not printed), the sheets, and the stamp's QR.
#[component]
pub fn PaperFrame(
    stamp: Stamp,
    #[prop(optional)] testid: &'static str,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="paper" data-testid=testid>
            <div class="paper-actions no-print">
                <button class="primary" data-testid="paper-print" on:click=|_| print()>{t!(i18n, p_print)}</button>
            </div>
            <div class="sheets">{children()}</div>
            <StampBlock stamp/>
        </div>
    }
}

/// The verification QR with the print time.
#[component]
pub fn StampBlock(stamp: Stamp) -> impl IntoView {
    let i18n = use_i18n();
    let payload = stamp.encode();
    let svg = model::qr::encode(&payload)
        .map(|m| model::qr::to_svg(&m))
        .unwrap_or_default();
    view! {
        <div class="stamp" data-testid="paper-stamp" data-payload=payload>
            <div class="stamp-qr" inner_html=svg></div>
            <div class="stamp-text">
                <div>{t!(i18n, p_printed_at)}" "{readable_time(&stamp.printed_at)}</div>
                <div>{t!(i18n, p_stamp_hint)}</div>
            </div>
        </div>
    }
}

/// 记录人 / 负责人 / 日期 lines.
#[component]
pub fn Signatures() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="signatures">
            <span>{t!(i18n, p_recorder)}{t!(i18n, p_colon)}</span>
            <span>{t!(i18n, p_leader)}{t!(i18n, p_colon)}</span>
            <span>{t!(i18n, p_date)}{t!(i18n, p_colon)}</span>
        </div>
    }
}

/// A forum's record page.
#[component]
pub fn ForumSheet(record: ForumRecord, station_name: String) -> impl IntoView {
    let i18n = use_i18n();
    let r = record;
    let info = r.info.clone();
    let kind = info.kind.clone();
    let when = format!("{} {}–{}", info.date, info.start, info.end);
    let none = move || view! { <p class="sheet-none">{t!(i18n, p_none)}</p> };
    let volunteers = r.volunteers.clone();
    let concerns = r.concerns.clone();
    let agenda = r.agenda.clone();
    let hours_total = r.hours();
    let satisfaction = r.satisfaction;
    view! {
        <section class="sheet record" data-testid="record-sheet" data-id=r.id.clone()>
            <header class="sheet-head">
                <div class="sheet-station">{station_name}</div>
                <h1>{t!(i18n, p_record_title)}" · "{info.title.clone()}</h1>
            </header>
            <dl class="sheet-facts">
                <dt>{t!(i18n, p_kind)}</dt><dd>{move || labels::kind_text(i18n, &kind)}</dd>
                <dt>{t!(i18n, p_when)}</dt><dd>{when}</dd>
                <dt>{t!(i18n, p_place)}</dt><dd>{info.place.clone()}</dd>
                <dt>{t!(i18n, p_host)}</dt><dd>{info.host.clone()}</dd>
                <dt>{t!(i18n, p_villagers)}</dt><dd data-testid="sheet-villagers">{info.villagers}</dd>
                <dt>{t!(i18n, p_teams)}</dt><dd>{r.teams.join(t_string!(i18n, p_list_sep))}</dd>
            </dl>
            <h2>{t!(i18n, p_agenda)}</h2>
            <table class="sheet-table" data-testid="sheet-agenda">
                <thead><tr><th>{t!(i18n, p_part)}</th><th>{t!(i18n, p_speaker)}</th><th>{t!(i18n, p_minutes)}</th></tr></thead>
                <tbody>
                    {agenda.into_iter().map(|s| view! {
                        <tr><td>{s.title}</td><td>{s.speaker}</td><td class="num">{s.minutes}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            <h2>{t!(i18n, p_volunteers)}</h2>
            {if volunteers.is_empty() { none().into_any() } else { view! {
                <table class="sheet-table" data-testid="sheet-volunteers">
                    <thead><tr><th>{t!(i18n, p_name)}</th><th>{t!(i18n, p_role)}</th><th>{t!(i18n, p_check_in)}</th><th>{t!(i18n, p_check_out)}</th><th>{t!(i18n, p_hours)}</th></tr></thead>
                    <tbody>
                        {volunteers.into_iter().map(|v| {
                            let role = v.role.clone();
                            view! {
                                <tr data-testid="sheet-volunteer" data-name=v.name.clone()>
                                    <td>{v.name.clone()}</td>
                                    <td class="nowrap">{move || role_text(i18n, &role)}</td>
                                    <td>{v.check_in.clone()}</td>
                                    <td>{v.check_out.clone()}</td>
                                    <td class="num" data-testid="sheet-hours">{if v.counted {
                                        hours(v.minutes).into_any()
                                    } else {
                                        view! { <span class="not-counted">{hours(v.minutes)}" "{t!(i18n, p_not_counted)}</span> }.into_any()
                                    }}</td>
                                </tr>
                            }
                        }).collect_view()}
                        <tr class="total"><td colspan="4">{t!(i18n, p_total)}</td><td class="num" data-testid="sheet-hours-total">{hours_total}</td></tr>
                    </tbody>
                </table>
            }.into_any() }}
            <h2>{t!(i18n, p_concerns)}</h2>
            {if concerns.is_empty() { none().into_any() } else { view! {
                <table class="sheet-table" data-testid="sheet-concerns">
                    <thead><tr><th>{t!(i18n, p_concern_text)}</th><th>{t!(i18n, p_category)}</th><th>{t!(i18n, p_status)}</th><th>{t!(i18n, p_team)}</th></tr></thead>
                    <tbody>
                        {concerns.into_iter().map(|c| {
                            let (cat, st) = (c.category.clone(), c.status.clone());
                            view! {
                                <tr><td>{c.text.clone()}</td><td>{move || labels::category_text(i18n, &cat)}</td><td>{move || labels::status_text(i18n, &st)}</td><td>{c.team.clone()}</td></tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any() }}
            <h2>{t!(i18n, p_satisfaction)}</h2>
            <p data-testid="sheet-satisfaction">{match satisfaction {
                Some(s) => view! { {s.responses}" "{t!(i18n, p_responses)}" "{s.rate.map(|r| format!("{r}%")).unwrap_or_else(|| "—".into())} }.into_any(),
                None => t!(i18n, p_no_survey).into_any(),
            }}</p>
            <h2>{t!(i18n, p_notes)}</h2>
            <p class="sheet-notes">{if info.notes.trim().is_empty() { "—".to_owned() } else { info.notes.clone() }}</p>
            <Signatures/>
        </section>
    }
}
