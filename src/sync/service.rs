//! The sync service: when the replicator runs, with whom, and what the cadre sees of it.
//!
//! Runs at start, when the browser comes online, [`SAVE_DEBOUNCE_MS`] after a save, and
//! on 立即同步; after a failure it retries with backoff and jitter ([`retry_delay_ms`]);
//! while offline or without a session it stays idle. One run at a time: a trigger during
//! a run asks for one more run after it. Each run replicates every station database the
//! user may access (a village cadre: their own; headquarters: the ones `_all_dbs` lists),
//! pushing each station's own documents and pulling everything, the phone's own station
//! last so its "pending" mark ends current (the run itself is [`super::engine`]).
//!
//! Owns the sync settings (server address and user name — never the password) and the
//! last run's figures, both local records. Must not decide winners or touch IndexedDB
//! directly: it drives the engine and reads counts through the store.

use super::{engine, login, logout, OnProgress, Progress, SyncError, SyncReport};
use crate::ctx::AppCtx;
use crate::store::{Store, StoreError};
use couch::replication::retry::retry_delay_ms;
use gloo_timers::callback::Timeout;
use leptos::prelude::*;
use leptos::task::spawn_local;
use model::sync_status::{Status, SAVE_DEBOUNCE_MS};
use serde::{Deserialize, Serialize};
use std::rc::Rc;

/// The local record with the sync settings.
const SETTINGS_KEY: &str = "sync_settings";
/// The local record with the last successful run.
const LAST_KEY: &str = "sync_last";

/// Where to sync and as whom. The password is never stored: the server's session
/// cookie carries the login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncSettings {
    /// The server's CouchDB API, e.g. `https://hub.example/couch`.
    pub server: String,
    /// The user name signed in with.
    pub user: String,
    /// The account's roles as the server gave them at sign-in (`cadre:<code>`,
    /// `hq:<code>`, `_admin`); settings saved before roles were kept have none.
    #[serde(default)]
    pub roles: Vec<String>,
}

impl SyncSettings {
    /// The URL of the station's own database on the server.
    pub fn own_db(&self, station: &str) -> String {
        format!("{}/{}", self.server, station_db(station))
    }

    /// Whether the account is headquarters' or an admin's: the console is theirs.
    pub fn headquarters(&self) -> bool {
        self.roles
            .iter()
            .any(|r| r == "_admin" || r.starts_with("hq:"))
    }

    /// The settings saved in `store` (none before the first sign-in).
    pub async fn saved(store: &Store) -> Result<Option<Self>, StoreError> {
        store.get_local(SETTINGS_KEY).await
    }
}

/// The last successful run, kept across reloads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastSync {
    /// When it finished (RFC 3339, UTC+8).
    pub at: String,
    /// What it did.
    pub report: SyncReport,
}

/// What the 同步 screen and the header show.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SyncState {
    /// A run is going on.
    pub running: bool,
    /// The running direction's progress.
    pub progress: Option<Progress>,
    /// Local documents not yet on the server (photos included).
    pub pending: u32,
    /// Of those, photos (照片待上传): sent after every other record.
    pub photos_pending: u32,
    /// Conflicted documents on this phone.
    pub conflicts: u32,
    /// Sign-in needed before sync can run.
    pub needs_login: bool,
    /// The last run's error, if it failed.
    pub error: Option<SyncError>,
    /// The last successful run.
    pub last: Option<LastSync>,
    /// The next automatic retry, in ms from when it was scheduled.
    pub retry_in_ms: Option<u32>,
    /// Runs finished in this page (succeeded or failed), so a screen — or a test — can
    /// tell that the run it asked for is over.
    pub runs: u64,
}

/// Non-reactive parts of the service.
#[derive(Default)]
struct Inner {
    failures: u32,
    again: bool,
    retry: Option<Timeout>,
    debounce: Option<Timeout>,
    /// The `changed` value this service caused itself (after a pull), to ignore.
    own_change: Option<u64>,
}

