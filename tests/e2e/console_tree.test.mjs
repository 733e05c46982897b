// The headquarters console's station tree and upload of export files, end to end against
// the real hub serving dist/, on a 1280×800 desktop (and its screens again at 360×640):
// - a township hq account adds a village under its township in 站点管理 and renames it;
//   the hub refuses a station code that is taken, and nothing changes;
// - 上报情况 shows the new village flagged 本月未开展夜话;
// - 导入文件 takes one good and one broken export file at once: the report gives the good
//   one's counts and the broken one's reason (in Chinese, and the precise one); the good
//   file's records are then on the hub (上报情况's 本月导入记录 and forums change) and the
//   broken one wrote nothing.
// Needs target/debug/examples/seed_file (cargo build -p yehua-exchange --example seed_file).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startHub, seedFile, shot, setupTownship, signInHq, townshipWithVillage, HQ_PASSWORD } from './harness.mjs';

let hub, browser;
before(async () => {
  hub = await startHub(undefined, { setup: townshipWithVillage });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu'],
  });
});
after(async () => {
  await browser?.close();
  await hub?.stop();
});

const row = (page, code) => page.locator(`[data-testid=hq-row][data-code="${code}"]`);
const node = (page, code) => page.locator(`[data-testid=hq-tree-row][data-code="${code}"]`);

/** 上报情况's row of `code` as numbers. */
async function statusOf(page, code) {
  const r = row(page, code);
  await r.waitFor();
  const cells = await r.locator('td').allTextContents();
  const imported = Number(await r.getByTestId('hq-imported').textContent());
  return { forums: Number(cells[2]), imported, noForum: await r.getAttribute('data-no-forum') };
}

test('hq adds and renames a village, sees it flagged, and uploads a good and a broken file at once', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(hub.url + '/');
  await setupTownship(page);
  await signInHq(page);
  await page.locator('nav.bottom-nav a', { hasText: '首页' }).click();
  await page.getByTestId('to-console').click();
  await page.getByTestId('hq-status').waitFor();
  // No station has records yet: the month's figures say so instead of an empty table.
  await page.getByTestId('hq-figures-empty').filter({ hasText: '还没有记录' }).waitFor();

  // 站点管理: the township and its village; add a village under the township.
  await page.getByTestId('hq-to-stations').click();
  await node(page, '330106001').waitFor();
  assert.equal(await node(page, '330106001').getAttribute('data-depth'), '1');
  await node(page, '330106').getByTestId('hq-tree-add').click();
  const form = page.getByTestId('hq-tree-form');
  await form.getByTestId('hq-tree-code').fill('330106001');
  await form.getByTestId('hq-tree-name').fill('东村');
  await form.getByTestId('hq-tree-save').click();
  await page.getByTestId('hq-tree-error').filter({ hasText: '已经有这个代码的站点了' }).waitFor();
  await form.getByTestId('hq-tree-code').fill('330106003');
  await form.getByTestId('hq-tree-save').click();
  await page.getByTestId('hq-tree-saved').waitFor();
  const east = node(page, '330106003');
  await east.waitFor();
  assert.equal(await east.getAttribute('data-parent'), '330106');
  assert.equal(await east.getAttribute('data-depth'), '1');
  await east.getByTestId('hq-tree-rename').click();
  await form.getByTestId('hq-tree-name').fill('东村新时代文明实践站');
  await form.getByTestId('hq-tree-save').click();
  await east.filter({ hasText: '东村新时代文明实践站' }).waitFor();
  // The hub holds the rename.
  const listed = await fetch(`${hub.url}/couch/_yehua/stations`, {
    headers: { authorization: `Basic ${Buffer.from(`zhen:${HQ_PASSWORD}`).toString('base64')}` },
  }).then((r) => r.json());
  assert.deepEqual(listed.stations.find((s) => s.code === '330106003'),
    { code: '330106003', name: '东村新时代文明实践站', parent: '330106', level: 'village' });
  await shot(page, 'console-tree-1280');

  // 上报情况: the new village is flagged 本月未开展夜话.
  await page.getByTestId('hq-to-status').click();
  await row(page, '330106003').getByTestId('flag-no-forum').waitFor();
  const before = await statusOf(page, '330106001');
  assert.equal(before.imported, 0);

  // 导入文件: one good and one broken file at once.
  const good = seedFile(40, '330106001');
  const dir = mkdtempSync(join(tmpdir(), 'yehua-broken-'));
  const broken = join(dir, 'yehua-330106001-20261121.json');
  const text = readFileSync(good, 'utf8');
  writeFileSync(broken, text.slice(0, Math.floor(text.length / 2)));
  await page.getByTestId('hq-to-import').click();
  await page.getByTestId('hq-import-files').setInputFiles([good, broken]);
  const lines = page.getByTestId('hq-import-line');
  await page.locator('[data-testid=hq-import][data-busy=false]').waitFor();
  await page.locator('[data-testid=hq-import-line][data-state=ok]').waitFor();
  assert.equal(await lines.count(), 2);
  const ok = page.locator('[data-testid=hq-import-line][data-state=ok] p.ok');
  const added = Number(await ok.getAttribute('data-new'));
  const docs = JSON.parse(text).docs.length;
  assert.ok(added > 0 && added <= docs, `new ${added} of ${docs}`);
  assert.equal(await ok.getAttribute('data-station'), '330106001');
  const refused = page.locator('[data-testid=hq-import-line][data-state=refused]');
  assert.equal(await refused.getAttribute('data-code'), 'truncated');
  assert.match(await refused.getByTestId('hq-import-reason').textContent(), /文件不完整/);
  assert.match(await refused.locator('.precise').textContent(), /详细原因/);
  await shot(page, 'console-import-1280');

  // The good file's records are on the hub: 上报情况 counts them.
  await page.getByTestId('hq-to-status').click();
  await page.waitForFunction(() => {
    const r = document.querySelector('[data-testid=hq-row][data-code="330106001"] [data-testid=hq-imported]');
    return r && Number(r.textContent) > 0;
  });
  const afterward = await statusOf(page, '330106001');
  assert.equal(afterward.imported, added, 'records the month\'s files brought (new + updated)');
  const all = await fetch(`${hub.url}/couch/station_330106001/_all_docs`, {
    headers: { authorization: `Basic ${Buffer.from(`zhen:${HQ_PASSWORD}`).toString('base64')}` },
  }).then((r) => r.json());
  assert.equal(all.total_rows, added, 'the good file only: the broken one wrote nothing');
  await shot(page, 'console-status-import-1280');

  // The same screens on a phone's width.
  await page.setViewportSize({ width: 360, height: 640 });
  await shot(page, 'console-status-import-360');
  await page.getByTestId('hq-to-import').click();
  await page.getByTestId('hq-import-files').setInputFiles([good, broken]);
  await page.locator('[data-testid=hq-import-line][data-state=ok]').waitFor();
  await page.locator('[data-testid=hq-import-line][data-state=refused]').waitFor();
  assert.equal(await page.locator('[data-testid=hq-import-line][data-state=ok] p.ok').getAttribute('data-new'), '0', 'a second upload adds nothing');
  await shot(page, 'console-import-360');
  await page.getByTestId('hq-to-stations').click();
  await node(page, '330106003').waitFor();
  await node(page, '330106003').getByTestId('hq-tree-move').click();
  await page.getByTestId('hq-tree-form').waitFor();
  await shot(page, 'console-tree-360');
  assert.deepEqual(errors, []);
  await context.close();
});
