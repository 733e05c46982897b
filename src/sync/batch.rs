//! How many changes the next batch of a replication carries. Pure (no clock, no I/O):
//! the replicator measures each batch and reports the time here, so `cargo test` covers
//! the rule natively.
//!
//! The rule: every run starts at [`START`] changes, which suits a weak village signal
//! (see its doc). A full batch that finished in under half of [`TARGET_MS`] doubles the
//! next one, up to [`MAX`]; one that took over twice the target halves it, down to
//! [`MIN`]. So on a slow link batches stay small — a dropped request re-sends little and
//! a checkpoint lands every second or two — while on a good link (Wi-Fi at the township,
//! the hub on the same LAN) a sync of thousands of records needs a few dozen requests
//! instead of hundreds, because each batch costs three round trips whatever its size.
//! Each run starts small again: the next run may be on another signal.

/// Changes in the first batch of every run. 100 documents of Yehua's size (0.3–1.5 KB of
/// JSON each) make a `_bulk_docs` or `_bulk_get` body of roughly 50–150 KB: a second or
/// two on a weak 3G signal, and PouchDB's default, which CouchDB servers are tuned for.
pub const START: u32 = 100;
/// The smallest batch (a 2G signal where even 100 documents take many seconds).
pub const MIN: u32 = 25;
/// The largest batch: about 1 MB of JSON, an eighth of the hub's request limit and
/// far under CouchDB's.
pub const MAX: u32 = 1_000;
/// The time one batch (its requests and its IndexedDB transaction) should take.
pub const TARGET_MS: f64 = 1_500.0;

/// The batch size of one replication run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BatchSize {
    current: u32,
    min: u32,
    max: u32,
}

impl BatchSize {
    /// Starts at [`START`] and follows the link between [`MIN`] and [`MAX`].
    pub fn adaptive() -> Self {
        Self {
            current: START,
            min: MIN,
            max: MAX,
        }
    }

    /// Always `n` changes (at least 1): for tests that count batches.
    pub fn fixed(n: u32) -> Self {
        let n = n.max(1);
        Self {
            current: n,
            min: n,
            max: n,
        }
    }

    /// The size of the next batch.
    pub fn get(self) -> u32 {
        self.current
    }

    /// Records a batch that carried `changes` changes in `ms` milliseconds. A short batch
    /// (the end of the feed) says nothing about the link's capacity, so it only counts
    /// when it was slow.
    pub fn record(&mut self, changes: u32, ms: f64) {
        if ms > 2.0 * TARGET_MS {
            self.current = (self.current / 2).max(self.min);
        } else if ms < TARGET_MS / 2.0 && changes >= self.current {
            self.current = self.current.saturating_mul(2).min(self.max);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn after(mut b: BatchSize, batches: &[(u32, f64)]) -> u32 {
        for &(n, ms) in batches {
            b.record(n, ms);
        }
        b.get()
    }

    #[test]
    fn a_fast_link_grows_to_the_maximum_and_no_further() {
        let b = BatchSize::adaptive();
        assert_eq!(b.get(), START);
        let sizes: Vec<u32> = (1..=6)
            .scan(b, |b, _| {
                let n = b.get();
                b.record(n, 100.0);
                Some(b.get())
            })
            .collect();
        assert_eq!(sizes, [200, 400, 800, 1000, 1000, 1000]);
    }

    #[test]
    fn a_slow_link_shrinks_to_the_minimum_and_a_middling_one_stays() {
        let b = BatchSize::adaptive();
        assert_eq!(after(b, &[(100, 4_000.0)]), 50);
        assert_eq!(after(b, &[(100, 4_000.0); 5]), MIN);
        // Between half and twice the target: the size is right for this link.
        assert_eq!(after(b, &[(100, 1_000.0), (100, 2_500.0)]), START);
    }

    #[test]
    fn a_short_fast_batch_does_not_grow_but_a_short_slow_one_shrinks() {
        let b = BatchSize::adaptive();
        assert_eq!(
            after(b, &[(30, 50.0)]),
            START,
            "the feed's end proves nothing"
        );
        assert_eq!(after(b, &[(30, 9_000.0)]), 50);
    }

    #[test]
    fn a_fixed_size_never_moves() {
        let b = BatchSize::fixed(50);
        assert_eq!(after(b, &[(50, 10.0), (50, 10.0), (50, 60_000.0)]), 50);
        assert_eq!(BatchSize::fixed(0).get(), 1);
    }
}
