//! The header's sync indicator: 已同步 / 同步中 (with a progress bar) / 离线 /
//! N 条仅保存在本机 / 请登录同步 / 同步失败. A link to the 同步 screen. Renders what
//! `model::sync_status::indicator` derives; owns no state.

use crate::i18n::*;
use crate::sync::service::use_sync;
use leptos::prelude::*;
use model::sync_status::{indicator, Indicator};

/// The indicator.
#[component]
pub fn SyncBadge() -> impl IntoView {
    let sync = use_sync();
    let i18n = use_i18n();
    let ind = Memo::new(move |_| indicator(&sync.status()));
    let text = move || {
        let zh = i18n.get_locale() == Locale::zh_CN;
        let only_here = |n: u32| {
            if zh {
                format!("{n} 条仅保存在本机")
            } else {
                format!("{n} only on this phone")
            }
        };
        let with = |label: &str, n: u32| {
            if n == 0 {
                label.to_owned()
            } else {
                format!("{label} · {}", only_here(n))
            }
        };
        match ind.get() {
            Indicator::Synced => t_string!(i18n, sync_synced).to_owned(),
            Indicator::Syncing(Some(p)) => format!("{} {p}%", t_string!(i18n, sync_running)),
            Indicator::Syncing(None) => t_string!(i18n, sync_running).to_owned(),
            Indicator::Offline(n) => with(t_string!(i18n, offline), n),
            Indicator::NeedsLogin(n) => with(t_string!(i18n, sync_login_needed), n),
            Indicator::Failed(n) => with(t_string!(i18n, sync_failed), n),
            Indicator::Pending(n) => only_here(n),
        }
    };
    let class = move || match ind.get() {
        Indicator::Synced => "badge",
        Indicator::Syncing(_) => "badge syncing",
        Indicator::Offline(_) => "badge offline",
        Indicator::Pending(_) => "badge pending",
        Indicator::NeedsLogin(_) | Indicator::Failed(_) => "badge warn",
    };
    let percent = move || match ind.get() {
        Indicator::Syncing(p) => Some(p),
        _ => None,
    };
    // Documents handled so far by the running direction (for tests and the curious).
    let done = move || sync.state.with(|s| s.progress.map(|p| p.done).unwrap_or(0));
    view! {
        <a href="/sync" class=class data-testid="sync-badge">
            {text}
            {move || percent().map(|p| match p {
                Some(p) => view! { <progress max="100" value=p.to_string() data-testid="sync-progress" data-done=done></progress> }.into_any(),
                None => view! { <progress data-testid="sync-progress" data-done=done></progress> }.into_any(),
            })}
        </a>
    }
}
