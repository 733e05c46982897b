// End to end at 360x640 in zh-CN: 活动照片. Offline, three 4000x3000 JPEGs (drawn on a
// canvas by the test) are added to a forum from the gallery, scaled on the phone; a
// reload keeps them; the viewer opens the full photo and steps through them. Online, a
// sync sends them; a second phone sees the thumbnails and opening one photo downloads
// that photo alone (the requests are counted); 释放照片空间 drops the full copies the hub
// has, and reopening online fetches the photo again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHub, launchPhone, setupProfile, waitCount, tab, signIn, syncNow, newForum, shot, cameraJpegs } from './harness.mjs';

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
  p.images = [];
  p.page.on('request', (r) => {
    if (/\/photo[^/]*\/(image|thumb)\.jpg/.test(r.url())) p.images.push(r.url());
  });
  await p.page.goto(hub.url + '/');
  await setupProfile(p.page);
  return p;
}

async function openForum(page, title) {
  await tab(page, '夜话');
  await page.locator('[data-testid=activity-list] li', { hasText: title }).first().tap();
  await page.locator('[data-testid=activity] h2').waitFor();
}

const thumbs = (page) => page.locator('[data-testid=thumbs] [data-testid=thumb-img]');
const fullLoaded = (page) =>
  page.waitForFunction(() => {
    const img = document.querySelector('[data-testid=full-img]');
    return img && img.complete && img.naturalWidth > 0;
  });

test('photos taken offline survive a reload, sync words first, and a second phone downloads only what it opens', async () => {
  const a = await phone();
  await newForum(a.page, '照片夜话');
  const files = await cameraJpegs(a.page, 3);
  assert.ok(files.every((f) => f.buffer.length > 300 * 1024), 'camera-sized fixtures');

  await a.context.setOffline(true);
  await a.page.getByTestId('photo-caption').fill('村民在祠堂前');
  await a.page.getByTestId('gallery-input').setInputFiles(files);
  await waitCount(thumbs(a.page), 3, 60_000);
  await a.page.getByTestId('photos').scrollIntoViewIfNeeded();
  await shot(a.page, 'photos-1-gallery');

  // Without the service worker a reload needs the network to fetch the app; the photos
  // themselves come from IndexedDB.
  await a.context.setOffline(false);
  await a.page.reload();
  await waitCount(thumbs(a.page), 3, 30_000);
  await a.context.setOffline(true);
  await thumbs(a.page).first().tap();
  await fullLoaded(a.page);
  const size = await a.page.locator('[data-testid=full-img]').evaluate((i) => [i.naturalWidth, i.naturalHeight]);
  assert.deepEqual(size, [1600, 1200], 'scaled to 1600 px on the longest side');
  assert.match(await a.page.getByTestId('viewer-caption').textContent(), /村民在祠堂前/);
  await shot(a.page, 'photos-2-viewer');
  await a.page.getByTestId('viewer-next').tap();
  await a.page.getByTestId('viewer-pos').filter({ hasText: '2 / 3' }).waitFor();
  await a.page.getByTestId('viewer-close').tap();
  assert.equal(a.images.length, 0, 'nothing fetched: the photos are on the phone');

  await a.context.setOffline(false);
  await signIn(a.page);
  await syncNow(a.page);
  await a.page.getByTestId('sync-photos-pending').locator('.value').filter({ hasText: /^0$/ }).waitFor();
  await shot(a.page, 'photos-3-sync');

  // A second phone: thumbnails come with the sync; opening one downloads that photo only.
  const b = await phone();
  await signIn(b.page);
  await syncNow(b.page);
  await openForum(b.page, '照片夜话');
  await waitCount(thumbs(b.page), 3, 30_000);
  const thumbRequests = b.images.filter((u) => u.endsWith('/thumb.jpg')).length;
  assert.equal(thumbRequests, 3, b.images.join('\n'));
  assert.equal(b.images.filter((u) => u.endsWith('/image.jpg')).length, 0, 'no full photo before it is opened');
  await thumbs(b.page).nth(1).tap();
  await fullLoaded(b.page);
  assert.equal(b.images.filter((u) => u.endsWith('/image.jpg')).length, 1, b.images.join('\n'));
  await shot(b.page, 'photos-4-second-phone');
  // Kept: closing and reopening offline needs no download.
  await b.page.getByTestId('viewer-close').tap();
  await b.context.setOffline(true);
  await thumbs(b.page).nth(1).tap();
  await fullLoaded(b.page);
  await b.page.getByTestId('viewer-close').tap();
  await b.context.setOffline(false);

  // 释放照片空间 on the first phone, then reopen online: fetched again.
  await tab(a.page, '设置');
  await a.page.getByTestId('photo-storage').scrollIntoViewIfNeeded();
  await a.page.getByTestId('free-photos').tap();
  await a.page.getByTestId('freed').filter({ hasText: /已释放/ }).waitFor();
  await a.page.getByTestId('storage-photos').filter({ hasText: /3 张照片，0 张原图在本机/ }).waitFor();
  await shot(a.page, 'photos-5-storage');
  await openForum(a.page, '照片夜话');
  await waitCount(thumbs(a.page), 3);
  await thumbs(a.page).first().tap();
  await fullLoaded(a.page);
  assert.equal(a.images.filter((u) => u.endsWith('/image.jpg')).length, 1, a.images.join('\n'));
  assert.deepEqual(a.errors, []);
  assert.deepEqual(b.errors, []);
});
