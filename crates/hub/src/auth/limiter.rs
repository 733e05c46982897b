//! The login limit. Every password check is counted *before* it runs (an attempt in
//! flight counts as a failure until it succeeds), so parallel guesses cannot slip past
//! the count. Keys are (user, client address) and the client address alone (across
//! names); the address is the one a trusted proxy reports (see `couch::client`), so behind
//! the office's HTTPS proxy one phone's guesses do not lock out another phone.
//!
//! The rule: [`FREE_FAILURES`] failures within [`LOGIN_WINDOW`] cost nothing; after
//! that each further attempt must wait twice as long as the last (1 s, 2 s, 4 s, … up to
//! [`MAX_DELAY`]), so guessing slows to a crawl while the real user, from their own
//! address, is never refused. An address may have [`ADDRESS_FAILURES`] failures across
//! names before the same delays apply to it (how many checks one address runs at once is
//! bounded by `passwords`). A refused attempt never reaches argon2. Knows nothing of HTTP.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Failures per (user, address) before attempts are slowed.
pub const FREE_FAILURES: u32 = 10;
/// Failures per address, across every name, before attempts are slowed.
pub const ADDRESS_FAILURES: u32 = 50;
/// A key's failures are forgotten this long after its last one.
pub const LOGIN_WINDOW: Duration = Duration::from_secs(10 * 60);
/// The longest wait between two attempts.
pub const MAX_DELAY: Duration = Duration::from_secs(5 * 60);
/// Entries kept before the stale ones are swept.
const SWEEP_AT: usize = 100_000;

/// Too many recent failures: an attempt may start again after this long.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("too many failed logins; try again in {} s", .0.as_secs().max(1))]
pub struct Refused(pub Duration);

#[derive(Debug, Clone, Copy)]
struct Entry {
    failures: u32,
    in_flight: u32,
    last: Instant,
}

impl Entry {
    fn new(now: Instant) -> Self {
        Self {
            failures: 0,
            in_flight: 0,
            last: now,
        }
    }

    /// How long until the next attempt may start, with `free` failures allowed.
    fn wait(&self, free: u32, now: Instant) -> Option<Duration> {
        let counted = self.failures + self.in_flight;
        if counted < free {
            return None;
        }
        let doublings = (counted - free).min(16);
        let delay = Duration::from_secs(1 << doublings).min(MAX_DELAY);
        let ready = self.last + delay;
        (ready > now).then(|| ready - now)
    }

    fn started(mut self, now: Instant) -> Self {
        self.in_flight += 1;
        self.last = now;
        self
    }

    fn stale(&self, now: Instant) -> bool {
        self.in_flight == 0 && now.duration_since(self.last) > LOGIN_WINDOW
    }
}

#[derive(Default)]
struct State {
    users: HashMap<(String, IpAddr), Entry>,
    addresses: HashMap<IpAddr, Entry>,
}

/// Counts login attempts; see the module documentation for the rule.
#[derive(Default, Clone)]
pub struct LoginLimiter {
    state: Arc<Mutex<State>>,
}

/// One counted attempt. Call [`Attempt::succeeded`] or [`Attempt::failed`]; dropped
/// without either (the client hung up mid-check) it counts as a failure.
pub struct Attempt {
    limiter: LoginLimiter,
    key: (String, IpAddr),
    done: bool,
}

impl LoginLimiter {
    /// Starts an attempt for `user` from `addr`, or says why it may not run now.
    pub fn begin(&self, user: &str, addr: IpAddr) -> Result<Attempt, Refused> {
        let now = Instant::now();
        let mut s = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if s.users.len() + s.addresses.len() > SWEEP_AT {
            s.users.retain(|_, e| !e.stale(now));
            s.addresses.retain(|_, e| !e.stale(now));
        }
        let key = (user.to_owned(), addr);
        let by_addr = s.addresses.get(&addr).copied().unwrap_or(Entry::new(now));
        let by_user = s.users.get(&key).copied().unwrap_or(Entry::new(now));
        let by_addr = fresh(by_addr, now);
        let by_user = fresh(by_user, now);
        if let Some(w) = by_user
            .wait(FREE_FAILURES, now)
            .max(by_addr.wait(ADDRESS_FAILURES, now))
        {
            return Err(Refused(w));
        }
        s.users.insert(key.clone(), by_user.started(now));
        s.addresses.insert(addr, by_addr.started(now));
        Ok(Attempt {
            limiter: self.clone(),
            key,
            done: false,
        })
    }

    fn finish(&self, key: &(String, IpAddr), ok: bool) {
        let now = Instant::now();
        let mut s = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(e) = s.users.get_mut(key) {
            e.in_flight = e.in_flight.saturating_sub(1);
            if ok {
                e.failures = 0;
            } else {
                e.failures += 1;
                e.last = now;
            }
            // Forgotten once nothing is owed: others' attempts still running keep it.
            if ok && e.in_flight == 0 {
                s.users.remove(key);
            }
        }
        if let Some(e) = s.addresses.get_mut(&key.1) {
            e.in_flight = e.in_flight.saturating_sub(1);
            if !ok {
                e.failures += 1;
                e.last = now;
            }
        }
    }
}

/// `e` with its failures forgotten if the window has passed since the last one.
fn fresh(mut e: Entry, now: Instant) -> Entry {
    if now.duration_since(e.last) > LOGIN_WINDOW {
        e.failures = 0;
    }
    e
}

impl Attempt {
    /// The password was right: the user's failures are forgotten.
    pub fn succeeded(mut self) {
        self.done = true;
        self.limiter.finish(&self.key, true);
    }

    /// The password was wrong.
    pub fn failed(mut self) {
        self.done = true;
        self.limiter.finish(&self.key, false);
    }
}

impl Drop for Attempt {
    fn drop(&mut self) {
        if !self.done {
            self.limiter.finish(&self.key, false);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn failures_slow_the_next_attempt_and_success_forgets_them() {
        let l = LoginLimiter::default();
        let a = ip("10.0.0.1");
        for _ in 0..FREE_FAILURES {
            l.begin("u", a).unwrap().failed();
        }
        assert!(l.begin("u", a).is_err());
        assert!(
            l.begin("v", a).is_ok(),
            "another name from the address is not slowed"
        );
        assert!(
            l.begin("u", ip("10.0.0.2")).is_ok(),
            "the user from elsewhere gets in"
        );
    }

    #[test]
    fn attempts_in_flight_count_before_they_finish() {
        let l = LoginLimiter::default();
        let a = ip("10.0.0.1");
        let running: Vec<Attempt> = (0..FREE_FAILURES)
            .map(|_| l.begin("u", a).unwrap())
            .collect();
        assert!(
            l.begin("u", a).is_err(),
            "attempts running count as failures"
        );
        drop(running);
        // Dropped unfinished (the client hung up): counted as failures.
        let s = l.state.lock().unwrap();
        assert_eq!(s.users[&("u".to_owned(), a)].failures, FREE_FAILURES);
    }

    #[test]
    fn delays_double_up_to_the_cap() {
        let now = Instant::now();
        let mut e = Entry::new(now);
        e.failures = FREE_FAILURES;
        assert_eq!(e.wait(FREE_FAILURES, now), Some(Duration::from_secs(1)));
        e.failures = FREE_FAILURES + 3;
        assert_eq!(e.wait(FREE_FAILURES, now), Some(Duration::from_secs(8)));
        e.failures = FREE_FAILURES + 40;
        assert_eq!(e.wait(FREE_FAILURES, now), Some(MAX_DELAY));
        assert_eq!(e.wait(FREE_FAILURES, now + MAX_DELAY), None);
    }
}
