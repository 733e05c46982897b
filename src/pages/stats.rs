//! 统计 tab, the dashboard: figures per month from `model::rollup` (through
//! `records::dashboard`) for the phone's station, or at headquarters for every station in
//! the store and each group above them; figure cards for a chosen group and month, a bar
//! chart of 场次 and a trend line of 受众人次 over the last twelve months, the table with
//! its CSV, and the way to 导出 / 导入. For a chosen month of a station: 打印台账, 打印公示
//! and the hours CSV 志愿服务时长（报送）; and 扫码核验 of printed paper.

use crate::components::chart::{bar::BarChart, trend::TrendChart, Point};
use crate::components::dash_table::DashTable;
use crate::ctx::use_app;
use crate::i18n::*;
use crate::message::{error_slot, said, ErrorNote, Said};
use crate::pwa::files;
use crate::records::dashboard::{self, Group};
use crate::records::exchange::{csv_name, ExportError};
use crate::records::{now, paper};
use leptos::prelude::*;
use model::rollup::{Demo, Figures};

/// Months on the charts.
const CHART_MONTHS: usize = 12;

fn pct(p: Option<u64>) -> String {
    p.map(|p| format!("{p}%")).unwrap_or_else(|| "—".into())
}

/// One figure card with its value in `data-value` for tests.
fn card(label: String, value: String, testid: &'static str) -> impl IntoView {
    let shown = value.clone();
    view! {
        <div class="stat" data-testid=testid data-value=value>
            <span class="value">{shown}</span>
            <span class="label">{label}</span>
        </div>
    }
}

