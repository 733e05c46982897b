//! 上报情况 (`/hq`), the headquarters console's first screen: for a chosen month, one
//! row per station below the signed-in hq account (last sync, last forum, the month's
//! forums, villagers reached, open concerns and 已审核 of the month's activities, records
//! imported files brought this month and the last import, flags 本月未开展夜话 / 7 天未同步;
//! a station's name opens its 审核, `hq_review`), sorted
//! as chosen, optionally only the flagged ones, as CSV; below it the month's figures per
//! station and summed up the tree. Reads the hub through `sync::console`, never the phone's
//! store and never `fetch` itself; sorting, the filter and the CSV are
//! `model::rollup::status`'s.

use crate::components::dash_table::DashTable;
use crate::components::date_field::DateField;
use crate::components::loaded::loaded;
use crate::i18n::*;
use crate::pwa::files;
use crate::sync::console::{self, ConsoleError, Status};
use crate::sync::service::use_sync;
use leptos::prelude::*;
use model::date_input::FieldKind;
use model::rollup::status::{to_csv, view as status_view, SortBy, StationStatus};

/// The console's screens, as links.
#[component]
pub fn HqTabs() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <nav class="hq-tabs" aria-label=move || t_string!(i18n, hq_console)>
            <a href="/hq" data-testid="hq-to-status">{t!(i18n, hq_status_title)}</a>
            <a href="/hq/accounts" data-testid="hq-to-accounts">{t!(i18n, hq_accounts_title)}</a>
            <a href="/hq/stations" data-testid="hq-to-stations">{t!(i18n, hq_stations_title)}</a>
            <a href="/hq/import" data-testid="hq-to-import">{t!(i18n, hq_import_title)}</a>
        </nav>
    }
}

/// A Unix time as `YYYY-MM-DD HH:MM` in China time.
pub fn local_time(secs: i64) -> String {
    model::time::rfc3339_cst(secs * 1000)
        .map(|t| t.get(..16).unwrap_or_default().replace('T', " "))
        .unwrap_or_default()
}

fn sort_label(i18n: leptos_i18n::I18nContext<Locale>, by: SortBy) -> String {
    match by {
        SortBy::Code => t_string!(i18n, hq_sort_code),
        SortBy::LastSync => t_string!(i18n, hq_sort_last_sync),
        SortBy::LastForum => t_string!(i18n, hq_sort_last_forum),
        SortBy::Forums => t_string!(i18n, hq_sort_forums),
        SortBy::Villagers => t_string!(i18n, hq_sort_villagers),
        SortBy::ConcernsOpen => t_string!(i18n, hq_sort_concerns_open),
    }
    .to_string()
}

