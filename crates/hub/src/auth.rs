//! Who is asking and what they may do: argon2id password hashes, session tokens, the
//! login limit ([`limiter`]), a short cache of verified Basic credentials and the queue
//! that bounds how many argon2 checks run at once ([`passwords`]), and the access rule
//! (a cadre reads and writes only `station_<own code>`, never a `review:` document; an
//! `hq` user reads every station at or below theirs and writes there only `review:`
//! documents, its 审核 — none of a station's own records; an admin does everything), with who manages which
//! accounts ([`Principal::manages`]) and the roles as CouchDB writes them ([`roles`]). Never logs or returns
//! a password, a hash or a token. Knows nothing of HTTP beyond the `Basic` header format.

use argon2::password_hash;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, SaltString};
use argon2::{Argon2, PasswordHasher};
use base64::Engine as _;
use sha2::{Digest, Sha256};
use std::time::Duration;

pub mod limiter;
pub mod passwords;
pub mod roles;

pub use limiter::{Attempt, LoginLimiter, Refused};
pub use passwords::PasswordChecks;
pub use roles::{AccountRole, RolesError, ADMIN_ROLE};

/// The id prefix of headquarters' reviews (`review:<activity id>`, `model::review`): the
/// only documents hq may write in a station's database, and the only ones a cadre may not.
pub use model::id::REVIEW_PREFIX;

/// Every station database is named `station_<code>`.
pub const STATION_DB_PREFIX: &str = "station_";
/// How long a login session lasts. Long, because a cadre may be offline for days and
/// must still be able to sync when the village gets signal.
pub const SESSION_TTL: Duration = Duration::from_secs(14 * 24 * 3600);
/// The longest login name accepted; a longer one is refused before it is counted, stored
/// or logged.
pub const MAX_NAME_LEN: usize = 256;
/// The longest password accepted (argon2 hashes all of it).
pub const MAX_PASSWORD_LEN: usize = 1024;

/// A user's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A village cadre: their own station only.
    Cadre,
    /// Headquarters: reads the stations below it.
    Hq,
    /// Everything, including creating databases.
    Admin,
}

/// Why a role name is not valid.
#[derive(Debug, thiserror::Error)]
#[error("unknown role `{0}` (expected cadre, hq or admin)")]
pub struct RoleError(pub String);

impl std::str::FromStr for Role {
    type Err = RoleError;
    fn from_str(s: &str) -> Result<Self, RoleError> {
        match s {
            "cadre" => Ok(Role::Cadre),
            "hq" => Ok(Role::Hq),
            "admin" => Ok(Role::Admin),
            other => Err(RoleError(other.to_owned())),
        }
    }
}

impl Role {
    /// The role's name, as stored and as shown in `userCtx.roles`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Cadre => "cadre",
            Role::Hq => "hq",
            Role::Admin => "admin",
        }
    }
}

/// An authenticated user and the stations they may read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// Login name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// The user's own station code.
    pub station: String,
    /// Station codes the user may read (own station and, for hq, all below).
    pub readable: Vec<String>,
}

impl Principal {
    /// May this user read database `db`?
    pub fn can_read(&self, db: &str) -> bool {
        match self.role {
            Role::Admin => true,
            _ => station_code(db).is_some_and(|c| self.readable.iter().any(|r| r == c)),
        }
    }

    /// May this user change documents in database `db`?
    pub fn can_write(&self, db: &str) -> bool {
        match self.role {
            Role::Admin => true,
            Role::Cadre => station_code(db) == Some(self.station.as_str()),
            Role::Hq => false,
        }
    }

    /// May this user write the document `id` in database `db`? A cadre: their own
    /// database's documents except reviews; hq: only reviews, in the databases it reads
    /// (its subtree); an admin: anything.
    pub fn can_write_doc(&self, db: &str, id: &str) -> bool {
        let review = id.starts_with(REVIEW_PREFIX);
        match self.role {
            Role::Admin => true,
            Role::Cadre => !review && self.can_write(db),
            Role::Hq => review && self.can_read(db),
        }
    }

    /// May this user write some document in `db` (which ones: [`Self::can_write_doc`])?
    pub fn can_write_some(&self, db: &str) -> bool {
        self.can_write(db) || (self.role == Role::Hq && self.can_read(db))
    }

