#!/usr/bin/env bash
# Interop tests (every *.test.mjs in tests/interop/): PouchDB (memory adapter) replicates
# 10,000 documents, and 200 documents with attachments (a station of their own), to the hub
# and back, and the console's account calls run; the same tests run against pouchdb-server
# as a reference implementation.
# Usage: scripts/test-interop.sh [HUB_BINARY]   (default target/debug/yehua-hub); INTEROP_FILES=
# tests/interop/users.test.mjs runs one file instead of the folder.
# Everything listens on 127.0.0.1 at free ports, with data in a temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."
HUB="$(realpath "${1:-target/debug/yehua-hub}")"
export PATH="$PWD/node_modules/.bin:$PATH"
source scripts/servers.sh

# The hub: township 99 with villages 990001 and 990002, a cadre, an hq and an admin made
# by the command line, then serve.
STATION=990001
USER_NAME=interop
PASS="interop-$RANDOM-$RANDOM"
ADMIN_PASS="admin-$RANDOM-$RANDOM"
HQ_PASS="hq-$RANDOM-$RANDOM"
"$HUB" station add 99 --name "互操作测试所" --level township --data "$TMP/hub" >/dev/null
"$HUB" station add "$STATION" --name "互操作测试站" --parent 99 --level village --data "$TMP/hub" >/dev/null
"$HUB" station add 990002 --name "互操作新站" --parent 99 --level village --data "$TMP/hub" >/dev/null
echo "$PASS" | "$HUB" user add "$USER_NAME" --station "$STATION" --data "$TMP/hub" >/dev/null
echo "$ADMIN_PASS" | "$HUB" user add interop-admin --station 99 --role admin --data "$TMP/hub" >/dev/null
echo "$HQ_PASS" | "$HUB" user add interop-hq --station 99 --role hq --data "$TMP/hub" >/dev/null
ATT_STATION=990003
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
# tests/interop/users.test.mjs: the console's account calls on both.
export INTEROP_HUB_BASE="http://127.0.0.1:$HUB_PORT/couch"
export INTEROP_HUB_ADMIN=interop-admin INTEROP_HUB_ADMIN_PASS="$ADMIN_PASS"
export INTEROP_HUB_HQ=interop-hq INTEROP_HUB_HQ_PASS="$HQ_PASS"
export INTEROP_POUCHDB_SERVER_BASE="http://127.0.0.1:$PS_PORT"
node --test --test-force-exit --test-concurrency=1 --test-timeout=600000 ${INTEROP_FILES:-tests/interop/}
