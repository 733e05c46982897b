//! Yehua's domain model: the document types of docs/design.md, their ids,
//! their validation (with zh-CN and en messages), a deterministic demo-data generator and
//! the headquarters totals, the monthly roll-up up the station tree (`rollup`) and the CSV
//! files beside an export (`csv`, `tables`).
//!
//! Pure Rust with no I/O and no web dependencies: it builds for the host and for
//! `wasm32-unknown-unknown`, and is tested natively. It never reads the clock or a random
//! source itself — callers pass times and entropy in — so every function is deterministic.

pub mod attendance;
pub mod compare;
pub mod concern;
pub mod csv;
pub mod date_input;
pub mod demo;
pub mod doc;
pub mod filter;
pub mod form;
pub mod id;
pub mod key_span;
pub mod names;
pub mod pack;
pub mod paper;
pub mod points;
pub mod qr;
pub mod review;
pub mod rollup;
pub mod row;
pub mod setup;
pub mod survey;
pub mod sync_status;
pub mod tables;
pub mod time;
pub mod validate;

pub use doc::{
    Activity, ActivityKind, Attendance, Concern, ConcernCategory, ConcernStatus, Meta, Record,
    Segment, ShapeError, ShopItem, Team, Volunteer,
};
pub use id::{DocType, IdError};
pub use validate::ValidationError;
