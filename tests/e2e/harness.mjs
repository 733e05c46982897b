// Shared end-to-end harness: starts the real hub serving the built app (dist/) on a free
// 127.0.0.1 port with a temporary data folder, and launches Debian's Chromium through
// playwright-core at a 360x640 phone viewport. No browser is ever downloaded.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { before, after } from 'node:test';

const root = new URL('../../', import.meta.url).pathname;

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Starts a hub serving dist/ (or the build in `app`; the debug hub unless `bin` names another binary).
 * `setup(admin)` runs before the hub starts; `admin(args, stdin)` runs a `yehua-hub`
 * command on the hub's data folder (stations, users). The running hub's `admin(args)` does
 * the same while it serves (e.g. `import`) and returns what the command printed. */
export async function startHub(bin = join(root, 'target/debug/yehua-hub'), { setup, app = join(root, 'dist') } = {}) {
  const port = await freePort();
  const data = mkdtempSync(join(tmpdir(), 'yehua-e2e-'));
  if (setup) {
    await setup((args, input) => execFileSync(bin, [...args, '--data', data], { input: input ?? '', stdio: ['pipe', 'ignore', 'inherit'] }));
  }
  const proc = spawn(bin, ['serve', '--data', data, '--listen', `127.0.0.1:${port}`, '--app', app], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  proc.stdout.on('data', (d) => (log += d));
  proc.stderr.on('data', (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      const res = await fetch(url + '/');
      if (res.ok) break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
    if (proc.exitCode !== null) throw new Error('hub exited: ' + log);
  }
  return {
    url,
    admin: (args) => execFileSync(bin, [...args, '--data', data], { encoding: 'utf8' }),
    log: () => log,
    stop: async () => {
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
      rmSync(data, { recursive: true, force: true });
    },
  };
}

export async function launchPhone(extraArgs = []) {
  return launchWith(PHONE, extraArgs);
}

/** A browser with one page in a context of `options` (a phone, or `DESKTOP`). */
export async function launchWith(options, extraArgs = []) {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu', ...extraArgs],
  });
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return { browser, context, page, errors };
}

/** A headquarters computer's browser context options: 1280×800, zh-CN. */
export const DESKTOP = { viewport: { width: 1280, height: 800 }, locale: 'zh-CN' };

/** The password of `zhen`, the township hq account of `townshipWithVillage`. */
export const HQ_PASSWORD = 'zhen-password-2026';

/** A hub `setup`: township 330106 with village 330106001, its cadre `demo` (password
 * yehua-demo) and the township's hq account `zhen` (`HQ_PASSWORD`). */
export function townshipWithVillage(admin) {
  admin(['station', 'add', '330106', '--name', '某镇新时代文明实践所', '--level', 'township']);
  admin(['station', 'add', '330106001', '--name', '示范村新时代文明实践站', '--parent', '330106']);
  admin(['user', 'add', 'demo', '--station', '330106001'], 'yehua-demo\n');
  admin(['user', 'add', 'zhen', '--station', '330106', '--role', 'hq'], HQ_PASSWORD + '\n');
}

/** A phone's browser context options: 360x640, touch, zh-CN. */
export const PHONE = { viewport: { width: 360, height: 640 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' };

/** Chromium's network throttling, as DevTools names the profiles (bytes per second). */
const kbit = (n) => (n * 1000) / 8;
export const NETWORKS = {
  'Regular 3G': { latency: 300, downloadThroughput: kbit(700), uploadThroughput: kbit(700) },
  'Regular 3G (250 kbit/s up)': { latency: 300, downloadThroughput: kbit(750), uploadThroughput: kbit(250) },
  'Slow 4G': { latency: 150, downloadThroughput: kbit(1600), uploadThroughput: kbit(750) },
};

/** Throttles `page`'s network to `net` and its CPU `cpu` times; returns the DevTools session. */
export async function throttle(page, net, cpu = 4) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  if (net) await cdp.send('Network.emulateNetworkConditions', { offline: false, ...net });
  if (cpu > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpu });
  return cdp;
}

/** Fills the first-start profile (station 330106001, cadre 王书记) and waits for home. */
export async function setupProfile(page) {
  await page.getByText('首次使用：填写站点信息').waitFor();
  await page.locator('input[name=station_code]').fill('330106001');
  await page.locator('input[name=station_name]').fill('示范村新时代文明实践站');
  await page.locator('input[name=cadre_name]').fill('王书记');
  await page.getByRole('button', { name: '保存' }).tap();
  await page.getByText('欢迎回来, 王书记').waitFor();
}

