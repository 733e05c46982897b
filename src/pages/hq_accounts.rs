//! 账号管理 (`/hq/accounts`): the accounts the signed-in hq or admin account manages,
//! with search (name or station), a form to create one (the password typed twice), and on
//! each row 设置二维码 (a link to `hq_setup`), 重置密码 (typed twice), 停用 / 启用 and
//! 更换站点. Every change is a `_users` document written through `sync::console`; the
//! server decides what is allowed and its refusal is shown. Never touches the phone's store and never fetches itself.

use super::hq_status::HqTabs;
use crate::components::loaded::loaded;
use crate::i18n::*;
use crate::message::error_slot;
use crate::sync::console::{self, Account, ConsoleError};
use crate::sync::service::use_sync;
use leptos::prelude::*;
use leptos::task::spawn_local;
use model::rollup::status::StationStatus;

/// What the screen reads: the accounts and the stations they may be given.
type Listing = (Vec<Account>, Vec<StationStatus>);

fn role_label(i18n: leptos_i18n::I18nContext<Locale>, kind: &str) -> String {
    match kind {
        "cadre" => t_string!(i18n, hq_role_cadre),
        "hq" => t_string!(i18n, hq_role_hq),
        _ => t_string!(i18n, hq_role_admin),
    }
    .to_string()
}

