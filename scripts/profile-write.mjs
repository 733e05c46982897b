// Chromium's CPU profile of the one-batch write of 10,000 documents (issue 24): where the
// renderer's time goes, by category and by function. Not part of `make test` or `make bench`.
//
// What it does: builds tests/bench.rs with the wasm-release profile (the app's own: opt-level
// z, LTO; wasm-bindgen keeps the name section, so wasm functions have their Rust names), serves
// its test page with wasm-bindgen-test-runner in interactive mode (NO_HEADLESS=1) running only
// `profile_one_batch_write`, opens that page in Debian's Chromium through playwright-core with
// the DevTools Profiler domain enabled (sampling every 100 µs), and collects the profile of
// each write, which the test brackets with console.profile / console.profileEnd (so nothing
// else of the page — generating the documents, opening the store — is in it). Then it prints
// the self time by category and the 25 functions with the most self time, as Markdown, and
// keeps every profile as OUT/write-N.cpuprofile (DevTools → Performance → Load profile).
//
//   Usage: node scripts/profile-write.mjs [OUT=/tmp/yehua-profile]
//          node scripts/profile-write.mjs --analyze DIR   (the tables again from kept profiles)
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { freePort } from '../tests/e2e/harness.mjs';

const root = new URL('../', import.meta.url).pathname;
const analyze = process.argv[2] === '--analyze';
const out = process.argv[analyze ? 3 : 2] ?? '/tmp/yehua-profile';
const RUNS = 3; // tests/bench.rs PROFILE_RUNS
const profiles = [];
const walls = [];
if (analyze) {
  for (const f of readdirSync(out).filter((f) => f.endsWith('.cpuprofile')).sort()) {
    const profile = JSON.parse(readFileSync(join(out, f)));
    profiles.push({ title: f, profile });
    walls.push((profile.endTime - profile.startTime) / 1000);
  }
} else {
  mkdirSync(out, { recursive: true });
  await record();
  profiles.forEach(({ profile }, i) => writeFileSync(join(out, `write-${i}.cpuprofile`), JSON.stringify(profile)));
}

/** Steps 1–3: build, serve, profile. */
async function record() {

// 1. The test's wasm (the same build `make bench` measures).
const env = { ...process.env, PATH: `${root}node_modules/.bin:${process.env.HOME}/.cargo/bin:${process.env.PATH}` };
const built = execFileSync('cargo', ['test', '--profile', 'wasm-release', '--target', 'wasm32-unknown-unknown',
  '-p', 'yehua', '--features', 'bench', '--test', 'bench', '--no-run', '--message-format=json'],
{ cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 28 }).toString();
const wasm = built.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l))
  .filter((m) => m.reason === 'compiler-artifact' && m.target?.name === 'bench' && m.executable)
  .map((m) => m.executable).pop();
if (!wasm) throw new Error('no bench test wasm in cargo output');

// 2. Its page, served by the test runner in interactive mode, running only the profile test.
const port = await freePort();
const runner = spawn('wasm-bindgen-test-runner', [wasm, '--include-ignored', 'profile_one_batch_write'], {
  cwd: root,
  env: { ...env, NO_HEADLESS: '1', WASM_BINDGEN_TEST_ADDRESS: `127.0.0.1:${port}`, WASM_BINDGEN_TEST_TIMEOUT: '3600' },
  stdio: ['ignore', 'pipe', 'inherit'],
  detached: true,
});
const url = `http://127.0.0.1:${port}`;
for (let i = 0; ; i++) {
  try {
    if ((await fetch(url)).ok) break;
  } catch {
    if (i > 600) throw new Error('the test runner did not start');
    await new Promise((r) => setTimeout(r, 200));
  }
}

// 3. The page under the profiler.
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu'],
});
try {
  const page = await browser.newPage();
  page.on('console', (m) => {
    const t = m.text();
    if (t.startsWith('PROFILE ')) walls.push(JSON.parse(t.slice(8)).ms);
    else if (/panicked|FAILED|error/i.test(t)) console.error(t);
  });
  const cdp = await page.context().newCDPSession(page);
  const done = new Promise((resolve) => {
    cdp.on('Profiler.consoleProfileFinished', ({ profile, title }) => {
      profiles.push({ title, profile });
      if (profiles.length === RUNS) resolve();
    });
  });
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await page.goto(url);
  await Promise.race([done, new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), 1_800_000))]);
} finally {
  await browser.close();
  process.kill(-runner.pid, 'SIGTERM');
}
}

