// A broken IndexedDB is said, never shown as an empty list. At 360x640 in zh-CN: with the
// reads of IndexedDB made to fail under the running page (as a damaged or evicted database
// fails), every list screen shows the store's message and what to do, and none says
// 还没有记录; after a language switch the same failure is said in English. A photo that
// would not fit (the phone's storage full) is refused whole with the quota message: no
// photo document and no orphan JPEG is left, and the same photo goes in once there is room.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { phoneWithProfile, tab, shot, newForum, cameraJpegs, waitCount } from './harness.mjs';

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

/** What the phone's IndexedDB holds of photos: blobs (JPEGs) and `photo:` documents (the
 * entries of the packs' id index, one per stored document). */
async function storedPhotos(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('yehua');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(['blobs', 'packs']);
          const out = {};
          tx.objectStore('blobs').count().onsuccess = (e) => (out.blobs = e.target.result);
          tx.objectStore('packs').index('p_id').count(IDBKeyRange.bound('photo:', 'photo:\uffff')).onsuccess = (e) => (out.photos = e.target.result);
          tx.oncomplete = () => {
            db.close();
            resolve(out);
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
}

test('a photo that would not fit is refused whole with the quota message, leaving no photo and no orphan bytes', async () => {
  const { page, errors } = setup.phone;
  await newForum(page, '存储已满的夜话');
  const files = await cameraJpegs(page, 1);
  assert.deepEqual(await storedPhotos(page), { blobs: 0, photos: 0 });
  // A full phone, simulated as pwa.test.mjs does (IndexedDB refusing a write the way
  // Chromium does at the quota): the pack holding the photo's document is refused after
  // both of its JPEGs were put in the same transaction, so a half-written photo would
  // leave them.
  await page.evaluate(() => {
    const put = IDBObjectStore.prototype.put;
    window.__yehuaPut = put;
    window.__yehuaBlobPuts = 0;
    IDBObjectStore.prototype.put = function (value, key) {
      if (this.name === 'blobs') window.__yehuaBlobPuts++;
      if (this.name === 'packs' && (value?.ids ?? []).some((id) => String(id).startsWith('photo:'))) {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }
      return put.call(this, value, key);
    };
  });
  try {
    await page.getByTestId('gallery-input').setInputFiles(files);
    const refusal = page.getByTestId('photos').getByText('手机存储空间已满，本次保存未写入。');
    await refusal.waitFor({ timeout: 60_000 });
    assert.equal(await page.evaluate(() => window.__yehuaBlobPuts), 2, 'both JPEGs were put before the refusal');
    await refusal.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await shot(page, 'store-failure-photo-quota');
  } finally {
    await page.evaluate(() => {
      IDBObjectStore.prototype.put = window.__yehuaPut;
    });
  }
  assert.deepEqual(await storedPhotos(page), { blobs: 0, photos: 0 }, 'nothing half-written');
  await page.getByTestId('no-photos').waitFor();
  // With room again, the same photo goes in whole.
  await page.getByTestId('gallery-input').setInputFiles(files);
  await waitCount(page.locator('[data-testid=thumbs] [data-testid=thumb-img]'), 1, 60_000);
  assert.deepEqual(await storedPhotos(page), { blobs: 2, photos: 1 });
  assert.deepEqual(errors, []);
});
