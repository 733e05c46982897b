// Paper that can be checked against the data, at 360x640 in zh-CN, offline: a forum's
// record page in print media (every agenda part, each volunteer's hours with 不计入 on a
// missing check-out, the satisfaction figure, no navigation) and its PDF; the month's 台账
// (cover = the dashboard's rollup figures, one record page per activity, the PDF at least
// that many pages); the 公示 (no telephone number, villagers masked); and the printed QR
// read back through the same camera path as the QR card test, saying 一致, then 已修改
// after the forum is edited.
//
// No PDF rasteriser is installed offline, so the QR is taken from a screenshot of the page
// in print media emulation (what the PDF draws), not from the PDF itself.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startHub, launchPhone, setupProfile, waitCount, newForum, tab, concernRoundTheLoop, seedStation,
} from './harness.mjs';

const video = join(mkdtempSync(join(tmpdir(), 'yehua-paper-')), 'page.y4m');
const SIDE = 480;
const shots = process.env.SHOTS_DIR;
let hub, phone;

/** A Y4M still (two frames) of a SIDE x SIDE greyscale image. */
function y4m(luma) {
  const uv = Buffer.alloc((SIDE / 2) * (SIDE / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), Buffer.from(luma), uv]);
  return Buffer.concat([Buffer.from(`YUV4MPEG2 W${SIDE} H${SIDE} F10:1 Ip A1:1 C420jpeg\n`), frame, frame]);
}