/// The 上报情况 screen.
#[component]
pub fn HqStatusPage() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let month = RwSignal::new(crate::records::today()[..7].to_owned());
    let sort = RwSignal::new(SortBy::Code);
    let flagged = RwSignal::new(false);
    let data = LocalResource::new(move || {
        let m = month.get();
        let server = sync.settings.get().map(|s| s.server);
        async move {
            match server {
                Some(s) => console::status(&s, &m).await,
                None => Err(ConsoleError::NotSignedIn),
            }
        }
    });
    let shown = move |st: &Status| status_view(&st.stations, sort.get(), flagged.get());
    let csv = move |_| {
        let Some(Ok(st)) = data.get_untracked() else {
            return;
        };
        let rows = status_view(&st.stations, sort.get_untracked(), flagged.get_untracked());
        let text = to_csv(&rows, local_time);
        let name = format!("shangbao-{}.csv", st.month);
        if let Err(e) = files::download(&name, text.as_bytes(), files::CSV) {
            leptos::logging::error!("yehua: download: {e}");
        }
    };
    view! {
        <HqTabs/>
        <h2>{t!(i18n, hq_status_title)}</h2>
        <div class="hq-controls">
            <label>{t!(i18n, hq_month)}
                <DateField kind=FieldKind::Month testid="hq-month" strict=true
                    value=Signal::derive(move || month.get())
                    label=Signal::derive(move || t_string!(i18n, ph_month).to_owned())
                    on_input=Callback::new(move |v: String| if !v.is_empty() && month.get_untracked() != v { month.set(v) })/>
            </label>
            <label>{t!(i18n, hq_sort)}
                <select data-testid="hq-sort" on:change=move |ev| sort.set(SortBy::from_key(&event_target_value(&ev)))>
                    {SortBy::ALL.into_iter().map(|by| view! {
                        <option value=by.key() selected=move || sort.get() == by>{move || sort_label(i18n, by)}</option>
                    }).collect_view()}
                </select>
            </label>
            <label class="check">
                <input type="checkbox" data-testid="hq-flagged" prop:checked=move || flagged.get()
                    on:change=move |ev| flagged.set(event_target_checked(&ev))/>
                {t!(i18n, hq_flagged_only)}
            </label>
            <button data-testid="hq-csv" on:click=csv>{t!(i18n, hq_csv)}</button>
        </div>
        {loaded(data, move |st: Status| {
            let figures = st.figures.clone();
            view! {
                <div class="table-scroll">
                    <table class="hq-table" data-testid="hq-status">
                        <thead><tr>
                            <th scope="col">{t!(i18n, hq_station)}</th>
                            <th scope="col">{t!(i18n, hq_last_sync)}</th>
                            <th scope="col">{t!(i18n, hq_last_forum)}</th>
                            <th scope="col" class="num">{t!(i18n, hq_forums)}</th>
                            <th scope="col" class="num">{t!(i18n, hq_villagers)}</th>
                            <th scope="col" class="num">{t!(i18n, hq_concerns_open)}</th>
                            <th scope="col" class="num">{t!(i18n, hq_reviewed)}</th>
                            <th scope="col" class="num" title=move || t_string!(i18n, hq_imported_hint)>{t!(i18n, hq_imported)}</th>
                            <th scope="col">{t!(i18n, hq_last_import)}</th>
                            <th scope="col"></th>
                        </tr></thead>
                        <tbody>
                            {move || {
                                let rows = shown(&st);
                                if rows.is_empty() {
                                    return view! { <tr><td colspan="10" class="hint">{t!(i18n, hq_no_rows)}</td></tr> }.into_any();
                                }
                                rows.into_iter().map(|s| status_row(s, &st.month)).collect_view().into_any()
                            }}
                        </tbody>
                    </table>
                </div>
                <h3>{t!(i18n, hq_month_figures)}</h3>
                {if figures.is_empty() {
                    view! { <p class="hint" data-testid="hq-figures-empty">{t!(i18n, hq_no_figures)}</p> }.into_any()
                } else {
                    view! { <DashTable rows=Signal::derive(move || figures.clone()) show_group=true/> }.into_any()
                }}
            }
            .into_any()
        })}
    }
}

fn status_row(s: StationStatus, month: &str) -> impl IntoView {
    let i18n = use_i18n();
    let synced = s.last_sync.map(local_time);
    view! {
        <tr data-testid="hq-row" data-code=s.code.clone() data-no-forum=s.no_forum.to_string()
            data-not-synced=s.not_synced.to_string() class:flagged=s.no_forum || s.not_synced>
            <th scope="row">
                <a href=format!("/hq/review/{}?month={month}", s.code) data-testid="hq-open-review">{s.name.clone()}</a>
                <span class="code">{s.code.clone()}</span>
            </th>
            <td>{match synced { Some(t) => t.into_any(), None => view! { <span>{t!(i18n, hq_never)}</span> }.into_any() }}</td>
            <td>{s.last_forum.clone().unwrap_or_else(|| "—".into())}</td>
            <td class="num">{s.forums}</td>
            <td class="num">{s.villagers}</td>
            <td class="num">{s.concerns_open}</td>
            <td class="num" data-testid="hq-reviewed">{s.reviewed}"/"{s.activities}</td>
            <td class="num" data-testid="hq-imported">{s.imported}</td>
            <td>{s.last_import.map(local_time).unwrap_or_else(|| "—".into())}</td>
            <td class="flags">
                {s.no_forum.then(|| view! { <span class="tag overdue" data-testid="flag-no-forum">{t!(i18n, hq_flag_no_forum)}</span> })}
                {s.not_synced.then(|| view! { <span class="tag overdue" data-testid="flag-not-synced">{t!(i18n, hq_flag_not_synced)}</span> })}
            </td>
        </tr>
    }
}
