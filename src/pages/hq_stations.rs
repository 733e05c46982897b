//! 站点管理 (`/hq/stations`): the station tree the signed-in hq or admin account may
//! change (county → township → village), each station under its parent. On each row:
//! 添加下级 (a station one level down: code and name), 改名 and 移动 (to a station of a
//! higher level outside its own subtree). Each change goes to the hub through
//! `sync::console::tree`, which decides what is allowed; a refusal is shown with its
//! reason and nothing changes. The outline and the choices are `model::rollup::tree`'s.
//! Never touches the phone's store and never fetches itself.

use super::hq_status::HqTabs;
use crate::components::loaded::loaded;
use crate::i18n::*;
use crate::message::error_slot;
use crate::sync::console::{tree, ConsoleError};
use crate::sync::service::use_sync;
use leptos::prelude::*;
use leptos::task::spawn_local;
use model::rollup::tree::{child_level, move_targets, outline};
use model::rollup::StationInfo;

/// What the form under the tree is doing.
#[derive(Clone, PartialEq)]
enum Editing {
    Add(StationInfo),
    Rename(StationInfo),
    Move(StationInfo),
}

fn level_label(i18n: leptos_i18n::I18nContext<Locale>, level: &str) -> String {
    match level {
        "village" => t_string!(i18n, hq_level_village),
        "township" => t_string!(i18n, hq_level_township),
        "county" => t_string!(i18n, hq_level_county),
        _ => t_string!(i18n, hq_level_city),
    }
    .to_string()
}

