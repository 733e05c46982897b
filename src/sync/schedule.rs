//! When replication runs and what the header says about it, as pure functions: the retry
//! delay after failures (exponential backoff with jitter) and the indicator derived from
//! the sync state. No browser, no timers: `service` applies these; tested natively.

/// How long after the last save a sync starts: long enough that a cadre typing a forum's
/// details does not start one per field, short enough that a saved record leaves the
/// phone while the signal lasts.
pub const SAVE_DEBOUNCE_MS: u32 = 3_000;
/// The first retry after a failure.
pub const FIRST_RETRY_MS: u32 = 5_000;
/// Retries never wait longer than this (a village signal often returns within minutes).
pub const MAX_RETRY_MS: u32 = 300_000;

/// The delay before the next attempt after `failures` failures in a row (≥ 1), given
/// `jitter` in `[0, 1)`: the exponential step `FIRST_RETRY_MS · 2^(failures-1)`, capped at
/// `MAX_RETRY_MS`, of which half is fixed and half random ("equal jitter"), so phones that
/// lost the same tower do not all come back in the same second, yet none retries at once.
pub fn retry_delay_ms(failures: u32, jitter: f64) -> u32 {
    let exp = failures.saturating_sub(1).min(16);
    let step = u64::from(FIRST_RETRY_MS) << exp;
    let step = step.min(u64::from(MAX_RETRY_MS)) as f64;
    let jitter = jitter.clamp(0.0, 1.0);
    (step / 2.0 + step / 2.0 * jitter).round() as u32
}

/// What the sync state is, as the indicator needs it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Status {
    /// The browser says it is online.
    pub online: bool,
    /// A replication is running.
    pub running: bool,
    /// Documents done and the total (if known) of the running direction.
    pub progress: Option<(u64, Option<u64>)>,
    /// Local documents not yet on the server.
    pub pending: u32,
    /// No session (never signed in, or the session expired / the password changed).
    pub needs_login: bool,
    /// The last run failed.
    pub failed: bool,
}

/// The header's indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Indicator {
    /// 同步中, with a percentage when the total is known.
    Syncing(Option<u8>),
    /// 离线, with the number of documents only on this phone.
    Offline(u32),
    /// 请登录 (sync cannot run until the cadre signs in), with the pending count.
    NeedsLogin(u32),
    /// 同步失败 (will retry), with the pending count.
    Failed(u32),
    /// N 条仅保存在本机: waiting for the next run.
    Pending(u32),
    /// 已同步.
    Synced,
}

/// Seconds the running direction still needs at its rate so far, once that rate means
/// something (some records done, a second passed, a total known); rounded up.
pub fn eta_secs(done: u64, total: Option<u64>, elapsed_ms: u64) -> Option<u64> {
    let total = total?;
    if done == 0 || done >= total || elapsed_ms < 1_000 {
        return None;
    }
    let left_ms = u128::from(total - done) * u128::from(elapsed_ms) / u128::from(done);
    Some(left_ms.div_ceil(1_000) as u64)
}

/// Derives the indicator: a running sync shows first, then the reasons it cannot run
/// (offline, login), then a failure, then what is waiting.
pub fn indicator(s: &Status) -> Indicator {
    if s.running {
        let percent = s.progress.and_then(|(done, total)| {
            let total = total.filter(|t| *t > 0)?;
            Some((done.min(total) * 100 / total) as u8)
        });
        return Indicator::Syncing(percent);
    }
    if !s.online {
        return Indicator::Offline(s.pending);
    }
    if s.needs_login {
        return Indicator::NeedsLogin(s.pending);
    }
    if s.failed {
        return Indicator::Failed(s.pending);
    }
    if s.pending > 0 {
        return Indicator::Pending(s.pending);
    }
    Indicator::Synced
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_five_seconds_and_stops_at_five_minutes() {
        assert_eq!(retry_delay_ms(1, 0.0), 2_500);
        assert_eq!(retry_delay_ms(1, 1.0), 5_000);
        assert_eq!(retry_delay_ms(2, 1.0), 10_000);
        assert_eq!(retry_delay_ms(3, 0.5), 15_000);
        assert_eq!(retry_delay_ms(7, 1.0), MAX_RETRY_MS);
        assert_eq!(retry_delay_ms(1_000, 1.0), MAX_RETRY_MS);
        assert_eq!(retry_delay_ms(1_000, 0.0), MAX_RETRY_MS / 2);
    }

    #[test]
    fn jitter_spreads_phones_but_never_retries_at_once() {
        for failures in 1..20 {
            let low = retry_delay_ms(failures, 0.0);
            let high = retry_delay_ms(failures, 0.999);
            assert!(low >= FIRST_RETRY_MS / 2, "{failures}: {low}");
            assert!(high > low, "{failures}: no spread");
            assert!(high <= MAX_RETRY_MS);
            // Out-of-range jitter is clamped, not trusted.
            assert_eq!(retry_delay_ms(failures, 7.0), retry_delay_ms(failures, 1.0));
        }
    }

    fn status() -> Status {
        Status {
            online: true,
            ..Status::default()
        }
    }

    #[test]
    fn indicator_prefers_running_then_why_not_then_pending() {
        let running = Status {
            running: true,
            online: false,
            progress: Some((50, Some(200))),
            ..status()
        };
        assert_eq!(indicator(&running), Indicator::Syncing(Some(25)));
        let unknown_total = Status {
            progress: Some((50, None)),
            ..running
        };
        assert_eq!(indicator(&unknown_total), Indicator::Syncing(None));
        let offline = Status {
            online: false,
            pending: 3,
            needs_login: true,
            ..status()
        };
        assert_eq!(indicator(&offline), Indicator::Offline(3));
        let login = Status {
            needs_login: true,
            failed: true,
            pending: 2,
            ..status()
        };
        assert_eq!(indicator(&login), Indicator::NeedsLogin(2));
        let failed = Status {
            failed: true,
            pending: 2,
            ..status()
        };
        assert_eq!(indicator(&failed), Indicator::Failed(2));
        let pending = Status {
            pending: 4,
            ..status()
        };
        assert_eq!(indicator(&pending), Indicator::Pending(4));
        assert_eq!(indicator(&status()), Indicator::Synced);
    }

    #[test]
    fn progress_never_shows_more_than_a_hundred_percent() {
        let s = Status {
            running: true,
            progress: Some((300, Some(200))),
            ..status()
        };
        assert_eq!(indicator(&s), Indicator::Syncing(Some(100)));
        let zero = Status {
            progress: Some((0, Some(0))),
            ..s
        };
        assert_eq!(indicator(&zero), Indicator::Syncing(None));
    }

    #[test]
    fn the_estimate_follows_the_rate_once_it_is_known() {
        assert_eq!(eta_secs(300, Some(900), 3_000), Some(6));
        assert_eq!(eta_secs(1, Some(1_000), 1_000), Some(999));
        assert_eq!(eta_secs(300, Some(900), 500), None, "too early to say");
        assert_eq!(eta_secs(0, Some(900), 5_000), None, "no rate yet");
        assert_eq!(eta_secs(900, Some(900), 5_000), None, "done");
        assert_eq!(eta_secs(300, None, 5_000), None, "no total");
    }
}
