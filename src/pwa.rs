//! The installable-app glue: the service worker's life cycle (updates), the install prompt,
//! the browser's storage (persistence, usage and quota, "storage full") and files in and
//! out of the browser ([`files`]: download, share, read a picked file), and photos
//! ([`photo`]: scaling and re-encoding on a canvas, the link type).
//!
//! Owns [`PwaCtx`], the reactive state the update toast, the storage alert and 设置 read.
//! [`init`] provides it and starts the browser side; it is called once, by `app::App`.
//! The worker itself is `public/sw.js`; its precache list is written at build time by
//! `scripts/precache.mjs` (a Trunk post_build hook).
//!
//! Architecture invariant: nothing here touches IndexedDB or documents; a failure here
//! never stops the app from opening (every browser call degrades to "not available").

pub mod files;
mod install;
pub mod photo;
mod storage;
mod worker;

pub use install::InstallState;
pub use storage::{format_bytes, StorageInfo};

use crate::store::StoreError;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;

/// Why a browser PWA call failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PwaError {
    /// The browser does not offer the API (old WebView, insecure origin).
    #[error("not supported by this browser: {0}")]
    Unsupported(&'static str),
    /// The browser refused or failed the call.
    #[error("browser error: {0}")]
    Js(String),
}

impl From<JsValue> for PwaError {
    fn from(v: JsValue) -> Self {
        let text = js_sys::Reflect::get(&v, &"message".into())
            .ok()
            .and_then(|m| m.as_string())
            .or_else(|| v.as_string())
            .unwrap_or_else(|| format!("{v:?}"));
        Self::Js(text)
    }
}

/// The PWA state every screen may read.
#[derive(Clone, Copy)]
pub struct PwaCtx {
    /// A new version is installed and waiting for the cadre to accept it.
    pub update_ready: RwSignal<bool>,
    /// Whether the app can be installed from a button, or already is.
    pub install: RwSignal<InstallState>,
    /// Whether storage is persistent (`None` until known).
    pub persisted: RwSignal<Option<bool>>,
    /// The last "storage full" error, shown until dismissed.
    pub storage_alert: RwSignal<Option<StoreError>>,
    /// Whether persistence has been asked for in this session.
    persist_asked: StoredValue<bool>,
}

/// Provides [`PwaCtx`] and starts the browser side: listens for the install prompt and
/// reads whether storage is persistent. The service worker is registered later, by
/// [`PwaCtx::start_worker`] once the first screen is up, so that its precaching (the
/// whole app, chunks included) never competes with the first screen for a slow link, and
/// takes the files the page already downloaded from the HTTP cache.
pub fn init() -> PwaCtx {
    let ctx = PwaCtx {
        update_ready: RwSignal::new(false),
        install: RwSignal::new(InstallState::NotOffered),
        persisted: RwSignal::new(None),
        storage_alert: RwSignal::new(None),
        persist_asked: StoredValue::new(false),
    };
    provide_context(ctx);
    install::start(ctx.install);
    spawn_local(async move {
        if let Ok(p) = storage::persisted().await {
            ctx.persisted.set(Some(p));
        }
    });
    ctx
}

/// Fetches the PWA state.
pub fn use_pwa() -> PwaCtx {
    expect_context::<PwaCtx>()
}

impl PwaCtx {
    /// Registers the service worker and watches for new versions: called once, when the
    /// first screen is shown.
    pub fn start_worker(&self) {
        worker::start(self.update_ready);
    }

    /// Accepts the waiting version: it takes over and the page reloads once.
    pub fn apply_update(&self) {
        worker::apply_update();
    }

    /// Shows the system install dialog (when the browser offered one).
    pub fn prompt_install(&self) {
        let install = self.install;
        spawn_local(async move {
            install.set(install::prompt().await);
        });
    }

    /// Asks the browser to keep this site's storage, once per session and only if it is
    /// not persistent yet. Called after the first record is saved.
    pub fn persist_once(&self) {
        if self.persist_asked.get_value() {
            return;
        }
        self.persist_asked.set_value(true);
        self.request_persist();
    }

    /// Asks the browser to keep this site's storage (the button in 设置).
    pub fn request_persist(&self) {
        let persisted = self.persisted;
        spawn_local(async move {
            if persisted.get_untracked() == Some(true) {
                return;
            }
            match storage::persist().await {
                Ok(p) => persisted.set(Some(p)),
                Err(e) => leptos::logging::warn!("yehua: storage.persist: {e}"),
            }
        });
    }

    /// Shows a store error app-wide if it is "storage full"; other errors stay with the
    /// screen that raised them. Returns whether it was shown.
    pub fn report_store_error(&self, e: &StoreError) -> bool {
        let full = matches!(e, StoreError::QuotaExceeded(_));
        if full {
            self.storage_alert.set(Some(e.clone()));
        }
        full
    }
}

/// Usage and quota of this site's storage, as the browser estimates them.
pub async fn estimate() -> Result<StorageInfo, PwaError> {
    storage::estimate().await
}
