#!/usr/bin/env bash
# Runs every test: native (model, couch, hub, client logic), browser (IndexedDB store in
# headless Chromium), end to end (Playwright driving Chromium against the built app
# served by the hub) and interop (PouchDB against the hub). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER=/usr/bin/chromedriver
step() { printf '\n\033[1m== %s ==\033[0m\n' "$*"; }

step "format and lints (rustfmt, clippy native and wasm32)"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --quiet -- -D warnings
cargo clippy -p yehua --target wasm32-unknown-unknown --all-targets --quiet -- -D warnings

step "native tests"
cargo test --workspace --quiet

step "browser tests (IndexedDB and sync in headless Chromium, against a hub and pouchdb-server)"
# tests/sync.rs needs a live hub and pouchdb-server: the launcher starts both on free
# 127.0.0.1 ports, exports their URLs for the test build, and stops them afterwards.
cargo build -p yehua-hub --quiet
# The runner's default allows a whole test file 20 s; tests/store.rs writes 10,000 documents
# and tests/sync.rs replicates thousands on a 2-core machine, so allow 10 minutes per file.
WASM_BINDGEN_TEST_TIMEOUT=600 scripts/sync-test-servers.sh cargo test --target wasm32-unknown-unknown -p yehua

step "build the app and the hub"
trunk build --release
cargo build -p yehua-hub --quiet
# tests/e2e/exchange.test.mjs checks the downloaded export file with check_export (boon +
# parse); tests that need a real station's year import the file seed_file writes.
cargo build -p yehua-exchange --example check_export --example seed_file --quiet

step "end-to-end tests (Playwright, Chromium 360x640)"
# A test that hangs fails after ten minutes instead of holding the whole run, and a file
# whose tests are done exits even if something it started (a hub) was left running.
node --test --test-force-exit --test-concurrency=1 --test-timeout=600000 tests/e2e/

if [ -x scripts/test-interop.sh ]; then
  step "interop tests (PouchDB against the hub)"
  scripts/test-interop.sh target/debug/yehua-hub
fi
step "all tests passed"