/** Fills the first-start profile of township 330106 (cadre `cadre`) and waits for home. */
export async function setupTownship(page, cadre = '赵主任', code = '330106') {
  await page.getByText('首次使用：填写站点信息').waitFor();
  await page.locator('input[name=station_code]').fill(code);
  await page.locator('input[name=station_name]').fill('某镇新时代文明实践所');
  await page.locator('select[name=level]').selectOption('township');
  await page.locator('input[name=cadre_name]').fill(cadre);
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText('欢迎回来, ' + cadre).waitFor();
}

/** Signs in on 同步 as the township's hq account `zhen` and waits for the first sync. */
export async function signInHq(page) {
  await page.locator('nav.bottom-nav a', { hasText: '同步' }).click();
  await page.getByTestId('login-user').fill('zhen');
  await page.getByTestId('login-password').fill(HQ_PASSWORD);
  await page.getByTestId('login-submit').click();
  await waitSyncRuns(page, 1);
}

/** Waits until the service worker is active, i.e. has precached every file of the build
 * (its install waits for the precache), so the phone can go offline and still open any
 * screen's chunk. */
export async function offlineReady(page) {
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
}

/** Waits until `locator` matches exactly `n` elements (fails after `ms`). */
export async function waitCount(locator, n, ms = 15_000) {
  const end = Date.now() + ms;
  let count;
  while (Date.now() < end) {
    count = await locator.count();
    if (count === n) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`expected ${n} elements, found ${count}: ${locator}`);
}

/** Taps the bottom navigation's tab `name`. */
export const tab = (page, name) => page.locator('nav.bottom-nav a', { hasText: name }).tap();

/** How many sync runs the 同步 screen counts. */
export async function syncRuns(page) {
  return Number(await page.getByTestId('sync-figures').getAttribute('data-runs'));
}

/** Waits until the 同步 screen counts at least `n` runs. */
export async function waitSyncRuns(page, n, ms = 60_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if ((await syncRuns(page)) >= n) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`sync runs stayed below ${n}`);
}

/** Signs in on the 同步 screen. */
export async function signIn(page, password = 'yehua-demo', user = 'demo') {
  await tab(page, '同步');
  await page.getByTestId('login-user').fill(user);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').tap();
}

/** On the 同步 screen: 立即同步, then wait for that run to finish. */
export async function syncNow(page) {
  await tab(page, '同步');
  const before = await syncRuns(page);
  await page.getByTestId('sync-now').tap();
  await waitSyncRuns(page, before + 1);
}

/** Saves a new forum titled `title` from the 夜话 tab and waits for its page. */
export async function newForum(page, title) {
  await tab(page, '夜话');
  await page.getByTestId('new-forum').tap();
  await page.locator('input[name=title]').fill(title);
  await page.getByRole('button', { name: '保存' }).tap();
  await page.locator('[data-testid=activity] h2', { hasText: title }).waitFor();
}

/**
 * The home screen's activity count, once it is loaded and not zero. The count is recounted
 * after "示例数据已载入" shows, so reading it at once can see the old figure.
 */
export async function activityCount(page) {
  const value = page.locator('[data-testid=count-activities] .value');
  await value.filter({ hasText: /^[1-9]\d*$/ }).waitFor({ timeout: 30_000 });
  return Number(await value.textContent());
}

/** Takes concern card `card` round the loop: 派单 to `team` (due `due` when given), 办结
 * with `resolution`, 评价 满意; waits for each status. */
export async function concernRoundTheLoop(card, team, resolution, due) {
  await card.getByTestId('dispatch').tap();
  await pickTeam(card, team);
  if (due) await card.getByTestId('dispatch-due').fill(due);
  await card.getByTestId('dispatch-ok').tap();
  await card.getByTestId('concern-status').filter({ hasText: '已派单' }).waitFor();
  await card.getByTestId('resolve').tap();
  await card.getByTestId('resolution').fill(resolution);
  await card.getByTestId('resolve-ok').tap();
  await card.getByTestId('concern-status').filter({ hasText: '已办结' }).waitFor();
  await card.getByTestId('rate').tap();
  await card.getByTestId('rate-satisfied').tap();
  await card.getByTestId('concern-status').filter({ hasText: '已评价' }).waitFor();
}

