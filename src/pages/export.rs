//! 统计 → 导出: the export file for headquarters (dates, types, 含照片), the CSV tables
//! beside it, and the 导入 section (`components::import_form`). 导出 (or a table's button)
//! first makes the file and says its size — and how many photos were left out for want of
//! their bytes — and only 保存 (or, where the phone can share files, 分享) hands it over;
//! changing the form drops a made file. Reading, building and importing are
//! `records::exchange`; the browser side of files is `pwa::files`.

use crate::components::date_field::DateField;
use crate::components::import_form::ImportForm;
use crate::components::loaded::{failure, rows};
use crate::ctx::use_app;
use crate::i18n::*;
use crate::message::{error_slot, said, Said};
use crate::profile::Level;
use crate::pwa::{files, format_bytes};
use crate::records::exchange::{
    export_file, filter, read_all, stations_present, table_file, ExportError, Prepared, Table,
};
use crate::records::now;
use leptos::prelude::*;
use leptos::task::spawn_local;
use model::date_input::FieldKind;
use model::DocType;

/// What a button makes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Output {
    Json,
    Csv(Table),
}

impl Output {
    fn mime(self) -> &'static str {
        match self {
            Output::Json => files::JSON,
            Output::Csv(_) => files::CSV,
        }
    }
}

/// A file made and not yet handed over (or handed over and kept for another 保存).
#[derive(Clone, PartialEq)]
struct Ready {
    out: Output,
    file: Prepared,
}