    /// May this user write `_local` documents (checkpoints) in database `db`? Those who may
    /// write it, and hq in its own station's database (which no cadre uses), so that an
    /// hq phone's sync with its own database keeps its checkpoints there; never in the
    /// stations below it.
    pub fn can_write_local(&self, db: &str) -> bool {
        self.can_write(db)
            || (self.role == Role::Hq && station_code(db) == Some(self.station.as_str()))
    }

    /// Is this user an administrator (may create and delete databases)?
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// CouchDB's `userCtx.roles`: `cadre:<code>`, `hq:<code>` or `_admin`.
    pub fn roles(&self) -> Vec<String> {
        vec![AccountRole::from_row(self.role, &self.station).to_couch()]
    }

    /// May this user read or change the account with `role` (not their own)? An admin
    /// manages everyone; an hq account manages cadres of the stations below its own
    /// (never its own station's, never hq or admin accounts); a cadre nobody else.
    pub fn manages(&self, role: &AccountRole) -> bool {
        match (self.role, role) {
            (Role::Admin, _) => true,
            (Role::Hq, AccountRole::Cadre(code)) => {
                *code != self.station && self.readable.iter().any(|r| r == code)
            }
            _ => false,
        }
    }
}

/// The station code of a `station_<code>` database name.
pub fn station_code(db: &str) -> Option<&str> {
    db.strip_prefix(STATION_DB_PREFIX).filter(|c| !c.is_empty())
}

/// Why a password could not be hashed.
#[derive(Debug, thiserror::Error)]
#[error("cannot hash password: {0}")]
pub struct HashError(String);

/// The argon2id PHC string for `password` with a fresh random salt.
pub fn hash_password(password: &str) -> Result<String, HashError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| HashError(e.to_string()))
}

thread_local! {
    /// argon2's working memory (~19 MiB with the default parameters), kept by each thread
    /// that verifies and reused: allocating it afresh for every check left glibc holding
    /// another 19 MiB after most logins (86 MiB after six, 277 MiB after twenty).
    static BLOCKS: std::cell::RefCell<Vec<argon2::Block>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// True if `password` matches the PHC string `hash`. Slow on purpose: call off the runtime
/// (the hub's password-check threads).
pub fn verify_password(password: &str, hash: &str) -> bool {
    let Ok(phc) = PasswordHash::new(hash) else {
        return false;
    };
    let (Ok(algorithm), Ok(params)) = (
        argon2::Algorithm::try_from(phc.algorithm),
        argon2::Params::try_from(&phc),
    ) else {
        return false;
    };
    let version = match phc.version.map(argon2::Version::try_from) {
        None => argon2::Version::default(),
        Some(Ok(v)) => v,
        Some(Err(_)) => return false,
    };
    let (Some(salt), Some(expected)) = (phc.salt, phc.hash) else {
        return false;
    };
    let mut salt_bytes = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    let blocks_needed = params.block_count();
    let mut out = vec![0u8; expected.len()];
    let hashed = BLOCKS.with_borrow_mut(|blocks| {
        if blocks.len() < blocks_needed {
            blocks.resize(blocks_needed, argon2::Block::default());
        }
        Argon2::new(algorithm, version, params)
            .hash_password_into_with_memory(password.as_bytes(), salt, &mut out, &mut blocks[..])
            .is_ok()
    });
    // `Output` compares in constant time.
    hashed && password_hash::Output::new(&out).is_ok_and(|o| o == expected)
}

/// Spends the time of one verification, so that an unknown user name answers as slowly
/// as a wrong password and names cannot be probed by timing.
pub fn verify_dummy(password: &str) {
    use std::sync::OnceLock;
    static DUMMY: OnceLock<String> = OnceLock::new();
    let hash = DUMMY.get_or_init(|| hash_password("dummy").unwrap_or_default());
    let _ = verify_password(password, hash);
}

/// A new random session token (hex) to put in the cookie.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex(&bytes)
}

/// Random hex for document ids made by the hub (`POST /db`, `_bulk_docs` without `_id`).
pub fn new_uuid() -> String {
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    hex(&bytes)
}

