//! A monthly trend line: one point per month joined by a line, each value above its point.

use super::{max, month_label, x, y, Point, BOTTOM, HEIGHT, SIDE, WIDTH};
use leptos::prelude::*;

/// The line through `points` (oldest first). `label` names the figure in each point's
/// `<title>`.
#[component]
pub fn TrendChart(
    #[prop(into)] points: Signal<Vec<Point>>,
    #[prop(into)] label: Signal<String>,
    testid: &'static str,
) -> impl IntoView {
    let path = move || {
        let pts = points.get();
        let (n, top) = (pts.len(), max(&pts));
        pts.iter()
            .enumerate()
            .map(|(i, p)| format!("{:.1},{:.1}", x(i, n), y(p.value, top)))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let marks = move || {
        let pts = points.get();
        let (n, top) = (pts.len(), max(&pts));
        let name = label.get();
        pts.into_iter()
            .enumerate()
            .map(|(i, p)| {
                let (cx, cy) = (x(i, n), y(p.value, top));
                // Alternate labels above and below the line so neighbours do not collide.
                let ly = if i % 2 == 0 { cy - 6.0 } else { cy + 13.0 }.min(BOTTOM - 2.0);
                let title = format!("{} {name} {}", p.month, p.text);
                view! {
                    <g class="point" data-testid="point" data-month=p.month.clone() data-value=p.text.clone()>
                        <title>{title}</title>
                        <circle cx=format!("{cx:.1}") cy=format!("{cy:.1}") r="3"/>
                        <text class="value" x=format!("{cx:.1}") y=format!("{ly:.1}") text-anchor="middle">{p.text.clone()}</text>
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
            <polyline class="line" points=path/>
            {marks}
        </svg>
    }
}