/// The export and import screen.
#[component]
pub fn ExportPage() -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    let from = RwSignal::new(String::new());
    let until = RwSignal::new(String::new());
    let types = RwSignal::new(DocType::ALL.to_vec());
    let photos = RwSignal::new(false);
    let progress = RwSignal::new(None::<(u32, u32)>);
    let done = RwSignal::new(None::<Ready>);
    // Files made on this screen (`data-made`, what tests wait on).
    let made_count = RwSignal::new(0u32);
    let error = RwSignal::new(None::<Said>);
    let can_share = files::can_share_files(files::JSON);
    // Headquarters holds several stations' records and exports one station per file.
    let hq = ctx
        .profile
        .with_untracked(|p| p.as_ref().is_some_and(|p| p.level != Level::Village));
    let station = RwSignal::new(None::<String>);
    let stations = LocalResource::new(move || {
        ctx.changed.track();
        let store = ctx.store();
        async move {
            if !hq {
                return Ok(Vec::new());
            }
            stations_present(&store).await
        }
    });
    // A made file stops matching the form the moment the form changes.
    Effect::new(move |_| {
        from.track();
        until.track();
        types.track();
        photos.track();
        station.track();
        done.set(None);
    });
    let run = move |out: Output| {
        let Some(profile) = ctx.profile.get_untracked() else {
            return;
        };
        let store = ctx.store();
        let chosen = filter(
            &from.get_untracked(),
            &until.get_untracked(),
            &types.get_untracked(),
            photos.get_untracked(),
        );
        let code = station
            .get_untracked()
            .unwrap_or_else(|| profile.station_code.clone());
        progress.set(Some((0, 0)));
        error.set(None);
        done.set(None);
        spawn_local(async move {
            let report = move |read: u32, total: u32| {
                _ = progress.try_set(Some((read, total)));
            };
            let made = async {
                let records = read_all(&store, &report).await?;
                let (station, at) = (code.as_str(), now());
                match out {
                    Output::Json => export_file(&store, &records, station, &chosen, &at).await,
                    Output::Csv(t) => table_file(&records, station, &chosen, t, &at),
                }
            }
            .await;
            _ = progress.try_set(None);
            match made {
                Ok(file) => {
                    _ = done.try_set(Some(Ready { out, file }));
                    _ = made_count.try_update(|n| *n += 1);
                }
                Err(e) => {
                    leptos::logging::error!("yehua: export: {e}");
                    _ = error.try_set(Some(said::<ExportError>(e)));
                }
            }
        });
    };
    let save = move |_| {
        done.with_untracked(|r| {
            let Some(r) = r else {
                return;
            };
            if let Err(e) = files::download(&r.file.name, &r.file.bytes, r.out.mime()) {
                leptos::logging::error!("yehua: download: {e}");
                error.set(Some(said(e)));
            }
        });
    };
    let share = move |_| {
        let Some(r) = done.get_untracked() else {
            return;
        };
        spawn_local(async move {
            // A cancelled share sheet is not an error worth showing.
            if let Err(e) = files::share(&r.file.name, &r.file.bytes, r.out.mime()).await {
                leptos::logging::warn!("yehua: share: {e}");
            }
        });
    };
    let type_label = move |t: DocType| match t {
        DocType::Station => t_string!(i18n, x_type_station),
        DocType::Team => t_string!(i18n, x_type_team),
        DocType::Volunteer => t_string!(i18n, x_type_volunteer),
        DocType::Activity => t_string!(i18n, x_type_activity),
        DocType::Concern => t_string!(i18n, x_type_concern),
        DocType::Attendance => t_string!(i18n, x_type_attendance),
        DocType::Survey => t_string!(i18n, x_type_survey),
        DocType::Response => t_string!(i18n, x_type_response),
        DocType::PointsRules => t_string!(i18n, x_type_points_rules),
        DocType::PointsAdjustment => t_string!(i18n, x_type_points_adjustment),
        DocType::ShopItem => t_string!(i18n, x_type_shop_item),
        DocType::Redemption => t_string!(i18n, x_type_redemption),
        DocType::Photo => t_string!(i18n, x_type_photo),
        DocType::Review => t_string!(i18n, x_type_review),
    };
    let csv_label = move |t: Table| match t {
        Table::Activities => t_string!(i18n, x_csv_activities),
        Table::Attendance => t_string!(i18n, x_csv_attendance),
        Table::Concerns => t_string!(i18n, x_csv_concerns),
    };
    let busy = move || progress.with(Option::is_some);
    if use_app().training {
        return view! {
            <h2>{t!(i18n, x_export_title)}</h2>
            <p class="notice" role="status" data-testid="training-no-export">{t!(i18n, training_no_export)}</p>
        }
        .into_any();
    }
    view! {
        <h2>{t!(i18n, x_export_title)}</h2>
        <p class="hint">{t!(i18n, x_export_explain)}</p>
        <section class="form" data-testid="export-form" data-made=move || made_count.get()>
            {failure(stations)}
            {move || {
                let list = rows(stations);
                (!list.is_empty()).then(|| view! {
                    <label>{t!(i18n, x_station)}
                        <select data-testid="export-station" on:change=move |ev| station.set(Some(event_target_value(&ev)).filter(|v| !v.is_empty()))>
                            <option value="" selected=move || station.with(Option::is_none)>{t!(i18n, x_station_pick)}</option>
                            {list.into_iter().map(|code| {
                                let (c, value) = (code.clone(), code.clone());
                                view! { <option value=value selected=move || station.get().as_deref() == Some(c.as_str())>{code}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                })
            }}
            <label>{t!(i18n, x_from)}
                <DateField kind=FieldKind::Date testid="export-from" strict=true value=from on_input=Callback::new(move |v| from.set(v))/>
            </label>
            <label>{t!(i18n, x_until)}
                <DateField kind=FieldKind::Date testid="export-until" strict=true value=until on_input=Callback::new(move |v| until.set(v))/>
            </label>
            <fieldset class="types">
                <legend>{t!(i18n, x_types)}</legend>
                {DocType::ALL.into_iter().filter(|t| *t != DocType::Photo).map(|t| view! {
                    <label class="check">
                        <input type="checkbox" data-testid=format!("export-type-{}", t.as_str())
                            prop:checked=move || types.with(|ts| ts.contains(&t))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                types.update(|ts| {
                                    ts.retain(|x| *x != t);
                                    if on { ts.push(t) }
                                });
                            }/>
                        {move || type_label(t)}
                    </label>
                }).collect_view()}
            </fieldset>
            <p class="hint">{t!(i18n, x_types_hint)}</p>
            <label class="check">
                <input type="checkbox" data-testid="export-photos" prop:checked=photos
                    on:change=move |ev| photos.set(event_target_checked(&ev))/>
                {t!(i18n, x_with_photos)}
            </label>
            <p class="hint">{t!(i18n, x_with_photos_hint)}</p>
            <div class="actions">
                <button class="primary big" data-testid="export-json" disabled=busy on:click=move |_| run(Output::Json)>
                    {t!(i18n, x_export_button)}
                </button>
            </div>
            {move || done.with(|r| r.as_ref().map(|r| {
                let p = &r.file;
                let (size, left) = (format_bytes(p.bytes.len() as f64), p.photos_left_out);
                let shareable = can_share && r.out == Output::Json;
                view! {
                    <div class="export-ready" role="status" data-testid="export-done" data-name=p.name.clone()
                        data-count=p.count data-bytes=p.bytes.len() data-left-out=left>
                        <p class="ok">{t!(i18n, x_export_done)}" "<strong>{p.name.clone()}</strong>" ("{p.count}")"</p>
                        <p data-testid="export-size">{t!(i18n, x_file_size, size = size)}</p>
                        {(left > 0).then(|| view! {
                            <p class="notice" data-testid="export-left-out">{t!(i18n, x_photos_left_out, n = left)}</p>
                        })}
                        <div class="actions">
                            <button class="primary big" data-testid="export-save" on:click=save>{t!(i18n, save)}</button>
                            {shareable.then(|| view! {
                                <button class="big" data-testid="export-share" on:click=share>{t!(i18n, x_share_button)}</button>
                            })}
                        </div>
                    </div>
                }
            }))}
            <div class="actions csv">
                {Table::ALL.into_iter().map(|t| view! {
                    <button data-testid=format!("csv-{}", t.as_str()) disabled=busy on:click=move |_| run(Output::Csv(t))>
                        {move || csv_label(t)}
                    </button>
                }).collect_view()}
            </div>
            {move || progress.get().map(|(read, total)| view! {
                <p>{t!(i18n, x_reading)}" "{format!("{read} / {total}")}</p>
                <progress data-testid="export-progress" max=total.max(1) value=read></progress>
            })}
            {error_slot(error, "error", Some("export-error"))}
        </section>
        <ImportForm/>
    }
    .into_any()
}
