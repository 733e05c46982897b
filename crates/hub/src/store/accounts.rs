//! Queries on stations (the administrative hierarchy), users and login sessions. Stores
//! password hashes and hashed session tokens only, never a password or a raw token.
//! Hashing and access decisions belong to `auth`; this module only reads and writes rows.

use super::{now_secs, StoreError};
use rusqlite::{params, Connection, OptionalExtension};

/// A station: a village practice station, or a township/county/city centre above it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Station {
    /// Administrative code, e.g. `330106001`.
    pub code: String,
    /// Display name.
    pub name: String,
    /// The code of the station above, if any.
    pub parent: Option<String>,
    /// `village`, `township`, `county` or `city`.
    pub level: String,
}

/// A user row: the account's `_users` document as the hub keeps it.
#[derive(Clone, PartialEq, Eq)]
pub struct UserRow {
    /// Login name.
    pub name: String,
    /// The user's station code (empty for an `_admin` created without one).
    pub station: String,
    /// `cadre`, `hq` or `admin`.
    pub role: String,
    /// The document's `roles` (`cadre:<code>`, `hq:<code>` or `_admin`), written from
    /// `role` and `station` by `auth` and kept beside them.
    pub roles: Vec<String>,
    /// The argon2id PHC string.
    pub password_hash: String,
    /// The document's `_rev` (set by [`user_put`]; ignored when writing).
    pub rev: String,
    /// True if the account may not sign in.
    pub disabled: bool,
}

impl std::fmt::Debug for UserRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserRow")
            .field("name", &self.name)
            .field("station", &self.station)
            .field("role", &self.role)
            .field("roles", &self.roles)
            .field("password_hash", &"<redacted>")
            .field("rev", &self.rev)
            .field("disabled", &self.disabled)
            .finish()
    }
}

/// Inserts or replaces a station.
pub fn station_put(c: &Connection, s: &Station) -> Result<(), StoreError> {
    c.execute(
        "INSERT OR REPLACE INTO stations (code, name, parent, level) VALUES (?1, ?2, ?3, ?4)",
        params![s.code, s.name, s.parent, s.level],
    )?;
    Ok(())
}

/// The station with `code`.
pub fn station_get(c: &Connection, code: &str) -> Result<Option<Station>, StoreError> {
    Ok(c.query_row(
        "SELECT code, name, parent, level FROM stations WHERE code = ?1",
        [code],
        |r| {
            Ok(Station {
                code: r.get(0)?,
                name: r.get(1)?,
                parent: r.get(2)?,
                level: r.get(3)?,
            })
        },
    )
    .optional()?)
}