/// The accounts screen.
#[component]
pub fn HqAccountsPage() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let server = move || sync.settings.get_untracked().map(|s| s.server);
    let is_admin = move || {
        sync.settings
            .get()
            .is_some_and(|s| s.roles.iter().any(|r| r == "_admin"))
    };
    let me = move || sync.settings.get().map(|s| s.user).unwrap_or_default();
    let data = LocalResource::new(move || {
        let server = sync.settings.get().map(|s| s.server);
        async move {
            let Some(server) = server else {
                return Err(ConsoleError::NotSignedIn);
            };
            let month = &crate::records::today()[..7];
            let accounts = console::accounts(&server).await?;
            let stations = console::status(&server, month).await?.stations;
            Ok::<Listing, ConsoleError>((accounts, stations))
        }
    });
    let search = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ConsoleError>);
    let done = RwSignal::new(None::<&'static str>);
    let act = Act { error, done, data };

    // The new account's form.
    let (name, kind, station, pw1, pw2) = (
        RwSignal::new(String::new()),
        RwSignal::new("cadre".to_owned()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(server) = server() else { return };
        let password = match console::typed_twice(&pw1.get_untracked(), &pw2.get_untracked()) {
            Ok(p) => p,
            Err(e) => return error.set(Some(e)),
        };
        let (n, role) = (
            name.get_untracked().trim().to_owned(),
            format!("{}:{}", kind.get_untracked(), station.get_untracked()),
        );
        act.run(
            async move {
                console::create(&server, &n, &role, &password).await?;
                _ = name.try_set(String::new());
                _ = pw1.try_set(String::new());
                _ = pw2.try_set(String::new());
                Ok(())
            },
            "created",
        );
    };

    let station_options = move |stations: &[StationStatus]| {
        stations
            .iter()
            .map(|s| {
                let label = format!("{} {}", s.name, s.code);
                view! { <option value=s.code.clone()>{label}</option> }
            })
            .collect_view()
    };

    let list = move |(accounts, stations): Listing| {
        if station.get_untracked().is_empty() {
            if let Some(first) = stations
                .iter()
                .find(|s| s.level == "village")
                .or(stations.first())
            {
                station.set(first.code.clone());
            }
        }
        let stations_for_rows = stations.clone();
        let rows = move || {
            let q = search.get().trim().to_lowercase();
            accounts
                .iter()
                .filter(|a| {
                    q.is_empty()
                        || a.name.to_lowercase().contains(&q)
                        || a.role().1.contains(&q)
                        || stations_for_rows
                            .iter()
                            .any(|s| s.code == a.role().1 && s.name.contains(&q))
                })
                .cloned()
                .map(|a| account_row(a, &stations_for_rows, me(), act))
                .collect_view()
        };
        view! {
            <ul class="doc-list hq-accounts" data-testid="hq-accounts">{rows}</ul>
            <form class="form" on:submit=create data-testid="hq-new-account" novalidate>
                <h3>{t!(i18n, hq_new_account)}</h3>
                <label>{t!(i18n, hq_user_name)}<input name="user_name" autocomplete="off" bind:value=name/></label>
                <Show when=is_admin>
                    <label>{t!(i18n, hq_role)}
                        <select name="role" on:change=move |ev| kind.set(event_target_value(&ev))>
                            <option value="cadre">{t!(i18n, hq_role_cadre)}</option>
                            <option value="hq">{t!(i18n, hq_role_hq)}</option>
                        </select>
                    </label>
                </Show>
                <label>{t!(i18n, hq_station)}
                    <select name="station" prop:value=move || station.get() on:change=move |ev| station.set(event_target_value(&ev))>
                        {station_options(&stations)}
                    </select>
                </label>
                <label>{t!(i18n, hq_password)}<input type="password" name="password" autocomplete="new-password" bind:value=pw1/></label>
                <label>{t!(i18n, hq_password_again)}<input type="password" name="password_again" autocomplete="new-password" bind:value=pw2/></label>
                <p class="hint">{t!(i18n, hq_password_rule)}</p>
                <div class="actions"><button class="primary" type="submit" data-testid="hq-create">{t!(i18n, hq_create)}</button></div>
            </form>
        }
        .into_any()
    };

    view! {
        <HqTabs/>
        <h2>{t!(i18n, hq_accounts_title)}</h2>
        <label class="search">
            <input type="search" data-testid="hq-search" placeholder=move || t_string!(i18n, hq_search) bind:value=search/>
        </label>
        {error_slot(error, "error", Some("hq-error"))}
        {move || done.get().map(|what| view! {
            <p class="ok" role="status" data-testid="hq-done">
                {move || if what == "created" { t_string!(i18n, hq_created) } else { t_string!(i18n, hq_saved) }}
            </p>
        })}
        {loaded(data, list)}
    }
}

/// Runs one change, then reads the list again; keeps what to say.
#[derive(Clone, Copy)]
struct Act {
    error: RwSignal<Option<ConsoleError>>,
    done: RwSignal<Option<&'static str>>,
    data: LocalResource<Result<Listing, ConsoleError>>,
}

impl Act {
    fn run(
        self,
        change: impl std::future::Future<Output = Result<(), ConsoleError>> + 'static,
        said: &'static str,
    ) {
        spawn_local(async move {
            match change.await {
                Ok(()) => {
                    _ = self.error.try_set(None);
                    _ = self.done.try_set(Some(said));
                    self.data.refetch();
                }
                Err(e) => {
                    _ = self.done.try_set(None);
                    _ = self.error.try_set(Some(e));
                }
            }
        });
    }
}

/// One account's row with its actions (none on the signed-in user's own account).
fn account_row(a: Account, stations: &[StationStatus], me: String, act: Act) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let (kind, code) = a.role();
    let (kind, code) = (kind.to_owned(), code.to_owned());
    let station_name = stations
        .iter()
        .find(|s| s.code == code)
        .map(|s| s.name.clone())
        .unwrap_or_default();
    let own = a.name == me;
    let resetting = RwSignal::new(false);
    let moving = RwSignal::new(false);
    let (pw1, pw2) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let target = RwSignal::new(code.clone());
    let server = move || {
        sync.settings
            .get_untracked()
            .map(|s| s.server)
            .unwrap_or_default()
    };
    let account = StoredValue::new(a.clone());
    let toggle = move |_| {
        let mut next = account.get_value();
        next.disabled = !next.disabled;
        let server = server();
        act.run(
            async move { console::save(&server, &next, None).await },
            "saved",
        );
    };
    let reset = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let server = server();
        let acc = account.get_value();
        let typed = console::typed_twice(&pw1.get_untracked(), &pw2.get_untracked());
        act.run(
            async move { console::save(&server, &acc, Some(&typed?)).await },
            "saved",
        );
    };
    let moved = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let server = server();
        let mut acc = account.get_value();
        let (kind, _) = acc.role();
        acc.roles = vec![format!("{kind}:{}", target.get_untracked())];
        act.run(
            async move { console::save(&server, &acc, None).await },
            "saved",
        );
    };
    let choices: Vec<(String, String)> = stations
        .iter()
        .map(|s| (s.code.clone(), format!("{} {}", s.name, s.code)))
        .collect();
    let options = move || {
        choices
            .iter()
            .map(|(code, label)| view! { <option value=code.clone()>{label.clone()}</option> })
            .collect_view()
    };
    let kind_label = kind.clone();
    let setup_link = (!code.is_empty()).then(|| {
        let href = format!(
            "/hq/accounts/{}/setup",
            String::from(js_sys::encode_uri_component(&a.name))
        );
        view! { <a class="button" href=href data-testid="hq-setup-qr">{t!(i18n, hq_setup_qr)}</a> }
    });
    view! {
        <li data-testid="hq-account" data-name=a.name.clone() data-role=a.roles.first().cloned().unwrap_or_default()
            data-disabled=a.disabled.to_string()>
            <div class="title-row">
                <div class="row-title">{a.name.clone()}</div>
                {a.disabled.then(|| view! { <span class="tag overdue">{t!(i18n, hq_disabled)}</span> })}
            </div>
            <div class="row-meta">{move || role_label(i18n, &kind_label)}" · "{station_name}" "{code.clone()}</div>
            <div class="actions">
                {setup_link}
                {(!own).then(|| view! {
                    <button class="small" data-testid="hq-reset" on:click=move |_| resetting.update(|r| *r = !*r)>{t!(i18n, hq_reset)}</button>
                    <button class="small" data-testid="hq-toggle" on:click=toggle>
                        {move || if account.with_value(|a| a.disabled) { t_string!(i18n, hq_enable) } else { t_string!(i18n, hq_disable) }}
                    </button>
                    <button class="small" data-testid="hq-move" on:click=move |_| moving.update(|m| *m = !*m)>{t!(i18n, hq_move)}</button>
                })}
            </div>
            {(!own).then(|| view! {
                <Show when=move || resetting.get()>
                    <form class="form inline" on:submit=reset data-testid="hq-reset-form" novalidate>
                        <label>{t!(i18n, hq_password)}<input type="password" name="password" autocomplete="new-password" bind:value=pw1/></label>
                        <label>{t!(i18n, hq_password_again)}<input type="password" name="password_again" autocomplete="new-password" bind:value=pw2/></label>
                        <button class="primary" type="submit" data-testid="hq-reset-save">{t!(i18n, save)}</button>
                    </form>
                </Show>
                <Show when=move || moving.get()>
                    <form class="form inline" on:submit=moved data-testid="hq-move-form" novalidate>
                        <select name="station" prop:value=move || target.get() on:change=move |ev| target.set(event_target_value(&ev))>
                            {options.clone()}
                        </select>
                        <button class="primary" type="submit" data-testid="hq-move-save">{t!(i18n, save)}</button>
                    </form>
                </Show>
            })}
        </li>
    }
}
