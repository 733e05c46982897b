//! 同步 tab: what is recorded on this phone. The replicator (a later issue) adds
//! login, progress and conflicts here.

use crate::app::use_app;
use crate::components::stat_card::StatCard;
use crate::i18n::*;
use leptos::prelude::*;

/// The sync screen.
#[component]
pub fn SyncPage() -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    let seq = LocalResource::new(move || {
        ctx.changed.track();
        let store = ctx.store();
        async move { store.update_seq().await }
    });
    view! {
        <h2>{t!(i18n, sync_title)}</h2>
        <p>{t!(i18n, sync_explain)}</p>
        <div class="stats">
            <StatCard
                label=Signal::derive(move || t_string!(i18n, sync_local_changes).to_string())
                value=Signal::derive(move || seq.get().and_then(|r| r.ok()))
                testid="update-seq"
            />
        </div>
    }
}
