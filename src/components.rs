//! Reusable widgets. Components render and raise events; they never open the store.

pub mod bottom_nav;
pub mod online_badge;
pub mod stat_card;
