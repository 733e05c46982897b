// Rendering with 10,000 activities, in headless Chromium at 360x640
// with the CPU slowed 4x (no network throttling: the data is already on the phone).
// The data: the demo set sized by `/?demo_activities=10000` (~75,000 documents), loaded
// once, unthrottled. Then, RUNS times:
//   - "activity list, first screen": from navigating to /forums (a full start of the app)
//     until the first row of the list is on screen;
//   - "search, typing to results": from typing a word into the search box until every row
//     shown holds it (includes the list's 250 ms typing debounce, reported separately).
// One `BENCH {json}` line per figure, medians of RUNS (5).
//   Usage: node scripts/bench-render.mjs HUB_BINARY [RUNS=5] [ACTIVITIES=10000]
import { chromium } from 'playwright-core';
import { startHub, setupProfile, PHONE, throttle } from '../tests/e2e/harness.mjs';

const [bin, runsArg = '5', nArg = '10000'] = process.argv.slice(2);
const RUNS = Number(runsArg);
const N = Number(nArg);
const WORD = '医保';
const DEBOUNCE_MS = 250;
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

const hub = await startHub(bin);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu'],
});
try {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  await page.goto(`${hub.url}/?demo_activities=${N}`);
  await setupProfile(page);
  const t = performance.now();
  // Generating and writing ~75,000 documents keeps the page busy for a while: click from a
  // timer so no DevTools call waits on the handler.
  // Demo data lives in training mode (the reload keeps `?demo_activities`).
  await page.getByTestId('enter-training').tap();
  await page.getByTestId('load-demo').waitFor();
  await page.evaluate(() => setTimeout(() => document.querySelector('[data-testid=load-demo]').click(), 0));
  await page.getByText('示例数据已载入').waitFor({ timeout: 900_000 });
  // The home screen recounts after the write: wait for it to show all N.
  await page.waitForFunction((n) => document.querySelector('[data-testid=count-activities] .value')?.textContent === String(n), N, { timeout: 300_000 });
  console.error(`loaded ${N} activities in ${Math.round(performance.now() - t)} ms`);

  await throttle(page, null);
  const first = [], search = [];
  for (let run = 0; run < RUNS; run++) {
    let t0 = performance.now();
    await page.goto(hub.url + '/forums', { waitUntil: 'commit' });
    await page.locator('[data-testid=activity-list] li').first().waitFor({ timeout: 120_000 });
    first.push(performance.now() - t0);
    const box = page.getByTestId('forum-search');
    await box.fill('');
    t0 = performance.now();
    await box.fill(WORD);
    await page.waitForFunction((word) => {
      const rows = [...document.querySelectorAll('[data-testid=activity-list] li')];
      return rows.length > 0 && rows.every((r) => r.textContent.includes(word));
    }, WORD, { timeout: 120_000, polling: 'raf' });
    search.push(performance.now() - t0);
  }
  const line = (figure, v, extra = {}) => console.log('BENCH ' + JSON.stringify({ figure, activities: N, cpu: '4x', unit: 'ms', median: Math.round(median(v)), runs: v.map(Math.round), ...extra }));
  line('activity list, first screen (app start to first row)', first);
  line('search, typing to results', search, { debounce_ms: DEBOUNCE_MS });
} finally {
  await browser.close();
  await hub.stop();
}
