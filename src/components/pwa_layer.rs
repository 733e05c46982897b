//! The PWA's always-present pieces over every screen: the update toast, the "storage
//! full" alert, and asking for persistent storage once the first record is saved.

use crate::ctx::use_app;
use crate::i18n::*;
use crate::message::UserMessage;
use crate::pwa::use_pwa;
use leptos::prelude::*;

/// Mounted once in the shell.
#[component]
pub fn PwaLayer() -> impl IntoView {
    let ctx = use_app();
    let pwa = use_pwa();
    // The profile is the first record a cadre saves; any document write counts too.
    Effect::new(move |_| {
        let saved = ctx.profile.with(Option::is_some) || ctx.changed.get() > 0;
        if saved {
            pwa.persist_once();
        }
    });
    view! {
        <div class="pwa-layer">
            <StorageAlert/>
            <UpdateToast/>
        </div>
    }
}

/// "有新版本，点击更新": accepting hands over to the new version and reloads once.
#[component]
pub fn UpdateToast() -> impl IntoView {
    let pwa = use_pwa();
    let i18n = use_i18n();
    let applying = RwSignal::new(false);
    let accept = move |_| {
        applying.set(true);
        pwa.apply_update();
    };
    view! {
        <Show when=move || pwa.update_ready.get()>
            <button class="toast update-toast" data-testid="update-toast" role="status"
                on:click=accept disabled=move || applying.get()>
                {move || if applying.get() { t_string!(i18n, pwa_updating) } else { t_string!(i18n, pwa_update_ready) }}
            </button>
        </Show>
    }
}

/// The storage-full alert: what happened and what to do, until dismissed.
#[component]
pub fn StorageAlert() -> impl IntoView {
    let pwa = use_pwa();
    let i18n = use_i18n();
    let message = move || {
        pwa.storage_alert
            .get()
            .map(|e| e.message(i18n.get_locale()))
    };
    view! {
        <Show when=move || pwa.storage_alert.with(Option::is_some)>
            <div class="toast storage-alert" role="alert" data-testid="storage-alert">
                <p>{message}</p>
                <p class="hint">{t!(i18n, pwa_storage_full_hint)}</p>
                <button on:click=move |_| pwa.storage_alert.set(None)>{t!(i18n, pwa_dismiss)}</button>
            </div>
        </Show>
    }
}
