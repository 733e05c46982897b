//! Password checks for logins, bounded four ways: argon2 runs at most `permits` at a time
//! (each check takes ~19 MiB and a core for a moment), one client address queues at most
//! [`PER_ADDRESS`] checks for those permits at once (a flood from one address cannot
//! starve a login from another), recently verified Basic
//! credentials skip argon2 (a replicator sends them on every request), and requests
//! carrying the same credentials wait for one check instead of each running their own (a
//! thousand phones coming back online together cost one argon2 per account, and a flood
//! repeating one guess takes one permit, not all of them). Keeps only salted SHA-256
//! digests of credentials, in memory. Knows nothing of HTTP, users or the login limit.

use super::{hex, verify_dummy, verify_password};
use argon2::password_hash::rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use tokio::sync::OwnedSemaphorePermit;

/// How long verified Basic credentials are trusted without re-running argon2.
const CACHE_TTL: Duration = Duration::from_secs(5 * 60);
/// Cached credentials kept at most (then the cache starts over).
const CACHE_MAX: usize = 10_000;
/// Checks one client address may have waiting for or holding argon2 permits.
pub const PER_ADDRESS: usize = 4;

type Gates<K> = Arc<Mutex<HashMap<K, Arc<tokio::sync::Semaphore>>>>;

/// Threads that run argon2, one per permit. Each keeps the ~19 MiB argon2 needs in its
/// own allocator arena between checks, so a burst of logins costs permits × 19 MiB.
/// (Run on the runtime's blocking pool instead, every thread that had once run argon2
/// kept its 19 MiB: 277 MiB of hub memory after 20 distinct accounts signed in.)
struct Workers {
    jobs: Mutex<mpsc::Sender<Job>>,
}

type Job = Box<dyn FnOnce() + Send>;

impl Workers {
    fn new(n: usize) -> Self {
        let (tx, rx) = mpsc::channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        for i in 0..n {
            let rx = Arc::clone(&rx);
            let started = std::thread::Builder::new()
                .name(format!("argon2-{i}"))
                .spawn(move || loop {
                    let job = rx.lock().unwrap_or_else(PoisonError::into_inner).recv();
                    match job {
                        Ok(job) => job(),
                        Err(_) => break,
                    }
                });
            if let Err(e) = started {
                tracing::error!("cannot start password-check thread {i}: {e}");
            }
        }
        Self {
            jobs: Mutex::new(tx),
        }
    }

    /// Runs `f` on a worker; fails if no worker took it or it did not finish.
    async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, CheckFailed> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = tx.send(f());
        });
        self.jobs
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .send(job)
            .map_err(|e| CheckFailed(e.to_string()))?;
        rx.await.map_err(|e| CheckFailed(e.to_string()))
    }
}

/// See the module documentation.
pub struct PasswordChecks {
    salt: [u8; 32],
    /// Per user: the digest of the verified credentials, the stored hash they matched,
    /// and when.
    cache: Mutex<HashMap<String, (String, String, Instant)>>,
    flights: Gates<String>,
    addresses: Gates<IpAddr>,
    gate: tokio::sync::Semaphore,
    workers: Workers,
    runs: AtomicU64,
}

/// A password check could not run (its blocking task failed or the queue was closed).
#[derive(Debug, thiserror::Error)]
#[error("the password check could not run: {0}")]
pub struct CheckFailed(String);

/// A turn in a keyed queue (one set of credentials, or one address); the key's entry
/// is removed when nobody holds or waits for it.
pub struct Turn<K: Eq + Hash> {
    gates: Gates<K>,
    key: K,
    permit: Option<OwnedSemaphorePermit>,
}

impl<K: Eq + Hash> Drop for Turn<K> {
    fn drop(&mut self) {
        self.permit.take();
        let mut map = self.gates.lock().unwrap_or_else(PoisonError::into_inner);
        if map
            .get(&self.key)
            .is_some_and(|g| Arc::strong_count(g) == 1)
        {
            map.remove(&self.key);
        }
    }
}

/// Waits for a turn under `key` in `gates`, where `permits` may hold one at once.
async fn turn<K: Eq + Hash + Clone>(gates: &Gates<K>, key: K, permits: usize) -> Turn<K> {
    let gate = {
        let mut map = gates.lock().unwrap_or_else(PoisonError::into_inner);
        let g = map
            .entry(key.clone())
            .or_insert_with(|| Arc::new(tokio::sync::Semaphore::new(permits)));
        Arc::clone(g)
    };
    // The semaphore is never closed, so acquiring cannot fail.
    let permit = gate.acquire_owned().await.ok();
    Turn {
        gates: Arc::clone(gates),
        key,
        permit,
    }
}

impl PasswordChecks {
    /// At most `permits` (at least 1) argon2 checks at once.
    pub fn new(permits: usize) -> Self {
        let mut salt = [0u8; 32];
        OsRng.fill_bytes(&mut salt);
        Self {
            salt,
            cache: Mutex::default(),
            flights: Arc::default(),
            addresses: Arc::default(),
            gate: tokio::sync::Semaphore::new(permits.max(1)),
            workers: Workers::new(permits.max(1)),
            runs: AtomicU64::new(0),
        }
    }

    fn digest(&self, user: &str, password: &str) -> String {
        let mut h = Sha256::new();
        h.update(self.salt);
        h.update(user.as_bytes());
        h.update([0]);
        h.update(password.as_bytes());
        hex(&h.finalize())
    }

    /// True if these credentials were verified against `stored` (the user's hash now)
    /// within the cache lifetime: a changed password is never answered from the cache.
    pub fn cached(&self, user: &str, password: &str, stored: &str) -> bool {
        let d = self.digest(user, password);
        let map = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        map.get(user)
            .is_some_and(|(h, s, at)| *h == d && s == stored && at.elapsed() < CACHE_TTL)
    }

    /// Waits until no other request is checking these same credentials.
    pub async fn flight(&self, user: &str, password: &str) -> Turn<String> {
        turn(&self.flights, self.digest(user, password), 1).await
    }

    /// Waits until `addr` has fewer than [`PER_ADDRESS`] checks queued or running.
    pub async fn address_turn(&self, addr: IpAddr) -> Turn<IpAddr> {
        turn(&self.addresses, addr, PER_ADDRESS).await
    }

    /// Runs argon2 when a permit is free: true if `password` matches `hash` (None: no such
    /// user; argon2 runs anyway on a dummy hash, so a wrong name costs as long as a wrong
    /// password). A match is remembered for [`PasswordChecks::cached`].
    pub async fn verify(
        &self,
        user: &str,
        password: &str,
        hash: Option<String>,
    ) -> Result<bool, CheckFailed> {
        let _permit = self
            .gate
            .acquire()
            .await
            .map_err(|e| CheckFailed(e.to_string()))?;
        self.runs.fetch_add(1, Ordering::Relaxed);
        let pw = password.to_owned();
        let stored = hash.clone().unwrap_or_default();
        let ok = self
            .workers
            .run(move || match hash {
                Some(h) => verify_password(&pw, &h),
                None => {
                    verify_dummy(&pw);
                    false
                }
            })
            .await?;
        if ok {
            let d = self.digest(user, password);
            let mut map = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
            if map.len() > CACHE_MAX {
                map.clear();
            }
            map.insert(user.to_owned(), (d, stored, Instant::now()));
        }
        Ok(ok)
    }

    /// How many times argon2 has run.
    pub fn runs(&self) -> u64 {
        self.runs.load(Ordering::Relaxed)
    }
}
