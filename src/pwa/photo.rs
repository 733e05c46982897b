//! Photos in the browser: a picked camera or gallery file decoded with its orientation
//! applied (`createImageBitmap`, `imageOrientation: "from-image"`), drawn scaled on an
//! `OffscreenCanvas` and re-encoded as JPEG — the full photo (longest side
//! [`FULL_SIDE`] px, quality stepped down from 0.8 until it is at most [`FULL_MAX`] bytes)
//! and a thumbnail ([`THUMB_SIDE`] px, at most [`THUMB_MAX`] bytes). Re-encoding writes no
//! EXIF, so no GPS position or camera serial leaves the phone. Also the link type
//! (`navigator.connection.type`, where the browser has the Network Information API).
//!
//! Owns canvas work only; never touches IndexedDB or documents (`records::photos` does).

use super::PwaError;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, ImageBitmap, ImageBitmapOptions, ImageEncodeOptions, ImageOrientation, OffscreenCanvas,
    OffscreenCanvasRenderingContext2d,
};

/// The full photo's longest side, in pixels.
pub const FULL_SIDE: u32 = 1600;
/// The full photo's target size in bytes.
pub const FULL_MAX: f64 = 300.0 * 1024.0;
/// The thumbnail's longest side, in pixels.
pub const THUMB_SIDE: u32 = 320;
/// The thumbnail's target size in bytes.
pub const THUMB_MAX: f64 = 25.0 * 1024.0;
/// JPEG qualities tried in turn until the target size is met (the last one is kept).
const QUALITIES: [f64; 6] = [0.8, 0.7, 0.6, 0.5, 0.4, 0.3];

/// A photo scaled on the phone: both JPEGs, without EXIF.
#[derive(Debug, Clone)]
pub struct Scaled {
    /// Longest side [`FULL_SIDE`].
    pub image: Blob,
    /// Longest side [`THUMB_SIDE`].
    pub thumb: Blob,
    /// The full photo's width and height.
    pub size: (u32, u32),
}

/// Decodes `file` (orientation applied) and makes its full photo and thumbnail.
pub async fn scale(file: &Blob) -> Result<Scaled, PwaError> {
    let window = web_sys::window().ok_or(PwaError::Unsupported("window"))?;
    let opts = ImageBitmapOptions::new();
    opts.set_image_orientation(ImageOrientation::FromImage);
    let bitmap: ImageBitmap =
        JsFuture::from(window.create_image_bitmap_with_blob_and_image_bitmap_options(file, &opts)?)
            .await?
            .unchecked_into();
    let (w, h) = fit(bitmap.width(), bitmap.height(), FULL_SIDE);
    let full = OffscreenCanvas::new(w, h)?;
    context(&full)?.draw_image_with_image_bitmap_and_dw_and_dh(
        &bitmap,
        0.0,
        0.0,
        f64::from(w),
        f64::from(h),
    )?;
    bitmap.close();
    let (tw, th) = fit(w, h, THUMB_SIDE);
    let small = OffscreenCanvas::new(tw, th)?;
    context(&small)?.draw_image_with_offscreen_canvas_and_dw_and_dh(
        &full,
        0.0,
        0.0,
        f64::from(tw),
        f64::from(th),
    )?;
    Ok(Scaled {
        image: encode(&full, FULL_MAX).await?,
        thumb: encode(&small, THUMB_MAX).await?,
        size: (w, h),
    })
}

/// `(w, h)` scaled so the longest side is at most `side` (never enlarged).
pub fn fit(w: u32, h: u32, side: u32) -> (u32, u32) {
    let long = w.max(h).max(1);
    if long <= side {
        return (w.max(1), h.max(1));
    }
    let k = f64::from(side) / f64::from(long);
    (
        ((f64::from(w) * k).round() as u32).max(1),
        ((f64::from(h) * k).round() as u32).max(1),
    )
}

fn context(canvas: &OffscreenCanvas) -> Result<OffscreenCanvasRenderingContext2d, PwaError> {
    let ctx: OffscreenCanvasRenderingContext2d = canvas
        .get_context("2d")?
        .ok_or(PwaError::Unsupported("OffscreenCanvas 2d"))?
        .unchecked_into();
    ctx.set_image_smoothing_enabled(true);
    Ok(ctx)
}

/// JPEG of `canvas` at the first quality of [`QUALITIES`] that fits `max` bytes.
async fn encode(canvas: &OffscreenCanvas, max: f64) -> Result<Blob, PwaError> {
    let mut last = None;
    for q in QUALITIES {
        let opts = ImageEncodeOptions::new();
        opts.set_type("image/jpeg");
        opts.set_quality(q);
        let blob: Blob = JsFuture::from(canvas.convert_to_blob_with_options(&opts)?)
            .await?
            .unchecked_into();
        if blob.size() <= max {
            return Ok(blob);
        }
        last = Some(blob);
    }
    last.ok_or(PwaError::Unsupported("convertToBlob"))
}

/// The bytes of `blob`.
pub async fn bytes(blob: &Blob) -> Result<Vec<u8>, PwaError> {
    let buffer = JsFuture::from(blob.array_buffer()).await?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// A JPEG blob of `bytes`.
pub fn jpeg(bytes: &[u8]) -> Result<Blob, PwaError> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes).into());
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("image/jpeg");
    Ok(Blob::new_with_u8_array_sequence_and_options(&parts, &opts)?)
}

/// What the browser says about the link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// Wi-Fi or Ethernet.
    Wifi,
    /// A mobile or other metered link.
    Cellular,
    /// The browser has no Network Information API (or does not say the type).
    Unknown,
}

/// The link type from `navigator.connection.type` (Chrome on Android has it; desktop
/// browsers and iOS do not, which is [`Link::Unknown`]).
pub fn link() -> Link {
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else {
        return Link::Unknown;
    };
    let has = js_sys::Reflect::get(&navigator, &"connection".into())
        .ok()
        .filter(|c| !c.is_undefined() && !c.is_null());
    let Some(conn) = has else {
        return Link::Unknown;
    };
    let ty = js_sys::Reflect::get(&conn, &"type".into())
        .ok()
        .and_then(|t| t.as_string());
    match ty.as_deref() {
        Some("wifi" | "ethernet") => Link::Wifi,
        Some("cellular" | "bluetooth" | "wimax") => Link::Cellular,
        _ => Link::Unknown,
    }
}

/// An object URL showing `blob` in an `<img>` (revoke with [`revoke`]).
pub fn object_url(blob: &Blob) -> Option<String> {
    web_sys::Url::create_object_url_with_blob(blob).ok()
}

/// Frees an object URL made by [`object_url`].
pub fn revoke(url: &str) {
    web_sys::Url::revoke_object_url(url).ok();
}

#[cfg(test)]
mod tests {
    use super::fit;

    #[test]
    fn fit_keeps_the_aspect_and_never_enlarges() {
        assert_eq!(fit(4000, 3000, 1600), (1600, 1200));
        assert_eq!(fit(3000, 4000, 1600), (1200, 1600));
        assert_eq!(fit(800, 600, 1600), (800, 600));
        assert_eq!(fit(1600, 1200, 320), (320, 240));
    }
}
