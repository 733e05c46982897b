// Load benchmark (not a test): many stations at once against one hub on loopback.
// Each simulated station creates its database, pushes 50 documents the way a replicator
// does (_revs_diff, _bulk_docs new_edits=false, _local checkpoint), then pulls them
// back (_changes style=all_docs, _bulk_get revs=true). Prints throughput, p50/p99
// latency and errors as one JSON line.
//
// With ACCOUNTS=distinct, every station signs in as its own cadre (created before the
// clock starts), so the hub checks STATIONS different passwords with argon2 as the
// phones arrive together; otherwise one admin account does everything (the credentials
// cache answers after the first check).
//
//   node tests/interop/bench-load.mjs HUB_BINARY [STATIONS=1000] [CONCURRENCY=100] [ACCOUNTS=shared|distinct]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';

const [bin, stations = '1000', concurrency = '100', accounts = 'shared'] = process.argv.slice(2);
if (!bin) throw new Error('usage: bench-load.mjs HUB_BINARY [STATIONS] [CONCURRENCY]');
const STATIONS = Number(stations);
const CONC = Number(concurrency);

const dir = mkdtempSync(join(tmpdir(), 'yehua-load-'));
const data = join(dir, 'data');
mkdirSync(join(dir, 'app'));
writeFileSync(join(dir, 'app', 'index.html'), '<!doctype html>');
const run = (args, input) => {
  const r = spawnSync(bin, args, { input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
};
run(['station', 'add', '1', '--name', '总部', '--level', 'county', '--data', data]);
run(['user', 'add', 'bench', '--station', '1', '--role', 'admin', '--data', data], 'bench-password\n');
const DISTINCT = accounts === 'distinct';
const code = (n) => String(1000000 + n);
if (DISTINCT) {
  for (let n = 0; n < STATIONS; n++) {
    // `station add` creates the station's database too.
    run(['station', 'add', code(n), '--name', `村${n}`, '--parent', '1', '--data', data]);
    run(['user', 'add', `cadre${n}`, '--station', code(n), '--role', 'cadre', '--data', data], `pw-${n}-secret\n`);
  }
}

// The hub logs every request on stderr: thousands of lines here, so that pipe is not
// opened (an unread pipe would fill and stall the hub).
const hub = spawn(bin, ['serve', '--data', data, '--listen', '127.0.0.1:0', '--app', join(dir, 'app')], {
  stdio: ['ignore', 'pipe', 'ignore'],
});
const base = await new Promise((resolve, reject) => {
  let out = '';
  hub.stdout.on('data', (d) => {
    out += d;
    const m = out.match(/on (http:\/\/127\.0\.0\.1:\d+)\//);
    if (m) resolve(m[1]);
  });
  hub.once('exit', () => reject(new Error('hub exited: ' + out)));
});
const basic = (user, pw) => 'Basic ' + Buffer.from(`${user}:${pw}`).toString('base64');
const admin = basic('bench', 'bench-password');
const latencies = [];
const byKind = {};
let errors = 0;
let requests = 0;

async function call(method, path, body, auth = admin) {
  const t = performance.now();
  requests++;
  const res = await fetch(base + '/couch/' + path, {
    method,
    headers: { authorization: auth, 'content-type': 'application/json', accept: 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  const ms = performance.now() - t;
  latencies.push(ms);
  const kind = `${method} ${path.split('?')[0].split('/').slice(1).join('/').replace(/^_local\/.*/, '_local') || 'db'}`;
  (byKind[kind] ||= []).push(ms);
  if (res.status >= 400) errors++;
  return json;
}

const md5 = (s) => createHash('md5').update(s).digest('hex');

async function station(n) {
  const db = `station_${code(n)}`;
  const auth = DISTINCT ? basic(`cadre${n}`, `pw-${n}-secret`) : admin;
  const as = (method, path, body) => call(method, path, body, auth);
  if (!DISTINCT) await call('PUT', db);
  const docs = [];
  for (let i = 0; i < 50; i++) {
    const h1 = md5(`${n}-${i}-1`);
    const h2 = md5(`${n}-${i}-2`);
    docs.push({
      _id: `act-${i}`, _rev: `2-${h2}`, _revisions: { start: 2, ids: [h2, h1] },
      title: `村夜话第${i}期`, attendees: i, station: String(n),
    });
  }
  const diff = {};
  for (const d of docs) diff[d._id] = [d._rev];
  await as('POST', `${db}/_revs_diff`, diff);
  await as('POST', `${db}/_bulk_docs`, { docs, new_edits: false });
  await as('PUT', `${db}/_local/push`, { last_seq: 50 });
  const changes = await as('GET', `${db}/_changes?style=all_docs&since=0&limit=100`);
  const wanted = changes.results.map((r) => ({ id: r.id, rev: r.changes[0].rev }));
  const got = await as('POST', `${db}/_bulk_get?revs=true`, { docs: wanted });
  if (got.results.length !== 50) errors++;
  await as('PUT', `${db}/_local/pull`, { last_seq: changes.last_seq });
}

const started = performance.now();
let next = 0;
await Promise.all(Array.from({ length: CONC }, async () => {
  while (next < STATIONS) await station(next++);
}));
const seconds = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] * 10) / 10;
// The hub's peak resident memory (Linux: VmHWM of the process).
const peak = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${hub.pid}/status`, 'utf8'));
console.log(JSON.stringify({
  hub_peak_rss_mb: peak ? Math.round(Number(peak[1]) / 102.4) / 10 : null,
  stations: STATIONS, concurrency: CONC, accounts: DISTINCT ? STATIONS : 1, docs: STATIONS * 50, requests, errors,
  seconds: Math.round(seconds * 10) / 10, requests_per_s: Math.round(requests / seconds),
  docs_pushed_per_s: Math.round((STATIONS * 50) / seconds), p50_ms: pct(0.5), p99_ms: pct(0.99),
}));
if (process.env.BENCH_DETAIL) {
  for (const [k, v] of Object.entries(byKind)) {
    v.sort((a, b) => a - b);
    console.log(k, 'p50', Math.round(v[v.length >> 1]), 'p99', Math.round(v[Math.floor(v.length * 0.99)]));
  }
}
hub.kill('SIGTERM');
rmSync(dir, { recursive: true, force: true });
