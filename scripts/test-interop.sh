#!/usr/bin/env bash
# Interop test: PouchDB (memory adapter) replicates 10,000 documents to the hub and back,
# and the same test runs against pouchdb-server as a reference implementation.
# Usage: scripts/test-interop.sh [HUB_BINARY]   (default target/debug/yehua-hub)
# Everything listens on 127.0.0.1 at free ports, with data in a temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."
HUB="$(realpath "${1:-target/debug/yehua-hub}")"
export PATH="$PWD/node_modules/.bin:$PATH"
TMP="$(mktemp -d)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT

free_port() {
  node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

wait_for() { # URL LOGFILE
  for _ in $(seq 1 100); do
    if node -e "fetch(process.argv[1]).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))" "$1"; then return 0; fi
    sleep 0.1
  done
  echo "not answering: $1" >&2
  cat "$2" >&2
  return 1
}

# The hub: a station and a user made by the command line, then serve.
STATION=990001
USER_NAME=interop
PASS="interop-$RANDOM-$RANDOM"
"$HUB" station add "$STATION" --name "互操作测试站" --level village --data "$TMP/hub" >/dev/null
echo "$PASS" | "$HUB" user add "$USER_NAME" --station "$STATION" --data "$TMP/hub" >/dev/null
mkdir -p "$TMP/app" && echo '<!doctype html><title>interop</title>' > "$TMP/app/index.html"
HUB_PORT="$(free_port)"
"$HUB" serve --data "$TMP/hub" --listen "127.0.0.1:$HUB_PORT" --app "$TMP/app" >"$TMP/hub.log" 2>&1 &
PIDS+=($!)
wait_for "http://127.0.0.1:$HUB_PORT/couch/" "$TMP/hub.log"

# pouchdb-server in memory, admin party (no admin: its non-admin PUT /db bug never bites).
PS_PORT="$(free_port)"
mkdir -p "$TMP/ps"
(cd "$TMP/ps" && exec node "$OLDPWD/node_modules/pouchdb-server/bin/pouchdb-server" \
  --in-memory --host 127.0.0.1 --port "$PS_PORT" --no-stdout-logs) >"$TMP/ps.log" 2>&1 &
PIDS+=($!)
wait_for "http://127.0.0.1:$PS_PORT/" "$TMP/ps.log"

export INTEROP_HUB_URL="http://127.0.0.1:$HUB_PORT/couch/station_$STATION"
export INTEROP_HUB_USER="$USER_NAME"
export INTEROP_HUB_PASS="$PASS"
export INTEROP_POUCHDB_SERVER_URL="http://127.0.0.1:$PS_PORT/interop"
node --test --test-concurrency=1 tests/interop/
