//! A labelled figure (a count on the home and statistics screens).

use leptos::prelude::*;

/// One figure with its label; `value` is `None` while loading (shown as "…"), or — with
/// `none` — when there is no figure yet (e.g. "—" before the first sync).
#[component]
pub fn StatCard(
    #[prop(into)] label: Signal<String>,
    #[prop(into)] value: Signal<Option<u64>>,
    #[prop(into, optional)] testid: String,
    #[prop(optional)] none: Option<&'static str>,
) -> impl IntoView {
    view! {
        <div class="stat" data-testid=testid>
            <span class="value">{move || value.get().map(|v| v.to_string()).unwrap_or_else(|| none.unwrap_or("…").into())}</span>
            <span class="label">{move || label.get()}</span>
        </div>
    }
}
