// The installable app, in Chromium at 360x640: the manifest passes Chromium's
// installability check, the service worker precaches exactly the build's files, the app
// starts offline from a closed page with its data and saves new records, and a new build
// shows the update toast, which reloads once into the new version with the data intact.
//
// The hub serves a temporary copy of the built app (dist/, or $YEHUA_DIST), so that the
// update test can turn it into "the next build" in place: it changes index.html and
// finishes the copy (worker, compressed copies, check) exactly as Trunk's post_build hook
// does on a real build after splitting.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { freePort, activityCount, seedStation } from './harness.mjs';
import { listFiles, writeWorker } from '../../scripts/precache.mjs';
import { finish } from '../../scripts/post-build.mjs';
import { integrity } from '../../scripts/split.mjs';

const root = new URL('../../', import.meta.url).pathname;
const built = process.env.YEHUA_DIST || join(root, 'dist');
const STATION = '示范村新时代文明实践站';

let served, data, profile, port, url, hub, phone;

/** Like the harness's phone, but with a profile on disk: Chromium never offers to install
 *  from an off-the-record context (installability error `in-incognito`). */
async function launchPhone() {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu'],
    viewport: { width: 360, height: 640 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return { browser: context, context, page, errors };
}


/** Starts the hub on `port` serving `served`; resolves once it answers. */
async function startHub() {
  const proc = spawn(
    join(root, 'target/debug/yehua-hub'),
    ['serve', '--data', data, '--listen', `127.0.0.1:${port}`, '--app', served],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  proc.stdout.on('data', (d) => (log += d));
  proc.stderr.on('data', (d) => (log += d));
  for (let i = 0; i < 100; i++) {
    if (proc.exitCode !== null) throw new Error('hub exited: ' + log);
    try {
      if ((await fetch(url + '/')).ok) return proc;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error('hub did not answer: ' + log);
}

async function stopHub() {
  if (!hub || hub.exitCode !== null) return;
  hub.kill('SIGTERM');
  await new Promise((r) => hub.once('exit', r));
}

/** The VERSION and PRECACHE constants of the served sw.js. */
function servedWorker() {
  const text = readFileSync(join(served, 'sw.js'), 'utf8');
  return {
    version: JSON.parse(text.match(/^const VERSION = (.*);$/m)[1]),
    precache: JSON.parse(text.match(/^const PRECACHE = ([\s\S]*?\]);$/m)[1]),
  };
}

/** Waits until a service worker controls `page`; returns its script URL. */
function controlled(page) {
  return page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
    }
    return navigator.serviceWorker.controller.scriptURL;
  });
}

/** The app's caches and the paths each holds. */
function cacheContents(page) {
  return page.evaluate(async () => {
    const out = {};
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      out[name] = (await cache.keys()).map((r) => new URL(r.url).pathname).sort();
    }
    return out;
  });
}

before(async () => {
  served = mkdtempSync(join(tmpdir(), 'yehua-pwa-app-'));
  data = mkdtempSync(join(tmpdir(), 'yehua-pwa-data-'));
  profile = mkdtempSync(join(tmpdir(), 'yehua-pwa-chromium-'));
  cpSync(built, served, { recursive: true });
  port = await freePort();
  url = `http://127.0.0.1:${port}`;
  hub = await startHub();
  phone = await launchPhone();
});

after(async () => {
  await phone?.browser.close();
  await stopHub();
  rmSync(served, { recursive: true, force: true });
  rmSync(data, { recursive: true, force: true });
  rmSync(profile, { recursive: true, force: true });
});