// 4. Self time: each sample lasts until the next one.
const CATEGORIES = [
  ['waiting: the browser process writes and commits (renderer idle)', (f) => f.functionName === '(idle)'],
  ['garbage collection', (f) => f.functionName === '(garbage collector)'],
  ['IndexedDB requests in the renderer (put/get: structured clone, keys and index keys, IPC)',
    (f) => !f.url && /^(put|get|getAll|getAllKeys|openCursor|openKeyCursor|count|commit|transaction|objectStore|index)$/.test(f.functionName)],
  ['wasm↔JS crossings, the calls themselves (V8 wasm-to-js / js-to-wasm wrappers)', (f) => /^(wasm-to-js|js-to-wasm)/.test(f.functionName)],
  ['revision merge in Rust (couch: tree, canonical JSON, md5)', (f) => f.wasm && /(^|[<\s])(couch|md5|md_5)::|md5/.test(f.functionName)],
  ['serde_wasm_bindgen: Rust values ↔ JS objects, field by field', (f) => f.wasm && /serde_wasm_bindgen/.test(f.functionName)],
  ['serde_json: JSON text (the row\'s record, canonical bodies)', (f) => f.wasm && /serde_json|ryu|itoa/.test(f.functionName)],
  ['row layout (model::row)', (f) => f.wasm && /model::row/.test(f.functionName)],
  ['wasm↔JS crossings, wasm side (wasm-bindgen, js-sys, web-sys, indexed_db_futures)',
    (f) => f.wasm && /wasm_bindgen|js_sys|web_sys|indexed_db_futures|__wbindgen|externref/.test(f.functionName)],
  ['allocation, copying and std collections in wasm (dlmalloc, memcpy, alloc::: Vec, String, BTreeMap)', (f) => f.wasm && /dlmalloc|memcpy|memmove|memset|__rust_(alloc|dealloc|realloc)|alloc::|RawVec|__rdl_/.test(f.functionName)],
  ['other Rust in wasm (hash maps, the store\'s own code, …)', (f) => f.wasm],
  ['wasm↔JS crossings, JS side (wasm-bindgen\'s import shims, UTF-8 decode of strings, Reflect)', (f) => f.url !== '' || /^(decode|encode|encodeInto|set|get|stringify|parse|apply|call)$/.test(f.functionName)],
  ['V8 / Blink, unattributed', () => true],
];
const rows = new Map(CATEGORIES.map(([c]) => [c, []]));
const fns = new Map();
for (const { profile } of profiles) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const cat = new Map(CATEGORIES.map(([c]) => [c, 0]));
  let t = profile.startTime;
  const times = profile.timeDeltas.map((d) => (t += d));
  for (let i = 0; i < profile.samples.length; i++) {
    const next = i + 1 < times.length ? times[i + 1] : profile.endTime;
    const ms = (next - times[i]) / 1000;
    const cf = byId.get(profile.samples[i]).callFrame;
    const f = { functionName: cf.functionName, url: cf.url, wasm: /\.wasm$|^wasm:/.test(cf.url) };
    const [c] = CATEGORIES.find(([, test]) => test(f));
    cat.set(c, cat.get(c) + ms);
    const key = `${f.functionName || '(anonymous)'}${f.wasm ? ' [wasm]' : f.url ? ' [js]' : ''}`;
    fns.set(key, (fns.get(key) ?? 0) + ms / profiles.length);
  }
  for (const [c, ms] of cat) rows.get(c).push(ms);
}
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const totals = profiles.map(({ profile }) => (profile.endTime - profile.startTime) / 1000);
const total = median(totals);
console.log(`One-batch write of 10,000 documents: ${profiles.length} profiles, wall ${walls.map(Math.round).join(', ')} ms ` +
  `(profiled spans ${totals.map(Math.round).join(', ')} ms); medians of the runs per category.\n`);
console.log(`| category (self time) | median ms | share of the median span | runs ms |\n|---|---|---|---|`);
for (const [c, v] of rows) {
  const ms = median(v);
  if (ms >= 0.5) console.log(`| ${c} | ${Math.round(ms)} | ${((100 * ms) / total).toFixed(1)} % | ${v.map(Math.round).join(', ')} |`);
}
console.log(`| profiled span | ${Math.round(total)} | | ${totals.map(Math.round).join(', ')} |\n`);
console.log('| function (self time, mean of the runs) | ms |\n|---|---|');
for (const [k, ms] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
  console.log(`| \`${k.replace(/\|/g, '\\|').slice(0, 110)}\` | ${Math.round(ms)} |`);
}
console.error(`profiles kept in ${out}`);
process.exit(0); // the runner's pipe and Playwright's connection may hold the event loop
