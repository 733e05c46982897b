//! The Yehua hub: a CouchDB-compatible sync server on SQLite that also serves the built
//! app. One process is all a township or county office runs.
//!
//! - [`store`]: the SQLite file, its schema and queries (documents, changes, accounts).
//! - [`couch`]: the CouchDB HTTP API under `/couch/` (revision logic from crates/couch).
//! - [`auth`]: passwords, sessions, the login rate limit and the access rule.
//! - [`admin`]: adding stations and users (the command line).
//! - [`users`]: accounts as CouchDB `_users` documents, and the password rules.
//! - [`import`]: importing export files from stations that could not sync.
//! - [`report`]: the dashboard's monthly figures (computed by `model::rollup`).
//! - [`stations`]: the station tree as the console changes it (add, rename, move).
//! - [`status`]: 上报情况, who has reported in a month (also `model::rollup`).
//! - [`security`]: CSP, hardening headers, CORS.
//! - [`serve`]: wiring it into one router and listening.
//!
//! Architecture invariant: document merging and winner choice happen only in
//! crates/couch; the hub stores each document's `DocRecord` and never edits a tree.

pub mod admin;
pub mod auth;
pub mod couch;
pub mod import;
pub mod report;
pub mod security;
pub mod serve;
pub mod stations;
pub mod status;
pub mod store;
pub mod users;