test('precache list is exactly the built files, version from their content', () => {
  const { version, precache } = servedWorker();
  const paths = precache.map((e) => e.path);
  assert.deepEqual(paths, listFiles(served), 'every built file but sw.js, nothing else');
  for (const must of ['index.html', 'manifest.webmanifest', 'icon-192.png', 'icon-512.png', 'icon-maskable-512.png']) {
    assert.ok(paths.includes(must), must);
  }
  assert.ok(paths.some((f) => /^yehua-[0-9a-f]+_bg\.wasm$/.test(f)), 'the first module');
  assert.ok(paths.some((f) => /^split-[0-9a-f]+\.js$/.test(f)), 'the chunk loader');
  for (const chunk of ['forums', 'people', 'surveys', 'office', 'qr']) {
    assert.ok(paths.some((f) => new RegExp(`^split_${chunk}-[0-9a-f]+\\.wasm$`).test(f)), `the ${chunk} chunk`);
  }
  assert.ok(paths.some((f) => /^main-[0-9a-f]+\.css$/.test(f)), 'the hashed css');
  for (const { path, integrity: sri, immutable } of precache) {
    assert.equal(sri, integrity(readFileSync(join(served, path))), `${path}: its integrity`);
    assert.equal(immutable, /-[0-9a-f]{16}(_bg)?\.(wasm|js|css)$/.test(path), `${path}: taken from the HTTP cache only if hashed`);
  }
  // Same files, same version; a regenerated worker is byte-identical.
  const again = mkdtempSync(join(tmpdir(), 'yehua-pwa-gen-'));
  try {
    cpSync(served, again, { recursive: true });
    assert.equal(writeWorker(again).version, version);
    assert.equal(readFileSync(join(again, 'sw.js'), 'utf8'), readFileSync(join(served, 'sw.js'), 'utf8'));
    writeFileSync(join(again, 'icon.svg'), readFileSync(join(again, 'icon.svg'), 'utf8') + '\n');
    assert.notEqual(writeWorker(again).version, version, 'one changed byte, a new version');
  } finally {
    rmSync(again, { recursive: true, force: true });
  }
});

test('installable: manifest and icons pass, the worker precaches the build and not the API', async () => {
  const { page, context, errors } = phone;
  await page.goto(url + '/');
  await page.getByText('首次使用：填写站点信息').waitFor();
  await page.locator('input[name=station_code]').fill('330106001');
  await page.locator('input[name=station_name]').fill(STATION);
  await page.locator('input[name=cadre_name]').fill('王书记');
  await page.getByRole('button', { name: '保存' }).tap();
  await page.getByText('欢迎回来, 王书记').waitFor();

  assert.equal(await controlled(page), url + '/sw.js');
  const { version, precache } = servedWorker();
  const expected = precache.map((e) => '/' + e.path).sort();
  await page.evaluate(() => fetch('/couch/').catch(() => null));
  assert.deepEqual(await cacheContents(page), { ['yehua-' + version]: expected });

  const cdp = await context.newCDPSession(page);
  const manifest = await cdp.send('Page.getAppManifest');
  assert.deepEqual(manifest.errors, [], 'manifest parses cleanly');
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  assert.deepEqual(installabilityErrors, [], 'no installability errors');
  const parsed = JSON.parse(manifest.data);
  assert.equal(parsed.lang, 'zh-CN');
  assert.equal(parsed.display, 'standalone');
  assert.ok(parsed.icons.some((i) => i.purpose === 'maskable' && i.sizes === '512x512'));

  // 设置 shows the install help, whether storage is persistent, and usage / quota.
  await page.locator('nav.bottom-nav a', { hasText: '设置' }).tap();
  await page.locator('main h3', { hasText: '安装到手机' }).waitFor();
  assert.ok(
    (await page.getByTestId('install-app').count()) + (await page.getByTestId('install-steps').count()) === 1,
    'an install button or the instructions',
  );
  await page.getByTestId('storage-usage').filter({ hasText: /\d.* \/ .*\d/ }).waitFor();
  assert.match(await page.getByTestId('storage-persisted').textContent(), /持久保存/);
  assert.deepEqual(errors, []);
});

test('starts offline from a closed page with its data, and saves new records', async () => {
  const { context, errors } = phone;
  await context.setOffline(true);
  await stopHub(); // nothing answers on the port either
  await phone.page.close();
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  phone.page = page;

  await page.goto(url + '/');
  await page.getByText('欢迎回来, 王书记').waitFor();
  assert.equal(await page.locator('header .station').textContent(), STATION);
  await page.locator('[data-testid=sync-badge]', { hasText: '离线' }).waitFor();

  await seedStation(page);
  const activities = await activityCount(page);

  // A deep address opens offline too (the shell answers every screen).
  await page.goto(url + '/settings');
  await page.locator('main h2', { hasText: '设置' }).waitFor();
  await page.goto(url + '/');
  await page.locator('[data-testid=count-activities] .value', { hasText: String(activities) }).waitFor();
  assert.deepEqual(errors, []);

  hub = await startHub();
  await context.setOffline(false);
});

