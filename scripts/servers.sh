# Shared by the test launchers (sourced, not run): a temporary folder, background servers
# that are always stopped on exit, free loopback ports, waiting for a server to answer, and
# an in-memory pouchdb-server. Everything listens on 127.0.0.1 only.
TMP="$(mktemp -d)"
PIDS=()
stop_servers() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$TMP"
}
trap stop_servers EXIT
trap 'exit 130' INT TERM

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

# pouchdb-server in memory, admin party (no admin: its non-admin PUT /db bug never bites;
# it answers CORS with credentials for any origin). Sets PS_PORT.
start_pouchdb_server() {
  PS_PORT="$(free_port)"
  mkdir -p "$TMP/ps"
  (cd "$TMP/ps" && exec node "$OLDPWD/node_modules/pouchdb-server/bin/pouchdb-server" \
    --in-memory --host 127.0.0.1 --port "$PS_PORT" --no-stdout-logs) >"$TMP/ps.log" 2>&1 &
  PIDS+=($!)
  wait_for "http://127.0.0.1:$PS_PORT/" "$TMP/ps.log"
}
