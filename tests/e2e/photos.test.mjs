// End to end at 360x640 in zh-CN: 活动照片. Offline, three 4000x3000 JPEGs (drawn on a
// canvas by the test) are added to a forum from the gallery, scaled on the phone; a
// reload keeps them; the viewer opens the full photo and steps through them. Online, a
// sync sends them; a second phone sees the thumbnails and opening one photo downloads
// that photo alone (the requests are counted); 释放照片空间 drops the full copies the hub
// has, and reopening online fetches the photo again. 导出 with 含照片: the second phone,
// holding two photos as thumbnails only, leaves those two out and says so; a third phone
// adds photos offline and exports them, the file's size said before 保存, and
// `yehua-hub import` of that file makes the hub serve every JPEG byte-identical, a second
// import changing nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startHub, launchPhone, setupProfile, waitCount, tab, signIn, syncNow, newForum, shot, cameraJpegs, exportFile, offlineReady,
} from './harness.mjs';

const root = new URL('../../', import.meta.url).pathname;
const checker = join(process.env.CARGO_TARGET_DIR || join(root, 'target'), 'debug/examples/check_export');

let hub, dir;
const phones = [];
before(async () => {
  hub = await startHub();
  dir = mkdtempSync(join(tmpdir(), 'yehua-photos-'));
});
after(async () => {
  for (const p of phones) await p.browser.close();
  await hub?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Checks an export file as headquarters would (schema and `exchange::parse`). */
function checkExport(path) {
  assert.ok(existsSync(checker), `build the checker first: cargo build -p yehua-exchange --example check_export (${checker})`);
  const check = spawnSync(checker, [path], { encoding: 'utf8' });
  assert.equal(check.status, 0, check.stderr + check.stdout);
}

/** 统计 → 导出 with 含照片 on. */
async function openExportWithPhotos(page) {
  await tab(page, '统计');
  await page.getByTestId('to-export').tap();
  await page.getByTestId('export-photos').check();
}

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

  // 含照片 on the second phone, which holds two of the three full photos as thumbnails
  // only: those two stay out of the file and the screen says so; the file still passes
  // headquarters' checks.
  await openExportWithPhotos(b.page);
  const partial = await exportFile(b.page, dir);
  assert.equal(await b.page.getByTestId('export-done').getAttribute('data-left-out'), '2');
  assert.match(await b.page.getByTestId('export-left-out').textContent(), /^2 张照片只有缩略图，未放入文件/);
  const carried = JSON.parse(partial.bytes.toString('utf8')).docs.filter((d) => d.type === 'photo');
  assert.equal(carried.length, 1, 'only the photo opened on this phone');
  assert.ok(carried[0]._attachments['image.jpg'].data.length > 10_000);
  checkExport(partial.path);
  await b.page.getByTestId('export-done').scrollIntoViewIfNeeded();
  await shot(b.page, 'photos-6-export-left-out');

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

test('photos added offline travel in the export file with 含照片 and import at the hub byte-identical', async () => {
  const c = await phone();
  await offlineReady(c.page);
  await newForum(c.page, '带照片的文件');
  const files = await cameraJpegs(c.page, 2);
  await c.context.setOffline(true);
  await c.page.getByTestId('gallery-input').setInputFiles(files);
  await waitCount(thumbs(c.page), 2, 60_000);

  // Without 含照片 no photo is in the file.
  await tab(c.page, '统计');
  await c.page.getByTestId('to-export').tap();
  assert.equal(await c.page.getByTestId('export-photos').isChecked(), false, 'off by default');
  const plain = JSON.parse((await exportFile(c.page, dir)).bytes.toString('utf8'));
  assert.equal(plain.docs.filter((d) => d.type === 'photo').length, 0);

  // With it: the size is said before 保存, and is the size of the file saved.
  await c.page.getByTestId('export-photos').check();
  const saved = await exportFile(c.page, dir);
  const done = c.page.getByTestId('export-done');
  assert.equal(Number(await done.getAttribute('data-bytes')), saved.bytes.length);
  assert.equal(await done.getAttribute('data-left-out'), '0');
  assert.equal(await c.page.getByTestId('export-left-out').count(), 0);
  assert.match(saved.size, /^文件大小约 \d+(\.\d)? (KB|MB)$/);
  await done.scrollIntoViewIfNeeded();
  await shot(c.page, 'photos-7-export-with-photos');
  checkExport(saved.path);
  const file = JSON.parse(saved.bytes.toString('utf8'));
  const photos = file.docs.filter((d) => d.type === 'photo');
  assert.equal(photos.length, 2);
  assert.ok(file.types.includes('photo'));
  const jpegBytes = photos.reduce((n, p) => n + p._attachments['image.jpg'].length + p._attachments['thumb.jpg'].length, 0);
  assert.ok(saved.bytes.length > jpegBytes, 'the JPEGs are in the file');
  const ids = new Set(file.docs.map((d) => d._id));

  // At headquarters: `yehua-hub import`, every photo new; the hub serves their bytes
  // exactly as the file carried them; a second import changes nothing.
  const first = hub.admin(['import', saved.path]);
  assert.match(first, new RegExp(`station 330106001: new ${ids.size}, updated 0, unchanged 0, conflicts 0`), first);
  const auth = { authorization: 'Basic ' + Buffer.from('demo:yehua-demo').toString('base64') };
  for (const p of photos) {
    for (const name of ['image.jpg', 'thumb.jpg']) {
      const att = p._attachments[name];
      const res = await fetch(`${hub.url}/couch/station_330106001/${p._id}/${name}`, { headers: auth });
      assert.equal(res.status, 200, `${p._id}/${name}`);
      const bytes = Buffer.from(await res.arrayBuffer());
      assert.equal(bytes.length, att.length);
      assert.ok(bytes.equals(Buffer.from(att.data, 'base64')), `${p._id}/${name} byte-identical`);
      assert.equal(res.headers.get('etag'), `"${att.digest.slice(4)}"`);
    }
  }
  const again = hub.admin(['import', saved.path]);
  assert.match(again, new RegExp(`new 0, updated 0, unchanged ${ids.size}, conflicts 0`), again);
  assert.deepEqual(c.errors, []);
});
