// Rendering with 10,000 activities, in headless Chromium at 360x640
// with the CPU slowed 4x (no network throttling: the data is already on the phone).
// The data: the demo set sized by `/?demo_activities=10000` (~75,000 documents), loaded
// once, unthrottled. Then, RUNS times:
//   - "activity list, first screen": from navigating to /forums (a full start of the app)
//     until the first row of the list is on screen;
//   - "search, typing to results": from typing a word into the search box until every row
//     shown holds it (includes the list's 250 ms typing debounce, reported separately).
// One `BENCH {json}` line per figure, medians of RUNS (5), and a `PHASES {json}` line: when,
// in the page's clock, the first module was linked, the first chunk asked for, the last
// wasm module linked and the first row shown (medians), to see where the first screen goes.
//   Usage: node scripts/bench-render.mjs HUB_BINARY [RUNS=5] [ACTIVITIES=10000] [--compare OTHER_DIST]…
// With `--compare OTHER_DIST` (another build's dist/, e.g. an older commit's; repeatable),
// another hub serves that build on another port (another origin, so its own IndexedDB and
// worker), the demo data is loaded into each, and the runs alternate: this build, the
// other(s), this, … Each figure is then printed for every build (`build`: "dist" or the
// folder given), so builds are compared in the same minutes on a machine whose load moves,
// and `PAIRED` lines give each other build minus this one, round by round: the two figures,
// and the first row in each page's own clock.
import { chromium } from 'playwright-core';
import { resolve } from 'node:path';
import { startHub, setupProfile, PHONE, throttle } from '../tests/e2e/harness.mjs';

const args = process.argv.slice(2);
const others = [];
for (let at; (at = args.indexOf('--compare')) >= 0; ) {
  const [, dist] = args.splice(at, 2);
  if (!dist) throw new Error('--compare needs the other build\'s dist folder');
  others.push(dist);
}
const [bin, runsArg = '5', nArg = '10000'] = args;
const RUNS = Number(runsArg);
const N = Number(nArg);
const WORD = '医保';
const DEBOUNCE_MS = 250;
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

/** One build under test: its hub, and a phone whose store holds the demo data. */
async function side(browser, name, app) {
  const hub = await startHub(bin, app ? { app: resolve(app) } : {});
  const context = await browser.newContext(PHONE);
  await context.addInitScript(phases);
  const page = await context.newPage();
  return { name, hub, page, first: [], search: [], phases: [] };
}

/**
 * In the page: when the first module is linked, when the first chunk is asked for, when the
 * last wasm module is linked and when the list's first row is there (ms after navigation),
 * as `window.__phases`. Only read: the app is not changed.
 */
function phases() {
  const p = (window.__phases = { modules: 0 });
  const instantiate = WebAssembly.instantiateStreaming;
  WebAssembly.instantiateStreaming = function (...args) {
    return instantiate.apply(this, args).then((r) => {
      p.modules++;
      p.main ??= performance.now();
      p.linked = performance.now();
      return r;
    });
  };
  const fetch = window.fetch;
  window.fetch = function (input, init) {
    if (/\/(split|chunk)_\w+-[0-9a-f]+\.wasm$/.test(String(input))) p.chunk_asked ??= performance.now();
    return fetch.call(this, input, init);
  };
  new MutationObserver((_, obs) => {
    if (document.querySelector('[data-testid=activity-list] li')) {
      p.first_row = performance.now();
      obs.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
}

async function loadDemo({ name, hub, page }) {
  await page.goto(`${hub.url}/?demo_activities=${N}`);
  await setupProfile(page);
  const t = performance.now();
  // Generating and writing ~75,000 documents keeps the page busy for a while: click from a
  // timer so no DevTools call waits on the handler.
  await enterTraining(page);
  await page.evaluate(() => setTimeout(() => document.querySelector('[data-testid=load-demo]').click(), 0));
  await page.getByText('示例数据已载入').waitFor({ timeout: 900_000 });
  // The home screen recounts after the write: wait for it to show all N.
  await page.waitForFunction((n) => document.querySelector('[data-testid=count-activities] .value')?.textContent === String(n), N, { timeout: 300_000 });
  console.error(`${name}: loaded ${N} activities in ${Math.round(performance.now() - t)} ms`);
  await throttle(page, null);
}

/**
 * Demo data lives in training mode (the reload keeps `?demo_activities`): 进入演示模式,
 * then wait for 载入示例数据. Builds from before training mode (1fb7c56, compared with
 * `--compare`) offer 载入示例数据 on 首页 itself.
 */
async function enterTraining(page) {
  await page.locator('[data-testid=enter-training], [data-testid=load-demo]').first().waitFor();
  if (await page.getByTestId('enter-training').count()) await page.getByTestId('enter-training').tap();
  await page.getByTestId('load-demo').waitFor();
}

/** One run: a full start of the app on /forums, then a search. */
async function measure(s) {
  const { hub, page } = s;
  let t0 = performance.now();
  await page.goto(hub.url + '/forums', { waitUntil: 'commit' });
  await page.locator('[data-testid=activity-list] li').first().waitFor({ timeout: 120_000 });
  s.first.push(performance.now() - t0);
  s.phases.push(await page.evaluate(() => window.__phases));
  const box = page.getByTestId('forum-search');
  await box.fill('');
  t0 = performance.now();
  await box.fill(WORD);
  await page.waitForFunction((word) => {
    const rows = [...document.querySelectorAll('[data-testid=activity-list] li')];
    return rows.length > 0 && rows.every((r) => r.textContent.includes(word));
  }, WORD, { timeout: 120_000, polling: 'raf' });
  s.search.push(performance.now() - t0);
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu'],
});
const sides = [];
try {
  sides.push(await side(browser, 'dist', null));
  for (const other of others) sides.push(await side(browser, other, other));
  for (const s of sides) await loadDemo(s);
  for (let run = 0; run < RUNS; run++) {
    for (const s of sides) await measure(s);
  }
  for (const s of sides) {
    const build = others.length ? { build: s.name } : {};
    const line = (figure, v, extra = {}) => console.log('BENCH ' + JSON.stringify({ figure, activities: N, cpu: '4x', unit: 'ms', median: Math.round(median(v)), runs: v.map(Math.round), ...build, ...extra }));
    line('activity list, first screen (app start to first row)', s.first);
    line('search, typing to results', s.search, { debounce_ms: DEBOUNCE_MS });
    // Where the first screen's time went, in the page's own clock (medians of each phase).
    const of = (f) => Math.round(median(s.phases.map(f)));
    console.log('PHASES ' + JSON.stringify({
      build: s.name,
      first_module_linked: of((p) => p.main),
      chunk_asked: of((p) => p.chunk_asked),
      chunks_linked: of((p) => p.linked),
      first_row: of((p) => p.first_row),
      modules: of((p) => p.modules),
    }));
  }
  // Each other build against this one run by run (the runs of a round are seconds apart,
  // so the machine's load moves less within a round than between rounds).
  for (const s of sides.slice(1)) {
    const paired = (figure, key, of = (v) => v) => {
      const d = s[key].map((v, i) => of(v) - of(sides[0][key][i]));
      console.log('PAIRED ' + JSON.stringify({ figure, build: s.name, minus: 'dist', median_ms: Math.round(median(d)), runs: d.map(Math.round) }));
    };
    paired('first screen', 'first');
    paired('search', 'search');
    // The first row in each page's own clock (from its navigation), without the bench's
    // polling for the row and the previous page's unloading.
    paired('first row, page clock', 'phases', (p) => p.first_row);
  }
} finally {
  await browser.close();
  for (const s of sides) await s.hub.stop();
}
