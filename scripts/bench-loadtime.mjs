// Load time in headless Chromium through the DevTools protocol, as a cadre's phone sees
// it: network throttled (Regular 3G: 300 ms RTT, 700 kbit/s down; Slow 4G: 150 ms,
// 1.6 Mbit/s) and the CPU slowed 4×, on a fresh profile (nothing cached).
// "Interactive" = the first screen (the first-start form) is rendered AND a tap on 保存 has
// been handled (its field errors shown): the app is on screen and answering.
// "First paint" = the browser's first contentful paint (index.html's splash), from the
// Performance API: what the cadre sees while the app downloads.
// Then the second start, offline, from the service worker (same throttled CPU).
// Bytes are what was really transferred (headers included, brotli as the hub sends it):
// "critical path" = the page's own transfers until the first screen is interactive
// (DevTools' encodedDataLength); "first visit" = page and service worker together once
// the worker has precached the whole app, counted on the wire by a TCP relay between the
// browser and the hub.
// "Open a screen for the first time" = a first visit with no service worker (so nothing is
// precached), home → that screen's tab until its heading shows: its chunk download.
// Median of RUNS (5). One `BENCH {json}` line per figure.
//   Usage: node scripts/bench-loadtime.mjs HUB_BINARY [RUNS=5]
import { createConnection, createServer } from 'node:net';
import { chromium } from 'playwright-core';
import { startHub, setupProfile, PHONE, NETWORKS, throttle } from '../tests/e2e/harness.mjs';

const [bin, runsArg = '5'] = process.argv.slice(2);
const RUNS = Number(runsArg);
const profiles = { 'Regular 3G': NETWORKS['Regular 3G'], 'Slow 4G': NETWORKS['Slow 4G'] };
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

/** A TCP relay to `target` (host:port) that counts the bytes sent back to the browser. */
async function countingRelay(target) {
  const [host, port] = target.split(':');
  const relay = { bytes: 0 };
  const server = createServer((client) => {
    const up = createConnection({ host, port: Number(port) });
    up.on('data', (d) => (relay.bytes += d.length));
    client.pipe(up).pipe(client);
    const close = () => { client.destroy(); up.destroy(); };
    up.on('error', close);
    client.on('error', close);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  relay.url = `http://127.0.0.1:${server.address().port}`;
  relay.close = () => new Promise((r) => server.close(r));
  return relay;
}

/** The screens a tab opens, each from its own chunk, and the heading that shows it is up. */
const SCREENS = [['夜话', '夜话与活动'], ['志愿者', '志愿者'], ['问卷', '问卷'], ['同步', '同步']];

const hub = await startHub(bin);
const relay = await countingRelay(new URL(hub.url).host);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu'],
});

async function interactive(page, t0) {
  await page.locator('input[name=station_code]').waitFor({ timeout: 120_000 });
  const painted = performance.now() - t0;
  await page.getByRole('button', { name: '保存' }).tap();
  await page.locator('.field-error', { hasText: /\S/ }).first().waitFor({ timeout: 120_000 });
  return [painted, performance.now() - t0];
}

try {
  for (const [name, net] of Object.entries(profiles)) {
    const cold = [], paint = [], offline = [], splash = [], critical = [], visit = [];
    for (let run = 0; run < RUNS; run++) {
      const context = await browser.newContext(PHONE);
      const page = await context.newPage();
      const cdp = await throttle(page, net);
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
      // The page's own transfers (the worker's are another target's, counted by the relay).
      let pageBytes = 0;
      cdp.on('Network.loadingFinished', (e) => (pageBytes += e.encodedDataLength));
      relay.bytes = 0;
      let t0 = performance.now();
      await page.goto(relay.url + '/', { waitUntil: 'commit' });
      const [p, i] = await interactive(page, t0);
      critical.push(pageBytes);
      paint.push(p);
      cold.push(i);
      splash.push(await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0].startTime));
      // Second start offline: the service worker answers everything.
      await page.evaluate(async () => { await navigator.serviceWorker.ready; });
      visit.push(relay.bytes);
      await context.setOffline(true);
      t0 = performance.now();
      await page.reload({ waitUntil: 'commit' });
      offline.push((await interactive(page, t0))[1]);
      await context.close();
    }
    // Opening each other screen for the first time, nothing precached.
    const screens = Object.fromEntries(SCREENS.map(([tab]) => [tab, []]));
    for (let run = 0; run < RUNS; run++) {
      for (const [tab, heading] of SCREENS) {
        const context = await browser.newContext({ ...PHONE, serviceWorkers: 'block' });
        const page = await context.newPage();
        await page.goto(relay.url + '/');
        await setupProfile(page);
        await throttle(page, net);
        const t0 = performance.now();
        await page.locator('nav.bottom-nav a', { hasText: tab }).tap();
        await page.locator('main h2', { hasText: heading }).first().waitFor({ timeout: 120_000 });
        screens[tab].push(performance.now() - t0);
        await context.close();
      }
    }
    const line = (figure, v, unit = 'ms') => console.log('BENCH ' + JSON.stringify({ figure, network: name, cpu: '4x', unit, median: Math.round(median(v)), runs: v.map(Math.round) }));
    line('first paint (splash), first visit', splash);
    line('first screen painted, first visit', paint);
    line('interactive, first visit', cold);
    line('interactive, second start offline', offline);
    line('critical path transferred (to interactive)', critical, 'bytes');
    line('first visit transferred (page + service worker)', visit, 'bytes');
    for (const [tab] of SCREENS) line(`open ${tab} for the first time (its chunk, not precached)`, screens[tab]);
  }
} finally {
  await browser.close();
  await relay.close();
  await hub.stop();
}
