//! The running sync's progress on the 同步 screen: which way it goes, records done of the
//! total (when the peer says), a bar, and how long it still needs once the rate is known
//! (`model::sync_status::eta_secs`). Renders the service's state; owns none.

use crate::i18n::*;
use crate::sync::service::use_sync;
use crate::sync::Direction;
use leptos::prelude::*;
use model::sync_status::eta_secs;

/// Shown while a sync runs and has reported a batch.
#[component]
pub fn SyncProgress() -> impl IntoView {
    let sync = use_sync();
    let i18n = use_i18n();
    let progress = move || sync.state.with(|s| s.progress.filter(|_| s.running));
    move || {
        progress().map(|p| {
            let eta = eta_secs(p.done, p.total, p.elapsed_ms);
            let direction = match p.direction {
                Direction::Push => t!(i18n, sync_dir_push).into_any(),
                Direction::Pull => t!(i18n, sync_dir_pull).into_any(),
            };
            let (done, total) = (p.done, p.total.unwrap_or(0).max(p.done));
            let counts = match p.total {
                Some(_) => t!(i18n, sync_progress_counts, done = done, total = total).into_any(),
                None => t!(i18n, sync_progress_done, done = done).into_any(),
            };
            view! {
                <div class="sync-run" data-testid="sync-run-progress" data-done=done data-total=total>
                    <progress max=total.max(1).to_string() value=done.to_string()></progress>
                    <p>
                        {direction}" · "{counts}
                        {eta.map(|secs| view! { " · "<span data-testid="sync-eta">{t!(i18n, sync_eta, secs = secs)}</span> })}
                    </p>
                </div>
            }
        })
    }
}
