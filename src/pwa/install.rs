//! Installing to the home screen: keeps the browser's `beforeinstallprompt` event so the
//! button in 设置 can show the system dialog later, and notices when the app is installed
//! (or already runs as an installed app).

use std::cell::RefCell;

use leptos::prelude::*;
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// What 设置 can offer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InstallState {
    /// The browser has not offered an install dialog: show the manual instructions.
    NotOffered,
    /// The browser offered one: show the install button.
    Available,
    /// Installed, or running as the installed app.
    Installed,
}

thread_local! {
    /// The deferred `beforeinstallprompt` event (usable once).
    static DEFERRED: RefCell<Option<JsValue>> = const { RefCell::new(None) };
}

/// Listens for the install prompt and for installation.
pub fn start(state: RwSignal<InstallState>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let standalone = window
        .match_media("(display-mode: standalone)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches());
    if standalone {
        state.set(InstallState::Installed);
    }
    let offered = Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| {
        // Keep the mini-infobar away; the cadre installs from 设置 when ready.
        ev.prevent_default();
        DEFERRED.with(|d| *d.borrow_mut() = Some(ev.into()));
        if state.get_untracked() != InstallState::Installed {
            state.set(InstallState::Available);
        }
    });
    let installed = Closure::<dyn Fn()>::new(move || {
        DEFERRED.with(|d| d.borrow_mut().take());
        state.set(InstallState::Installed);
    });
    for (event, cb) in [
        ("beforeinstallprompt", offered.as_ref()),
        ("appinstalled", installed.as_ref()),
    ] {
        window
            .add_event_listener_with_callback(event, cb.unchecked_ref())
            .ok();
    }
    offered.forget();
    installed.forget();
}

/// Shows the system dialog; returns the state afterwards (the event is used up either way).
pub async fn prompt() -> InstallState {
    let Some(event) = DEFERRED.with(|d| d.borrow_mut().take()) else {
        return InstallState::NotOffered;
    };
    let call = |name: &str| -> Option<JsValue> {
        let f = js_sys::Reflect::get(&event, &name.into()).ok()?;
        f.dyn_ref::<js_sys::Function>()?.call0(&event).ok()
    };
    if call("prompt").is_none() {
        return InstallState::NotOffered;
    }
    let choice = match js_sys::Reflect::get(&event, &"userChoice".into()) {
        Ok(p) if p.is_instance_of::<js_sys::Promise>() => {
            JsFuture::from(p.unchecked_into::<js_sys::Promise>())
                .await
                .ok()
        }
        _ => None,
    };
    let accepted = choice
        .and_then(|c| js_sys::Reflect::get(&c, &"outcome".into()).ok())
        .and_then(|o| o.as_string())
        .is_some_and(|o| o == "accepted");
    if accepted {
        InstallState::Installed
    } else {
        InstallState::NotOffered
    }
}