/**
 * Registers the file's before/after hooks: a hub and one phone with the first-start profile
 * filled in. Returns the object whose `hub` and `phone` the hooks fill.
 */
export function phoneWithProfile() {
  const setup = {};
  before(async () => {
    setup.hub = await startHub();
    setup.phone = await launchPhone();
    await setup.phone.page.goto(setup.hub.url + '/');
    await setupProfile(setup.phone.page);
    // Every file of the build precached, so a test may go offline and still open any screen.
    await offlineReady(setup.phone.page);
  });
  after(async () => {
    await setup.phone?.browser.close();
    await setup.hub?.stop();
  });
  return setup;
}

/**
 * Training mode with demo data: from a real station's home screen, 进入演示模式 (the app
 * reloads into the training store), then 载入示例数据. Already in training mode, only the
 * second step. Demo data lives only there: it never syncs and is never exported.
 */
export async function loadDemo(page) {
  await tab(page, '首页');
  const banner = page.getByTestId('training-banner');
  if (!(await banner.isVisible())) {
    await page.getByTestId('enter-training').tap();
    await banner.waitFor();
  }
  await page.getByTestId('load-demo').tap();
  await page.getByText('示例数据已载入').waitFor({ timeout: 60_000 });
}

/** Picks `path` in 统计 → 导出 / 导入 and waits until that import has finished. */
export async function importFile(page, path) {
  if (!(await page.getByTestId('import-section').isVisible())) {
    await tab(page, '统计');
    await page.getByTestId('to-export').tap();
  }
  const section = page.getByTestId('import-section');
  await section.waitFor();
  const before = Number(await section.getAttribute('data-runs'));
  await page.getByTestId('import-file').setInputFiles(path);
  await page.locator(`[data-testid=import-section][data-runs="${before + 1}"]`).waitFor({ timeout: 120_000 });
}

/**
 * The export file of a believable year of station 330106001 (`activities` activities; the
 * demo generator with a seed of its own and no demo marker, so it counts as real work),
 * written by `crates/exchange/examples/seed_file.rs`; `legacy` writes instead what the demo
 * button of an earlier build stored (unmarked, the default seed). Returns its path.
 */
export function seedFile(activities = 120, station = '330106001', legacy = false) {
  const bin = join(root, 'target/debug/examples/seed_file');
  const dir = mkdtempSync(join(tmpdir(), 'yehua-seed-'));
  const path = join(dir, `yehua-${station}-20261120.json`);
  execFileSync(bin, [station, String(activities), path, ...(legacy ? ['legacy'] : [])]);
  return path;
}

/** A real station's year on the phone, through 导入 (what sync and export tests start from). */
export async function seedStation(page, activities = 120) {
  await importFile(page, seedFile(activities));
  await page.getByTestId('import-report').waitFor();
  await tab(page, '首页');
}

/**
 * On 统计 → 导出: taps `testid` (导出, or a table's button), waits until the file is made
 * and its size is shown, then taps 保存 and keeps the download in `dir` (numbered: two
 * exports on one day have the same name). Returns its name, path, bytes and the size line.
 */
let exported = 0;
export async function exportFile(page, dir, testid = 'export-json') {
  const form = page.getByTestId('export-form');
  const before = Number(await form.getAttribute('data-made'));
  await page.getByTestId(testid).tap();
  await page.locator(`[data-testid=export-form][data-made="${before + 1}"]`).waitFor({ timeout: 120_000 });
  const size = await page.getByTestId('export-size').textContent();
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-save').tap()]);
  const path = join(dir, `${++exported}-${dl.suggestedFilename()}`);
  await dl.saveAs(path);
  return { name: dl.suggestedFilename(), path, bytes: readFileSync(path), size };
}

/** Adds team `name` on 志愿者 → 服务队 and waits for its row. */
export async function addTeam(page, name) {
  await tab(page, '志愿者');
  await page.getByTestId('teams-link').tap();
  await page.locator('input[name=team_name]').fill(name);
  await page.getByTestId('team-save').tap();
  await page.locator('[data-testid=team-row] .row-title', { hasText: name }).waitFor();
}

/** In an open 派单 / 关联服务队 panel of `card`: searches `query`, taps team `name`. */
export async function pickTeam(card, name, query = name) {
  await card.getByTestId('team-search').fill(query);
  await card.getByTestId('team-option').filter({ hasText: name }).tap();
  await card.getByTestId('team-picked').filter({ hasText: name }).waitFor();
}

