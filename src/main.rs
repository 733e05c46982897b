//! Entry point: panic hook, then mount the app.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(yehua::app::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("yehua is a web app: build it with `trunk build` (see README.md)");
}
