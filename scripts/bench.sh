#!/usr/bin/env bash
# make bench: builds the release app and hub, measures first-load bytes, load time under
# throttling, the IndexedDB store and sync against PouchDB in the same page, and the hub
# under simulated devices; prints the tables and adds them to BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER=/usr/bin/chromedriver
step() { printf '\n\033[1m== %s ==\033[0m\n' "$*" >&2; }
LINES="$(mktemp)"
trap 'rm -f "$LINES"' EXIT

step "build (release app and hub)"
trunk build --release
cargo build --release -p yehua-hub --quiet
# The sync benchmark seeds its first phone through 导入 with this generated station year.
cargo build -p yehua-exchange --example seed_file --quiet

step "the build's bytes, and what each module of the split build holds"
node scripts/bench-size.mjs dist | tee -a "$LINES"
node scripts/wasm-crates.mjs --split target/wasm32-unknown-unknown/wasm-release/yehua.wasm 6 | tee -a "$LINES"

step "load time (throttled network, CPU 4x)"
node scripts/bench-loadtime.mjs target/release/yehua-hub 5 | tee -a "$LINES"

step "a new phone's first sync over Regular 3G, CPU 4x (a station's year, ~930 records, and ~10,000)"
node scripts/bench-sync3g.mjs target/release/yehua-hub 5 | tee -a "$LINES"

step "rendering: the activity list with 10,000 activities (CPU 4x)"
node scripts/bench-render.mjs target/release/yehua-hub 5 10000 | tee -a "$LINES"

step "printing: the month's 台账 with ~100 forums (CPU 4x)"
node scripts/bench-paper.mjs target/release/yehua-hub 5 1850 | tee -a "$LINES"

step "photos: scaling at CPU 4x, a forum's storage, 20 photos to the hub vs PouchDB"
node scripts/bench-photos.mjs target/release/yehua-hub 5 | tee -a "$LINES"

step "IndexedDB and sync: Yehua vs PouchDB (headless Chromium, release build)"
WASM_BINDGEN_TEST_TIMEOUT=3600 YEHUA_HUB_BIN=target/release/yehua-hub YEHUA_BENCH_SETUP=1 \
  scripts/sync-test-servers.sh \
  cargo test --profile wasm-release --target wasm32-unknown-unknown -p yehua --features bench --test bench \
  -- --nocapture 2>&1 | tee -a /dev/stderr | grep 'BENCH {' >>"$LINES"

step "hub under simulated devices"
for n in 100 1000; do
  node tests/interop/bench-load.mjs target/release/yehua-hub "$n" 100 \
    | sed 's/^{/BENCH {"figure":"hub load",/' | tee -a "$LINES"
done
# 1,000 phones, each its own cadre account, arriving together: 1,000 argon2 checks.
node tests/interop/bench-load.mjs target/release/yehua-hub 1000 1000 distinct \
  | sed 's/^{/BENCH {"figure":"hub load, distinct accounts",/' | tee -a "$LINES"

step "上报情况: 300 stations × a year of records (hub, release, 2 threads)"
cargo build --release -p yehua-hub --example bench_status --quiet
target/release/examples/bench_status 300 | tee -a "$LINES"

step "report"
node scripts/bench-report.mjs "$LINES"
