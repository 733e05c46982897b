// A volunteer's QR card is drawn on the phone, and the roster's 扫码签到 reads it
// from the camera and checks that volunteer in — offline. Chromium's fake camera plays a
// Y4M file made from the card's own SVG; headless Chromium on Linux has no BarcodeDetector,
// so this exercises the Rust decoder on canvas frames.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHub, launchPhone, setupProfile, waitCount, loadDemo, modules, y4m } from './harness.mjs';

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
