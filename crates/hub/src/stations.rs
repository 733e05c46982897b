//! The station tree as the console changes it: add a station under another, rename one,
//! move one under another parent. Every rule is checked inside the caller's write
//! transaction, against the tree as it is there:
//! - an admin may change the whole tree; an hq account only its own subtree: it adds
//!   below a station of its subtree (never at the top, beside or above itself), renames
//!   stations of its subtree, and moves only stations strictly below its own, to a parent
//!   inside its subtree; a cadre changes nothing;
//! - codes as `yehua-hub station add` takes them (`admin::check_code`), a new code not
//!   already a station; a name not empty; the level one of village, township, county,
//!   city, and lower than its parent's;
//! - a move never makes a cycle (the new parent is not the station or below it).
//!
//! Adding is `admin::add_station` (the station's database; its `_security` is derived from
//! the tree). Knows nothing of HTTP.

use crate::admin::{add_station, check_code, AdminError};
use crate::auth::{Principal, Role};
use crate::store::accounts::{self, Station};
use crate::store::StoreError;
use model::rollup::tree::LEVELS;
use rusqlite::Connection;

/// Why a change of the tree was refused; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum StationError {
    /// Not the caller's to change (a cadre; hq outside its subtree).
    #[error("station {0} is not within yours")]
    NotYours(String),
    /// An hq account may not move its own station.
    #[error("an hq account cannot move its own station")]
    OwnStation,
    /// The code is malformed.
    #[error("station code `{0}` must be 1–32 digits or lowercase letters (an administrative code such as 330106001)")]
    BadCode(String),
    /// The code is taken.
    #[error("there is already a station {0}")]
    Exists(String),
    /// No station has this code.
    #[error("there is no station {0}")]
    NoStation(String),
    /// The name is empty.
    #[error("the name must not be empty")]
    EmptyName,
    /// The level is not one of `model::rollup::tree::LEVELS`.
    #[error("level `{0}` is not village, township, county or city")]
    BadLevel(String),
    /// The level is not below the parent's.
    #[error("a {level} cannot be placed under a {parent}")]
    LevelOrder {
        /// The station's level.
        level: String,
        /// Its parent's level.
        parent: String,
    },
    /// The new parent is the station itself or below it.
    #[error("station {0} cannot go under itself or a station below it")]
    Cycle(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl StationError {
    /// A stable key the console says in the user's language.
    pub fn key(&self) -> &'static str {
        match self {
            Self::NotYours(_) => "not_yours",
            Self::OwnStation => "own_station",
            Self::BadCode(_) => "bad_code",
            Self::Exists(_) => "exists",
            Self::NoStation(_) => "no_station",
            Self::EmptyName => "empty_name",
            Self::BadLevel(_) => "bad_level",
            Self::LevelOrder { .. } => "level_order",
            Self::Cycle(_) => "cycle",
            Self::Store(_) => "store",
        }
    }
}

impl From<AdminError> for StationError {
    fn from(e: AdminError) -> Self {
        match e {
            AdminError::BadCode(c) => Self::BadCode(c),
            AdminError::NoStation(c) => Self::NoStation(c),
            AdminError::EmptyName => Self::EmptyName,
            AdminError::Store(s) => Self::Store(s),
            other => Self::Store(StoreError::Task(other.to_string())),
        }
    }
}

impl From<rusqlite::Error> for StationError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Store(e.into())
    }
}

/// The stations `who` may see and change: an hq account's subtree, an admin's all.
pub fn visible(tx: &Connection, who: &Principal) -> Result<Vec<Station>, StationError> {
    let all = accounts::stations_all(tx)?;
    Ok(match who.role {
        Role::Admin => all,
        Role::Hq => {
            let mine = accounts::station_subtree(tx, &who.station)?;
            all.into_iter().filter(|s| mine.contains(&s.code)).collect()
        }
        Role::Cadre => Vec::new(),
    })
}

/// Fails unless `code` is in the part of the tree `who` may change.
fn within(tx: &Connection, who: &Principal, code: &str) -> Result<(), StationError> {
    let ok = match who.role {
        Role::Admin => true,
        Role::Hq => accounts::station_subtree(tx, &who.station)?
            .iter()
            .any(|c| c == code),
        Role::Cadre => false,
    };
    if ok {
        Ok(())
    } else {
        Err(StationError::NotYours(code.to_owned()))
    }
}

fn rank(level: &str) -> Result<usize, StationError> {
    LEVELS
        .iter()
        .position(|l| *l == level)
        .ok_or_else(|| StationError::BadLevel(level.to_owned()))
}

/// Checks that a station of `level` may sit under `parent` (which must exist).
fn fits_under(tx: &Connection, level: &str, parent: &str) -> Result<(), StationError> {
    let above = accounts::station_get(tx, parent)?
        .ok_or_else(|| StationError::NoStation(parent.to_owned()))?;
    if rank(level)? >= rank(&above.level)? {
        return Err(StationError::LevelOrder {
            level: level.to_owned(),
            parent: above.level,
        });
    }
    Ok(())
}

/// Adds `station` (with its database) if `who` may.
pub fn add(tx: &Connection, who: &Principal, station: &Station) -> Result<(), StationError> {
    if who.role == Role::Cadre {
        return Err(StationError::NotYours(station.code.clone()));
    }
    check_code(&station.code)?;
    rank(&station.level)?;
    match &station.parent {
        Some(parent) => {
            within(tx, who, parent)?;
            fits_under(tx, &station.level, parent)?;
        }
        None if who.role == Role::Admin => {}
        None => return Err(StationError::NotYours(station.code.clone())),
    }
    if accounts::station_get(tx, &station.code)?.is_some() {
        return Err(StationError::Exists(station.code.clone()));
    }
    Ok(add_station(tx, station)?)
}

/// Renames station `code` to `name` and puts it under `parent` (None: the top, admin
/// only), if `who` may; the station as it is now.
pub fn change(
    tx: &Connection,
    who: &Principal,
    code: &str,
    name: &str,
    parent: Option<&str>,
) -> Result<Station, StationError> {
    within(tx, who, code)?;
    let mut station =
        accounts::station_get(tx, code)?.ok_or_else(|| StationError::NoStation(code.to_owned()))?;
    if name.trim().is_empty() {
        return Err(StationError::EmptyName);
    }
    station.name = name.trim().to_owned();
    if station.parent.as_deref() != parent {
        if who.role == Role::Hq && code == who.station {
            return Err(StationError::OwnStation);
        }
        match parent {
            Some(p) => {
                within(tx, who, p)?;
                if accounts::station_subtree(tx, code)?.iter().any(|c| c == p) {
                    return Err(StationError::Cycle(code.to_owned()));
                }
                fits_under(tx, &station.level, p)?;
            }
            None if who.role == Role::Admin => {}
            None => return Err(StationError::NotYours(code.to_owned())),
        }
        station.parent = parent.map(str::to_owned);
    }
    accounts::station_put(tx, &station)?;
    Ok(station)
}
