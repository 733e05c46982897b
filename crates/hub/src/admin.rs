//! The administrative commands behind `yehua-hub station add` and `yehua-hub user add`:
//! validation of codes, names, roles and passwords, then the rows (and, for a station,
//! its database `station_<code>`). Used by the command line, the demo seed and tests;
//! knows nothing of HTTP.

use crate::auth::{self, AccountRole, Role, STATION_DB_PREFIX};
use crate::store::{accounts, docs, Store, StoreError};
use crate::users::{self, PasswordProblem};
use rusqlite::Connection;

pub use crate::users::MIN_PASSWORD_CHARS;

/// Why an administrative command failed.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    /// The station code is not 1–32 ASCII digits or lowercase letters.
    #[error("station code `{0}` must be 1–32 digits or lowercase letters (an administrative code such as 330106001)")]
    BadCode(String),
    /// The station or user name is empty.
    #[error("the name must not be empty")]
    EmptyName,
    /// A referenced station does not exist.
    #[error("there is no station `{0}`; add it first with `yehua-hub station add`")]
    NoStation(String),
    /// The role is unknown.
    #[error(transparent)]
    Role(#[from] auth::RoleError),
    /// The password breaks a rule (`users::check_password`).
    #[error(transparent)]
    WeakPassword(#[from] PasswordProblem),
    /// Hashing failed.
    #[error(transparent)]
    Hash(#[from] auth::HashError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The database name of station `code`.
pub fn station_db(code: &str) -> String {
    format!("{STATION_DB_PREFIX}{code}")
}

pub(crate) fn check_code(code: &str) -> Result<(), AdminError> {
    let ok = (1..=32).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_ascii_lowercase());
    if ok {
        Ok(())
    } else {
        Err(AdminError::BadCode(code.to_owned()))
    }
}

/// Adds (or updates) a station and creates its database if missing. Its `_security` is
/// what the station tree says (`couch::server::security`), never stored.
pub fn add_station(tx: &Connection, station: &accounts::Station) -> Result<(), AdminError> {
    check_code(&station.code)?;
    if station.name.trim().is_empty() {
        return Err(AdminError::EmptyName);
    }
    if let Some(parent) = &station.parent {
        check_code(parent)?;
        if accounts::station_get(tx, parent)?.is_none() {
            return Err(AdminError::NoStation(parent.clone()));
        }
    }
    accounts::station_put(tx, station)?;
    docs::db_create(tx, &station_db(&station.code))?;
    Ok(())
}

/// Adds a user (or replaces one, ending their sessions and enabling the account); true if
/// new. The row's roles are CouchDB's (`cadre:<station>`, `hq:<station>`, `_admin`), as
/// the `_users` API writes them. Slow: argon2.
pub fn add_user(
    store: &Store,
    name: &str,
    station: &str,
    role: &str,
    password: &str,
) -> Result<bool, AdminError> {
    let role: Role = role.parse()?;
    if name.trim().is_empty() || name.contains(':') {
        return Err(AdminError::EmptyName);
    }
    users::check_password(name, password)?;
    let role = match role {
        Role::Cadre => AccountRole::Cadre(station.to_owned()),
        Role::Hq => AccountRole::Hq(station.to_owned()),
        Role::Admin => AccountRole::Admin,
    };
    let hash = auth::hash_password(password)?;
    store.write_blocking(|tx| {
        if accounts::station_get(tx, station)?.is_none() {
            return Err(AdminError::NoStation(station.to_owned()));
        }
        let row = users::row_of(name, &role, Some(station), hash, false);
        Ok(accounts::user_put(tx, &row)?.0)
    })
}

impl From<rusqlite::Error> for AdminError {
    fn from(e: rusqlite::Error) -> Self {
        AdminError::Store(StoreError::Sqlite(e))
    }
}
