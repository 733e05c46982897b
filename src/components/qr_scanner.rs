//! Scans a QR code with the phone camera, offline: the browser's `BarcodeDetector` where it
//! exists, otherwise frames drawn to a canvas and read by `model::qr::decode_luma` in Rust.
//! Raises what `read` takes from a code — by default the volunteer id of a card (the
//! roster), or a printed page's stamp (核验); never writes anything.

use crate::chunks::{load, ChunkError};
use crate::i18n::*;
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    CanvasRenderingContext2d, HtmlCanvasElement, HtmlVideoElement, MediaStream,
    MediaStreamConstraints,
};

/// Time between two frames looked at.
const FRAME_MS: u32 = 300;

/// What a scanner raises from a decoded text (`None`: not a code it wants).
pub type Reader = fn(&str) -> Option<String>;

/// A volunteer card's id.
fn volunteer(text: &str) -> Option<String> {
    model::qr::volunteer_of(text).map(str::to_owned)
}

/// The camera view; calls `on_scan` with what `read` takes from each new code (by default a
/// volunteer card's id), until closed.
#[component]
pub fn QrScanner(
    on_scan: Callback<String>,
    on_close: Callback<()>,
    #[prop(optional)] read: Option<Reader>,
) -> impl IntoView {
    let read = read.unwrap_or(volunteer);
    let i18n = use_i18n();
    let video = NodeRef::<leptos::html::Video>::new();
    let error = RwSignal::new(None::<&'static str>);
    let running = StoredValue::new(true);
    let stream = StoredValue::new_local(None::<MediaStream>);
    Effect::new(move |_| {
        let Some(el) = video.get() else { return };
        let el: HtmlVideoElement = el;
        spawn_local(async move {
            match open_camera().await {
                Ok(s) => {
                    el.set_src_object(Some(&s));
                    let _ = el.play();
                    stream.set_value(Some(s));
                    scan_loop(el, running, on_scan, read).await;
                }
                Err(_) => _ = error.try_set(Some("camera")),
            }
        });
    });
    let close = move |_| {
        running.set_value(false);
        if let Some(s) = stream.get_value() {
            s.get_tracks()
                .for_each(&mut |t, _, _| t.unchecked_into::<web_sys::MediaStreamTrack>().stop());
        }
        on_close.run(());
    };
    on_cleanup(move || running.try_set_value(false).map_or((), |_| ()));
    view! {
        <div class="scanner" data-testid="qr-scanner">
            <video node_ref=video playsinline=true muted=true></video>
            <p class="field-error">{move || error.get().map(|_| t_string!(i18n, camera_unavailable))}</p>
            <button on:click=close>{t!(i18n, close)}</button>
        </div>
    }
}

async fn open_camera() -> Result<MediaStream, JsValue> {
    let devices = web_sys::window()
        .ok_or(JsValue::NULL)?
        .navigator()
        .media_devices()?;
    let constraints = MediaStreamConstraints::new();
    let video = js_sys::Object::new();
    js_sys::Reflect::set(&video, &"facingMode".into(), &"environment".into())?;
    constraints.set_video(&video);
    let p = devices.get_user_media_with_constraints(&constraints)?;
    Ok(JsFuture::from(p).await?.unchecked_into())
}

async fn scan_loop(
    video: HtmlVideoElement,
    running: StoredValue<bool>,
    on_scan: Callback<String>,
    read: Reader,
) {
    let detector = barcode_detector();
    let canvas: Option<HtmlCanvasElement> = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("canvas").ok())
        .and_then(|c| c.dyn_into().ok());
    let mut last = String::new();
    while running.try_get_value() == Some(true) {
        TimeoutFuture::new(FRAME_MS).await;
        let text = match &detector {
            Some(d) => detect_native(d, &video).await,
            None => match &canvas {
                Some(c) => detect_rust(c, &video).await,
                None => None,
            },
        };
        if let Some(found) = text.as_deref().and_then(read) {
            if found != last {
                last = found;
                on_scan.run(last.clone());
            }
        }
    }
}

/// `new BarcodeDetector({formats: ['qr_code']})` where the browser has it.
fn barcode_detector() -> Option<JsValue> {
    let global = js_sys::global();
    let ctor = js_sys::Reflect::get(&global, &"BarcodeDetector".into())
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?;
    let opts = js_sys::Object::new();
    js_sys::Reflect::set(
        &opts,
        &"formats".into(),
        &js_sys::Array::of1(&"qr_code".into()),
    )
    .ok()?;
    js_sys::Reflect::construct(&ctor, &js_sys::Array::of1(&opts)).ok()
}

async fn detect_native(detector: &JsValue, video: &HtmlVideoElement) -> Option<String> {
    let detect = js_sys::Reflect::get(detector, &"detect".into())
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?;
    let promise = detect
        .call1(detector, video)
        .ok()?
        .dyn_into::<js_sys::Promise>()
        .ok()?;
    let found = js_sys::Array::from(&JsFuture::from(promise).await.ok()?);
    found.iter().find_map(|b| {
        js_sys::Reflect::get(&b, &"rawValue".into())
            .ok()?
            .as_string()
    })
}

async fn detect_rust(canvas: &HtmlCanvasElement, video: &HtmlVideoElement) -> Option<String> {
    let (w, h) = (video.video_width(), video.video_height());
    if w == 0 || h == 0 {
        return None;
    }
    canvas.set_width(w);
    canvas.set_height(h);
    let opts = js_sys::Object::new();
    js_sys::Reflect::set(&opts, &"willReadFrequently".into(), &true.into()).ok()?;
    let ctx: CanvasRenderingContext2d = canvas
        .get_context_with_context_options("2d", &opts)
        .ok()??
        .dyn_into()
        .ok()?;
    ctx.draw_image_with_html_video_element(video, 0.0, 0.0)
        .ok()?;
    let rgba = ctx
        .get_image_data(0.0, 0.0, w as f64, h as f64)
        .ok()?
        .data();
    let luma: Vec<u8> = rgba
        .chunks_exact(4)
        .map(|p| ((p[0] as u16 * 77 + p[1] as u16 * 150 + p[2] as u16 * 29) >> 8) as u8)
        .collect();
    // A frame whose decoder could not be downloaded is skipped; the next one tries again.
    load!(decode_frame(w as usize, h as usize, luma))
        .ok()
        .flatten()
}

/// The Rust decoder (rqrr, with its 64 KB table that does not compress), only needed
/// where `BarcodeDetector` is missing: its own chunk in the split build.
#[cfg_attr(
    feature = "split",
    leptos::wasm_split::wasm_split(qr, wasm_split_path = ::leptos::wasm_split, fallible)
)]
fn decode_frame(w: usize, h: usize, luma: Vec<u8>) -> Result<Option<String>, ChunkError> {
    Ok(model::qr::decode_luma(w, h, &luma))
}
