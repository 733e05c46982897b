#!/usr/bin/env bash
# Runs COMMAND with a fresh hub and a fresh pouchdb-server on 127.0.0.1 for the browser
# sync tests (tests/sync.rs), then stops both, whatever COMMAND's outcome.
# Usage: scripts/sync-test-servers.sh COMMAND [ARGS...]
#   e.g. scripts/sync-test-servers.sh cargo test --target wasm32-unknown-unknown -p yehua
# The hub binary is $YEHUA_HUB_BIN, else ${CARGO_TARGET_DIR:-target}/debug/yehua-hub.
# Exports to COMMAND (read at compile time by tests/sync.rs through option_env!):
#   YEHUA_SYNC_HUB    the hub's API, http://127.0.0.1:P/couch (station 330106001, user demo)
#   YEHUA_SYNC_POUCH  pouchdb-server (in memory, admin party), http://127.0.0.1:Q
#   YEHUA_SYNC_FLAKY  the same hub behind scripts/flaky-proxy.mjs (20% of requests dropped
#                     or cut mid-body, seed $FLAKY_SEED or 42), http://127.0.0.1:R/couch;
#                     stations 330106099 and 330106098 (tests/pipeline.rs), users flaky
#                     and flaky2 / flaky-pass; photos 330106096 (photos / photos-pass) and
#                     330106095 (flakyphotos / flaky-pass)
#   WASM_BINDGEN_TEST_ADDRESS  a fixed address for the test page, so that its origin can
#                     be given to the hub as the one CORS origin it allows.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || { echo "usage: $0 COMMAND [ARGS...]" >&2; exit 2; }
HUB="${YEHUA_HUB_BIN:-${CARGO_TARGET_DIR:-target}/debug/yehua-hub}"
[ -x "$HUB" ] || { echo "no hub binary at $HUB (cargo build -p yehua-hub)" >&2; exit 1; }
HUB="$(realpath "$HUB")"
source scripts/servers.sh

RUNNER_PORT="$(free_port)"
export WASM_BINDGEN_TEST_ADDRESS="127.0.0.1:$RUNNER_PORT"

# The hub on an empty data folder: it creates station 330106001 and user demo/yehua-demo.
mkdir -p "$TMP/app" && echo '<!doctype html><title>sync tests</title>' >"$TMP/app/index.html"
HUB_PORT="$(free_port)"
"$HUB" serve --data "$TMP/hub" --listen "127.0.0.1:$HUB_PORT" --app "$TMP/app" \
  --cors-origin "http://127.0.0.1:$RUNNER_PORT" >"$TMP/hub.log" 2>&1 &
PIDS+=($!)
wait_for "http://127.0.0.1:$HUB_PORT/couch/" "$TMP/hub.log"

start_pouchdb_server

"$HUB" station add --data "$TMP/hub" --name "弱信号村新时代文明实践站" 330106099 >>"$TMP/hub.log" 2>&1
echo flaky-pass | "$HUB" user add --data "$TMP/hub" --station 330106099 flaky >>"$TMP/hub.log" 2>&1
"$HUB" station add --data "$TMP/hub" --name "弱信号村二站" 330106098 >>"$TMP/hub.log" 2>&1
echo flaky-pass | "$HUB" user add --data "$TMP/hub" --station 330106098 flaky2 >>"$TMP/hub.log" 2>&1
# A station of its own for the points test, so its documents never mix with the demo data.
"$HUB" station add --data "$TMP/hub" --name "积分村新时代文明实践站" 330106097 >>"$TMP/hub.log" 2>&1
echo points-pass | "$HUB" user add --data "$TMP/hub" --station 330106097 points >>"$TMP/hub.log" 2>&1
# Stations of their own for the photo tests (tests/sync.rs): direct, and behind the proxy.
"$HUB" station add --data "$TMP/hub" --name "照片村新时代文明实践站" 330106096 >>"$TMP/hub.log" 2>&1
echo photos-pass | "$HUB" user add --data "$TMP/hub" --station 330106096 photos >>"$TMP/hub.log" 2>&1
"$HUB" station add --data "$TMP/hub" --name "照片弱信号村" 330106095 >>"$TMP/hub.log" 2>&1
echo flaky-pass | "$HUB" user add --data "$TMP/hub" --station 330106095 flakyphotos >>"$TMP/hub.log" 2>&1
if [ -n "${YEHUA_BENCH_SETUP:-}" ]; then # make bench: empty databases for each run
  for i in $(seq -w 1 20); do
    "$HUB" station add --data "$TMP/hub" --name "测试站$i" "bench$i" >>"$TMP/hub.log" 2>&1
  done
  echo bench-password | "$HUB" user add --data "$TMP/hub" --station bench01 --role admin bench \
    >>"$TMP/hub.log" 2>&1
  export YEHUA_BENCH_HUB="http://127.0.0.1:$HUB_PORT/couch"
fi
FLAKY_PORT="$(free_port)"
node scripts/flaky-proxy.mjs "http://127.0.0.1:$HUB_PORT" "$FLAKY_PORT" "${FLAKY_SEED:-42}" 0.2 \
  >"$TMP/flaky.log" 2>&1 &
PIDS+=($!)
# Not probed over HTTP: a probe would use up the seeded failures.
for _ in $(seq 1 100); do grep -q "flaky proxy on" "$TMP/flaky.log" && break; sleep 0.1; done
grep -q "flaky proxy on" "$TMP/flaky.log" || { cat "$TMP/flaky.log" >&2; exit 1; }

export YEHUA_SYNC_HUB="http://127.0.0.1:$HUB_PORT/couch"
export YEHUA_SYNC_POUCH="http://127.0.0.1:$PS_PORT"
export YEHUA_SYNC_FLAKY="http://127.0.0.1:$FLAKY_PORT/couch"
echo "sync test servers: hub $YEHUA_SYNC_HUB, pouchdb-server $YEHUA_SYNC_POUCH, page $WASM_BINDGEN_TEST_ADDRESS" >&2
set +e
"$@"
status=$?
set -e
kill "${PIDS[-1]}" 2>/dev/null && sleep 0.2 && cat "$TMP/flaky.log" >&2
exit "$status"
