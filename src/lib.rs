//! Yehua (夜话): the client. Pages talk only to [`store`] (IndexedDB) through the app
//! context; pure logic lives in `crates/` and in the platform-free modules here.

pub mod profile;

/// The allocator: Talc, made for single-threaded WebAssembly (faster and smaller than the
/// default dlmalloc; BENCHMARKS.md, issue 24). Native builds keep the system allocator.
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// The zh-CN and en strings from `locales/`, checked at compile time.
/// leptos_i18n 0.6 deprecates the macro in favour of build.rs codegen, but that pulls the
/// ICU data exporters into the build; the macro generates the same module.
#[cfg(target_arch = "wasm32")]
#[allow(deprecated)]
mod locales {
    leptos_i18n::load_locales!();
}
#[cfg(target_arch = "wasm32")]
pub use locales::i18n;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod chunks;
#[cfg(target_arch = "wasm32")]
pub mod collate;
#[cfg(target_arch = "wasm32")]
pub mod components;
#[cfg(target_arch = "wasm32")]
pub mod ctx;
#[cfg(target_arch = "wasm32")]
pub mod labels;
#[cfg(target_arch = "wasm32")]
pub mod message;
#[cfg(target_arch = "wasm32")]
pub mod pages;
#[cfg(target_arch = "wasm32")]
pub mod pwa;
#[cfg(target_arch = "wasm32")]
pub mod records;
#[cfg(target_arch = "wasm32")]
pub mod store;
#[cfg(target_arch = "wasm32")]
pub mod sync;