before(async () => {
  hub = await startHub();
  // The camera plays `video`, written once the page is printed; blank until then.
  writeFileSync(video, y4m(new Uint8Array(SIDE * SIDE).fill(235)));
  phone = await launchPhone([
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-video-capture=${video}`,
  ]);
  await phone.context.grantPermissions(['camera'], { origin: hub.url });
  await phone.context.clock.install({ time: new Date('2026-11-22T10:55:00Z') });
  await phone.page.goto(hub.url + '/');
  await setupProfile(phone.page);
  await seedStation(phone.page); // its teams include 平安巡逻队
});
after(async () => {
  await phone?.browser.close();
  await hub?.stop();
});

let pdfCount = 0;
const shot = async (page, name) => shots && page.screenshot({ path: join(shots, name), fullPage: true });

/** The printed QR as the camera would see it: the stamp's pixels in print media,
 * thresholded and scaled to whole pixels per screen pixel, centred on white. */
async function printedQr(page) {
  await page.emulateMedia({ media: 'print' });
  const png = await page.locator('[data-testid=paper-stamp] .stamp-qr').screenshot();
  await page.emulateMedia({ media: 'screen' });
  const blank = await page.context().newPage();
  const { w, h, luma } = await blank.evaluate(async (b64) => {
    const img = new Image();
    img.src = 'data:image/png;base64,' + b64;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const ctx = c.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    const luma = [];
    for (let i = 0; i < d.length; i += 4) luma.push((d[i] * 77 + d[i + 1] * 150 + d[i + 2] * 29) >> 8);
    return { w: c.width, h: c.height, luma };
  }, png.toString('base64'));
  await blank.close();
  const scale = Math.max(1, Math.floor((SIDE - 40) / Math.max(w, h)));
  const out = new Uint8Array(SIDE * SIDE).fill(235);
  const ox = Math.floor((SIDE - w * scale) / 2), oy = Math.floor((SIDE - h * scale) / 2);
  for (let y = 0; y < h * scale; y++)
    for (let x = 0; x < w * scale; x++)
      out[(oy + y) * SIDE + ox + x] = luma[Math.floor(y / scale) * w + Math.floor(x / scale)] < 128 ? 16 : 235;
  return out;
}

async function scan(page) {
  await tab(page, '统计');
  await page.getByTestId('to-verify').tap();
  const verdict = page.getByTestId('verdict');
  await verdict.waitFor({ timeout: 30_000 });
  return verdict;
}

test('a forum prints every part, its QR reads 一致, and after an edit 已修改', async () => {
  const { page, context, errors } = phone;
  await context.setOffline(true);
  await newForum(page, '村夜话·纸质台账');
  const forumUrl = page.url();
  await page.getByTestId('open-roster').tap();
  const lines = page.locator('[data-testid=roster-line]');
  await lines.first().waitFor();
  for (let i = 1; i <= 2; i++) {
    await page.locator('[data-testid=roster-line] [data-testid=check-in]').first().tap();
    await page.getByTestId('here-count').filter({ hasText: `在场 ${i}` }).waitFor();
  }
  await context.clock.fastForward('01:30:00');
  await page.locator('[data-testid=roster-line] [data-testid=check-out]').first().tap();
  await page.getByTestId('here-count').filter({ hasText: '在场 1' }).waitFor();

  await page.goto(forumUrl + '/print');
  const sheet = page.getByTestId('record-sheet');
  await sheet.waitFor();
  await shot(page, 'forum-print-screen.png');
  await page.emulateMedia({ media: 'print' });
  await shot(page, 'forum-print-media.png');
  for (const part of ['文娱开场', '主讲开题', '群众畅谈', '欢快收尾'])
    assert.match(await page.getByTestId('sheet-agenda').textContent(), new RegExp(part));
  const rows = page.getByTestId('sheet-volunteer');
  await waitCount(rows, 2);
  const hours = await page.getByTestId('sheet-hours').allTextContents();
  assert.equal(hours.length, 2);
  assert.ok(hours.some((h) => /^1\.5$/.test(h.trim())), `one counted 1.5 h: ${hours}`);
  assert.ok(hours.some((h) => /不计入/.test(h)), `one flagged: ${hours}`);
  assert.equal((await page.getByTestId('sheet-hours-total').textContent()).trim(), '1.5');
  assert.match(await page.getByTestId('sheet-satisfaction').textContent(), /满意度调查|满意率/);
  for (const nav of ['nav.bottom-nav', 'header.top', '[data-testid=paper-print]'])
    assert.equal(await page.locator(nav).isVisible(), false, `${nav} is not printed`);
  assert.equal(await page.getByTestId('paper-stamp').isVisible(), true);
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  if (shots) writeFileSync(join(shots, `print-${pdfCount++}.pdf`), pdf);
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  assert.ok(pdfPages(pdf) >= 1);
  await page.emulateMedia({ media: 'screen' });

  writeFileSync(video, y4m(await printedQr(page)));
  let verdict = await scan(page);
  assert.equal(await verdict.getAttribute('data-state'), 'same', await verdict.textContent());
  assert.match(await verdict.textContent(), /与系统数据一致/);
  assert.equal(await page.getByTestId('verify-subject').textContent(), '活动记录 · 村夜话·纸质台账', 'named, not an id');
  await shot(page, 'verify-same.png');

  await page.goto(forumUrl + '/edit');
  await page.locator('input[name=title]').fill('村夜话·纸质台账（改）');
  await page.getByRole('button', { name: '保存' }).tap();
  await page.locator('[data-testid=activity] h2', { hasText: '（改）' }).waitFor();
  verdict = await scan(page);
  assert.equal(await verdict.getAttribute('data-state'), 'changed');
  assert.match(await verdict.textContent(), /数据已修改（打印后有变动）/);
  assert.deepEqual(await page.getByTestId('verify-diff').evaluateAll((r) => r.map((x) => x.dataset.key)), ['info']);
  await shot(page, 'verify-changed.png');
  assert.deepEqual(errors, []);
});

/** Pages in a PDF Chromium wrote (its page objects are never in object streams). */
function pdfPages(pdf) {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) || []).length;
}

test('the month: 台账 cover from rollup, one record page per activity; 公示 masked, no phone', async () => {
  const { page, errors } = phone;
  await page.emulateMedia({ media: 'screen' });
  // A concern with a villager's name and a mobile number in its text, taken round the loop.
  await newForum(page, '村夜话·公示');
  const add = page.getByTestId('add-concern');
  await add.locator('textarea[name=concern]').fill('村口路灯坏了，联系我13912345678');
  await add.locator('input[name=villager]').fill('张小红');
  await page.getByTestId('add-concern-ok').tap();
  const concern = page.locator('[data-testid=activity-concerns] [data-testid=concern]').first();
  await concernRoundTheLoop(concern, '平安巡逻队', '已更换路灯，回访电话 0571-88886666');

  await tab(page, '统计');
  await page.getByTestId('dash-month').selectOption('2026-11');
  const fig = async (id) => page.getByTestId(id).getAttribute('data-value');
  const dash = { forums: await fig('fig-forums'), turnout: await fig('fig-turnout'), hours: await fig('fig-hours') };
  await shot(page, 'stats-month-paper.png');
  await page.getByTestId('print-ledger').tap();
  await page.getByTestId('ledger-cover').waitFor();
  assert.equal(await page.getByTestId('cover-forums').getAttribute('data-value'), dash.forums);
  assert.equal(await page.getByTestId('cover-turnout').getAttribute('data-value'), dash.turnout);
  assert.equal(await page.getByTestId('cover-hours').getAttribute('data-value'), dash.hours);
  const activities = Number(await page.getByTestId('cover-activities').getAttribute('data-value'));
  assert.ok(activities >= 2);
  await waitCount(page.getByTestId('ledger-row'), activities);
  await waitCount(page.getByTestId('record-sheet'), activities);
  await page.emulateMedia({ media: 'print' });
  await shot(page, 'ledger-print-media.png');
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  if (shots) writeFileSync(join(shots, `print-${pdfCount++}.pdf`), pdf);
  assert.ok(pdfPages(pdf) >= activities + 2, `${pdfPages(pdf)} pages for ${activities} record pages + cover + table`);
  await page.emulateMedia({ media: 'screen' });

  await tab(page, '统计');
  await page.getByTestId('dash-month').selectOption('2026-11');
  await page.getByTestId('print-notice').tap();
  const notice = page.getByTestId('notice-sheet');
  await notice.waitFor();
  await page.emulateMedia({ media: 'print' });
  await shot(page, 'notice-print-media.png');
  const text = await notice.textContent();
  assert.doesNotMatch(text, /1[3-9]\d{9}/, 'no mobile number');
  assert.doesNotMatch(text, /\d{7,}/, 'no telephone number');
  assert.doesNotMatch(text, /张小红/, 'no unmasked villager name');
  const villagers = await page.getByTestId('notice-villager').allTextContents();
  assert.ok(villagers.includes('张*红'), `the villager masked: ${villagers}`);
  for (const v of villagers) assert.ok(v === '' || v.includes('*'), `masked: ${v}`);
  assert.match(text, /村口路灯坏了/);
  await waitCount(page.getByTestId('notice-volunteer'), await page.getByTestId('notice-volunteer').count());
  assert.ok((await page.getByTestId('notice-volunteer').count()) > 0);
  const pdf2 = await page.pdf({ format: 'A4' });
  assert.ok(pdfPages(pdf2) >= 1);
  await page.emulateMedia({ media: 'screen' });
  assert.deepEqual(errors, []);
});

test('a volunteer with a 志愿者编号 gets a certificate of counted hours', async () => {
  const { page, errors } = phone;
  await page.emulateMedia({ media: 'screen' });
  await tab(page, '志愿者');
  await page.locator('[data-testid=volunteer-list] li a').first().tap();
  const name = (await page.locator('h2').first().textContent()).trim();
  await page.locator('a.button', { hasText: '编辑' }).tap();
  // The form fills itself from the store after it opens: type only once it has.
  await page.waitForFunction((n) => document.querySelector('input[name=name]')?.value === n, name);
  await page.locator('input[name=volunteer_number]').fill('12345');
  await page.getByRole('button', { name: '保存' }).tap();
  await page.getByTestId('form-error').filter({ hasText: '志愿者编号' }).waitFor();
  await page.locator('input[name=volunteer_number]').fill('4403 0012 3456 78');
  await page.getByRole('button', { name: '保存' }).tap();
  await page.getByTestId('certificate-link').tap();
  const sheet = page.getByTestId('certificate-sheet');
  await sheet.waitFor();
  assert.equal((await page.getByTestId('cert-name').textContent()).trim(), name);
  assert.equal((await page.getByTestId('cert-number').textContent()).trim(), '44030012345678');
  const entries = await page.getByTestId('cert-entry').count();
  assert.ok(entries > 0, 'the demo volunteer served this year');
  const total = Number(await page.getByTestId('cert-total').textContent());
  const sum = (await page.locator('[data-testid=cert-entry] td.num').allTextContents()).reduce((a, h) => a + Number(h), 0);
  assert.ok(Math.abs(total - sum) < 0.05 * entries + 0.01, `${total} ≈ ${sum}`);
  await shot(page, 'certificate-screen.png');
  await page.emulateMedia({ media: 'print' });
  await shot(page, 'certificate-print-media.png');
  await page.emulateMedia({ media: 'screen' });
  assert.deepEqual(errors, []);
});
