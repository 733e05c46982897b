//! Entry point: panic hook, remove index.html's loading splash, then mount the app.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    // The splash is what a first visit shows while the wasm downloads; the app's own
    // boot screen takes over from here.
    if let Some(splash) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("splash"))
    {
        splash.remove();
    }
    leptos::mount::mount_to_body(yehua::app::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("yehua is a web app: build it with `trunk build` (see README.md)");
}
