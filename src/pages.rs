//! One module per screen. Pages read and write through [`crate::ctx::AppCtx`]'s store
//! handle; they never touch IndexedDB or the network directly.

pub mod certificate;
pub mod concerns;
pub mod conflict;
pub mod conflicts;
pub mod export;
pub mod forum_detail;
pub mod forum_form;
pub mod forum_print;
pub mod forums;
pub mod home;
pub mod honour_roll;
pub mod hq_accounts;
pub mod hq_import;
pub mod hq_review;
pub mod hq_setup;
pub mod hq_stations;
pub mod hq_status;
pub mod ledger_print;
pub mod notice_print;
pub mod points_book;
pub mod points_rules;
pub mod points_shop;
pub mod profile;
pub mod roster;
pub mod settings;
pub mod stats;
pub mod survey_fill;
pub mod survey_form;
pub mod survey_results;
pub mod surveys;
pub mod sync;
pub mod teams;
pub mod verify;
pub mod volunteer_card;
pub mod volunteer_detail;
pub mod volunteer_form;
pub mod volunteers;

mod doc_list;