/// The sync service handle (in the app context).
#[derive(Clone, Copy)]
pub struct SyncService {
    /// Reactive state for the screens.
    pub state: RwSignal<SyncState>,
    /// The saved settings (`None` before the first sign-in).
    pub settings: RwSignal<Option<SyncSettings>>,
    app: AppCtx,
    inner: StoredValue<Inner, LocalStorage>,
}

/// The sync service of the running app.
pub fn use_sync() -> SyncService {
    expect_context::<SyncService>()
}

/// The default server: this origin's `/couch` (the hub serves the app and the API).
pub fn default_server() -> String {
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    format!("{origin}/couch")
}

impl SyncService {
    /// Starts the service: loads settings, watches `online` and saves, and runs once.
    pub fn start(app: AppCtx) -> Self {
        let service = Self {
            state: RwSignal::new(SyncState::default()),
            settings: RwSignal::new(None),
            app,
            inner: StoredValue::new_local(Inner::default()),
        };
        spawn_local(async move {
            let store = app.store();
            let settings: Option<SyncSettings> = store.get_local(SETTINGS_KEY).await.ok().flatten();
            let last: Option<LastSync> = store.get_local(LAST_KEY).await.ok().flatten();
            service.state.update(|s| {
                s.last = last;
                s.needs_login = settings.is_none();
            });
            service.settings.set(settings);
            service.refresh_counts().await;
            service.trigger();
        });
        Effect::new(move |was_online: Option<bool>| {
            let online = app.online.get();
            if online && was_online == Some(false) {
                service.trigger();
            }
            online
        });
        Effect::new(move |first: Option<()>| {
            let n = app.changed.get();
            if first.is_none() {
                return;
            }
            let own = service.inner.try_update_value(|i| i.own_change.take());
            if own.flatten() == Some(n) {
                return;
            }
            spawn_local(async move { service.refresh_counts().await });
            let timer = Timeout::new(SAVE_DEBOUNCE_MS, move || service.trigger());
            service.inner.update_value(|i| i.debounce = Some(timer));
        });
        service
    }

    /// The indicator's inputs.
    pub fn status(&self) -> Status {
        let s = self.state.get();
        Status {
            online: self.app.online.get(),
            running: s.running,
            progress: s.progress.map(|p| (p.done, p.total)),
            pending: s.pending,
            needs_login: s.needs_login,
            failed: s.error.is_some(),
        }
    }

    /// 立即同步: runs now (or right after the running one), forgetting past failures.
    pub fn sync_now(&self) {
        self.inner.update_value(|i| i.failures = 0);
        self.trigger();
    }

    /// Asks for a run; idle while offline, signed out or in training mode, deferred while
    /// one runs.
    pub fn trigger(&self) {
        let this = *self;
        let busy = self.state.with_untracked(|s| s.running);
        self.inner.update_value(|i| {
            i.retry = None;
            i.debounce = None;
            i.again |= busy;
        });
        if busy {
            return;
        }
        let signed_in = self.settings.get_untracked().is_some();
        if !self.app.online.get_untracked() || !signed_in || self.app.training {
            return;
        }
        spawn_local(async move { this.run().await });
    }

    /// Signs in, saves server and user name, and syncs. The password is only sent.
    pub async fn sign_in(&self, server: &str, user: &str, password: &str) -> Result<(), SyncError> {
        let server = server.trim().trim_end_matches('/').to_owned();
        let roles = login(&server, user.trim(), password).await?;
        let settings = SyncSettings {
            server,
            user: user.trim().to_owned(),
            roles,
        };
        self.app.store().put_local(SETTINGS_KEY, &settings).await?;
        self.settings.set(Some(settings));
        self.state.update(|s| {
            s.needs_login = false;
            s.error = None;
        });
        self.sync_now();
        Ok(())
    }

