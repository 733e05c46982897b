//! 设置: language, the station profile, installing the app and the phone's storage (with
//! what photos use, 释放照片空间 and 仅在 Wi-Fi 下上传照片: `components::photo_storage`).

use super::profile::ProfileForm;
use crate::components::photo_storage::PhotoStorage;
use crate::ctx::{use_app, LOCALE_KEY};
use crate::i18n::*;
use crate::pwa::{self, format_bytes, use_pwa, InstallState};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The settings screen.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let ctx = use_app();
    let pwa = use_pwa();
    let i18n = use_i18n();
    let editing = RwSignal::new(false);
    let choose = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        let Some(locale) = Locale::get_all()
            .iter()
            .copied()
            .find(|l| l.as_str() == value)
        else {
            return;
        };
        i18n.set_locale(locale);
        let store = ctx.store();
        spawn_local(async move {
            if let Err(e) = store.put_local(LOCALE_KEY, &value).await {
                leptos::logging::error!("yehua: save locale: {e}");
                pwa.report_store_error(&e);
            }
        });
    };
    view! {
        <h2>{t!(i18n, settings_title)}</h2>
        <section>
            <label>{t!(i18n, language)}
                <select data-testid="locale" on:change=choose>
                    <option value="zh-CN" selected=move || i18n.get_locale() == Locale::zh_CN>{t!(i18n, lang_zh)}</option>
                    <option value="en" selected=move || i18n.get_locale() == Locale::en>{t!(i18n, lang_en)}</option>
                </select>
            </label>
        </section>
        <section>
            <h3>{t!(i18n, profile_section)}</h3>
            <Show
                when=move || editing.get()
                fallback=move || view! {
                    <p data-testid="profile-summary">{move || ctx.profile.get().map(|p| format!("{} · {} · {}", p.station_name, p.station_code, p.cadre_name))}</p>
                    <button on:click=move |_| editing.set(true)>{t!(i18n, edit_profile)}</button>
                }
            >
                <ProfileForm on_saved=Callback::new(move |_| editing.set(false))/>
            </Show>
        </section>
        <InstallSection/>
        <StorageSection/>
    }
}

/// 安装到手机: the browser's install dialog when offered, otherwise how to do it by hand.
#[component]
fn InstallSection() -> impl IntoView {
    let pwa = use_pwa();
    let i18n = use_i18n();
    view! {
        <section data-testid="install-section">
            <h3>{t!(i18n, pwa_install_section)}</h3>
            {move || match pwa.install.get() {
                InstallState::Installed => view! {
                    <p data-testid="install-state">{t!(i18n, pwa_installed)}</p>
                }.into_any(),
                InstallState::Available => view! {
                    <p class="hint">{t!(i18n, pwa_install_why)}</p>
                    <button class="primary" data-testid="install-app" on:click=move |_| pwa.prompt_install()>
                        {t!(i18n, pwa_install_button)}
                    </button>
                }.into_any(),
                InstallState::NotOffered => view! {
                    <p class="hint">{t!(i18n, pwa_install_why)}</p>
                    <ul class="install-steps" data-testid="install-steps">
                        <li>{t!(i18n, pwa_install_step_android)}</li>
                        <li>{t!(i18n, pwa_install_step_wechat)}</li>
                        <li>{t!(i18n, pwa_install_step_ios)}</li>
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

/// 本机存储: whether the browser keeps the data, and how much room is used.
#[component]
fn StorageSection() -> impl IntoView {
    let pwa = use_pwa();
    let ctx = use_app();
    let i18n = use_i18n();
    let estimate = LocalResource::new(move || {
        ctx.changed.track();
        pwa.persisted.track();
        pwa::estimate()
    });
    let usage = move || match estimate.get() {
        None => t_string!(i18n, pwa_storage_measuring).to_string(),
        Some(Err(_)) => t_string!(i18n, pwa_storage_unknown).to_string(),
        Some(Ok(info)) => format!(
            "{} / {} ({:.1}%)",
            format_bytes(info.usage),
            format_bytes(info.quota),
            info.percent()
        ),
    };
    let percent = move || {
        estimate
            .get()
            .and_then(Result::ok)
            .map(|i| i.percent())
            .unwrap_or(0.0)
    };
    view! {
        <section data-testid="storage-section">
            <h3>{t!(i18n, storage_section)}</h3>
            <p data-testid="storage-persisted">
                {move || match pwa.persisted.get() {
                    Some(true) => t_string!(i18n, pwa_persisted_yes),
                    Some(false) => t_string!(i18n, pwa_persisted_no),
                    None => t_string!(i18n, pwa_storage_unknown),
                }}
            </p>
            <Show when=move || pwa.persisted.get() != Some(true)>
                <p class="hint">{t!(i18n, pwa_persist_hint)}</p>
                <button data-testid="request-persist" on:click=move |_| pwa.request_persist()>
                    {t!(i18n, pwa_persist_button)}
                </button>
            </Show>
            <p class="storage-usage">
                <span>{t!(i18n, pwa_storage_used)}</span>" "
                <span data-testid="storage-usage">{usage}</span>
            </p>
            <div class="meter" aria-hidden="true">
                <span style:width=move || format!("{:.1}%", percent())></span>
            </div>
            <p class="hint">{t!(i18n, pwa_storage_full_hint)}</p>
            <PhotoStorage/>
        </section>
    }
}
