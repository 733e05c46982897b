// Where the first screen of /forums goes with 10,000 activities (issue 24): a Chromium trace
// of full starts of the app at CPU 4×, read as a timeline. Not part of `make test` or
// `make bench`.
//
// It loads the demo data as scripts/bench-render.mjs does (into the build in DIST, dist/ by
// default), then traces RUNS starts of /forums (devtools.timeline, v8 and v8.wasm: requests,
// script and wasm compiles, main-thread tasks) until the list's first row, which an init
// script marks (`performance.mark('first-row')`). For each start it prints, relative to the
// navigation: when each script and wasm module was requested and arrived, when its compile
// ran and on which thread, the main thread's busy time by kind, and the first row; the
// traces are kept as OUT/start-N.json (DevTools → Performance → Load profile).
//
//   Usage: node scripts/profile-start.mjs HUB_BINARY [DIST=dist] [RUNS=3] [OUT=/tmp/yehua-start]
//          node scripts/profile-start.mjs --analyze OUT   (the tables again from kept traces)
import { chromium } from 'playwright-core';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startHub, setupProfile, PHONE, throttle } from '../tests/e2e/harness.mjs';

if (process.argv[2] === '--analyze') {
  const dir = process.argv[3];
  for (const f of readdirSync(dir).filter((f) => /^start-\d+\.json$/.test(f)).sort()) {
    const trace = JSON.parse(readFileSync(join(dir, f)));
    report(f, NaN, trace.traceEvents ?? trace);
  }
  process.exit(0);
}
const [bin, dist = 'dist', runsArg = '3', out = '/tmp/yehua-start'] = process.argv.slice(2);
const RUNS = Number(runsArg);
const N = 10000;
mkdirSync(out, { recursive: true });