test('a new build shows the update toast; accepting reloads once into it, data and draft intact', async () => {
  const { page, errors } = phone;
  const before = servedWorker();
  const activities = String(await activityCount(page));

  // A forum being typed: the form keeps it as a draft on the phone as it is typed.
  const title = '村口夜话：秋收与防汛安排';
  await page.goto(url + '/forums/new');
  await page.locator('input[name=title]').fill(title);
  await new Promise((r) => setTimeout(r, 1000));
  await page.getByTestId('draft-status').filter({ hasText: '草稿已自动保存在本机' }).waitFor();

  // "The next build": a changed asset, then what Trunk's post_build hook does: the worker
  // regenerated from the files and the compressed copies the hub sends.
  const index = join(served, 'index.html');
  writeFileSync(index, readFileSync(index, 'utf8').replace('</head>', '<meta name="yehua-build" content="2"></head>'));
  const next = finish(served);
  assert.notEqual(next.version, before.version);

  // The browser checks for a new worker on navigation; the old version keeps serving.
  await page.reload();
  const toast = page.getByTestId('update-toast').filter({ hasText: '有新版本，点击更新' });
  await toast.waitFor({ timeout: 30_000 });
  assert.equal(await page.locator('meta[name=yehua-build]').count(), 0, 'still the old version');
  const typed = (t) => document.querySelector('input[name=title]')?.value === t;
  await page.waitForFunction(typed, title);

  let loads = 0;
  page.on('load', () => loads++);
  await Promise.all([page.waitForEvent('load'), toast.tap()]);
  await page.locator('input[name=title]').waitFor();
  assert.equal(await page.locator('meta[name=yehua-build]').count(), 1, 'the new version');
  await page.waitForFunction(typed, title);
  assert.equal(await page.getByTestId('update-toast').count(), 0);
  assert.deepEqual(Object.keys(await cacheContents(page)), ['yehua-' + next.version], 'old cache deleted');
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(loads, 1, 'reloaded once');

  await page.goto(url + '/');
  assert.equal(await page.locator('header .station').textContent(), STATION);
  await page.locator('[data-testid=count-activities] .value', { hasText: activities }).waitFor();
  assert.deepEqual(errors, []);
});

test('storage full: the write fails whole and the alert says in Chinese what to do', async () => {
  const { page, errors } = phone;
  await page.goto(url + '/settings');
  await page.getByTestId('locale').selectOption('en');
  await page.locator('main h2', { hasText: 'Settings' }).waitFor();
  // A full phone, simulated: IndexedDB refuses writes the way Chromium does when the
  // quota is reached. (CDP's Storage.overrideQuotaForOrigin does not bind IndexedDB here.)
  await page.evaluate(() => {
    const full = () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
    window.__yehuaPut = [IDBObjectStore.prototype.put, IDBObjectStore.prototype.add];
    IDBObjectStore.prototype.put = full;
    IDBObjectStore.prototype.add = full;
  });
  try {
    // Switching back to Chinese writes the choice; the phone is "full", so it fails.
    await page.getByTestId('locale').selectOption('zh-CN');
    const alert = page.getByTestId('storage-alert');
    await alert.filter({ hasText: '手机存储空间已满，本次保存未写入。请先导出数据，再清理旧数据。' }).waitFor();
    assert.match(await alert.textContent(), /先导出数据/);
    await alert.getByRole('button', { name: '知道了' }).tap();
    assert.equal(await alert.count(), 0);
  } finally {
    await page.evaluate(() => {
      [IDBObjectStore.prototype.put, IDBObjectStore.prototype.add] = window.__yehuaPut;
    });
  }
  // The refused write left the stored choice as it was (English): nothing half-written.
  await page.reload();
  await page.locator('main h2', { hasText: 'Settings' }).waitFor();
  assert.deepEqual(errors, []);
});
