//! The service worker's life cycle seen from the page: registration, noticing a new
//! version, and handing over to it when the cadre accepts the update toast.
//!
//! Flow: the browser checks `sw.js` on every start (and we ask again when the page comes
//! back to the front or online). A new version installs beside the old one and waits; the
//! page then sets `update_ready`. Accepting posts `SKIP_WAITING` to the waiting worker; it
//! activates, claims the page (`controllerchange`) and the page reloads, once. The first
//! install also claims the page, but nothing was accepted then, so it does not reload.

use std::cell::{Cell, RefCell};

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    ServiceWorker, ServiceWorkerContainer, ServiceWorkerRegistration, ServiceWorkerState,
};

use super::PwaError;

/// The worker's address; its scope is the folder it is in (the app's root).
const SCRIPT: &str = "/sw.js";

thread_local! {
    static REGISTRATION: RefCell<Option<ServiceWorkerRegistration>> = const { RefCell::new(None) };
    /// The cadre accepted an update: the next `controllerchange` reloads.
    static ACCEPTED: Cell<bool> = const { Cell::new(false) };
    /// A reload is under way (never reload twice).
    static RELOADING: Cell<bool> = const { Cell::new(false) };
}

fn container() -> Result<ServiceWorkerContainer, PwaError> {
    let navigator = web_sys::window()
        .ok_or(PwaError::Unsupported("window"))?
        .navigator();
    // Absent outside secure contexts (plain http on a LAN address) and in some WebViews.
    if !js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false) {
        return Err(PwaError::Unsupported("navigator.serviceWorker"));
    }
    Ok(navigator.service_worker())
}

/// Registers the worker and watches for new versions; failures are logged, never fatal.
pub fn start(update_ready: RwSignal<bool>) {
    let container = match container() {
        Ok(c) => c,
        Err(e) => return leptos::logging::warn!("yehua: no service worker: {e}"),
    };
    on_controller_change(&container);
    spawn_local(async move {
        match register(&container, update_ready).await {
            Ok(reg) => {
                REGISTRATION.with(|r| *r.borrow_mut() = Some(reg));
                check_again_on_return();
            }
            Err(e) => leptos::logging::warn!("yehua: service worker registration: {e}"),
        }
    });
}

async fn register(
    container: &ServiceWorkerContainer,
    update_ready: RwSignal<bool>,
) -> Result<ServiceWorkerRegistration, PwaError> {
    let reg: ServiceWorkerRegistration = JsFuture::from(container.register(SCRIPT))
        .await?
        .unchecked_into();
    // A version that finished installing while no page listened (e.g. the last visit).
    if reg.waiting().is_some() && container.controller().is_some() {
        update_ready.set(true);
    }
    // One already installing (its `updatefound` fired before we listened).
    if let Some(worker) = reg.installing() {
        watch_installing(worker, update_ready);
    }
    let found_reg = reg.clone();
    let found = Closure::<dyn Fn()>::new(move || {
        if let Some(worker) = found_reg.installing() {
            watch_installing(worker, update_ready);
        }
    });
    reg.add_event_listener_with_callback("updatefound", found.as_ref().unchecked_ref())?;
    found.forget();
    Ok(reg)
}

/// When the new worker has installed and an old one controls this page, it is an update.
fn watch_installing(worker: ServiceWorker, update_ready: RwSignal<bool>) {
    let w = worker.clone();
    let changed = Closure::<dyn Fn()>::new(move || {
        let controlled = container().is_ok_and(|c| c.controller().is_some());
        if w.state() == ServiceWorkerState::Installed && controlled {
            update_ready.set(true);
        }
    });
    worker
        .add_event_listener_with_callback("statechange", changed.as_ref().unchecked_ref())
        .ok();
    changed.forget();
}

fn on_controller_change(container: &ServiceWorkerContainer) {
    let changed = Closure::<dyn Fn()>::new(|| {
        if !ACCEPTED.get() || RELOADING.replace(true) {
            return;
        }
        reload();
    });
    container
        .add_event_listener_with_callback("controllerchange", changed.as_ref().unchecked_ref())
        .ok();
    changed.forget();
}

fn reload() {
    if let Some(w) = web_sys::window() {
        w.location().reload().ok();
    }
}

/// Asks the waiting worker to take over; the `controllerchange` that follows reloads.
pub fn apply_update() {
    ACCEPTED.set(true);
    let waiting = REGISTRATION.with(|r| r.borrow().as_ref().and_then(|r| r.waiting()));
    match waiting {
        Some(worker) => {
            let msg = js_sys::Object::new();
            js_sys::Reflect::set(&msg, &"type".into(), &JsValue::from_str("SKIP_WAITING")).ok();
            if let Err(e) = worker.post_message(&msg) {
                leptos::logging::warn!("yehua: skip waiting: {:?}", e);
            }
        }
        // Already activated elsewhere (another tab accepted): the new version is live.
        None => {
            if !RELOADING.replace(true) {
                reload();
            }
        }
    }
}

/// Looks for a new version again when the page returns to the front or comes online.
fn check_again_on_return() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let check = Closure::<dyn Fn()>::new(|| {
        let visible = web_sys::window()
            .and_then(|w| w.document())
            .is_none_or(|d| d.visibility_state() == web_sys::VisibilityState::Visible);
        if !visible {
            return;
        }
        REGISTRATION.with(|r| {
            if let Some(reg) = r.borrow().as_ref() {
                // A failed check (offline) is fine: the next one will do.
                if let Ok(p) = reg.update() {
                    spawn_local(async move {
                        let _ = JsFuture::from(p).await;
                    });
                }
            }
        });
    });
    for event in ["online", "visibilitychange"] {
        window
            .add_event_listener_with_callback(event, check.as_ref().unchecked_ref())
            .ok();
    }
    check.forget();
}
