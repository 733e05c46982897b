//! A monthly bar chart: one bar per month, its value above it and the month below.

use super::{max, month_label, slot, x, y, Point, BOTTOM, HEIGHT, SIDE, WIDTH};
use leptos::prelude::*;

/// Bars of `points` (oldest first). `label` names the figure in each bar's `<title>`.
#[component]
pub fn BarChart(
    #[prop(into)] points: Signal<Vec<Point>>,
    #[prop(into)] label: Signal<String>,
    testid: &'static str,
) -> impl IntoView {
    let bars = move || {
        let pts = points.get();
        let (n, top) = (pts.len(), max(&pts));
        let w = slot(n) * 0.62;
        let name = label.get();
        pts.into_iter()
            .enumerate()
            .map(|(i, p)| {
                let (cx, yy) = (x(i, n), y(p.value, top));
                let title = format!("{} {name} {}", p.month, p.text);
                view! {
                    <g class="bar" data-testid="bar" data-month=p.month.clone() data-value=p.text.clone()>
                        <title>{title}</title>
                        <rect x=format!("{:.1}", cx - w / 2.0) y=format!("{yy:.1}")
                            width=format!("{w:.1}") height=format!("{:.1}", BOTTOM - yy)/>
                        <text class="value" x=format!("{cx:.1}") y=format!("{:.1}", yy - 4.0) text-anchor="middle">{p.text.clone()}</text>
                        <text class="month" x=format!("{cx:.1}") y=format!("{:.1}", HEIGHT - 6.0) text-anchor="middle">{month_label(&p.month)}</text>
                    </g>
                }
            })
            .collect_view()
    };
    view! {
        <svg class="chart" data-testid=testid viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img"
            aria-label=move || label.get()>
            <line class="axis" x1=SIDE y1=BOTTOM x2=WIDTH - SIDE y2=BOTTOM/>
            {bars}
        </svg>
    }
}
