//! An account's role as CouchDB clients see it: exactly one of `cadre:<station code>`,
//! `hq:<station code>` or CouchDB's `_admin`, in `userCtx.roles`, in a `_users` document's
//! `roles` and in a station database's `_security`. The hub's users table keeps the same
//! role split into its kind and station (the access rule's index); this module is the one
//! place that turns one into the other. Knows nothing of HTTP or storage.

use super::Role;

/// CouchDB's server-admin role.
pub const ADMIN_ROLE: &str = "_admin";

/// One account's role with its station.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountRole {
    /// `cadre:<code>`: reads and writes `station_<code>`.
    Cadre(String),
    /// `hq:<code>`: reads `station_<code>` and every station below it, writes none.
    Hq(String),
    /// `_admin`: everything.
    Admin,
}

/// Why a `roles` list is not one the hub can keep.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RolesError {
    /// Not exactly one role.
    #[error("roles must hold exactly one of cadre:<station code>, hq:<station code> or _admin (found {0})")]
    Count(usize),
    /// A role the hub does not know.
    #[error("unknown role `{0}` (expected cadre:<station code>, hq:<station code> or _admin)")]
    Unknown(String),
}

impl AccountRole {
    /// Reads a `_users` document's `roles`: exactly one known role.
    pub fn from_roles(roles: &[String]) -> Result<Self, RolesError> {
        match roles {
            [one] => one.parse(),
            _ => Err(RolesError::Count(roles.len())),
        }
    }

    /// The role of a users-table row (`role` kind and `station`).
    pub fn from_row(role: Role, station: &str) -> Self {
        match role {
            Role::Cadre => AccountRole::Cadre(station.to_owned()),
            Role::Hq => AccountRole::Hq(station.to_owned()),
            Role::Admin => AccountRole::Admin,
        }
    }

    /// The kind, as the users table's `role` column keeps it.
    pub fn kind(&self) -> Role {
        match self {
            AccountRole::Cadre(_) => Role::Cadre,
            AccountRole::Hq(_) => Role::Hq,
            AccountRole::Admin => Role::Admin,
        }
    }

    /// The station code, if the role has one.
    pub fn station(&self) -> Option<&str> {
        match self {
            AccountRole::Cadre(s) | AccountRole::Hq(s) => Some(s),
            AccountRole::Admin => None,
        }
    }

    /// The role as CouchDB writes it.
    pub fn to_couch(&self) -> String {
        match self {
            AccountRole::Cadre(s) => format!("cadre:{s}"),
            AccountRole::Hq(s) => format!("hq:{s}"),
            AccountRole::Admin => ADMIN_ROLE.to_owned(),
        }
    }
}

impl std::str::FromStr for AccountRole {
    type Err = RolesError;
    fn from_str(s: &str) -> Result<Self, RolesError> {
        let station = |code: &str| {
            let ok = (1..=32).contains(&code.len())
                && code
                    .chars()
                    .all(|c| c.is_ascii_digit() || c.is_ascii_lowercase());
            ok.then(|| code.to_owned())
        };
        if s == ADMIN_ROLE {
            return Ok(AccountRole::Admin);
        }
        let parsed = match s.split_once(':') {
            Some(("cadre", code)) => station(code).map(AccountRole::Cadre),
            Some(("hq", code)) => station(code).map(AccountRole::Hq),
            _ => None,
        };
        parsed.ok_or_else(|| RolesError::Unknown(s.to_owned()))
    }
}

/// The `_security` object of `station_<code>` that the access rule amounts to: members
/// are the station's cadres and the hq of the station and of every station above it
/// (`chain`: the code, its parent, its parent's parent, …), admins are `_admin`.
pub fn station_security(chain: &[String]) -> serde_json::Value {
    let mut members = Vec::with_capacity(chain.len() + 1);
    if let Some(own) = chain.first() {
        members.push(AccountRole::Cadre(own.clone()).to_couch());
    }
    members.extend(chain.iter().map(|c| AccountRole::Hq(c.clone()).to_couch()));
    serde_json::json!({
        "admins": {"names": [], "roles": [ADMIN_ROLE]},
        "members": {"names": [], "roles": members},
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles(r: &[&str]) -> Vec<String> {
        r.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn exactly_one_known_role() {
        assert_eq!(
            AccountRole::from_roles(&roles(&["cadre:330106001"])),
            Ok(AccountRole::Cadre("330106001".into()))
        );
        assert_eq!(
            AccountRole::from_roles(&roles(&["hq:330106"])),
            Ok(AccountRole::Hq("330106".into()))
        );
        assert_eq!(
            AccountRole::from_roles(&roles(&["_admin"])),
            Ok(AccountRole::Admin)
        );
        assert_eq!(AccountRole::from_roles(&[]), Err(RolesError::Count(0)));
        assert_eq!(
            AccountRole::from_roles(&roles(&["cadre:1", "hq:1"])),
            Err(RolesError::Count(2))
        );
        for bad in [
            "cadre",
            "cadre:",
            "hq:ABC",
            "admin",
            "_reader",
            "cadre:1:2",
            "Cadre:1",
        ] {
            assert!(
                AccountRole::from_roles(&roles(&[bad])).is_err(),
                "{bad} must be refused"
            );
        }
        for r in ["cadre:330106001", "hq:33", "_admin"] {
            assert_eq!(r.parse::<AccountRole>().unwrap().to_couch(), r);
        }
    }

    #[test]
    fn security_of_a_station_names_its_cadres_and_every_hq_above() {
        let chain = roles(&["330101", "3301", "33"]);
        assert_eq!(
            station_security(&chain),
            serde_json::json!({
                "admins": {"names": [], "roles": ["_admin"]},
                "members": {"names": [], "roles": ["cadre:330101", "hq:330101", "hq:3301", "hq:33"]},
            })
        );
    }
}
