//! 活动照片 on a forum page (and 办结照片 on a resolved concern): 拍照 (the camera, `capture="environment"`) or 从相册选择
//! (several files), an optional caption, the thumbnails (from the store, no network), and
//! a viewer opened by a tap: the full photo (fetched from the hub when only the thumbnail
//! is here), 上一张 / 下一张 and swiping, delete with undo.
//!
//! Reads and writes through `records::photos` only; never touches a canvas or IndexedDB.
//! Object URLs it makes for `<img>` are revoked when their view goes.

use crate::components::undo_delete::restore;
use crate::ctx::use_app;
use crate::i18n::*;
use crate::message::{error_slot, said, Said};
use crate::pwa::photo::{object_url, revoke};
use crate::records::photos::{self, PhotoItem, Subject};
use crate::records::{self, Deleted};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

/// The photos of `subject`, with the buttons that add more.
#[component]
pub fn PhotoGallery(
    subject: Subject,
    subject_id: String,
    /// Photos as evidence of a resolved concern (办结照片) rather than of a forum.
    #[prop(optional)]
    evidence: bool,
) -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    let error = RwSignal::new(None::<Said>);
    let busy = RwSignal::new(0u32);
    let caption = RwSignal::new(String::new());
    let open = RwSignal::new(None::<usize>);
    let deleted = RwSignal::new(None::<Deleted>);
    let list = LocalResource::new(move || {
        ctx.changed.track();
        let (store, id) = (ctx.store(), subject_id.clone());
        async move { photos::list(&store, &id).await }
    });
    let items = move || list.get().and_then(Result::ok).unwrap_or_default();
    let picked = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let files: Vec<web_sys::File> = input
            .files()
            .map(|l| (0..l.length()).filter_map(|i| l.get(i)).collect())
            .unwrap_or_default();
        input.set_value("");
        let Some(profile) = ctx.profile.get_untracked() else {
            return;
        };
        if files.is_empty() {
            return;
        }
        busy.set(files.len() as u32);
        let (store, subject) = (ctx.store(), subject.clone());
        spawn_local(async move {
            let text = caption.get_untracked();
            let done = photos::add(&store, &profile, &subject, files, &text).await;
            _ = busy.try_set(0);
            match done {
                Ok(_) => {
                    _ = caption.try_set(String::new());
                    _ = error.try_set(None);
                }
                Err(e) => {
                    leptos::logging::error!("yehua: add photo: {e}");
                    _ = error.try_set(Some(said(e)));
                }
            }
            ctx.notify_changed();
        });
    };
    let picked_gallery = picked.clone();
    view! {
        <section class="photos" data-testid="photos">
            <h3>{move || if evidence { t_string!(i18n, concern_photos) } else { t_string!(i18n, photos_title) }}</h3>
            {crate::components::loaded::failure(list)}
            <Show when=move || deleted.with(Option::is_some)>
                <div class="toast" role="status" data-testid="photo-undo-toast">
                    {t!(i18n, deleted)}" "
                    <button data-testid="photo-undo" on:click=move |_| undo(deleted, error)>{t!(i18n, undo)}</button>
                </div>
            </Show>
            <ul class="thumbs" data-testid="thumbs">
                <For each=move || items().into_iter().enumerate() key=|(i, p)| (*i, p.id.clone())
                    children=move |(i, item)| view! {
                        <li>
                            <button class="thumb" data-testid="thumb" on:click=move |_| open.set(Some(i))>
                                <Thumb item/>
                            </button>
                        </li>
                    }
                />
            </ul>
            <Show when=move || list.get().is_some_and(|l| l.is_ok_and(|v| v.is_empty()))>
                <p class="hint" data-testid="no-photos">{t!(i18n, photos_none)}</p>
            </Show>
            <input name="caption" data-testid="photo-caption" placeholder=move || t_string!(i18n, photo_caption) bind:value=caption/>
            <div class="actions">
                <label class="button primary" data-testid="take-photo">
                    {t!(i18n, photo_take)}
                    <input type="file" accept="image/*" capture="environment" class="visually-hidden"
                        data-testid="camera-input" on:change=picked/>
                </label>
                <label class="button" data-testid="choose-photos">
                    {t!(i18n, photo_choose)}
                    <input type="file" accept="image/*" multiple class="visually-hidden"
                        data-testid="gallery-input" on:change=picked_gallery/>
                </label>
            </div>
            <Show when=move || busy.get() != 0>
                <p class="hint" role="status" data-testid="photo-busy">{move || { let n = busy.get(); t!(i18n, photo_busy, n = n) }}</p>
            </Show>
            {error_slot(error, "field-error", None)}
            {move || open.get().map(|i| view! {
                <Viewer items=items() index=i open deleted error/>
            })}
        </section>
    }
}

