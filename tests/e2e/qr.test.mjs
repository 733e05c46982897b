// A volunteer's QR card is drawn on the phone, and the roster's 扫码签到 reads it
// from the camera and checks that volunteer in — offline. Chromium's fake camera plays a
// Y4M file made from the card's own SVG; headless Chromium on Linux has no BarcodeDetector,
// so this exercises the Rust decoder on canvas frames.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHub, launchPhone, setupProfile, waitCount, loadDemo } from './harness.mjs';

let cardName;
const video = join(mkdtempSync(join(tmpdir(), 'yehua-qr-')), 'card.y4m');
let hub, phone;
before(async () => {
  hub = await startHub();
  // The demo data is deterministic, so its first volunteer has the same id on every phone:
  // one phone draws the card, the camera file is made from it, a second phone scans it.
  const drawer = await launchPhone();
  await drawer.page.goto(hub.url + '/');
  await setupProfile(drawer.page);
  const card = await firstVolunteerCard(drawer.page);
  await drawer.browser.close();
  writeFileSync(video, y4m(modules(card.svg)));
  cardName = card.name;
  phone = await launchPhone([
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-video-capture=${video}`,
  ]);
  await phone.context.grantPermissions(['camera'], { origin: hub.url });
  await phone.page.goto(hub.url + '/');
  await setupProfile(phone.page);
});
after(async () => {
  await phone?.browser.close();
  await hub?.stop();
});

/** The card's QR modules, from its SVG path `M{x} {y}h1v1h-1z…` and viewBox. */
function modules(svg) {
  const side = Number(/viewBox="0 0 (\d+) /.exec(svg)[1]);
  const dark = new Set([...svg.matchAll(/M(\d+) (\d+)h1v1h-1z/g)].map(([, x, y]) => `${x},${y}`));
  return { side, dark };
}

/** A 320x320 4:2:0 Y4M still of the code, 8 px a module on white. */
function y4m({ side, dark }) {
  const scale = 8, w = 320, h = 320, off = Math.floor((w - side * scale) / 2);
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

async function firstVolunteerCard(page) {
  await loadDemo(page);
  await page.locator('nav.bottom-nav a', { hasText: '志愿者' }).tap();
  const first = page.locator('[data-testid=volunteer-list] li a').first();
  const name = (await first.locator('.row-title').textContent()).replace(' ☭', '');
  await first.tap();
  await page.getByTestId('card-link').tap();
  await page.getByTestId('volunteer-card').locator('.card-name', { hasText: name }).waitFor();
  const svg = await page.locator('[data-testid=volunteer-card] svg').evaluate((e) => e.outerHTML);
  return { name, svg };
}

test('a printed card checks its volunteer in through the camera', async () => {
  const { page, context, errors } = phone;
  await loadDemo(page);
  await context.setOffline(true);
  const name = cardName;

  await page.locator('nav.bottom-nav a', { hasText: '夜话' }).tap();
  await page.getByTestId('new-forum').tap();
  await page.locator('input[name=title]').fill('村夜话·扫码签到');
  await page.getByRole('button', { name: '保存' }).tap();
  await page.getByTestId('open-roster').tap();
  await page.getByTestId('here-count').filter({ hasText: '在场 0' }).waitFor();
  await page.getByTestId('scan').tap();
  await page.getByTestId('here-count').filter({ hasText: '在场 1' }).waitFor({ timeout: 20_000 });
  const here = page.locator('[data-testid=roster-line]').filter({ has: page.getByTestId('check-out') });
  await waitCount(here, 1);
  assert.match(await here.textContent(), new RegExp(name));
  assert.deepEqual(errors, []);
});
