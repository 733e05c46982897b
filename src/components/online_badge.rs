//! The online/offline indicator in the header, driven by the browser's events.

use crate::app::use_app;
use crate::i18n::*;
use leptos::prelude::*;

/// 在线 / 离线 badge.
#[component]
pub fn OnlineBadge() -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    view! {
        <span class="badge" class:offline=move || !ctx.online.get() data-testid="online-badge">
            {move || if ctx.online.get() { t_string!(i18n, online) } else { t_string!(i18n, offline) }}
        </span>
    }
}
