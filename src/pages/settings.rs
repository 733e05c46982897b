//! 设置: language, the station profile.

use super::profile::ProfileForm;
use crate::app::{use_app, LOCALE_KEY};
use crate::i18n::*;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The settings screen.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let ctx = use_app();
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
            }
        });
    };
    view! {
        <h2>{t!(i18n, settings_title)}</h2>
        <section>
            <label>{t!(i18n, language)}
                <select data-testid="locale" on:change=choose>
                    <option value="zh-CN" selected=move || i18n.get_locale() == Locale::zh_CN>"简体中文"</option>
                    <option value="en" selected=move || i18n.get_locale() == Locale::en>"English"</option>
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
    }
}
