//! 设置二维码 (`/hq/accounts/:name/setup`): the printable setup QR of one account — this
//! server's address, the account's station (code and name) and user name, never a
//! password — for the phone's first-start 扫码设置. The payload is `model::setup`'s, the
//! drawing `model::qr`'s; the account and its station come through `sync::console`. Never
//! touches the phone's store and never fetches itself.

use super::hq_status::HqTabs;
use crate::components::loaded::loaded;
use crate::components::paper::print;
use crate::i18n::*;
use crate::sync::console::{self, ConsoleError};
use crate::sync::service::use_sync;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use model::setup::Setup;

/// The setup QR screen.
#[component]
pub fn HqSetupPage() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let name = use_params_map()
        .with_untracked(|p| p.get("name"))
        .unwrap_or_default();
    let data = LocalResource::new(move || {
        let (server, name) = (sync.settings.get().map(|s| s.server), name.clone());
        async move {
            let server = server.ok_or(ConsoleError::NotSignedIn)?;
            console::setup(&server, &name, &crate::records::today()[..7]).await
        }
    });
    let card = move |setup: Setup| {
        let svg = model::qr::encode(&setup.payload())
            .map(|m| model::qr::to_svg(&m))
            .unwrap_or_default();
        view! {
            <div class="card setup-card" data-testid="setup-card" data-payload=setup.payload()>
                <div class="card-station">{t!(i18n, hq_setup_title)}</div>
                <div class="card-name">{setup.name.clone()}</div>
                <div class="card-qr" inner_html=svg></div>
                <dl class="setup-facts">
                    <dt>{t!(i18n, hq_station)}</dt><dd>{setup.station.clone()}</dd>
                    <dt>{t!(i18n, hq_setup_user)}</dt><dd data-testid="setup-user">{setup.user.clone()}</dd>
                    <dt>{t!(i18n, hq_setup_server)}</dt><dd>{setup.server.clone()}</dd>
                </dl>
                <div class="card-hint">{t!(i18n, hq_setup_hint)}</div>
            </div>
            <div class="actions setup-actions no-print">
                <button class="primary" data-testid="setup-print" on:click=|_| print()>{t!(i18n, hq_setup_print)}</button>
                <a class="button" href="/hq/accounts">{t!(i18n, hq_setup_back)}</a>
            </div>
        }
        .into_any()
    };
    view! {
        <div class="no-print"><HqTabs/></div>
        {loaded(data, card)}
    }
}