    /// Signs out: ends the session and forgets the user; records stay on the phone.
    pub async fn sign_out(&self) -> Result<(), SyncError> {
        if let Some(s) = self.settings.get_untracked() {
            // Offline: the cookie expires on its own; forgetting the user is what matters.
            logout(&s.server).await.ok();
        }
        self.app.store().delete_local(SETTINGS_KEY).await?;
        self.settings.set(None);
        self.state.update(|s| s.needs_login = true);
        Ok(())
    }

    /// Re-reads the pending and conflict counts.
    pub async fn refresh_counts(&self) {
        let store = self.app.store();
        let pending = match (
            self.settings.get_untracked(),
            self.app.profile.get_untracked(),
        ) {
            (Some(s), Some(p)) => super::pending_split(&store, &s.own_db(&p.station_code))
                .await
                .ok(),
            // Never synced: everything is only here.
            _ => match (store.count_changes_after(0).await, store.photo_rows().await) {
                (Ok(all), Ok(photos)) => {
                    let photos = photos.len() as u32;
                    Some((all.saturating_sub(photos), photos))
                }
                _ => None,
            },
        };
        let conflicts = store.count_conflicted().await.ok();
        self.state.update(|s| {
            if let Some((records, photos)) = pending {
                s.pending = records + photos;
                s.photos_pending = photos;
            }
            s.conflicts = conflicts.unwrap_or(s.conflicts);
        });
    }

    async fn run(self) {
        let (Some(settings), Some(profile)) = (
            self.settings.get_untracked(),
            self.app.profile.get_untracked(),
        ) else {
            return;
        };
        self.state.update(|s| {
            s.running = true;
            s.progress = None;
            s.retry_in_ms = None;
        });
        let state = self.state;
        let progress: OnProgress = Rc::new(move |p| state.update(|s| s.progress = Some(p)));
        let result = engine::replicate_all(self.app.store(), settings, profile, progress).await;
        // Thumbnails fetched count too: the gallery shows them.
        let received = result.as_ref().map(|r| r.received + r.thumbs).unwrap_or(0);
        match result {
            Ok(report) => self.succeeded(report).await,
            Err(e) => self.failed(e),
        }
        self.state.update(|s| {
            s.running = false;
            s.progress = None;
            s.runs += 1;
        });
        self.refresh_counts().await;
        if received > 0 {
            let next = self.app.changed.get_untracked() + 1;
            self.inner.update_value(|i| i.own_change = Some(next));
            self.app.notify_changed();
        }
        let again = self
            .inner
            .try_update_value(|i| std::mem::take(&mut i.again));
        if again == Some(true) {
            self.trigger();
        }
    }

    async fn succeeded(&self, report: SyncReport) {
        self.inner.update_value(|i| i.failures = 0);
        let last = LastSync {
            at: crate::records::now(),
            report,
        };
        if let Err(e) = self.app.store().put_local(LAST_KEY, &last).await {
            leptos::logging::warn!("yehua sync: keep last run: {e}");
        }
        self.state.update(|s| {
            s.error = None;
            s.needs_login = false;
            s.last = Some(last);
        });
    }

    fn failed(&self, e: SyncError) {
        leptos::logging::warn!("yehua sync: {e}");
        let this = *self;
        let unauthorized = matches!(e, SyncError::Unauthorized(_));
        let mut delay = None;
        if e.is_retryable() && self.app.online.get_untracked() {
            let failures = self
                .inner
                .try_update_value(|i| {
                    i.failures += 1;
                    i.failures
                })
                .unwrap_or(1);
            let ms = retry_delay_ms(failures, js_sys::Math::random());
            let timer = Timeout::new(ms, move || this.trigger());
            self.inner.update_value(|i| i.retry = Some(timer));
            delay = Some(ms);
        }
        self.state.update(|s| {
            s.needs_login |= unauthorized;
            s.error = Some(e);
            s.retry_in_ms = delay;
        });
    }
}

/// `station_<code>`: one remote database per village station (docs/design.md, "Sync").
pub fn station_db(code: &str) -> String {
    format!("station_{code}")
}