fn undo(deleted: RwSignal<Option<Deleted>>, error: RwSignal<Option<Said>>) {
    restore(deleted, move |e| _ = error.try_set(Some(said(e))));
}

/// An `<img>` of a blob read by `load`; the object URL is revoked with the view.
fn blob_img(
    blob: LocalResource<Option<web_sys::Blob>>,
    alt: String,
    testid: &'static str,
) -> impl IntoView {
    let url = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(old) = url.get_untracked() {
            revoke(&old);
        }
        let next = blob.get().flatten().and_then(|b| object_url(&b));
        url.set(next);
    });
    on_cleanup(move || {
        if let Some(u) = url.try_get_untracked().flatten() {
            revoke(&u);
        }
    });
    move || {
        url.get()
            .map(|src| view! { <img src=src alt=alt.clone() data-testid=testid/> })
    }
}

#[component]
fn Thumb(item: PhotoItem) -> impl IntoView {
    let ctx = use_app();
    let alt = item.caption.clone();
    let blob = LocalResource::new(move || {
        let (store, item) = (ctx.store(), item.clone());
        async move { photos::thumb(&store, &item).await.ok().flatten() }
    });
    blob_img(blob, alt, "thumb-img")
}

/// The full photo at `index` of `items`, with its caption, time, navigation and delete.
#[component]
fn Viewer(
    items: Vec<PhotoItem>,
    index: usize,
    open: RwSignal<Option<usize>>,
    deleted: RwSignal<Option<Deleted>>,
    error: RwSignal<Option<Said>>,
) -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    let count = items.len();
    let Some(item) = items.get(index).cloned() else {
        return ().into_any();
    };
    let failed = RwSignal::new(None::<Said>);
    let blob = {
        let item = item.clone();
        LocalResource::new(move || {
            let (store, item) = (ctx.store(), item.clone());
            async move {
                match photos::full(&store, &item).await {
                    Ok(b) => Some(b),
                    Err(e) => {
                        leptos::logging::error!("yehua: open photo: {e}");
                        _ = failed.try_set(Some(said(e)));
                        None
                    }
                }
            }
        })
    };
    let step = move |d: isize| {
        if count > 0 {
            let next = (index as isize + d).rem_euclid(count as isize) as usize;
            open.set(Some(next));
        }
    };
    let touch_x = StoredValue::new(None::<i32>);
    let start = move |ev: web_sys::TouchEvent| {
        touch_x.set_value(ev.changed_touches().get(0).map(|t| t.client_x()));
    };
    let end = move |ev: web_sys::TouchEvent| {
        let (Some(x0), Some(t)) = (touch_x.get_value(), ev.changed_touches().get(0)) else {
            return;
        };
        let dx = t.client_x() - x0;
        if dx.abs() > 40 {
            step(if dx < 0 { 1 } else { -1 });
        }
    };
    let id = item.id.clone();
    let remove = move |_| {
        let (store, id) = (ctx.store(), id.clone());
        spawn_local(async move {
            match records::delete(&store, &id).await {
                Ok(d) => {
                    _ = deleted.try_set(Some(d));
                    _ = open.try_set(None);
                    ctx.notify_changed();
                }
                Err(e) => _ = error.try_set(Some(said(e))),
            }
        });
    };
    let when = item
        .taken_at
        .get(..16)
        .unwrap_or_default()
        .replace('T', " ");
    view! {
        <div class="viewer" role="dialog" aria-modal="true" data-testid="viewer"
            on:touchstart=start on:touchend=end>
            <div class="viewer-bar">
                <span data-testid="viewer-pos">{format!("{} / {count}", index + 1)}</span>
                <button class="quiet" data-testid="viewer-close" on:click=move |_| open.set(None)>{t!(i18n, close)}</button>
            </div>
            <div class="viewer-photo">
                {blob_img(blob, item.caption.clone(), "full-img")}
                {move || (blob.get().is_none()).then(|| view! { <p class="hint">{t!(i18n, loading)}</p> })}
                {error_slot(failed, "field-error", Some("photo-error"))}
            </div>
            <p class="viewer-caption" data-testid="viewer-caption">{item.caption.clone()}" "<span class="row-meta">{when}</span></p>
            <div class="actions">
                <button data-testid="viewer-prev" on:click=move |_| step(-1)>{t!(i18n, photo_prev)}</button>
                <button data-testid="viewer-next" on:click=move |_| step(1)>{t!(i18n, photo_next)}</button>
                <button class="quiet" data-testid="photo-delete" on:click=remove>{t!(i18n, delete)}</button>
            </div>
        </div>
    }
    .into_any()
}