/// The stations screen.
#[component]
pub fn HqStationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let data = LocalResource::new(move || {
        let server = sync.settings.get().map(|s| s.server);
        async move {
            match server {
                Some(s) => tree::stations(&s).await,
                None => Err(ConsoleError::NotSignedIn),
            }
        }
    });
    let editing = RwSignal::new(None::<Editing>);
    let error = RwSignal::new(None::<ConsoleError>);
    let saved = RwSignal::new(false);
    let (code, name, target) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let open = move |what: Editing| {
        error.set(None);
        saved.set(false);
        code.set(String::new());
        name.set(match &what {
            Editing::Rename(s) => s.name.clone(),
            _ => String::new(),
        });
        target.set(String::new());
        editing.set(Some(what));
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(server), Some(what)) = (
            sync.settings.get_untracked().map(|s| s.server),
            editing.get_untracked(),
        ) else {
            return;
        };
        let (code, name, target) = (
            code.get_untracked(),
            name.get_untracked(),
            target.get_untracked(),
        );
        // Nothing chosen to move under: nothing to send, nothing said.
        if matches!(what, Editing::Move(_)) && target.is_empty() {
            return;
        }
        spawn_local(async move {
            let done = match what {
                Editing::Add(parent) => {
                    let station = StationInfo {
                        code,
                        name,
                        level: child_level(&parent.level).unwrap_or("village").to_owned(),
                        parent: Some(parent.code),
                    };
                    tree::add(&server, &station).await
                }
                Editing::Rename(s) => {
                    tree::change(&server, &s.code, &name, s.parent.as_deref()).await
                }
                Editing::Move(s) => tree::change(&server, &s.code, &s.name, Some(&target)).await,
            };
            match done {
                Ok(()) => {
                    _ = editing.try_set(None);
                    _ = saved.try_set(true);
                    data.refetch();
                }
                Err(e) => _ = error.try_set(Some(e)),
            }
        });
    };
    let form = move |all: Vec<StationInfo>| {
        move || {
            let what = editing.get()?;
            let (title, station) = match &what {
                Editing::Add(s) => (t_string!(i18n, hq_tree_add_under).to_owned(), s.clone()),
                Editing::Rename(s) => (t_string!(i18n, hq_tree_rename).to_owned(), s.clone()),
                Editing::Move(s) => (t_string!(i18n, hq_tree_move).to_owned(), s.clone()),
            };
            let fields = match &what {
                Editing::Add(parent) => {
                    let level = child_level(&parent.level).unwrap_or("village");
                    view! {
                        <p class="hint">{t!(i18n, hq_tree_new_level)}" "{level_label(i18n, level)}</p>
                        <label>{t!(i18n, hq_tree_code)}
                            <input name="code" inputmode="numeric" autocomplete="off" bind:value=code data-testid="hq-tree-code"/>
                        </label>
                        <p class="hint">{t!(i18n, hq_tree_code_hint)}</p>
                        <label>{t!(i18n, hq_tree_name)}
                            <input name="name" autocomplete="off" bind:value=name data-testid="hq-tree-name"/>
                        </label>
                    }
                    .into_any()
                }
                Editing::Rename(_) => view! {
                    <label>{t!(i18n, hq_tree_name)}
                        <input name="name" autocomplete="off" bind:value=name data-testid="hq-tree-name"/>
                    </label>
                }
                .into_any(),
                Editing::Move(s) => {
                    let options = move_targets(&all, &s.code)
                        .into_iter()
                        .map(|t| {
                            let label = format!("{} {}", t.name, t.code);
                            view! { <option value=t.code>{label}</option> }
                        })
                        .collect_view();
                    view! {
                        <label>{t!(i18n, hq_tree_new_parent)}
                            <select name="parent" data-testid="hq-tree-parent" on:change=move |ev| target.set(event_target_value(&ev))>
                                <option value="">"—"</option>
                                {options}
                            </select>
                        </label>
                    }
                    .into_any()
                }
            };
            Some(view! {
                <form class="form" data-testid="hq-tree-form" on:submit=submit novalidate>
                    <h3>{title}" · "{station.name.clone()}" "<span class="code">{station.code.clone()}</span></h3>
                    {fields}
                    <div class="actions">
                        <button type="button" on:click=move |_| editing.set(None)>{t!(i18n, cancel)}</button>
                        <button class="primary" type="submit" data-testid="hq-tree-save">{t!(i18n, save)}</button>
                    </div>
                </form>
            })
        }
    };
    let list = move |all: Vec<StationInfo>| {
        let rows = outline(&all)
            .into_iter()
            .map(|(depth, s)| station_row(depth, s, open))
            .collect_view();
        view! {
            <ul class="hq-tree" data-testid="hq-tree">{rows}</ul>
            {form(all)}
        }
        .into_any()
    };
    view! {
        <HqTabs/>
        <h2>{t!(i18n, hq_stations_title)}</h2>
        <p class="hint">{t!(i18n, hq_tree_explain)}</p>
        {error_slot(error, "error", Some("hq-tree-error"))}
        <Show when=move || saved.get()>
            <p class="ok" role="status" data-testid="hq-tree-saved">{t!(i18n, hq_saved)}</p>
        </Show>
        {loaded(data, list)}
    }
}

fn station_row(
    depth: usize,
    s: StationInfo,
    open: impl Fn(Editing) + Copy + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let can_add = child_level(&s.level).is_some();
    let level = s.level.clone();
    let (add, rename, moved) = (s.clone(), s.clone(), s.clone());
    view! {
        <li data-testid="hq-tree-row" data-code=s.code.clone() data-parent=s.parent.clone().unwrap_or_default()
            data-depth=depth>
            <div class="title-row">
                <span class="row-title">{s.name.clone()}</span>
                <span class="code">{s.code.clone()}</span>
                <span class="tag">{move || level_label(i18n, &level)}</span>
            </div>
            <div class="actions">
                {can_add.then(|| view! {
                    <button class="small" data-testid="hq-tree-add" on:click=move |_| open(Editing::Add(add.clone()))>{t!(i18n, hq_tree_add)}</button>
                })}
                <button class="small" data-testid="hq-tree-rename" on:click=move |_| open(Editing::Rename(rename.clone()))>{t!(i18n, hq_tree_rename)}</button>
                <button class="small" data-testid="hq-tree-move" on:click=move |_| open(Editing::Move(moved.clone()))>{t!(i18n, hq_tree_move)}</button>
            </div>
        </li>
    }
}
