// A broken IndexedDB is said, never shown as an empty list. At 360x640 in zh-CN: with the
// reads of IndexedDB made to fail under the running page (as a damaged or evicted database
// fails), every list screen shows the store's message and what to do, and none says
// 还没有记录; after a language switch the same failure is said in English.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { phoneWithProfile, tab, shot } from './harness.mjs';

const setup = phoneWithProfile();

/** Makes every IndexedDB read fail the way Chromium fails on a broken database. */
async function breakReads(page) {
  await page.evaluate(() => {
    const broken = () => {
      throw new DOMException('Simulated: the database file is unreadable.', 'UnknownError');
    };
    const kept = [];
    for (const proto of [IDBObjectStore.prototype, IDBIndex.prototype]) {
      for (const name of ['get', 'getAll', 'getAllKeys', 'openCursor', 'openKeyCursor', 'count']) {
        kept.push([proto, name, proto[name]]);
        proto[name] = broken;
      }
    }
    window.__yehuaReads = kept;
  });
}

async function mendReads(page) {
  await page.evaluate(() => {
    for (const [proto, name, f] of window.__yehuaReads) proto[name] = f;
  });
}

/** Goes to `path` inside the app (no reload, so the broken reads stay broken). */
async function open(page, path) {
  await page.evaluate((p) => {
    history.pushState(null, '', p);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, path);
}

const screens = [
  ['/forums', 'activity-list'],
  ['/volunteers', 'volunteer-list'],
  ['/concerns', 'concern-board'],
  ['/teams', 'team-list'],
  ['/surveys', 'survey-list'],
];

test('a failing store shows its message on every list screen, not an empty list', async () => {
  const { page, errors } = setup.phone;
  await tab(page, '首页');
  await breakReads(page);
  try {
    for (const [path, list] of screens) {
      await open(page, path);
      await page.getByTestId(list).waitFor({ state: 'attached' });
      const alert = page.locator('main [role=alert]', { hasText: '本机数据库出错' }).first();
      await alert.waitFor({ timeout: 10_000 });
      assert.equal(await page.locator('main', { hasText: '还没有记录' }).count(), 0, `${path} says 还没有记录`);
      await shot(page, `store-failure-${path.slice(1)}`);
    }
    // The message follows a language switch (the switch's own write may fail too).
    await open(page, '/volunteers');
    await page.locator('main [role=alert]', { hasText: '本机数据库出错' }).first().waitFor();
    await open(page, '/settings');
    await page.getByTestId('locale').selectOption('en');
    await open(page, '/volunteers');
    await page.locator('main [role=alert]', { hasText: "The phone's database failed" }).first().waitFor();
  } finally {
    await mendReads(page);
  }
  await page.goto(setup.hub.url + '/settings');
  await page.getByTestId('locale').selectOption('zh-CN');
  assert.deepEqual(errors, []);
});