/// The dashboard screen.
#[component]
pub fn StatsPage() -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    let progress = RwSignal::new((0u32, 0u32));
    let data = LocalResource::new(move || {
        ctx.changed.track();
        let (store, profile) = (ctx.store(), ctx.profile.get());
        async move {
            let Some(profile) = profile else {
                return Ok(Vec::new());
            };
            let report = move |read: u32, total: u32| {
                _ = progress.try_set((read, total));
            };
            let demo = if ctx.training {
                Demo::Count
            } else {
                Demo::LeaveOut
            };
            dashboard::load(&store, &profile, demo, &report).await
        }
    });
    let own = move || {
        ctx.profile
            .with(|p| p.as_ref().map(|p| p.station_code.clone()))
            .unwrap_or_default()
    };
    let rows = Signal::derive(move || data.get().and_then(Result::ok).unwrap_or_default());
    let groups = Signal::derive(move || rows.with(|r| dashboard::groups(r)));
    let chosen_group = RwSignal::new(None::<String>);
    let group = Signal::derive(move || {
        chosen_group
            .get()
            .filter(|c| groups.with(|g| g.iter().any(|x| &x.code == c)))
            .or_else(|| groups.with(|g| dashboard::default_group(g, &own())))
            .unwrap_or_default()
    });
    let month = RwSignal::new(None::<String>);
    let months = Signal::derive(move || rows.with(|r| dashboard::months(r, &group.get())));
    let figs = Signal::derive(move || {
        rows.with(|r| dashboard::figures(r, &group.get(), month.get().as_deref()))
    });
    let series =
        Signal::derive(move || rows.with(|r| dashboard::series(r, &group.get(), CHART_MONTHS)));
    let points = move |f: fn(&Figures) -> u64| {
        Signal::derive(move || {
            series.with(|s| {
                s.iter()
                    .map(|(m, fig)| Point {
                        month: m.clone(),
                        value: f(fig) as f64,
                        text: f(fig).to_string(),
                    })
                    .collect::<Vec<_>>()
            })
        })
    };
    let hq = Signal::derive(move || groups.with(|g| g.len() > 1));
    let table = Signal::derive(move || {
        let chosen = month.get();
        rows.with(|r| dashboard::table_rows(r, chosen.as_deref()))
    });
    let csv_error = RwSignal::new(None::<Said>);
    let download_csv = move |_| {
        let csv = model::rollup::to_csv(&table.get_untracked());
        csv_error.set(save_csv(csv_name(&own(), "dashboard", &now()), &csv).err());
    };
    // The month's paper is per station: a village station, or a code not in the tree.
    let station_group = Signal::derive(move || {
        let code = group.get();
        groups.with(|g| {
            g.iter()
                .find(|x| x.code == code && matches!(x.level.as_str(), "village" | ""))
                .map(|x| (x.code.clone(), x.name.clone()))
        })
    });
    let hours_csv = move |_| {
        let (Some((code, name)), Some(m)) = (station_group.get_untracked(), month.get_untracked())
        else {
            return;
        };
        let store = ctx.store();
        leptos::task::spawn_local(async move {
            let from = format!("{m}-01");
            let to = format!("{m}-31");
            let result = match paper::hours_csv(&store, &code, &from, &to, &name).await {
                Ok(csv) => save_csv(csv_name(&code, &format!("hours-{m}"), &now()), &csv),
                Err(e) => Err(said(e)),
            };
            _ = csv_error.try_set(result.err());
        });
    };
    let group_label = move |g: &Group| {
        let level = match g.level.as_str() {
            "village" => t_string!(i18n, level_village),
            "township" => t_string!(i18n, level_township),
            "county" => t_string!(i18n, level_county),
            "city" => t_string!(i18n, level_city),
            _ => "",
        };
        format!("{} · {level}", g.name)
    };
    let fig = move |label: &'static str, value: fn(&Figures) -> String, testid: &'static str| {
        move || card(label.to_owned(), figs.with(value), testid)
    };
    view! {
        <h2>{t!(i18n, stats_title)}</h2>
        <p class="actions">
            <a href="/stats/export" class="button" data-testid="to-export">{t!(i18n, x_export_link)}</a>
            <a href="/stats/verify" class="button" data-testid="to-verify">{t!(i18n, p_scan)}</a>
        </p>
        {move || match data.get() {
            None => {
                let (read, total) = progress.get();
                view! {
                    <p>{t!(i18n, x_reading)}</p>
                    <progress data-testid="dash-progress" max=total.max(1) value=read></progress>
                }.into_any()
            }
            Some(Err(e)) => view! { <ErrorNote error=e/> }.into_any(),
            Some(Ok(r)) if r.is_empty() => view! { <p data-testid="dash-empty">{t!(i18n, x_dash_empty)}</p> }.into_any(),
            Some(Ok(_)) => ().into_any(),
        }}
        <Show when=move || !rows.with(Vec::is_empty)>
            <div class="form dash-filters">
                <Show when=move || hq.get()>
                    <label>{t!(i18n, x_group)}
                        <select data-testid="dash-group" on:change=move |ev| chosen_group.set(Some(event_target_value(&ev)))>
                            {move || groups.get().into_iter().map(|g| {
                                let code = g.code.clone();
                                let selected = move || group.get() == code;
                                view! { <option value=g.code.clone() selected=selected>{group_label(&g)}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                </Show>
                <label>{t!(i18n, x_month)}
                    <select data-testid="dash-month" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        month.set(Some(v).filter(|v| !v.is_empty()));
                    }>
                        <option value="" selected=move || month.get().is_none()>{t!(i18n, x_all_months)}</option>
                        {move || months.get().into_iter().map(|m| {
                            let value = m.clone();
                            let selected = move || month.get().as_deref() == Some(value.as_str());
                            view! { <option value=m.clone() selected=selected>{m.clone()}</option> }
                        }).collect_view()}
                    </select>
                </label>
            </div>
            <div class="stats" data-testid="dash-figures">
                {fig(t_string!(i18n, stats_forums), |f| f.forums.to_string(), "fig-forums")}
                {fig(t_string!(i18n, stats_villagers), |f| f.villagers.to_string(), "fig-villagers")}
                {fig(t_string!(i18n, stats_volunteers), |f| f.turnout.to_string(), "fig-turnout")}
                {fig(t_string!(i18n, stats_hours), |f| format!("{:.1}", f.service_hours()), "fig-hours")}
                {fig(t_string!(i18n, stats_concerns), |f| f.raised.to_string(), "fig-raised")}
                {fig(t_string!(i18n, stats_resolved), |f| f.resolved.to_string(), "fig-resolved")}
                {fig(t_string!(i18n, x_col_resolution), |f| pct(f.resolution_percent()), "fig-resolution")}
                {fig(t_string!(i18n, x_col_rating), |f| pct(f.rating_percent()), "fig-rating")}
                {fig(t_string!(i18n, x_col_survey), |f| pct(f.survey_percent()), "fig-survey")}
            </div>
            {move || {
                let n = figs.with(|f| f.demo);
                (n > 0).then(|| view! { <p class="hint" data-testid="fig-demo" data-value=n>{t!(i18n, x_demo_left_out, n = n)}</p> })
            }}
            <section class="month-paper" data-testid="month-paper">
                <h3>{t!(i18n, p_month_paper)}</h3>
                {move || match (station_group.get(), month.get()) {
                    (Some((code, _)), Some(m)) => view! {
                        <div class="actions">
                            <a class="button" data-testid="print-ledger" href=format!("/stats/ledger/{code}/{m}")>{t!(i18n, p_print_ledger)}</a>
                            <a class="button" data-testid="print-notice" href=format!("/stats/notice/{code}/{m}")>{t!(i18n, p_print_notice)}</a>
                            <button data-testid="hours-csv" on:click=hours_csv>{t!(i18n, p_hours_csv)}</button>
                        </div>
                    }.into_any(),
                    _ => view! { <p class="hint">{t!(i18n, p_pick_month)}</p> }.into_any(),
                }}
            </section>
            <figure class="chart-box">
                <figcaption>{t!(i18n, x_chart_forums)}</figcaption>
                <BarChart points=points(|f| f.forums) label=Signal::derive(move || t_string!(i18n, x_col_forums).to_owned()) testid="chart-forums"/>
            </figure>
            <figure class="chart-box">
                <figcaption>{t!(i18n, x_chart_villagers)}</figcaption>
                <TrendChart points=points(|f| f.villagers) label=Signal::derive(move || t_string!(i18n, x_col_villagers).to_owned()) testid="chart-villagers"/>
            </figure>
            <h3>{t!(i18n, x_table_title)}</h3>
            <DashTable rows=table show_group=hq/>
            {(!ctx.training).then(|| view! {
                <button data-testid="dash-csv" on:click=download_csv>{t!(i18n, x_table_csv)}</button>
            })}
            {error_slot(csv_error, "error", None)}
        </Show>
    }
}

/// Downloads `csv` under `name`, or what to tell the cadre about why not.
fn save_csv(name: Result<String, ExportError>, csv: &str) -> Result<(), Said> {
    let name = name.map_err(said)?;
    files::download(&name, csv.as_bytes(), files::CSV).map_err(|e| {
        leptos::logging::error!("yehua: download: {e}");
        said(e)
    })
}
