// 演示模式 at 360x640: demo data lives in a training store that never syncs and is never
// exported; a real station offers it only as a small secondary action; demo data an
// earlier build wrote into a real store is found, offered for removal, and after removal
// none of it reaches the hub (purged if it never left, tombstoned if it had).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  startHub, launchPhone, setupProfile, tab, signIn, syncNow, waitSyncRuns, loadDemo,
  importFile, seedFile, shot,
} from './harness.mjs';

let hub;
const phones = [];
before(async () => {
  hub = await startHub();
});
after(async () => {
  for (const p of phones) await p.browser.close();
  await hub?.stop();
});

async function phone() {
  const p = await launchPhone();
  phones.push(p);
  p.bodies = [];
  p.page.on('request', (r) => {
    if (r.url().includes('/couch/')) p.bodies.push(`${r.method()} ${r.url()} ${r.postData() ?? ''}`);
  });
  await p.page.goto(hub.url + '/');
  await setupProfile(p.page);
  return p;
}

/** The hub's station database as the signed-in page sees it. */
async function hubDb(page) {
  return page.evaluate(async () => {
    const r = await fetch('/couch/station_330106001', { credentials: 'include' });
    return r.json();
  });
}

test('training mode: demo data is never synced or exported, and a real station offers it only small', async () => {
  const { page, errors, bodies } = await phone();
  await signIn(page);
  await waitSyncRuns(page, 1);
  const before = await hubDb(page);

  // A real station: no demo button, a secondary way into training mode with its reason.
  await tab(page, '首页');
  await page.getByTestId('training-offer').waitFor();
  assert.equal(await page.getByTestId('load-demo').count(), 0);
  assert.ok(!(await page.getByTestId('enter-training').getAttribute('class'))?.includes('primary'));
  assert.match(await page.getByTestId('training-offer').textContent(), /不会同步、不会导出/);
  await shot(page, 'home-real');

  await loadDemo(page);
  const banner = page.getByTestId('training-banner');
  assert.match(await banner.textContent(), /演示模式/);
  await page.locator('[data-testid=count-activities] .value', { hasText: /^120$/ }).waitFor();
  await shot(page, 'home-training');

  // Every screen shows the banner; 同步 and 导出 say why they do nothing here.
  await tab(page, '夜话');
  await page.locator('[data-testid=activity-list] li').first().waitFor();
  assert.ok(await banner.isVisible());
  await tab(page, '同步');
  await page.getByTestId('training-no-sync').waitFor();
  assert.equal(await page.getByTestId('login-submit').count(), 0);
  assert.equal(await page.getByTestId('sync-now').count(), 0);
  await tab(page, '统计');
  await page.getByTestId('dash-table').waitFor({ timeout: 30_000 });
  assert.equal(await page.getByTestId('dash-csv').count(), 0, 'no CSV of demo figures');
  await page.getByTestId('to-export').tap();
  await page.getByTestId('training-no-export').waitFor();
  assert.equal(await page.getByTestId('export-json').count(), 0);
  await shot(page, 'export-training');

  // A new record in training mode stays there too, however long the phone is online.
  await tab(page, '夜话');
  await page.getByTestId('new-forum').tap();
  await page.locator('input[name=title]').fill('村夜话·演示练习');
  await page.getByRole('button', { name: '保存' }).tap();
  await page.locator('[data-testid=activity] h2', { hasText: '演示练习' }).waitFor();
  await page.waitForTimeout(4_000); // longer than the debounce after a save
  assert.deepEqual(bodies.filter((b) => /"demo":true|演示练习/.test(b)), []);

  // Back to the real station: its own (empty) records, and a sync that sends nothing.
  await page.getByTestId('leave-training').tap();
  await page.getByTestId('training-offer').waitFor();
  assert.equal(await banner.count(), 0);
  await page.locator('[data-testid=count-activities] .value', { hasText: /^0$/ }).waitFor();
  await syncNow(page);
  const after = await hubDb(page);
  assert.equal(after.doc_count, before.doc_count, 'the hub holds no demo document');
  assert.deepEqual(bodies.filter((b) => /"demo":true|演示练习/.test(b)), []);
  assert.deepEqual(errors, []);
});

test('old demo data under a real station is offered for removal, and none of it reaches the hub', async () => {
  const old = seedFile(120, '330106001', true);
  // Phone A never synced it: removal purges it, and the next sync sends nothing of it.
  const a = await phone();
  await importFile(a.page, old);
  await tab(a.page, '首页');
  const offer = a.page.getByTestId('legacy-demo');
  await offer.waitFor();
  const n = Number(await offer.getAttribute('data-count'));
  assert.equal(n, 910, 'every document the old button wrote');
  assert.match(await offer.textContent(), /910 条示例数据/);
  await shot(a.page, 'home-legacy-demo');
  await a.page.getByTestId('remove-legacy-demo').tap();
  await a.page.getByTestId('legacy-demo-removed').filter({ hasText: '已删除 910 条示例数据' }).waitFor();
  assert.equal(await offer.count(), 0);
  await a.page.locator('[data-testid=count-activities] .value', { hasText: /^0$/ }).waitFor();
  await signIn(a.page);
  await waitSyncRuns(a.page, 1);
  const ids = new Set(JSON.parse(readFileSync(old, 'utf8')).docs.map((d) => d._id));
  assert.ok(a.bodies.every((b) => ![...ids].some((id) => b.includes(id))), 'no request names a demo document');
  assert.equal((await hubDb(a.page)).doc_count, 0);

  // Phone B had synced it before: removal writes tombstones, which take it off the hub.
  const b = await phone();
  await importFile(b.page, old);
  await signIn(b.page);
  await waitSyncRuns(b.page, 1);
  await syncNow(b.page);
  assert.equal((await hubDb(b.page)).doc_count, 910);
  await tab(b.page, '首页');
  await b.page.getByTestId('remove-legacy-demo').tap();
  await b.page.getByTestId('legacy-demo-removed').waitFor();
  await syncNow(b.page);
  const db = await hubDb(b.page);
  assert.equal(db.doc_count, 0, 'the hub keeps none of them live');
  assert.equal(db.doc_del_count, 910);
  assert.deepEqual([...a.errors, ...b.errors], []);
});
