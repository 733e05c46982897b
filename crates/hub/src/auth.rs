//! Who is asking and what they may do: argon2id password hashes, session tokens, the
//! login rate limit, a short cache of verified Basic credentials and the queue that bounds
//! how many argon2 checks run at once ([`PasswordChecks`]), and the access rule
//! (a cadre reads and writes only `station_<own code>`; an `hq` user reads every station
//! at or below theirs and writes none; an admin does everything). Never logs or returns
//! a password, a hash or a token. Knows nothing of HTTP beyond the `Basic` header format.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, SaltString};
use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use base64::Engine as _;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Every station database is named `station_<code>`.
pub const STATION_DB_PREFIX: &str = "station_";
/// How long a login session lasts. Long, because a cadre may be offline for days and
/// must still be able to sync when the village gets signal.
pub const SESSION_TTL: Duration = Duration::from_secs(14 * 24 * 3600);
/// Failed logins allowed per user and address within [`LOGIN_WINDOW`].
pub const LOGIN_FAILURES_ALLOWED: u32 = 10;
/// The window over which failed logins are counted.
pub const LOGIN_WINDOW: Duration = Duration::from_secs(10 * 60);
/// How long verified Basic credentials are trusted without re-running argon2.
const BASIC_CACHE_TTL: Duration = Duration::from_secs(5 * 60);

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

    /// Is this user an administrator (may create and delete databases)?
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// CouchDB's `userCtx.roles`.
    pub fn roles(&self) -> Vec<&'static str> {
        match self.role {
            Role::Admin => vec!["_admin", "admin"],
            r => vec![r.as_str()],
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

/// True if `password` matches the PHC string `hash`. Slow on purpose: call off the runtime.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
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

fn hex(bytes: &[u8]) -> String {
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

/// Counts failed logins per (user, address) and refuses more than
/// [`LOGIN_FAILURES_ALLOWED`] per [`LOGIN_WINDOW`].
#[derive(Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<(String, IpAddr), (u32, Instant)>>,
}

impl LoginLimiter {
    /// False if this user from this address has failed too often lately.
    pub fn allowed(&self, user: &str, addr: IpAddr) -> bool {
        let map = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        match map.get(&(user.to_owned(), addr)) {
            Some((n, since)) => *n < LOGIN_FAILURES_ALLOWED || since.elapsed() > LOGIN_WINDOW,
            None => true,
        }
    }

    /// Records a failed attempt.
    pub fn failed(&self, user: &str, addr: IpAddr) {
        let mut map = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        if map.len() > 100_000 {
            map.retain(|_, (_, since)| since.elapsed() <= LOGIN_WINDOW);
        }
        let entry = map
            .entry((user.to_owned(), addr))
            .or_insert((0, Instant::now()));
        if entry.1.elapsed() > LOGIN_WINDOW {
            *entry = (0, Instant::now());
        }
        entry.0 += 1;
    }

    /// Forgets the failures after a successful login.
    pub fn succeeded(&self, user: &str, addr: IpAddr) {
        let mut map = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        map.remove(&(user.to_owned(), addr));
    }
}

/// Remembers recently verified Basic credentials (as a salted SHA-256, in memory only),
/// because a replicator sends them on every request and argon2 is slow by design.
struct BasicCache {
    salt: [u8; 32],
    entries: Mutex<HashMap<String, (String, Instant)>>,
}

impl Default for BasicCache {
    fn default() -> Self {
        let mut salt = [0u8; 32];
        OsRng.fill_bytes(&mut salt);
        Self {
            salt,
            entries: Mutex::default(),
        }
    }
}

impl BasicCache {
    fn digest(&self, user: &str, password: &str) -> String {
        let mut h = Sha256::new();
        h.update(self.salt);
        h.update(user.as_bytes());
        h.update([0]);
        h.update(password.as_bytes());
        hex(&h.finalize())
    }

    /// True if these credentials were verified within the cache lifetime.
    pub fn hit(&self, user: &str, password: &str) -> bool {
        let d = self.digest(user, password);
        let map = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        map.get(user)
            .is_some_and(|(h, at)| *h == d && at.elapsed() < BASIC_CACHE_TTL)
    }

    /// Remembers credentials that argon2 just verified.
    pub fn insert(&self, user: &str, password: &str) {
        let d = self.digest(user, password);
        let mut map = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if map.len() > 10_000 {
            map.clear();
        }
        map.insert(user.to_owned(), (d, Instant::now()));
    }
}

/// Password checks for logins. argon2 runs at most `permits` at a time (each check takes
/// ~19 MiB and a core for a moment): a thousand phones coming back online together queue
/// instead of taking gigabytes. Recently verified Basic credentials skip argon2, and a
/// check that waited for its permit looks at that cache again, so a burst with the same
/// credentials runs argon2 about once.
pub struct PasswordChecks {
    cache: BasicCache,
    gate: tokio::sync::Semaphore,
    runs: AtomicU64,
}

/// A password check could not run (its blocking task failed or the queue was closed).
#[derive(Debug, thiserror::Error)]
#[error("the password check could not run: {0}")]
pub struct CheckFailed(String);

impl PasswordChecks {
    /// At most `permits` (at least 1) argon2 checks at once.
    pub fn new(permits: usize) -> Self {
        Self {
            cache: BasicCache::default(),
            gate: tokio::sync::Semaphore::new(permits.max(1)),
            runs: AtomicU64::new(0),
        }
    }

    /// True if `password` matches `hash` (None: no such user; argon2 runs anyway on a dummy
    /// hash, so a wrong name costs as long as a wrong password).
    pub async fn check(
        &self,
        name: &str,
        password: &str,
        hash: Option<String>,
    ) -> Result<bool, CheckFailed> {
        let known = hash.is_some();
        if known && self.cache.hit(name, password) {
            return Ok(true);
        }
        let _permit = self
            .gate
            .acquire()
            .await
            .map_err(|e| CheckFailed(e.to_string()))?;
        if known && self.cache.hit(name, password) {
            return Ok(true);
        }
        self.runs.fetch_add(1, Ordering::Relaxed);
        let pw = password.to_owned();
        let ok = tokio::task::spawn_blocking(move || match hash {
            Some(h) => verify_password(&pw, &h),
            None => {
                verify_dummy(&pw);
                false
            }
        })
        .await
        .map_err(|e| CheckFailed(e.to_string()))?;
        if ok {
            self.cache.insert(name, password);
        }
        Ok(ok)
    }

    /// How many times argon2 has run.
    pub fn runs(&self) -> u64 {
        self.runs.load(Ordering::Relaxed)
    }
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
        assert!(!hq.can_read("station_3"));
        let admin = who(Role::Admin, "10", &[]);
        assert!(admin.can_read("anything") && admin.can_write("station_3"));
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

    #[test]
    fn limiter_blocks_after_failures() {
        let l = LoginLimiter::default();
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        for _ in 0..LOGIN_FAILURES_ALLOWED {
            assert!(l.allowed("a", ip));
            l.failed("a", ip);
        }
        assert!(!l.allowed("a", ip));
        assert!(l.allowed("b", ip), "another user is not blocked");
        l.succeeded("a", ip);
        assert!(l.allowed("a", ip));
    }
}
