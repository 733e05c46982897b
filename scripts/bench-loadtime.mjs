// Load time in headless Chromium through the DevTools protocol, as a cadre's phone sees
// it: network throttled (Regular 3G: 300 ms RTT, 700 kbit/s down; Slow 4G: 150 ms,
// 1.6 Mbit/s) and the CPU slowed 4×, on a fresh profile (nothing cached).
// "Interactive" = the first screen (the first-start form) is rendered AND a tap on 保存 has
// been handled (its field errors shown): the app is on screen and answering.
// "First paint" = the browser's first contentful paint (index.html's splash), from the
// Performance API: what the cadre sees while the app downloads.
// Then the second start, offline, from the service worker (same throttled CPU).
// Median of RUNS (5). One `BENCH {json}` line per figure.
//   Usage: node scripts/bench-loadtime.mjs HUB_BINARY [RUNS=5]
import { chromium } from 'playwright-core';
import { startHub } from '../tests/e2e/harness.mjs';

const [bin, runsArg = '5'] = process.argv.slice(2);
const RUNS = Number(runsArg);
const kbit = (n) => (n * 1000) / 8; // bytes per second
const profiles = {
  'Regular 3G': { latency: 300, downloadThroughput: kbit(700), uploadThroughput: kbit(700) },
  'Slow 4G': { latency: 150, downloadThroughput: kbit(1600), uploadThroughput: kbit(750) },
};
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

const hub = await startHub(bin);
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
    const cold = [], paint = [], offline = [], splash = [];
    for (let run = 0; run < RUNS; run++) {
      const context = await browser.newContext({
        viewport: { width: 360, height: 640 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN',
      });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
      await cdp.send('Network.emulateNetworkConditions', { offline: false, ...net });
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
      let t0 = performance.now();
      await page.goto(hub.url + '/', { waitUntil: 'commit' });
      const [p, i] = await interactive(page, t0);
      paint.push(p);
      cold.push(i);
      splash.push(await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0].startTime));
      // Second start offline: the service worker answers everything.
      await page.evaluate(async () => { await navigator.serviceWorker.ready; });
      await context.setOffline(true);
      t0 = performance.now();
      await page.reload({ waitUntil: 'commit' });
      offline.push((await interactive(page, t0))[1]);
      await context.close();
    }
    const line = (figure, v) => console.log('BENCH ' + JSON.stringify({ figure, network: name, cpu: '4x', unit: 'ms', median: Math.round(median(v)), runs: v.map(Math.round) }));
    line('first paint (splash), first visit', splash);
    line('first screen painted, first visit', paint);
    line('interactive, first visit', cold);
    line('interactive, second start offline', offline);
  }
} finally {
  await browser.close();
  await hub.stop();
}
