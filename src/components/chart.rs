//! Small monthly charts in plain SVG (no chart library), readable on a 360 px screen:
//! [`bar::BarChart`] and [`trend::TrendChart`]. Each mark carries `data-month` and
//! `data-value` and a `<title>` with its value, and its value is written beside it, so
//! people and tests read the same figures. Owns drawing only; the figures come in.

pub mod bar;
pub mod trend;

/// One month's value.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// `YYYY-MM`.
    pub month: String,
    /// The value drawn.
    pub value: f64,
    /// The value as written (`8`, `12.5`).
    pub text: String,
}

/// The drawing's size in SVG units; it is scaled to the screen's width.
pub(crate) const WIDTH: f64 = 320.0;
pub(crate) const HEIGHT: f64 = 168.0;
/// Room above the plot for value labels and below it for month labels.
pub(crate) const TOP: f64 = 18.0;
pub(crate) const BOTTOM: f64 = HEIGHT - 22.0;
pub(crate) const SIDE: f64 = 6.0;

/// Horizontal room per month.
pub(crate) fn slot(n: usize) -> f64 {
    (WIDTH - 2.0 * SIDE) / n.max(1) as f64
}

/// The x of month `i`'s centre.
pub(crate) fn x(i: usize, n: usize) -> f64 {
    SIDE + slot(n) * (i as f64 + 0.5)
}

/// The y of `value` on a plot whose largest value is `max`.
pub(crate) fn y(value: f64, max: f64) -> f64 {
    let max = if max > 0.0 { max } else { 1.0 };
    BOTTOM - (value / max).clamp(0.0, 1.0) * (BOTTOM - TOP)
}

/// The month's number (`11`), the x-axis label; January also shows its year (`26/1`)
/// so a year's turn is visible.
pub(crate) fn month_label(month: &str) -> String {
    let (y, m) = month.split_once('-').unwrap_or((month, ""));
    let m = m.trim_start_matches('0');
    if m == "1" {
        format!("{}/1", y.get(2..).unwrap_or(y))
    } else {
        m.to_owned()
    }
}

/// The largest value (0 for none).
pub(crate) fn max(points: &[Point]) -> f64 {
    points.iter().map(|p| p.value).fold(0.0, f64::max)
}
