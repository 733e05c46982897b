//! What the header and the 同步 screen say about sync, as pure functions: the indicator
//! derived from the sync state and the time a running direction still needs; and how long
//! after a save a sync starts. No browser, no timers: the client's sync service applies
//! these. (When to retry after a failure is `couch::replication::retry`.)

/// How long after the last save a sync starts: long enough that a cadre typing a forum's
/// details does not start one per field, short enough that a saved record leaves the
/// phone while the signal lasts.
pub const SAVE_DEBOUNCE_MS: u32 = 3_000;
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