/** With SHOTS_DIR set, saves a screenshot of `page` as `<SHOTS_DIR>/<name>.png` (for a person to look at). */
export async function shot(page, name) {
  const dir = process.env.SHOTS_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`) });
}

// Chromium's fake camera plays a Y4M file: a QR code drawn by the app, made into one.
/** A QR code's modules, from an SVG drawn by `model::qr::to_svg` (its path `M{x} {y}h1v1h-1z…` and viewBox). */
export function modules(svg) {
  const side = Number(/viewBox="0 0 (\d+) /.exec(svg)[1]);
  const dark = new Set([...svg.matchAll(/M(\d+) (\d+)h1v1h-1z/g)].map(([, x, y]) => `${x},${y}`));
  return { side, dark };
}

/** A 4:2:0 Y4M still of the code, 8 px a module on white: 320x320, larger for a larger code. */
export function y4m({ side, dark }) {
  const scale = 8, w = Math.max(320, Math.ceil((side * scale) / 16) * 16), h = w;
  const off = Math.floor((w - side * scale) / 2);
  const y = Buffer.alloc(w * h, 235);
  for (let py = 0; py < h; py++)
    for (let px = 0; px < w; px++) {
      const mx = Math.floor((px - off) / scale), my = Math.floor((py - off) / scale);
      if (dark.has(`${mx},${my}`)) y[py * w + px] = 16;
    }
  const uv = Buffer.alloc((w / 2) * (h / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, uv]);
  return Buffer.concat([Buffer.from(`YUV4MPEG2 W${w} H${h} F10:1 Ip A1:1 C420jpeg\n`), frame, frame]);
}

/** `n` camera-sized JPEGs (4000x3000, each a different picture) drawn on a canvas in
 * `page`, as Playwright file payloads (tests/e2e/photos.test.mjs, scripts/bench-photos.mjs). */
export async function cameraJpegs(page, n = 3) {
  const files = await page.evaluate(async (n) => {
    const out = [];
    for (let i = 0; i < n; i++) {
      const hue = (20 + i * 120) % 360;
      const c = new OffscreenCanvas(4000, 3000);
      const g = c.getContext('2d');
      const grad = g.createLinearGradient(0, 0, 4000, 3000);
      grad.addColorStop(0, `hsl(${hue} 70% 60%)`);
      grad.addColorStop(1, `hsl(${hue + 60} 60% 30%)`);
      g.fillStyle = grad;
      g.fillRect(0, 0, 4000, 3000);
      for (let k = 0; k < 400; k++) {
        g.fillStyle = `hsl(${(hue + k * 7 + i) % 360} 80% ${30 + (k % 50)}%)`;
        g.beginPath();
        g.arc((k * 977 + i * 131) % 4000, (k * 613) % 3000, 40 + (k % 90), 0, 7);
        g.fill();
      }
      g.fillStyle = '#fff';
      g.font = 'bold 400px sans-serif';
      g.fillText(`夜话 ${i + 1}`, 300, 1600);
      const blob = await c.convertToBlob({ type: 'image/jpeg', quality: 0.92 });
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let s = '';
      for (let j = 0; j < bytes.length; j += 0x8000) s += String.fromCharCode(...bytes.subarray(j, j + 0x8000));
      out.push(btoa(s));
    }
    return out;
  }, n);
  return files.map((b64, i) => ({ name: `IMG_${String(i + 1).padStart(4, '0')}.jpg`, mimeType: 'image/jpeg', buffer: Buffer.from(b64, 'base64') }));
}

/**
 * Holds IndexedDB database `name` in a read-write transaction over all its stores for `ms`
 * milliseconds, as a sync's batch would: the app's reads wait behind it. Resolves once held.
 */
export async function holdStore(page, name, ms = 1500) {
  await page.evaluate(([name, ms]) => new Promise((held, failed) => {
    const open = indexedDB.open(name);
    open.onerror = () => failed(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction([...db.objectStoreNames], 'readwrite');
      const store = tx.objectStore(db.objectStoreNames[0]);
      const until = performance.now() + ms;
      const spin = () => { if (performance.now() < until) store.count().onsuccess = spin; };
      spin();
      tx.oncomplete = () => db.close();
      held();
    };
  }), [name, ms]);
}
