// make bench: 活动照片 (issue 19). On the release app served by the release hub, at 360x640:
//  1. scaling: one 4000x3000 camera JPEG at a time added from the gallery at CPU 4×, timed
//     from handing the file over to its thumbnail on screen (decode with orientation,
//     scale to 1600 px and 320 px, JPEG quality steps, digests, one IndexedDB write);
//  2. storage: what a forum with 5 photos keeps in IndexedDB (JPEG blobs, document rows);
//  3. sending 20 photos to the hub (立即同步: words first, one multipart request per
//     photo): time, requests and bytes on the wire, against PouchDB (Node, memory
//     adapter) replicating the same 20 documents with the same attachments to the hub
//     (bytes: request and response bodies under /couch/ as they cross a counting proxy
//     both go through).
// Prints `BENCH {json}` lines for scripts/bench-report.mjs.
// Usage: node scripts/bench-photos.mjs HUB_BIN [RUNS]
import http from 'node:http';
import PouchDB from 'pouchdb';
import memory from 'pouchdb-adapter-memory';
import {
  startHub, launchPhone, setupProfile, waitCount, signIn, syncNow, newForum, throttle, cameraJpegs,
} from '../tests/e2e/harness.mjs';

PouchDB.plugin(memory);
const [bin = 'target/release/yehua-hub', runsArg = '5'] = process.argv.slice(2);
const RUNS = Number(runsArg);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const emit = (o) => console.log('BENCH ' + JSON.stringify(o));

const hub = await startHub(bin, {
  // With a setup the hub makes no demo station or user of its own: both are added here.
  setup: async (admin) => {
    admin(['station', 'add', '330106001', '--name', '示范村新时代文明实践站']);
    admin(['user', 'add', 'demo', '--station', '330106001'], 'yehua-demo\n');
    admin(['station', 'add', '330106093', '--name', '照片基准站']);
    admin(['user', 'add', 'pouchbench', '--station', '330106093'], 'pouch-pass\n');
  },
});
// Every byte on the wire under /couch/ (bodies both ways, as sent: binary, base64 or
// compressed), counted by a proxy the phone and PouchDB both go through.
const wire = { requests: 0, sent: 0, received: 0, on: false };
const hubPort = Number(new URL(hub.url).port);
const proxy = http.createServer((req, res) => {
  const counted = wire.on && req.url.startsWith('/couch/');
  if (counted) wire.requests += 1;
  const up = http.request({ host: '127.0.0.1', port: hubPort, path: req.url, method: req.method, headers: req.headers }, (r) => {
    res.writeHead(r.statusCode, r.headers);
    r.on('data', (c) => { if (counted) wire.received += c.length; res.write(c); });
    r.on('end', () => res.end());
  });
  req.on('data', (c) => { if (counted) wire.sent += c.length; up.write(c); });
  req.on('end', () => up.end());
});
await new Promise((ok) => proxy.listen(0, '127.0.0.1', ok));
const via = `http://127.0.0.1:${proxy.address().port}`;
const phone = await launchPhone();
try {
  const { page } = phone;
  await page.goto(via + '/');
  await setupProfile(page);
  await newForum(page, '照片基准');
  const thumbs = page.locator('[data-testid=thumbs] [data-testid=thumb-img]');
  const files = await cameraJpegs(page, 20);

  // 1. Scaling at CPU 4×, one photo at a time.
  const cdp = await throttle(page, null, 4);
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t = Date.now();
    await page.getByTestId('gallery-input').setInputFiles([files[i]]);
    await waitCount(thumbs, i + 1, 60_000);
    times.push(Date.now() - t);
  }
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  emit({ figure: 'photo scaling', cpu: 4, input: '4000x3000', runs: times, median_ms: median(times) });

  // 2. Storage of a forum with 5 photos.
  const stored = await page.evaluate(async () => {
    const db = await new Promise((ok, no) => {
      const r = indexedDB.open('yehua');
      r.onsuccess = () => ok(r.result);
      r.onerror = () => no(r.error);
    });
    const all = (store) => new Promise((ok, no) => {
      const r = db.transaction(store).objectStore(store).getAll();
      r.onsuccess = () => ok(r.result);
      r.onerror = () => no(r.error);
    });
    const blobs = await all('blobs');
    const rows = (await all('docs')).filter((r) => r.t === 'photo');
    db.close();
    return {
      photos: rows.length,
      blob_bytes: blobs.reduce((n, b) => n + b.size, 0),
      largest_full: Math.max(...blobs.map((b) => b.size)),
      row_bytes: rows.reduce((n, r) => n + JSON.stringify(r).length, 0),
    };
  });
  emit({ figure: 'photo storage', ...stored });

  // 3. Twenty photos through the hub.
  await page.getByTestId('gallery-input').setInputFiles(files.slice(RUNS, 20));
  await waitCount(thumbs, 20, 120_000);
  await signIn(page);
  Object.assign(wire, { requests: 0, sent: 0, received: 0, on: true });
  const t = Date.now();
  await syncNow(page);
  const ms = Date.now() - t;
  const yehua = { requests: wire.requests, sent: wire.sent, received: wire.received };
  wire.on = false;
  const photoBytes = stored.blob_bytes; // recomputed below for all 20
  const all = await page.evaluate(async () => {
    const db = await new Promise((ok) => { const r = indexedDB.open('yehua'); r.onsuccess = () => ok(r.result); });
    const blobs = await new Promise((ok) => { const r = db.transaction('blobs').objectStore('blobs').getAll(); r.onsuccess = () => ok(r.result); });
    db.close();
    return blobs.reduce((n, b) => n + b.size, 0);
  });
  emit({ figure: 'photo sync', who: 'Yehua', photos: 20, ms, ...yehua, photo_bytes: all, first_five_bytes: photoBytes });

  // PouchDB replicating the same 20 documents with the same attachments.
  const login = await fetch(hub.url + '/couch/_session', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'demo', password: 'yehua-demo' }),
  });
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const changes = await (await fetch(hub.url + '/couch/station_330106001/_changes?include_docs=true', { headers: { cookie } })).json();
  const src = new PouchDB(`bench-photos-${Date.now()}`, { adapter: 'memory' });
  for (const row of changes.results.filter((r) => r.id.startsWith('photo:'))) {
    const doc = { ...row.doc, _id: row.id.replace('photo:', 'photo:pouch-') };
    delete doc._rev;
    for (const name of Object.keys(doc._attachments)) {
      const res = await fetch(`${hub.url}/couch/station_330106001/${encodeURIComponent(row.id)}/${name}`, { headers: { cookie } });
      doc._attachments[name] = { content_type: 'image/jpeg', data: Buffer.from(await res.arrayBuffer()) };
    }
    await src.put(doc);
  }
  const target = new PouchDB(via + '/couch/station_330106093', {
    auth: { username: 'pouchbench', password: 'pouch-pass' },
  });
  Object.assign(wire, { requests: 0, sent: 0, received: 0, on: true });
  const tp = Date.now();
  await src.replicate.to(target);
  const pms = Date.now() - tp;
  wire.on = false;
  emit({ figure: 'photo sync', who: 'PouchDB', photos: 20, ms: pms, requests: wire.requests, sent: wire.sent, received: wire.received, photo_bytes: all });
} finally {
  await phone.browser.close();
  proxy.close();
  await hub.stop();
}
