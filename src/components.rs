//! Reusable widgets. Components render and raise events; they never open the store.

pub mod answer_input;
pub mod bottom_nav;
pub mod chart;
pub mod concern_card;
pub mod dash_table;
pub mod date_field;
pub mod forum_survey;
pub mod import_form;
pub mod loaded;
pub mod name_picker;
pub mod option_bars;
pub mod paper;
pub mod pending_concerns;
pub mod photo_gallery;
pub mod photo_storage;
pub mod points_card;
pub mod pwa_layer;
pub mod qr_scanner;
pub mod question_editor;
pub mod stat_card;
pub mod sync_badge;
pub mod sync_progress;
pub mod undo_delete;
