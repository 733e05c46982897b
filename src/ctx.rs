//! What every screen may use: the app context ([`AppCtx`]) — the store handle, the
//! profile, the online flag and a `changed` counter that lists watch to reload after a
//! write, and whether this is training mode — provided by `app.rs` once the store is open. Screens import this module, never
//! the router's (`app.rs`). Owns no state of its own.

use crate::profile::Profile;
use crate::store::Store;
use leptos::prelude::*;

/// The local-record key for the chosen UI language.
pub const LOCALE_KEY: &str = "locale";

/// What every page may use.
#[derive(Clone, Copy)]
pub struct AppCtx {
    store: StoredValue<Store, LocalStorage>,
    /// The cadre's profile (`None` until first start is done).
    pub profile: RwSignal<Option<Profile>>,
    /// Whether the browser says it is online.
    pub online: RwSignal<bool>,
    /// Bumped after every write so that lists reload.
    pub changed: RwSignal<u64>,
    /// 演示模式: the store is the training database, which never syncs or exports.
    pub training: bool,
}

impl AppCtx {
    /// The context of an opened store.
    pub fn new(
        store: Store,
        profile: Option<Profile>,
        online: RwSignal<bool>,
        training: bool,
    ) -> Self {
        Self {
            store: StoredValue::new_local(store),
            profile: RwSignal::new(profile),
            online,
            changed: RwSignal::new(0),
            training,
        }
    }

    /// The store handle.
    pub fn store(&self) -> Store {
        self.store.get_value()
    }

    /// Tells listening pages that documents changed.
    pub fn notify_changed(&self) {
        self.changed.update(|n| *n += 1);
    }
}

/// Fetches the app context; every page is rendered inside it.
pub fn use_app() -> AppCtx {
    expect_context::<AppCtx>()
}
