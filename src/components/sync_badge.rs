//! The header's sync indicator: 已同步 / 同步中 (with a progress bar) / 离线 /
//! N 条仅保存在本机 / 请登录同步 / 同步失败. A link to the 同步 screen. On a narrow screen
//! (CSS) only an icon and the number show, so the station name keeps its room; the whole
//! sentence stays the link's accessible name. Renders what `model::sync_status::indicator`
//! derives; owns no state.

use crate::i18n::*;
use crate::sync::service::use_sync;
use leptos::prelude::*;
use model::sync_status::{indicator, Indicator};

/// The short form's icons (24×24 strokes): a tick, two turning arrows, a cloud struck
/// through, a person, a warning, an arrow going up.
const ICON_SYNCED: &str = "M5 12.5l4.5 4.5L19 7.5";
const ICON_SYNCING: &str =
    "M20 12a8 8 0 0 1-14.3 4.9M4 12a8 8 0 0 1 14.3-4.9M18.5 3v4.5H14M5.5 21v-4.5H10";
const ICON_OFFLINE: &str =
    "M7 18h10a4 4 0 0 0 .5-8A6 6 0 0 0 6.2 9.1 4.5 4.5 0 0 0 7 18zM3 3l18 18";
const ICON_LOGIN: &str = "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21a8 8 0 0 1 16 0";
const ICON_FAILED: &str = "M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM12 7.5v6M12 16.5v.5";
const ICON_PENDING: &str = "M12 17V5M7 10l5-5 5 5M5 20h14";

/// A number of records in the short form; nothing for none.
fn count(n: u32) -> String {
    if n == 0 {
        String::new()
    } else {
        n.to_string()
    }
}

/// The indicator.
#[component]
pub fn SyncBadge() -> impl IntoView {
    let sync = use_sync();
    let i18n = use_i18n();
    let ind = Memo::new(move |_| indicator(&sync.status()));
    let text = move || {
        let only_here = |n: u32| format!("{n} {}", t_string!(i18n, sync_only_here));
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
    // The short form: the state's icon and its number (records only here, or percent).
    let short = move || match ind.get() {
        Indicator::Synced => (ICON_SYNCED, String::new()),
        Indicator::Syncing(p) => (ICON_SYNCING, p.map(|p| format!("{p}%")).unwrap_or_default()),
        Indicator::Offline(n) => (ICON_OFFLINE, count(n)),
        Indicator::NeedsLogin(n) => (ICON_LOGIN, count(n)),
        Indicator::Failed(n) => (ICON_FAILED, count(n)),
        Indicator::Pending(n) => (ICON_PENDING, count(n)),
    };
    // Documents handled so far by the running direction (for tests and the curious).
    let done = move || sync.state.with(|s| s.progress.map(|p| p.done).unwrap_or(0));
    view! {
        <a href="/sync" class=class data-testid="sync-badge" aria-label=text title=text>
            <span class="long">{text}</span>
            <span class="short" aria-hidden="true" data-testid="sync-badge-short">
                <svg viewBox="0 0 24 24" width="16" height="16" fill="none" stroke="currentColor"
                    stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round">
                    <path d=move || short().0/>
                </svg>
                {move || short().1}
            </span>
            {move || percent().map(|p| match p {
                Some(p) => view! { <progress max="100" value=p.to_string() data-testid="sync-progress" data-done=done></progress> }.into_any(),
                None => view! { <progress data-testid="sync-progress" data-done=done></progress> }.into_any(),
            })}
        </a>
    }
}
