//! 导入: pick an export file, import it through `records::exchange::import`, and show the
//! report (新增 / 更新 / 未变 / 冲突) or, for a refused file, the reason in the cadre's
//! language — in which case nothing was written.

use crate::ctx::use_app;
use crate::i18n::*;
use crate::message::message_text;
use crate::pwa::files;
use crate::records::exchange::{import, ImportFailure, Imported};
use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::HtmlInputElement;

/// The import section.
#[component]
pub fn ImportForm() -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    let busy = RwSignal::new(false);
    // Finished imports, so a test can wait for the next one.
    let runs = RwSignal::new(0u32);
    let outcome = RwSignal::new(None::<Result<Imported, ImportFailure>>);
    let picked = move |ev: leptos::ev::Event| {
        let input: HtmlInputElement = event_target(&ev);
        let Some(file) = files::picked(&input) else {
            return;
        };
        // Cleared so that picking the same file again imports it again.
        input.set_value("");
        let store = ctx.store();
        busy.set(true);
        outcome.set(None);
        spawn_local(async move {
            let result = match files::read(&file).await {
                Ok(bytes) => import(&store, &bytes).await,
                Err(e) => Err(ImportFailure::Unreadable(e.to_string())),
            };
            if let Ok(done) = &result {
                if done.report.new + done.report.updated > 0 {
                    ctx.notify_changed();
                }
            }
            _ = busy.try_set(false);
            _ = outcome.try_set(Some(result));
            _ = runs.try_update(|n| *n += 1);
        });
    };
    let figure = |label: &'static str, value: usize, testid: &'static str| {
        view! {
            <div class="stat" data-testid=testid>
                <span class="value">{value}</span>
                <span class="label">{label}</span>
            </div>
        }
    };
    view! {
        <section class="form import" data-testid="import-section" data-runs=runs>
            <h3>{t!(i18n, x_import_title)}</h3>
            <p class="hint">{t!(i18n, x_import_explain)}</p>
            <label>{t!(i18n, x_import_pick)}
                <input type="file" accept=".json,application/json" data-testid="import-file"
                    disabled=move || busy.get() on:change=picked/>
            </label>
            <Show when=move || busy.get()>
                <p data-testid="import-busy">{t!(i18n, x_importing)}</p>
            </Show>
            {move || outcome.get().map(|o| match o {
                Ok(done) => {
                    let r = done.report;
                    view! {
                        <div data-testid="import-report" data-station=done.station.clone()
                            data-new=r.new data-updated=r.updated data-unchanged=r.unchanged data-conflicts=r.conflicts>
                            <p class="ok">{t!(i18n, x_import_done)}" "{done.station.clone()}</p>
                            <div class="stats">
                                {figure(t_string!(i18n, x_import_new), r.new, "import-new")}
                                {figure(t_string!(i18n, x_import_updated), r.updated, "import-updated")}
                                {figure(t_string!(i18n, x_import_unchanged), r.unchanged, "import-unchanged")}
                                {figure(t_string!(i18n, x_import_conflicts), r.conflicts, "import-conflicts")}
                            </div>
                        </div>
                    }.into_any()
                }
                Err(e) => {
                    let code = e.code();
                    view! {
                        <div class="error" role="alert" data-testid="import-error" data-code=code>
                            <strong>{t!(i18n, x_import_refused)}</strong>
                            <p>{message_text(e)}</p>
                        </div>
                    }.into_any()
                }
            })}
        </section>
    }
}
