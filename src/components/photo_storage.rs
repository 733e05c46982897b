//! 设置 → 存储's photo part: what records and photos use on this phone, 释放照片空间
//! (the full copies the hub already has; thumbnails stay) and 仅在 Wi-Fi 下上传照片, with a
//! note where the browser cannot tell Wi-Fi from a mobile link.
//!
//! Reads and writes through `records::photos` and `sync::photos` only.

use crate::ctx::use_app;
use crate::i18n::*;
use crate::message::{error_slot, said, Said};
use crate::pwa::{self, format_bytes};
use crate::records::photos;
use crate::sync::photos as sync_photos;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Records and photos, the free-space button and the Wi-Fi setting.
#[component]
pub fn PhotoStorage() -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    let error = RwSignal::new(None::<Said>);
    let freed = RwSignal::new(None::<u64>);
    let usage = LocalResource::new(move || {
        ctx.changed.track();
        freed.track();
        let (store, profile) = (ctx.store(), ctx.profile.get());
        async move {
            let profile = profile?;
            let photos = photos::usage(&store, &profile).await;
            let total = pwa::estimate().await.ok().map(|i| i.usage);
            Some((photos, total))
        }
    });
    let wifi = LocalResource::new(move || {
        let store = ctx.store();
        async move { sync_photos::wifi_only(&store).await.unwrap_or(false) }
    });
    let free = move |_| {
        let Some(profile) = ctx.profile.get_untracked() else {
            return;
        };
        let store = ctx.store();
        spawn_local(async move {
            match photos::free_space(&store, &profile).await {
                Ok(n) => _ = freed.try_set(Some(n)),
                Err(e) => _ = error.try_set(Some(said(e))),
            }
        });
    };
    let toggle = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        let store = ctx.store();
        spawn_local(async move {
            if let Err(e) = sync_photos::set_wifi_only(&store, on).await {
                _ = error.try_set(Some(said(e)));
            }
        });
    };
    let line = move || {
        let Some(Some((Ok(u), total))) = usage.get() else {
            return None;
        };
        let records = total.map(|t| format_bytes((t - u.bytes as f64).max(0.0)));
        Some(view! {
            <p data-testid="storage-records">{t!(i18n, storage_records)}" "{records.unwrap_or_else(|| "—".into())}</p>
            <p data-testid="storage-photos">{t!(i18n, storage_photos)}" "{format_bytes(u.bytes as f64)}" · "
                {t!(i18n, storage_photo_count, n = u.photos, full = u.full_here)}</p>
        })
    };
    let load_error = move || match usage.get() {
        Some(Some((Err(e), _))) => {
            Some(view! { <crate::message::ErrorNote error=e testid="storage-error"/> })
        }
        _ => None,
    };
    view! {
        <div class="photo-storage" data-testid="photo-storage">
            {line}
            {load_error}
            <p class="hint">{t!(i18n, storage_free_hint)}</p>
            <button data-testid="free-photos" on:click=free>{t!(i18n, storage_free)}</button>
            {move || freed.get().map(|n| view! {
                <p role="status" data-testid="freed">{if n == 0 {
                    t!(i18n, storage_nothing_to_free).into_any()
                } else {
                    let size = format_bytes(n as f64);
                    t!(i18n, storage_freed, size = size).into_any()
                }}</p>
            })}
            <label class="check">
                <input type="checkbox" data-testid="wifi-only" on:change=toggle
                    prop:checked=move || wifi.get().unwrap_or(false)/>
                {t!(i18n, photos_wifi_only)}
            </label>
            <Show when=move || !sync_photos::link_known()>
                <p class="hint" data-testid="wifi-unknown">{t!(i18n, photos_wifi_unknown)}</p>
            </Show>
            {error_slot(error, "field-error", None)}
        </div>
    }
}
