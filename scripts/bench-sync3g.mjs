// A new phone's first sync over a throttled link, in headless Chromium through
// the DevTools protocol: the hub holds a station's records (pushed by another phone on an
// open link); a fresh phone fills in the station profile, then the link drops to Regular
// 3G (300 ms, 750 kbit/s down, 250 kbit/s up) with the CPU slowed 4×, and the clock runs
// from the tap on 登录 until the header says 已同步. Requests and bytes to /couch/ are
// counted in the page; PouchDB's requests for the same pull (memory adapter, default
// settings; requests do not depend on the link) are counted beside them.
// Median of RUNS (5) per size. One `BENCH {json}` line per size.
//   Usage: node scripts/bench-sync3g.mjs HUB_BINARY [RUNS=5] [ACTIVITIES=121,1330]
import { chromium } from 'playwright-core';
import PouchDB from 'pouchdb';
import memory from 'pouchdb-adapter-memory';
import { startHub, setupProfile, signIn, PHONE, NETWORKS, throttle, importFile, seedFile } from '../tests/e2e/harness.mjs';

PouchDB.plugin(memory);
const [bin, runsArg = '5', sizesArg = '121,1330'] = process.argv.slice(2);
const RUNS = Number(runsArg);
const REGULAR_3G = NETWORKS['Regular 3G (250 kbit/s up)'];
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu'],
});
const phone = () => browser.newContext(PHONE);
const synced = (page) => page.getByTestId('sync-badge').filter({ hasText: '已同步' }).waitFor({ timeout: 900_000 });

async function pouchRequests(url) {
  let requests = 0;
  const auth = 'Basic ' + Buffer.from('demo:yehua-demo').toString('base64');
  const remote = new PouchDB(url, {
    fetch: (u, opts) => {
      requests++;
      opts.headers.set('Authorization', auth);
      return PouchDB.fetch(u, opts);
    },
  });
  const local = new PouchDB(`bench-${Date.now()}`, { adapter: 'memory' });
  await local.replicate.from(remote);
  await local.destroy();
  return requests;
}

try {
  for (const activities of sizesArg.split(',').map(Number)) {
    const hub = await startHub(bin);
    try {
      // Another phone imports a station's year of that size and pushes it on an open link.
      const seed = await phone();
      const a = await seed.newPage();
      await a.goto(hub.url + '/');
      await setupProfile(a);
      await importFile(a, seedFile(activities));
      await signIn(a);
      await synced(a);
      await seed.close();
      const db = `${hub.url}/couch/station_330106001`;
      const info = await (await fetch(db, { headers: { authorization: 'Basic ' + Buffer.from('demo:yehua-demo').toString('base64') } })).json();
      const times = [], requests = [], kb = [];
      for (let run = 0; run < RUNS; run++) {
        const context = await phone();
        const page = await context.newPage();
        await page.goto(hub.url + '/');
        await setupProfile(page);
        await throttle(page, REGULAR_3G);
        let n = 0, bytes = 0;
        page.on('request', (r) => { if (r.url().includes('/couch/')) n++; });
        page.on('requestfinished', async (r) => {
          if (r.url().includes('/couch/')) bytes += (await r.sizes().catch(() => ({}))).responseBodySize ?? 0;
        });
        const t0 = performance.now();
        await signIn(page);
        await synced(page);
        times.push(performance.now() - t0);
        requests.push(n);
        kb.push(bytes / 1024);
        await context.close();
      }
      const pouch = await pouchRequests(db);
      console.log('BENCH ' + JSON.stringify({
        figure: 'first sync, Regular 3G, CPU 4x', records: info.doc_count, unit: 'ms',
        median: Math.round(median(times)), runs: times.map(Math.round),
        requests: median(requests), pouchdb_requests: pouch, kb_in: Math.round(median(kb)),
      }));
    } finally {
      await hub.stop();
    }
  }
} finally {
  await browser.close();
}
