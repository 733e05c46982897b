#!/usr/bin/env bash
# Interop tests (every *.test.mjs in tests/interop/): PouchDB (memory adapter) replicates
# 10,000 documents, and 200 documents with attachments (a station of their own), to the hub
# and back; the same tests run against pouchdb-server as a reference implementation.
# Usage: scripts/test-interop.sh [HUB_BINARY]   (default target/debug/yehua-hub)
# Everything listens on 127.0.0.1 at free ports, with data in a temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."
HUB="$(realpath "${1:-target/debug/yehua-hub}")"
export PATH="$PWD/node_modules/.bin:$PATH"
source scripts/servers.sh

# The hub: a station and a user made by the command line, then serve.
STATION=990001
USER_NAME=interop
PASS="interop-$RANDOM-$RANDOM"
"$HUB" station add "$STATION" --name "互操作测试站" --level village --data "$TMP/hub" >/dev/null
echo "$PASS" | "$HUB" user add "$USER_NAME" --station "$STATION" --data "$TMP/hub" >/dev/null
ATT_STATION=990002
"$HUB" station add "$ATT_STATION" --name "附件互操作测试站" --level village --data "$TMP/hub" >/dev/null
echo "$PASS" | "$HUB" user add "${USER_NAME}-att" --station "$ATT_STATION" --data "$TMP/hub" >/dev/null
mkdir -p "$TMP/app" && echo '<!doctype html><title>interop</title>' > "$TMP/app/index.html"
HUB_PORT="$(free_port)"
"$HUB" serve --data "$TMP/hub" --listen "127.0.0.1:$HUB_PORT" --app "$TMP/app" >"$TMP/hub.log" 2>&1 &
PIDS+=($!)
wait_for "http://127.0.0.1:$HUB_PORT/couch/" "$TMP/hub.log"

start_pouchdb_server

export INTEROP_HUB_URL="http://127.0.0.1:$HUB_PORT/couch/station_$STATION"
export INTEROP_HUB_USER="$USER_NAME"
export INTEROP_HUB_PASS="$PASS"
export INTEROP_POUCHDB_SERVER_URL="http://127.0.0.1:$PS_PORT/interop"
export INTEROP_HUB_ATT_URL="http://127.0.0.1:$HUB_PORT/couch/station_$ATT_STATION"
export INTEROP_HUB_ATT_USER="${USER_NAME}-att"
export INTEROP_POUCHDB_SERVER_ATT_URL="http://127.0.0.1:$PS_PORT/interop-att"
node --test --test-concurrency=1 ${INTEROP_FILES:-tests/interop/}