/// Every station, by code.
pub fn stations_all(c: &Connection) -> Result<Vec<Station>, StoreError> {
    let mut stmt =
        c.prepare_cached("SELECT code, name, parent, level FROM stations ORDER BY code")?;
    let rows = stmt.query_map([], |r| {
        Ok(Station {
            code: r.get(0)?,
            name: r.get(1)?,
            parent: r.get(2)?,
            level: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// `code` and the codes of every station below it (children, their children, ...).
pub fn station_subtree(c: &Connection, code: &str) -> Result<Vec<String>, StoreError> {
    let mut stmt = c.prepare_cached(
        "WITH RECURSIVE below(code) AS (
             SELECT ?1
             UNION SELECT s.code FROM stations s JOIN below b ON s.parent = b.code
         ) SELECT code FROM below",
    )?;
    let codes = stmt
        .query_map([code], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(codes)
}

/// True if no station and no user exist (a fresh data folder).
pub fn is_empty(c: &Connection) -> Result<bool, StoreError> {
    Ok(c.query_row(
        "SELECT NOT EXISTS (SELECT 1 FROM stations) AND NOT EXISTS (SELECT 1 FROM users)",
        [],
        |r| r.get(0),
    )?)
}

/// Inserts or replaces a user with the next revision; replacing ends the user's sessions.
/// Returns whether the user is new and the revision written.
pub fn user_put(c: &Connection, u: &UserRow) -> Result<(bool, String), StoreError> {
    let old = user_get(c, &u.name)?;
    let generation = old
        .as_ref()
        .and_then(|o| o.rev.split_once('-')?.0.parse::<u64>().ok())
        .unwrap_or(0)
        + 1;
    let rev: String = c.query_row(
        "SELECT ?1 || '-' || lower(hex(randomblob(16)))",
        [generation.to_string()],
        |r| r.get(0),
    )?;
    c.execute("DELETE FROM sessions WHERE user = ?1", [&u.name])?;
    c.execute(
        "INSERT OR REPLACE INTO users
             (name, station, role, roles, password_hash, rev, disabled, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            u.name,
            u.station,
            u.role,
            serde_json::to_string(&u.roles)?,
            u.password_hash,
            rev,
            u.disabled,
            now_secs()
        ],
    )?;
    Ok((old.is_none(), rev))
}

/// Deletes a user (their sessions go with them); true if there was one.
pub fn user_delete(c: &Connection, name: &str) -> Result<bool, StoreError> {
    Ok(c.execute("DELETE FROM users WHERE name = ?1", [name])? > 0)
}

const USER_COLUMNS: &str = "name, station, role, roles, password_hash, rev, disabled";

fn user_of(r: &rusqlite::Row) -> rusqlite::Result<UserRow> {
    let roles: String = r.get(3)?;
    Ok(UserRow {
        name: r.get(0)?,
        station: r.get(1)?,
        role: r.get(2)?,
        // A list this hub did not write reads as no role at all, which opens nothing.
        roles: serde_json::from_str(&roles).unwrap_or_default(),
        password_hash: r.get(4)?,
        rev: r.get(5)?,
        disabled: r.get(6)?,
    })
}

/// The user called `name`.
pub fn user_get(c: &Connection, name: &str) -> Result<Option<UserRow>, StoreError> {
    Ok(c.query_row(
        &format!("SELECT {USER_COLUMNS} FROM users WHERE name = ?1"),
        [name],
        user_of,
    )
    .optional()?)
}

/// Every user, by name.
pub fn users_all(c: &Connection) -> Result<Vec<UserRow>, StoreError> {
    let mut stmt = c.prepare_cached(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY name"))?;
    let rows = stmt.query_map([], user_of)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// `code`, its parent, its parent's parent, … up to the top of the tree (`code` alone if
/// it is not a station). A loop in the parents stops at the first repeat.
pub fn station_chain(c: &Connection, code: &str) -> Result<Vec<String>, StoreError> {
    let mut chain = vec![code.to_owned()];
    let mut at = code.to_owned();
    while let Some(parent) = station_get(c, &at)?.and_then(|s| s.parent) {
        if chain.contains(&parent) {
            break;
        }
        chain.push(parent.clone());
        at = parent;
    }
    Ok(chain)
}

/// Records a session whose token hashes to `token_hash`, valid until `expires_at`.
pub fn session_put(
    c: &Connection,
    token_hash: &str,
    user: &str,
    expires_at: i64,
) -> Result<(), StoreError> {
    c.execute("DELETE FROM sessions WHERE expires_at < ?1", [now_secs()])?;
    c.execute(
        "INSERT OR REPLACE INTO sessions (token_hash, user, expires_at) VALUES (?1, ?2, ?3)",
        params![token_hash, user, expires_at],
    )?;
    Ok(())
}

/// The user of the unexpired session whose token hashes to `token_hash`.
pub fn session_user(c: &Connection, token_hash: &str) -> Result<Option<UserRow>, StoreError> {
    let name: Option<String> = c
        .query_row(
            "SELECT user FROM sessions WHERE token_hash = ?1 AND expires_at >= ?2",
            params![token_hash, now_secs()],
            |r| r.get(0),
        )
        .optional()?;
    match name {
        Some(n) => Ok(user_get(c, &n)?.filter(|u| !u.disabled)),
        None => Ok(None),
    }
}

/// Ends the session whose token hashes to `token_hash`.
pub fn session_delete(c: &Connection, token_hash: &str) -> Result<(), StoreError> {
    c.execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])?;
    Ok(())
}
