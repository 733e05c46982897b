//! A forum's record page for print (`/forums/:id/print`, the 打印 button on the forum's
//! page): `components::paper::ForumSheet` with the record's verification QR.

use crate::components::loaded::loaded_found;
use crate::components::paper::{station_name, ForumSheet, PaperFrame};
use crate::ctx::use_app;
use crate::records::{now, paper};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The forum print screen.
#[component]
pub fn ForumPrintPage() -> impl IntoView {
    let ctx = use_app();
    let id = use_params_map()
        .with_untracked(|p| p.get("id"))
        .unwrap_or_default();
    let data = LocalResource::new(move || {
        let (store, id) = (ctx.store(), id.clone());
        async move { paper::forum(&store, &id).await }
    });
    loaded_found(data, |record| {
        let stamp = record.stamp(&now());
        let station = station_name(&record.info.station);
        view! {
            <PaperFrame stamp testid="forum-print">
                <ForumSheet record station_name=station/>
            </PaperFrame>
        }
        .into_any()
    })
}
