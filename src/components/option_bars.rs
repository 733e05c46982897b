//! Horizontal bars for one question's answers (options, 是/否, stars): plain SVG, one row
//! per option with its label above the bar and "count · percent" beside it, readable on a
//! 360 px screen. Draws only; the figures come from `model::survey::results`.

use leptos::prelude::*;
use model::survey::results::OptionCount;

/// Chart width in SVG units (scaled to the screen's width).
const W: u32 = 320;
/// Height of one option's row.
const ROW: u32 = 34;
/// Room at the right for "12 · 40%".
const FIGURE: u32 = 76;

/// The bar chart of `options`.
#[component]
pub fn OptionBars(options: Vec<OptionCount>, #[prop(into)] label: String) -> impl IntoView {
    let height = ROW * options.len() as u32;
    let rows = options
        .into_iter()
        .enumerate()
        .map(|(i, o)| {
            let y = i as u32 * ROW;
            let width = (W - FIGURE) * o.percent.min(100) as u32 / 100;
            view! {
                <g class="bar" data-label=o.label.clone() data-count=o.count.to_string() data-percent=o.percent.to_string()>
                    <text x="0" y=y + 12 class="bar-label">{o.label.clone()}</text>
                    <rect x="0" y=y + 16 width=(width.max(1)).to_string() height="12" rx="2" class="bar-fill"/>
                    <text x=(W - FIGURE + 6).to_string() y=y + 27 class="bar-figure">{format!("{} · {}%", o.count, o.percent)}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg class="option-bars" role="img" aria-label=label viewBox=format!("0 0 {W} {height}") width="100%">
            {rows}
        </svg>
    }
}
