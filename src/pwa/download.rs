//! Saving a file the app made (a CSV, an export) to the phone: a `Blob` behind an object
//! URL, clicked through a temporary `<a download>`. Owns only this browser glue; the text
//! is made elsewhere (`model`, `exchange`).

use super::PwaError;
use wasm_bindgen::JsCast;

/// Offers `text` as a file named `name` of type `mime` (UTF-8; a leading BOM is kept).
pub fn download_text(name: &str, mime: &str, text: &str) -> Result<(), PwaError> {
    let window = web_sys::window().ok_or(PwaError::Unsupported("window"))?;
    let document = window.document().ok_or(PwaError::Unsupported("document"))?;
    let parts = js_sys::Array::of1(&text.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let a: web_sys::HtmlAnchorElement = document.create_element("a")?.unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.click();
    // Revoked later, not now: a slow phone may not have read the blob yet.
    gloo_timers::callback::Timeout::new(60_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}
