//! Files in and out of the browser: saving bytes as a download (a `Blob` behind an
//! `<a download>`), handing a file to another app through the Web Share API where the
//! browser can share files, and reading the bytes of a file the cadre picked.
//!
//! Owns only this glue; what goes into a file is decided in `records::exchange`. Every
//! call degrades to a [`PwaError`]; nothing here panics on a browser without the API.

use super::PwaError;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag, File, FilePropertyBag, HtmlAnchorElement, ShareData, Url};

/// MIME type of the export file.
pub const JSON: &str = "application/json";
/// MIME type of the CSV tables (the charset helps Android's file viewers; the BOM Excel).
pub const CSV: &str = "text/csv;charset=utf-8";

fn parts(bytes: &[u8]) -> js_sys::Array {
    js_sys::Array::of1(&js_sys::Uint8Array::from(bytes))
}

fn blob(bytes: &[u8], mime: &str) -> Result<Blob, PwaError> {
    let opts = BlobPropertyBag::new();
    opts.set_type(mime);
    Ok(Blob::new_with_u8_array_sequence_and_options(
        &parts(bytes),
        &opts,
    )?)
}

fn file(name: &str, bytes: &[u8], mime: &str) -> Result<File, PwaError> {
    let opts = FilePropertyBag::new();
    opts.set_type(mime);
    Ok(File::new_with_u8_array_sequence_and_options(
        &parts(bytes),
        name,
        &opts,
    )?)
}

/// Saves `bytes` as the download `name` (the browser's download folder on a phone).
pub fn download(name: &str, bytes: &[u8], mime: &str) -> Result<(), PwaError> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or(PwaError::Unsupported("document"))?;
    let url = Url::create_object_url_with_blob(&blob(bytes, mime)?)?;
    let a: HtmlAnchorElement = document.create_element("a")?.unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.set_hidden(true);
    let body = document.body().ok_or(PwaError::Unsupported("body"))?;
    body.append_child(&a)?;
    a.click();
    a.remove();
    // Revoking at once can cancel the download in some browsers; a minute is plenty.
    gloo_timers::callback::Timeout::new(60_000, move || {
        let _ = Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}

fn share_data(name: &str, bytes: &[u8], mime: &str) -> Result<ShareData, PwaError> {
    let data = ShareData::new();
    data.set_files(&js_sys::Array::of1(&file(name, bytes, mime)?.into()));
    data.set_title(name);
    Ok(data)
}

fn navigator_has(method: &str) -> Option<web_sys::Navigator> {
    let navigator = web_sys::window()?.navigator();
    js_sys::Reflect::has(&navigator, &method.into())
        .unwrap_or(false)
        .then_some(navigator)
}

/// Whether `navigator.canShare` says a file of this type can be shared (Android Chrome
/// and WebViews usually; desktop Linux Chromium not).
pub fn can_share_files(mime: &str) -> bool {
    let (Some(navigator), Ok(data)) = (navigator_has("canShare"), share_data("x", b"{}", mime))
    else {
        return false;
    };
    navigator_has("share").is_some() && navigator.can_share_with_data(&data)
}

/// Hands the file to the system share sheet (WeChat, QQ, e-mail, …). Must run inside the
/// tap's event handler: browsers allow sharing only right after a user gesture. Resolves
/// when the cadre picked a target; an error when they cancelled or sharing failed.
pub async fn share(name: &str, bytes: &[u8], mime: &str) -> Result<(), PwaError> {
    let navigator = navigator_has("share").ok_or(PwaError::Unsupported("navigator.share"))?;
    let data = share_data(name, bytes, mime)?;
    JsFuture::from(navigator.share_with_data(&data)).await?;
    Ok(())
}

/// The first file an `<input type=file>` holds, if any.
pub fn picked(input: &web_sys::HtmlInputElement) -> Option<File> {
    input.files().and_then(|list| list.get(0))
}

/// Every file picked in a `<input type=file multiple>`, in order.
pub fn picked_all(input: &web_sys::HtmlInputElement) -> Vec<File> {
    input
        .files()
        .map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect())
        .unwrap_or_default()
}

/// Reads a picked file's bytes (checked by the importer, which accepts a BOM and names
/// bad UTF-8, so no decoding happens here).
pub async fn read(file: &File) -> Result<Vec<u8>, PwaError> {
    let buffer: JsValue = JsFuture::from(file.array_buffer()).await?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}
