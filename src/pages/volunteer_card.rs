//! A volunteer's printable card (`/volunteers/:id/card`): name, station and a QR code of
//! their id, drawn on the phone by `model::qr` — no network needed to make or print it.

use crate::components::loaded::failure;
use crate::ctx::use_app;
use crate::i18n::*;
use crate::records;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The card screen.
#[component]
pub fn VolunteerCardPage() -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    let id = use_params_map()
        .with_untracked(|p| p.get("id"))
        .unwrap_or_default();
    let svg = model::qr::encode(&model::qr::payload(&id))
        .map(|m| model::qr::to_svg(&m))
        .unwrap_or_default();
    let doc = LocalResource::new(move || {
        let (store, id) = (ctx.store(), id.clone());
        async move { records::find::<model::Volunteer>(&store, &id).await }
    });
    let print = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        <div class="card" data-testid="volunteer-card">
            <div class="card-station">{move || ctx.profile.get().map(|p| p.station_name)}</div>
            <div class="card-name">{move || doc.get().and_then(Result::ok).flatten().map(|v| v.name)}</div>
            {failure(doc)}
            <div class="card-qr" inner_html=svg></div>
            <div class="card-hint">{t!(i18n, card_hint)}</div>
        </div>
        <button class="primary no-print" on:click=print>{t!(i18n, print_card)}</button>
    }
}
