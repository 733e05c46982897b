//! 同步 tab: sign-in (first on the screen while signed out, the server address folded
//! under 高级), the state of sync (last success, pending records, 照片待上传, last run's figures — "—" before
//! any run), the error in plain words with a retry button, and the way to the conflict
//! list. Everything goes through `sync::service`; this screen never fetches by itself.

use crate::components::stat_card::StatCard;
use crate::components::sync_progress::SyncProgress;
use crate::ctx::use_app;
use crate::i18n::*;
use crate::message::{error_slot, message_text};
use crate::sync::service::{default_server, use_sync};
use crate::sync::SyncError;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The sync screen.
#[component]
pub fn SyncPage() -> impl IntoView {
    let sync = use_sync();
    let i18n = use_i18n();
    let state = sync.state;
    let figure = move |f: fn(&crate::sync::SyncReport) -> u64| {
        Signal::derive(move || state.with(|s| s.last.as_ref().map(|l| f(&l.report))))
    };
    let retry_note = move || {
        state.with(|s| s.retry_in_ms).map(|ms| {
            let secs = ms.div_ceil(1000);
            format!(
                "{}{secs}{}",
                t_string!(i18n, sync_retry_before),
                t_string!(i18n, sync_retry_after)
            )
        })
    };
    let signed_in = move || sync.settings.with(Option::is_some) && !state.with(|s| s.needs_login);
    if use_app().training {
        return view! {
            <h2>{t!(i18n, sync_title)}</h2>
            <p class="notice" role="status" data-testid="training-no-sync">{t!(i18n, training_no_sync)}</p>
        }
        .into_any();
    }
    view! {
        <h2>{t!(i18n, sync_title)}</h2>
        <Show when=move || !signed_in()>
            <LoginForm/>
        </Show>
        <p>{t!(i18n, sync_explain)}</p>
        <div class="stats" data-testid="sync-figures" data-runs=move || state.with(|s| s.runs)>
            <StatCard
                label=Signal::derive(move || t_string!(i18n, sync_pending_label).to_owned())
                value=Signal::derive(move || Some(u64::from(state.with(|s| s.pending - s.photos_pending.min(s.pending)))))
                testid="sync-pending"
            />
            <StatCard
                label=Signal::derive(move || t_string!(i18n, sync_photos_pending).to_owned())
                value=Signal::derive(move || Some(u64::from(state.with(|s| s.photos_pending))))
                testid="sync-photos-pending"
            />
            <StatCard
                label=Signal::derive(move || t_string!(i18n, sync_sent).to_owned())
                value=figure(|r| r.sent)
                testid="sync-sent"
                none="—"
            />
            <StatCard
                label=Signal::derive(move || t_string!(i18n, sync_received).to_owned())
                value=figure(|r| r.received)
                testid="sync-received"
                none="—"
            />
            <StatCard
                label=Signal::derive(move || t_string!(i18n, sync_conflicts).to_owned())
                value=Signal::derive(move || Some(u64::from(state.with(|s| s.conflicts))))
                testid="sync-conflicts"
            />
        </div>
        <SyncProgress/>
        <p data-testid="sync-last">
            {t!(i18n, sync_last_ok)}{t!(i18n, colon)}
            {move || state.with(|s| s.last.as_ref().map(|l| l.at.replace('T', " ").chars().take(16).collect::<String>()))
                .unwrap_or_else(|| t_string!(i18n, sync_never).to_owned())}
        </p>
        {move || state.with(|s| s.error.clone()).map(|e| view! {
            <div class="error" role="alert" data-testid="sync-error">
                <strong>{t!(i18n, sync_error_title)}</strong>
                <p>{message_text(e.clone())}</p>
                <p class="detail">{e.to_string()}</p>
                <p>{retry_note}</p>
            </div>
        })}
        <Show when=move || state.with(|s| s.conflicts > 0)>
            <p><a href="/sync/conflicts" class="button" data-testid="view-conflicts">{t!(i18n, sync_view_conflicts)}</a></p>
        </Show>
        <Show when=signed_in>
            <p data-testid="signed-in">
                {t!(i18n, sync_signed_in_as)}
                {move || sync.settings.get().map(|s| format!("{} @ {}", s.user, s.server))}
            </p>
            <div class="actions">
                <button class="primary big" data-testid="sync-now"
                    disabled=move || state.with(|s| s.running)
                    on:click=move |_| sync.sync_now()>
                    {t!(i18n, sync_now)}
                </button>
                <button data-testid="sign-out" on:click=move |_| {
                    spawn_local(async move {
                        if let Err(e) = sync.sign_out().await {
                            leptos::logging::warn!("yehua: sign out: {e}");
                        }
                    });
                }>{t!(i18n, sync_sign_out)}</button>
            </div>
        </Show>
    }
    .into_any()
}

/// Server, user name, password → a session. The password leaves the field only for the
/// sign-in request.
#[component]
fn LoginForm() -> impl IntoView {
    let sync = use_sync();
    let i18n = use_i18n();
    let server = RwSignal::new(
        sync.settings
            .get_untracked()
            .map(|s| s.server)
            .unwrap_or_else(default_server),
    );
    let user = RwSignal::new(
        sync.settings
            .get_untracked()
            .map(|s| s.user)
            .unwrap_or_default(),
    );
    let password = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<SyncError>);
    let missing = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (s, u, p) = (server.get(), user.get(), password.get());
        if s.trim().is_empty() || u.trim().is_empty() || p.is_empty() {
            missing.set(true);
            return;
        }
        missing.set(false);
        busy.set(true);
        spawn_local(async move {
            let result = sync.sign_in(&s, &u, &p).await;
            password.set(String::new());
            busy.set(false);
            error.set(result.err());
        });
    };
    view! {
        <form class="form" on:submit=submit data-testid="login-form" novalidate>
            <h3>{t!(i18n, sync_login_title)}</h3>
            <label>{t!(i18n, sync_user)}
                <input autocomplete="username" autocapitalize="off" data-testid="login-user"
                    prop:value=user on:input=move |ev| user.set(event_target_value(&ev))/>
            </label>
            <label>{t!(i18n, sync_password)}
                <input type="password" autocomplete="current-password" data-testid="login-password"
                    prop:value=password on:input=move |ev| password.set(event_target_value(&ev))/>
            </label>
            <p class="hint">{t!(i18n, sync_password_note)}</p>
            // The server address is filled in (this hub's own); a cadre rarely changes it.
            <details class="advanced" data-testid="login-advanced" open=server.get_untracked().trim().is_empty()>
                <summary>{t!(i18n, sync_advanced)}</summary>
                <label>{t!(i18n, sync_server)}
                    <input type="url" inputmode="url" autocomplete="url" data-testid="login-server"
                        prop:value=server on:input=move |ev| server.set(event_target_value(&ev))/>
                </label>
            </details>
            <Show when=move || missing.get()>
                <p class="error" role="alert">{t!(i18n, sync_missing_fields)}</p>
            </Show>
            {error_slot(error, "error", Some("login-error"))}
            <button type="submit" class="primary big" data-testid="login-submit" disabled=move || busy.get()>
                {move || if busy.get() { t_string!(i18n, sync_signing_in) } else { t_string!(i18n, sync_sign_in) }}
            </button>
        </form>
    }
}
