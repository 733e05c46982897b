//! One conflicted document: its versions side by side, differing fields highlighted
//! (`model::compare`), and 保留此版本 under each. Keeping one makes the others deleted
//! revisions (`Store::resolve_conflict`), which sync like any edit.

use super::conflicts::title_of;
use crate::ctx::use_app;
use crate::i18n::*;
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
    let error = RwSignal::new(None::<String>);
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
            let zh = i18n.get_locale_untracked() == Locale::zh_CN;
            let result = match rev.parse::<RevId>() {
                Ok(rev) => store.resolve_conflict(&id, &rev).await,
                Err(e) => {
                    error.set(Some(e.to_string()));
                    return;
                }
            };
            match result {
                Ok(()) => {
                    done.set(true);
                    ctx.notify_changed();
                    sync.refresh_counts().await;
                }
                Err(e) => error.set(Some(e.user_message(zh).to_owned())),
            }
        });
    };
    view! {
        <h2>{t!(i18n, conflicts_title)}</h2>
        <Show when=move || done.get()>
            <p class="toast" role="status" data-testid="conflict-resolved">{t!(i18n, conflict_resolved)}</p>
        </Show>
        {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        {move || match doc.get() {
            None => ().into_any(),
            Some(Err(e)) => {
                let zh = i18n.get_locale() == Locale::zh_CN;
                view! { <p class="error" role="alert">{e.user_message(zh)}</p> }.into_any()
            }
            Some(Ok(None)) => view! { <p data-testid="conflict-gone">{t!(i18n, conflict_gone)}</p> }.into_any(),
            Some(Ok(Some(c))) => {
                let zh = i18n.get_locale_untracked() == Locale::zh_CN;
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
                                    <th>{field_label(&r.field, zh)}</th>
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

/// A field's name for the cadre.
fn field_label(field: &str, zh: bool) -> String {
    let (z, e) = match field {
        "title" => ("标题", "Title"),
        "name" => ("姓名/名称", "Name"),
        "kind" => ("类型", "Kind"),
        "start" => ("开始", "Start"),
        "end" => ("结束", "End"),
        "place" => ("地点", "Place"),
        "host" => ("主持", "Host"),
        "villagers_present" => ("到场群众", "Villagers"),
        "teams" => ("服务队", "Teams"),
        "agenda" => ("议程", "Agenda"),
        "notes" => ("记录", "Notes"),
        "text" => ("内容", "Text"),
        "category" => ("类别", "Category"),
        "status" => ("状态", "Status"),
        "villager" => ("群众", "Villager"),
        "check_in" => ("签到", "Check-in"),
        "check_out" => ("签退", "Check-out"),
        "phone" => ("电话", "Phone"),
        "updated_at" => ("修改时间", "Updated"),
        "created_at" => ("创建时间", "Created"),
        "created_by" => ("创建人", "Created by"),
        _ => return field.to_owned(),
    };
    (if zh { z } else { e }).to_owned()
}
