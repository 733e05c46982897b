//! When a failed replication runs again: exponential backoff with equal jitter. Pure (the
//! jitter is passed in); the client's sync service applies it.

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
}
