//! How many changes the next batch of a replication carries. Pure (no clock, no I/O):
//! the replicator measures each batch — its requests' bytes and times, and its whole time —
//! and reports them here, so `cargo test` covers the rule natively.
//!
//! The model: a batch of `n` changes takes `fixed + n × per_change` milliseconds, where
//! `fixed` is its round trips (`requests × rtt`) plus [`LOCAL_MS`] of local work, and
//! `per_change` everything that grows with the batch (bytes on the link, JSON, IndexedDB).
//! From each batch the rule learns the round-trip time (the quickest request, less the
//! time its bytes needed), the throughput (the largest request's bytes over the rest of
//! its time), the bytes per change and `per_change`, each smoothed over the run so a
//! changing signal is followed within a batch or two. The next batch is then as large as
//! fits in the target time, where the target is [`TARGET_MS`] or [`LATENCY_SHARE`] times
//! the round trips, whichever is longer — so on a 300 ms 3G link a batch is a few hundred
//! changes, not a hundred, and latency stops dominating — and never more than
//! [`MAX_SECONDS`] of transfer at the measured throughput, so a request dropped on a weak
//! signal re-sends little. A batch grows at most [`GROWTH`]-fold at a time (one quick
//! batch is not proof of a fast link) and shrinks at once.
//!
//! Every run starts at [`START`] changes: the next run may be on another signal.

/// Changes in the first batch of every run. 100 documents of Yehua's size (0.3–1.5 KB of
/// JSON each) make a `_bulk_docs` or `_bulk_get` body of roughly 50–150 KB: a second or
/// two on a weak 3G signal, and PouchDB's default, which CouchDB servers are tuned for.
pub const START: u32 = 100;
/// The smallest batch (a 2G signal where even 100 documents take many seconds).
pub const MIN: u32 = 25;
/// The largest batch: about 2 MB of JSON, a quarter of the hub's request limit and a
/// fifth of the items it answers in one `_bulk_get`.
pub const MAX: u32 = 2_000;
/// The least time one batch should take, when round trips are cheap (a LAN).
pub const TARGET_MS: f64 = 1_500.0;
/// A batch should take at least this many times its round trips, so that moving data,
/// not waiting for answers, is most of it.
pub const LATENCY_SHARE: f64 = 4.0;
/// The most transfer time one batch may hold at the measured throughput.
pub const MAX_SECONDS: f64 = 4.0;
/// The most a batch grows from one to the next.
pub const GROWTH: u32 = 4;
/// Local work per batch that does not grow with it (a transaction's commit, a checkpoint).
pub const LOCAL_MS: f64 = 20.0;
/// Weight of the newest batch in the smoothed estimates.
const SMOOTHING: f64 = 0.5;

/// One request of a batch: bytes sent and received (bodies as text), and its time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Exchange {
    /// Body bytes both ways.
    pub bytes: u64,
    /// Milliseconds from sending to the last byte of the answer.
    pub ms: f64,
}

/// One finished batch as the replicator measured it.
#[derive(Clone, Debug, PartialEq)]
pub struct Measured<'a> {
    /// Changes the batch asked for (a pipelined pull asks before the batch ahead of it is
    /// measured, so this can be less than the size now in force).
    pub requested: u32,
    /// Changes the batch carried (fewer than asked: the feed's end).
    pub changes: u32,
    /// Milliseconds the whole batch took.
    pub ms: f64,
    /// Its requests to the remote.
    pub exchanges: &'a [Exchange],
}

/// What the rule has learnt of the link so far.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Link {
    /// Round-trip time, milliseconds.
    pub rtt_ms: Option<f64>,
    /// Throughput, bytes per millisecond.
    pub bytes_per_ms: Option<f64>,
    /// Body bytes per change.
    pub bytes_per_change: Option<f64>,
    /// Milliseconds per change beyond the round trips.
    pub ms_per_change: Option<f64>,
}

fn smooth(old: Option<f64>, new: f64) -> Option<f64> {
    if !new.is_finite() || new < 0.0 {
        return old;
    }
    Some(match old {
        Some(o) => o + SMOOTHING * (new - o),
        None => new,
    })
}

impl Link {
    fn learn(&mut self, m: &Measured<'_>) {
        let Some(quick) = m.exchanges.iter().min_by(|a, b| a.ms.total_cmp(&b.ms)) else {
            return;
        };
        let big = m
            .exchanges
            .iter()
            .max_by_key(|e| e.bytes)
            .copied()
            .unwrap_or(*quick);
        // The quickest request is mostly latency; what its bytes needed is taken off once
        // the throughput is known.
        let carry = |bytes: u64, link: &Link| {
            link.bytes_per_ms
                .map_or(0.0, |bw| bytes as f64 / bw.max(1e-6))
        };
        let rtt = (quick.ms - carry(quick.bytes, self)).max(0.0);
        self.rtt_ms = smooth(self.rtt_ms, rtt);
        let rtt = self.rtt_ms.unwrap_or(0.0);
        if big.bytes > 0 && big.ms > rtt {
            self.bytes_per_ms = smooth(self.bytes_per_ms, big.bytes as f64 / (big.ms - rtt));
        }
        if m.changes > 0 {
            let bytes: u64 = m.exchanges.iter().map(|e| e.bytes).sum();
            self.bytes_per_change =
                smooth(self.bytes_per_change, bytes as f64 / f64::from(m.changes));
            let fixed = fixed_ms(m.exchanges.len(), rtt);
            let per = ((m.ms - fixed) / f64::from(m.changes)).max(0.001);
            self.ms_per_change = smooth(self.ms_per_change, per);
        }
    }
}