/// What the store keeps of a token: its SHA-256, so a stolen database opens no session.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The user name and password of an `Authorization: Basic ...` header value.
pub fn parse_basic(header: &str) -> Option<(String, String)> {
    let (scheme, rest) = header.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let raw = base64::engine::general_purpose::STANDARD
        .decode(rest.trim())
        .ok()?;
    let text = String::from_utf8(raw).ok()?;
    let (name, password) = text.split_once(':')?;
    Some((name.to_owned(), password.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn who(role: Role, station: &str, readable: &[&str]) -> Principal {
        Principal {
            name: "u".into(),
            role,
            station: station.into(),
            readable: readable.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn access_rule() {
        let cadre = who(Role::Cadre, "1", &["1"]);
        assert!(cadre.can_read("station_1") && cadre.can_write("station_1"));
        assert!(!cadre.can_read("station_2") && !cadre.can_write("station_2"));
        assert!(!cadre.can_read("other"));
        let hq = who(Role::Hq, "10", &["10", "1", "2"]);
        assert!(hq.can_read("station_2") && !hq.can_write("station_2"));
        assert!(!hq.can_write_local("station_2") && hq.can_write_local("station_10"));
        assert!(!hq.can_read("station_3"));
        let admin = who(Role::Admin, "10", &[]);
        assert!(admin.can_read("anything") && admin.can_write("station_3"));
    }

    #[test]
    fn hq_writes_only_reviews_below_it_and_a_cadre_none() {
        let (act, rev) = ("activity:0190-a", "review:activity:0190-a");
        let cadre = who(Role::Cadre, "1", &["1"]);
        assert!(cadre.can_write_doc("station_1", act));
        assert!(
            !cadre.can_write_doc("station_1", rev),
            "a cadre never reviews"
        );
        assert!(!cadre.can_write_doc("station_2", act));
        let hq = who(Role::Hq, "10", &["10", "1", "2"]);
        assert!(hq.can_write_doc("station_1", rev) && hq.can_write_doc("station_10", rev));
        assert!(
            !hq.can_write_doc("station_1", act),
            "hq writes nothing of a station's own"
        );
        assert!(!hq.can_write_doc("station_3", rev), "outside its subtree");
        assert!(!hq.can_write_doc("station_1", "reviews:x") && !hq.can_write_doc("station_1", "x"));
        assert!(hq.can_write_some("station_1") && !hq.can_write_some("station_3"));
        assert!(cadre.can_write_some("station_1") && !cadre.can_write_some("station_2"));
        let admin = who(Role::Admin, "10", &[]);
        assert!(admin.can_write_doc("station_3", rev) && admin.can_write_doc("station_3", act));
    }

    #[test]
    fn who_manages_which_accounts() {
        let cadre = |c: &str| AccountRole::Cadre(c.into());
        let hq = who(Role::Hq, "10", &["10", "1", "2"]);
        assert!(hq.manages(&cadre("1")) && hq.manages(&cadre("2")));
        assert!(!hq.manages(&cadre("10")), "its own station is not below it");
        assert!(!hq.manages(&cadre("3")), "outside its subtree");
        assert!(!hq.manages(&AccountRole::Hq("1".into())));
        assert!(!hq.manages(&AccountRole::Admin));
        let village = who(Role::Cadre, "1", &["1"]);
        assert!(!village.manages(&cadre("1")));
        let admin = who(Role::Admin, "10", &[]);
        assert!(admin.manages(&AccountRole::Admin) && admin.manages(&AccountRole::Hq("3".into())));
        assert_eq!(hq.roles(), ["hq:10"]);
        assert_eq!(admin.roles(), ["_admin"]);
    }

    #[test]
    fn passwords_and_basic() {
        let h = hash_password("秘密 pass").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("秘密 pass", &h));
        assert!(!verify_password("wrong", &h));
        assert_eq!(
            parse_basic("Basic ZGVtbzp5ZWh1YS1kZW1v"),
            Some(("demo".into(), "yehua-demo".into()))
        );
        assert_eq!(parse_basic("Bearer x"), None);
        assert_eq!(parse_basic("Basic !!!"), None);
    }
}
