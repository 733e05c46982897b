//! The bottom navigation bar: seven places, in thumb reach on a 360 px phone.

use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;

/// Bottom tab bar.
#[component]
pub fn BottomNav() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <nav class="bottom-nav" aria-label="main">
            <A href="/" exact=true><span class="icon">"⌂"</span><span>{t!(i18n, nav_home)}</span></A>
            <A href="/forums"><span class="icon">"☾"</span><span>{t!(i18n, nav_forums)}</span></A>
            <A href="/volunteers"><span class="icon">"♥"</span><span>{t!(i18n, nav_volunteers)}</span></A>
            <A href="/surveys"><span class="icon">"☑"</span><span>{t!(i18n, nav_surveys)}</span></A>
            <A href="/sync"><span class="icon">"⇅"</span><span>{t!(i18n, nav_sync)}</span></A>
            <A href="/stats"><span class="icon">"▥"</span><span>{t!(i18n, nav_stats)}</span></A>
            <A href="/settings"><span class="icon">"⚙"</span><span>{t!(i18n, nav_settings)}</span></A>
        </nav>
    }
}