/// A batch's time that does not grow with it: its round trips and [`LOCAL_MS`].
fn fixed_ms(requests: usize, rtt_ms: f64) -> f64 {
    requests as f64 * rtt_ms + LOCAL_MS
}

/// The batch size of one replication run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BatchSize {
    current: u32,
    min: u32,
    max: u32,
    link: Link,
}

impl BatchSize {
    /// Starts at [`START`] and follows the link between [`MIN`] and [`MAX`].
    pub fn adaptive() -> Self {
        Self {
            current: START,
            min: MIN,
            max: MAX,
            link: Link::default(),
        }
    }

    /// Always `n` changes (at least 1): for tests that count batches.
    pub fn fixed(n: u32) -> Self {
        let n = n.max(1);
        Self {
            current: n,
            min: n,
            max: n,
            link: Link::default(),
        }
    }

    /// The size of the next batch.
    pub fn get(self) -> u32 {
        self.current
    }

    /// What has been learnt of the link.
    pub fn link(self) -> Link {
        self.link
    }

    /// Records a finished batch and sizes the next one. A short batch (fewer changes than
    /// it asked for: the feed's end) teaches the link's figures but cannot show that a
    /// larger one would fit, so it only ever shrinks the size. Growth is counted from the
    /// larger of the size in force and the size the batch asked for, so a pipelined pull,
    /// whose batches ask one step behind, ramps up as fast as a plain one.
    pub fn record(&mut self, m: &Measured<'_>) {
        self.link.learn(m);
        let (Some(rtt), Some(per)) = (self.link.rtt_ms, self.link.ms_per_change) else {
            return;
        };
        let requests = m.exchanges.len().max(1);
        let fixed = fixed_ms(requests, rtt);
        let target = TARGET_MS.max(LATENCY_SHARE * requests as f64 * rtt);
        let mut want = (target - fixed).max(0.0) / per;
        if let (Some(bw), Some(size)) = (self.link.bytes_per_ms, self.link.bytes_per_change) {
            want = want.min(MAX_SECONDS * 1000.0 * bw / size.max(1.0));
        }
        let mut next = want.clamp(0.0, f64::from(u32::MAX)) as u32;
        if m.changes < m.requested {
            next = next.min(self.current);
        }
        next = next.min(self.current.max(m.requested).saturating_mul(GROWTH));
        self.current = next.clamp(self.min, self.max);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A simulated link: round trip, throughput (bytes per ms), and the phone's own
    /// work per change (ms).
    #[derive(Clone, Copy)]
    struct Sim {
        rtt: f64,
        bytes_per_ms: f64,
        local_per_change: f64,
    }

    /// Bytes one change costs on the wire (Yehua's records, both ways, as text).
    const CHANGE_BYTES: u64 = 600;

    /// Three requests per batch, as a pull makes them: the feed, `_bulk_get` and the
    /// checkpoint.
    fn batch(link: Sim, n: u32) -> (Vec<Exchange>, f64) {
        let req = |bytes: u64| Exchange {
            bytes,
            ms: link.rtt + bytes as f64 / link.bytes_per_ms,
        };
        let ex = vec![
            req(u64::from(n) * 120),
            req(u64::from(n) * (CHANGE_BYTES - 120)),
            req(300),
        ];
        let ms =
            ex.iter().map(|e| e.ms).sum::<f64>() + LOCAL_MS + f64::from(n) * link.local_per_change;
        (ex, ms)
    }

    /// The sizes of the batches that carry `total` changes over `links` (one per batch,
    /// the last repeated), and the whole time in seconds.
    fn run(links: &[Sim], total: u32) -> (Vec<u32>, f64) {
        let mut b = BatchSize::adaptive();
        let (mut left, mut sizes, mut ms) = (total, Vec::new(), 0.0);
        while left > 0 {
            let link = links[sizes.len().min(links.len() - 1)];
            let n = b.get().min(left);
            let (ex, t) = batch(link, n);
            b.record(&Measured {
                requested: n,
                changes: n,
                ms: t,
                exchanges: &ex,
            });
            sizes.push(n);
            ms += t;
            left -= n;
        }
        (sizes, ms / 1000.0)
    }

    const LAN: Sim = Sim {
        rtt: 1.0,
        bytes_per_ms: 10_000.0,
        local_per_change: 0.3,
    };
    /// Regular 3G as Chromium's throttling has it (300 ms, 750 kbit/s down = 94 bytes per
    /// ms on the wire), CPU 4×. The hub compresses its answers about 4.8-fold (910 records,
    /// 114 KB on the wire), and the replicator counts text: 450 text bytes per ms.
    const REGULAR_3G: Sim = Sim {
        rtt: 300.0,
        bytes_per_ms: 450.0,
        local_per_change: 1.2,
    };
    /// A 2G-like signal: 600 ms, 50 kbit/s, uncompressed (the worst case).
    const EDGE: Sim = Sim {
        rtt: 600.0,
        bytes_per_ms: 6.25,
        local_per_change: 1.2,
    };

    #[test]
    fn a_fast_lan_grows_to_the_maximum_in_few_batches() {
        let (sizes, _) = run(&[LAN], 10_000);
        assert_eq!(&sizes[..3], &[100, 400, 1600]);
        assert!(sizes[3..]
            .iter()
            .all(|n| *n == MAX || *n < MAX && sizes.last() == Some(n)));
        assert!(sizes.len() <= 8, "{sizes:?}");
    }

    #[test]
    fn regular_3g_carries_transfer_not_latency() {
        let (sizes, secs) = run(&[REGULAR_3G], 910);
        assert!(sizes.len() <= 3, "{sizes:?}");
        assert!(secs < 8.0, "{secs} s");
        let (sizes, secs) = run(&[REGULAR_3G], 10_000);
        // Once grown (at most fourfold a batch), each batch spends most of its time
        // moving data.
        for &n in &sizes[2..sizes.len() - 1] {
            let (ex, t) = batch(REGULAR_3G, n);
            let latency = ex.len() as f64 * REGULAR_3G.rtt;
            assert!(
                latency < t / 3.0,
                "{n} changes: {latency} of {t} ms waiting"
            );
        }
        assert!(
            secs < 40.0,
            "10,000 changes took {secs} s in {} batches",
            sizes.len()
        );
        // …and never holds more than a few seconds of transfer.
        for &n in &sizes {
            let bytes = f64::from(n) * CHANGE_BYTES as f64;
            assert!(
                bytes / REGULAR_3G.bytes_per_ms <= MAX_SECONDS * 1000.0 * 1.5,
                "{n}"
            );
        }
    }

    #[test]
    fn a_2g_signal_keeps_batches_to_a_few_seconds_of_transfer() {
        let (sizes, _) = run(&[EDGE], 3_000);
        for &n in &sizes[1..] {
            let secs = f64::from(n) * CHANGE_BYTES as f64 / EDGE.bytes_per_ms / 1000.0;
            assert!(
                secs <= MAX_SECONDS * 1.5,
                "{n} changes: {secs} s of transfer"
            );
        }
        assert!(sizes[1..].iter().all(|n| *n >= MIN));
    }

    #[test]
    fn a_link_that_degrades_mid_sync_shrinks_the_next_batches_at_once() {
        let mut links = vec![LAN; 4];
        links.extend([EDGE; 4]);
        let (sizes, _) = run(&links, 12_000);
        assert!(sizes[3] >= 1600, "{sizes:?}");
        // One slow batch measured: the next two fit the new link.
        assert!(sizes[5] <= 100 && sizes[6] <= 100, "{sizes:?}");
    }

    #[test]
    fn a_short_batch_never_grows_the_next() {
        let mut b = BatchSize::adaptive();
        let (ex, t) = batch(LAN, 30);
        b.record(&Measured {
            requested: START,
            changes: 30,
            ms: t,
            exchanges: &ex,
        });
        assert_eq!(b.get(), START);
        assert!(b.link().rtt_ms.is_some(), "but the link was measured");
    }

    #[test]
    fn a_fixed_size_never_moves() {
        let mut b = BatchSize::fixed(50);
        for link in [LAN, EDGE] {
            let (ex, t) = batch(link, 50);
            b.record(&Measured {
                requested: 50,
                changes: 50,
                ms: t,
                exchanges: &ex,
            });
        }
        assert_eq!(b.get(), 50);
        assert_eq!(BatchSize::fixed(0).get(), 1);
    }

    #[test]
    fn a_pipelined_pull_ramps_up_as_fast_as_a_plain_one() {
        // Batch k+1 is asked for before batch k is measured.
        let mut b = BatchSize::adaptive();
        let mut asked = vec![b.get(), b.get()];
        for k in 0..4 {
            let n = asked[k];
            let (ex, t) = batch(REGULAR_3G, n);
            b.record(&Measured {
                requested: n,
                changes: n,
                ms: t,
                exchanges: &ex,
            });
            asked.push(b.get());
        }
        assert_eq!(&asked[..3], &[START, START, 400]);
        assert!(asked[3] >= 1_000, "{asked:?}");
    }
}