const hub = await startHub(bin, { app: resolve(dist) });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu'],
});
try {
  const context = await browser.newContext(PHONE);
  await context.addInitScript(() => {
    const seen = () => document.querySelector('[data-testid=activity-list] li');
    new MutationObserver((_, obs) => {
      if (seen()) {
        performance.mark('first-row');
        obs.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
  const page = await context.newPage();
  await page.goto(`${hub.url}/?demo_activities=${N}`);
  await setupProfile(page);
  await enterTraining(page);
  await page.evaluate(() => setTimeout(() => document.querySelector('[data-testid=load-demo]').click(), 0));
  await page.getByText('示例数据已载入').waitFor({ timeout: 900_000 });
  await page.waitForFunction((n) => document.querySelector('[data-testid=count-activities] .value')?.textContent === String(n), N, { timeout: 300_000 });
  await throttle(page, null);
  // One untraced start, so every run starts from the same warm caches.
  await page.goto(hub.url + '/forums', { waitUntil: 'commit' });
  await page.locator('[data-testid=activity-list] li').first().waitFor({ timeout: 120_000 });
  for (let run = 0; run < RUNS; run++) {
    await page.goto(hub.url + '/', { waitUntil: 'commit' });
    await page.getByTestId('count-activities').waitFor();
    await page.waitForTimeout(1000);
    await browser.startTracing(page, {
      categories: ['devtools.timeline', 'v8', 'v8.wasm', 'disabled-by-default-v8.compile', 'blink.user_timing', 'loading', 'disabled-by-default-devtools.timeline', 'disabled-by-default-v8.cpu_profiler'],
    });
    const t0 = performance.now();
    await page.goto(hub.url + '/forums', { waitUntil: 'commit' });
    await page.locator('[data-testid=activity-list] li').first().waitFor({ timeout: 120_000 });
    const wall = performance.now() - t0;
    await page.waitForTimeout(300);
    const trace = JSON.parse((await browser.stopTracing()).toString());
    writeFileSync(join(out, `start-${run}.json`), JSON.stringify(trace));
    report(run, wall, trace.traceEvents ?? trace);
  }
} finally {
  await browser.close();
  await hub.stop();
}
process.exit(0);

function report(run, wall, events) {
  const threads = new Map();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') threads.set(`${e.pid}:${e.tid}`, e.args.name);
  const nav = events.find((e) => e.name === 'navigationStart' && e.args?.data?.documentLoaderURL?.includes('/forums'))
    ?? events.find((e) => e.name === 'navigationStart');
  const main = nav ? `${nav.pid}:${nav.tid}` : null;
  const t0 = nav.ts;
  const ms = (ts) => Math.round((ts - t0) / 1000);
  const mark = events.find((e) => e.name === 'first-row' && e.ts >= t0);
  console.log(`\n## start ${run}: ${Math.round(wall)} ms by the bench's clock; first-row mark at ${mark ? ms(mark.ts) : '?'} ms after navigationStart`);
  const reqs = new Map();
  for (const e of events) {
    const d = e.args?.data;
    if (!d?.requestId) continue;
    const r = reqs.get(d.requestId) ?? {};
    if (e.name === 'ResourceSendRequest' && e.ts >= t0) Object.assign(r, { url: d.url.replace(/^https?:\/\/[^/]+/, ''), start: ms(e.ts) });
    if (e.name === 'ResourceReceiveResponse') r.response = ms(e.ts);
    if (e.name === 'ResourceFinish') r.end = ms(e.ts);
    reqs.set(d.requestId, r);
  }
  console.log('| request | sent | response | done |\n|---|---|---|---|');
  for (const r of [...reqs.values()].filter((r) => r.url).sort((a, b) => a.start - b.start)) {
    console.log(`| ${r.url.slice(0, 60)} | ${r.start} | ${r.response ?? ''} | ${r.end ?? ''} |`);
  }
  // Wasm and script compiles, any thread.
  const compiles = events.filter((e) => e.ts >= t0 && e.ph === 'X' && /wasm|Compile|compile|ParseOnBackground|EvaluateScript|v8.run|FunctionCall/.test(e.name) && !/^v8\.wasm\.(detected|feature)/.test(e.name));
  const byName = new Map();
  for (const e of compiles) {
    const th = threads.get(`${e.pid}:${e.tid}`) ?? e.tid;
    const key = `${e.name} @ ${`${e.pid}:${e.tid}` === main ? 'main' : th}`;
    const v = byName.get(key) ?? { n: 0, dur: 0, first: Infinity, last: 0 };
    v.n++;
    v.dur += (e.dur ?? 0) / 1000;
    v.first = Math.min(v.first, ms(e.ts));
    v.last = Math.max(v.last, ms(e.ts + (e.dur ?? 0)));
    byName.set(key, v);
  }
  console.log('\n| event @ thread | count | total ms | from | to |\n|---|---|---|---|---|');
  for (const [k, v] of [...byName].sort((a, b) => b[1].dur - a[1].dur).slice(0, 30)) {
    console.log(`| ${k} | ${v.n} | ${Math.round(v.dur)} | ${v.first} | ${v.last} |`);
  }
  // Main thread: top-level tasks' time in windows of 50 ms, to see gaps (waiting) and work.
  const end = mark ? mark.ts : t0 + wall * 1000;
  // Top-level tasks only (a nested run loop's tasks lie inside another).
  const tasks = [];
  for (const e of events.filter((e) => `${e.pid}:${e.tid}` === main && e.name === 'RunTask' && e.ph === 'X' && e.ts >= t0 && e.ts <= end).sort((a, b) => a.ts - b.ts)) {
    const last = tasks.at(-1);
    if (!last || e.ts >= last.ts + last.dur) tasks.push(e);
  }
  const busy = tasks.reduce((s, e) => s + e.dur / 1000, 0);
  // Thread time: what the main thread computed, which the machine's load and the CPU
  // throttle's pauses stretch far less than wall time.
  const cpu = tasks.reduce((s, e) => s + (e.tdur ?? 0) / 1000, 0);
  console.log(`\nmain thread: ${Math.round(busy)} ms busy (${Math.round(cpu)} ms thread time) in ${tasks.length} tasks before the first row (${Math.round((end - t0) / 1000)} ms)`);
  console.log('START ' + JSON.stringify({ run, first_row_ms: Math.round((end - t0) / 1000), main_busy_ms: Math.round(busy), main_thread_ms: Math.round(cpu), tasks: tasks.length }));
  const long = tasks.filter((e) => e.dur > 20000).map((e) => {
    const inner = events.filter((x) => `${x.pid}:${x.tid}` === main && x.ph === 'X' && x.ts >= e.ts && x.ts + (x.dur ?? 0) <= e.ts + e.dur && x !== e && x.dur > 5000)
      .sort((a, b) => b.dur - a.dur).slice(0, 3).map((x) => `${x.name}${x.args?.data?.url ? ' ' + x.args.data.url.replace(/^.*\//, '').slice(0, 24) : ''} ${Math.round(x.dur / 1000)}`);
    return `${ms(e.ts)}+${Math.round(e.dur / 1000)} (${inner.join('; ')})`;
  });
  console.log('long tasks (start+ms: largest inner events):\n  ' + long.join('\n  '));
  selfTimes(events, nav, end, ms);
}

/** The main thread's sampled self time before the first row, by file and by function. */
function selfTimes(events, nav, end, ms) {
  // The samples come from the profiler's own thread, tied to the main thread's profile by id.
  const starts = events.filter((e) => e.name === 'Profile' && e.pid === nav.pid && e.tid === nav.tid);
  const ids = new Set(starts.map((p) => p.id));
  const chunks = events.filter((e) => e.name === 'ProfileChunk' && e.pid === nav.pid && ids.has(e.id));
  if (!chunks.length) return console.log('(no CPU samples in the trace)');
  const byProfile = new Map();
  for (const p of starts) byProfile.set(p.id, { nodes: new Map(), t: p.args.data.startTime });
  const byFile = new Map();
  const byFn = new Map();
  for (const c of chunks) {
    const prof = byProfile.get(c.id);
    if (!prof) continue;
    const cp = c.args.data.cpuProfile ?? {};
    for (const n of cp.nodes ?? []) prof.nodes.set(n.id, n);
    const deltas = c.args.data.timeDeltas ?? [];
    (cp.samples ?? []).forEach((id, i) => {
      prof.t += deltas[i] ?? 0;
      const next = prof.t + (deltas[i + 1] ?? 0);
      if (prof.t < nav.ts || prof.t > end) return;
      const cf = prof.nodes.get(id)?.callFrame ?? {};
      const file = cf.url ? cf.url.replace(/^.*\//, '').replace(/-[0-9a-f]{16}/, '') : cf.functionName?.startsWith('(') ? cf.functionName : '(native)';
      const d = (next - prof.t) / 1000;
      byFile.set(file, (byFile.get(file) ?? 0) + d);
      const fn = `${cf.functionName || '(anonymous)'} [${file}]`;
      byFn.set(fn, (byFn.get(fn) ?? 0) + d);
    });
  }
  const top = (m, n) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `| ${k.slice(0, 100).replace(/\|/g, '\\|')} | ${Math.round(v)} |`).join('\n');
  console.log(`\n| file (main thread self time, samples) | ms |\n|---|---|\n${top(byFile, 15)}`);
  console.log(`\n| function | ms |\n|---|---|\n${top(byFn, 25)}`);
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
