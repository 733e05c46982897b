//! 导入文件 (`/hq/import`): headquarters takes the export files stations sent by WeChat —
//! several picked at once — and sends each to the hub (`sync::console::upload`), one after
//! the other; the hub validates the whole file and merges it as `yehua-hub import` does.
//! One report line per file: its counts (新增 / 更新 / 未变 / 冲突), or why it was refused
//! (in the user's language, and the precise reason below it) — a refused file wrote
//! nothing. Never touches the phone's store and never fetches itself.

use super::hq_status::HqTabs;
use crate::i18n::*;
use crate::message::message_text;
use crate::pwa::files;
use crate::sync::console::upload::{upload, Refusal, Uploaded};
use crate::sync::console::ConsoleError;
use crate::sync::service::use_sync;
use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::HtmlInputElement;

/// One file's line of the report.
#[derive(Clone)]
struct Line {
    name: String,
    outcome: Option<Result<Uploaded, Refusal>>,
}

/// The upload screen.
#[component]
pub fn HqImportPage() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let lines = RwSignal::new(Vec::<Line>::new());
    let busy = RwSignal::new(false);
    let picked = move |ev: leptos::ev::Event| {
        let input: HtmlInputElement = event_target(&ev);
        let picked = files::picked_all(&input);
        // Cleared so that picking the same files again sends them again.
        input.set_value("");
        if picked.is_empty() {
            return;
        }
        let server = sync.settings.get_untracked().map(|s| s.server);
        lines.set(
            picked
                .iter()
                .map(|f| Line {
                    name: f.name(),
                    outcome: None,
                })
                .collect(),
        );
        busy.set(true);
        spawn_local(async move {
            for (i, file) in picked.iter().enumerate() {
                let outcome = match &server {
                    Some(s) => upload(s, file).await,
                    None => Err(Refusal::Failed(ConsoleError::NotSignedIn)),
                };
                if let Err(e) = &outcome {
                    leptos::logging::warn!("yehua: upload {}: {e}", file.name());
                }
                _ = lines.try_update(|l| {
                    if let Some(line) = l.get_mut(i) {
                        line.outcome = Some(outcome);
                    }
                });
            }
            _ = busy.try_set(false);
        });
    };
    view! {
        <HqTabs/>
        <h2>{t!(i18n, hq_import_title)}</h2>
        <section class="form import" data-testid="hq-import" data-busy=move || busy.get().to_string()>
            <p class="hint">{t!(i18n, hq_import_explain)}</p>
            <label>{t!(i18n, hq_import_pick)}
                <input type="file" multiple accept=".json,application/json" data-testid="hq-import-files"
                    disabled=move || busy.get() on:change=picked/>
            </label>
        </section>
        <ul class="doc-list hq-import-report" data-testid="hq-import-report">
            {move || lines.get().into_iter().map(line_view).collect_view()}
        </ul>
    }
}

fn line_view(line: Line) -> impl IntoView {
    let i18n = use_i18n();
    let figure = |label: String, value: usize| {
        view! {
            <div class="stat">
                <span class="value">{value}</span>
                <span class="label">{label}</span>
            </div>
        }
    };
    let (state, code, body) = match line.outcome {
        None => (
            "busy",
            String::new(),
            view! { <p class="hint">{t!(i18n, x_importing)}</p> }.into_any(),
        ),
        Some(Ok(done)) => (
            "ok",
            String::new(),
            view! {
                <p class="ok" data-station=done.station.clone() data-new=done.new data-updated=done.updated
                    data-unchanged=done.unchanged data-conflicts=done.conflicts>
                    {t!(i18n, x_import_done)}" "{done.station.clone()}
                </p>
                <div class="stats">
                    {figure(t_string!(i18n, x_import_new).to_owned(), done.new)}
                    {figure(t_string!(i18n, x_import_updated).to_owned(), done.updated)}
                    {figure(t_string!(i18n, x_import_unchanged).to_owned(), done.unchanged)}
                    {figure(t_string!(i18n, x_import_conflicts).to_owned(), done.conflicts)}
                </div>
            }
            .into_any(),
        ),
        Some(Err(e)) => {
            let precise = e.to_string();
            (
                "refused",
                e.code(),
                view! {
                    <div class="error" role="alert">
                        <strong>{t!(i18n, x_import_refused)}</strong>
                        <p data-testid="hq-import-reason">{message_text(e)}</p>
                        <p class="hint precise">{t!(i18n, hq_import_precise)}" "{precise}</p>
                    </div>
                }
                .into_any(),
            )
        }
    };
    let file = line.name.clone();
    view! {
        <li data-testid="hq-import-line" data-file=file data-state=state data-code=code>
            <div class="row-title">{line.name}</div>
            {body}
        </li>
    }
}
