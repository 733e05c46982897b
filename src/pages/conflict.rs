//! One conflicted document: its versions side by side, differing fields highlighted
//! (`model::compare`), and 保留此版本 under each. Keeping one makes the others deleted
//! revisions (`Store::resolve_conflict`), which sync like any edit.

use super::conflicts::title_of;
use crate::ctx::use_app;
use crate::i18n::*;
use crate::message::{error_slot, said, ErrorNote, Said};
use crate::sync::service::use_sync;
use couch::RevId;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use model::compare::compare;

/// The comparison screen.
#[component]
pub fn ConflictPage() -> impl IntoView {
    let ctx = use_app();
    let sync = use_sync();
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let done = RwSignal::new(false);
    let error = RwSignal::new(None::<Said>);
    let doc = LocalResource::new(move || {
        ctx.changed.track();
        let store = ctx.store();
        let id = id();
        async move { store.conflicted_one(&id).await }
    });
    let keep = move |rev: String| {
        let store = ctx.store();
        let id = id();
        spawn_local(async move {
            let result = match rev.parse::<RevId>() {
                Ok(rev) => store.resolve_conflict(&id, &rev).await,
                Err(e) => {
                    leptos::logging::error!("yehua: conflict: bad revision {rev}: {e}");
                    error.set(Some(Said::text(|l| {
                        td_string!(l, err_store_invalid).to_string()
                    })));
                    return;
                }
            };
            match result {
                Ok(()) => {
                    done.set(true);
                    ctx.notify_changed();
                    sync.refresh_counts().await;
                }
                Err(e) => error.set(Some(said(e))),
            }
        });
    };
    view! {
        <h2>{t!(i18n, conflicts_title)}</h2>
        <Show when=move || done.get()>
            <p class="toast" role="status" data-testid="conflict-resolved">{t!(i18n, conflict_resolved)}</p>
        </Show>
        {error_slot(error, "error", None)}
        {move || match doc.get() {
            None => ().into_any(),
            Some(Err(e)) => view! { <ErrorNote error=e/> }.into_any(),
            Some(Ok(None)) => view! { <p data-testid="conflict-gone">{t!(i18n, conflict_gone)}</p> }.into_any(),
            Some(Ok(Some(c))) => {
                let rows = compare(&c.versions);
                let revs: Vec<String> = c.versions.iter()
                    .map(|v| v.get("_rev").and_then(|r| r.as_str()).unwrap_or_default().to_owned())
                    .collect();
                view! {
                    <h3>{title_of(&c.versions[0])}</h3>
                    <div class="compare-wrap">
                    <table class="compare" data-testid="conflict-table">
                        <thead><tr>
                            <th>{t!(i18n, conflict_field)}</th>
                            {revs.iter().enumerate().map(|(i, _)| view! {
                                <th>{t!(i18n, conflict_version)} {format!(" {}", i + 1)}
                                    {(i == 0).then(|| t_string!(i18n, conflict_current))}</th>
                            }).collect_view()}
                        </tr></thead>
                        <tbody>
                            {rows.into_iter().map(|r| view! {
                                <tr class:differs=r.differs>
                                    <th>{move || field_label(i18n, &r.field)}</th>
                                    {r.values.into_iter().map(|v| view! { <td>{v}</td> }).collect_view()}
                                </tr>
                            }).collect_view()}
                        </tbody>
                        <tfoot><tr>
                            <td></td>
                            {revs.into_iter().enumerate().map(|(i, rev)| view! {
                                <td><button class="primary" data-testid=format!("keep-{i}")
                                    on:click=move |_| keep(rev.clone())>{t!(i18n, conflict_keep)}</button></td>
                            }).collect_view()}
                        </tr></tfoot>
                    </table>
                    </div>
                }.into_any()
            }
        }}
        <p><a href="/sync/conflicts">{t!(i18n, conflicts_title)}</a></p>
    }
}

/// A field's name for the cadre, in the current language.
fn field_label(i18n: leptos_i18n::I18nContext<Locale>, field: &str) -> String {
    let label = match field {
        "title" => t_string!(i18n, cf_title),
        "name" => t_string!(i18n, cf_name),
        "kind" => t_string!(i18n, cf_kind),
        "start" => t_string!(i18n, cf_start),
        "end" => t_string!(i18n, cf_end),
        "place" => t_string!(i18n, cf_place),
        "host" => t_string!(i18n, cf_host),
        "villagers_present" => t_string!(i18n, cf_villagers_present),
        "teams" => t_string!(i18n, cf_teams),
        "agenda" => t_string!(i18n, cf_agenda),
        "notes" => t_string!(i18n, cf_notes),
        "text" => t_string!(i18n, cf_text),
        "category" => t_string!(i18n, cf_category),
        "status" => t_string!(i18n, cf_status),
        "villager" => t_string!(i18n, cf_villager),
        "check_in" => t_string!(i18n, cf_check_in),
        "check_out" => t_string!(i18n, cf_check_out),
        "phone" => t_string!(i18n, cf_phone),
        "updated_at" => t_string!(i18n, cf_updated_at),
        "created_at" => t_string!(i18n, cf_created_at),
        "created_by" => t_string!(i18n, cf_created_by),
        _ => return field.to_owned(),
    };
    label.to_owned()
}
