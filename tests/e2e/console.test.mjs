// The headquarters console, end to end against the real hub serving dist/:
// - a township hq account signs in on a 1280×800 desktop viewport, opens 总部控制台 from
//   home, sees 上报情况 with the new village flagged 本月未开展夜话 and 7 天未同步, and
//   creates the village's cadre account (the password typed twice: a mismatch is refused),
//   resets its password, disables and enables it;
// - the console shows that account's setup QR (server, station, user name, never the
//   password); the cadre's phone (360×640) refuses it on another server (a second hub),
//   then on this one scans it (扫码设置, Chromium's fake camera playing the QR), types only
//   the password, records a forum and syncs; 上报情况 then shows the village without flags,
//   and its CSV holds the row;
// - a village cadre's home never offers the console.
// Stations are made by the command line (the console's stations tree is not built yet).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startHub, launchPhone, launchWith, tab, newForum, syncNow, waitSyncRuns, shot, PHONE, DESKTOP, modules, y4m,
  townshipWithVillage, HQ_PASSWORD,
} from './harness.mjs';

const LI_PASSWORD = 'li-tea-field-2026';
const LI_NEW_PASSWORD = 'li-river-bank-2027';
let hub;
const browsers = [];
before(async () => {
  hub = await startHub(undefined, {
    setup: (admin) => {
      townshipWithVillage(admin);
      admin(['station', 'add', '330106002', '--name', '新村新时代文明实践站', '--parent', '330106']);
    },
  });
});
after(async () => {
  for (const b of browsers) await b.close();
  await hub?.stop();
});

async function open(options) {
  const b = await launchWith(options);
  browsers.push(b.browser);
  return b;
}

/** Fills the first-start profile with `code`, `name`, `level` and waits for home (clicks:
 * a desktop has no touch, and a click works on a phone too). */
async function profile(page, code, name, level) {
  await page.getByText('首次使用：填写站点信息').waitFor();
  await page.locator('input[name=station_code]').fill(code);
  await page.locator('input[name=station_name]').fill(name);
  await page.locator('select[name=level]').selectOption(level);
  await page.locator('input[name=cadre_name]').fill('赵主任');
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText('欢迎回来').waitFor();
}

/** Signs in on the 同步 screen with clicks (a desktop has no touch). */
async function signInDesktop(page, user, password) {
  await page.locator('nav.bottom-nav a', { hasText: '同步' }).click();
  await page.getByTestId('login-user').fill(user);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await waitSyncRuns(page, 1);
}

const row = (page, code) => page.locator(`[data-testid=hq-row][data-code="${code}"]`);
const account = (page, name) => page.locator(`[data-testid=hq-account][data-name="${name}"]`);

let hq;
test('hq on a desktop: 上报情况 flags the new village; an account is created, reset, disabled, enabled', async () => {
  hq = await open(DESKTOP);
  const { page } = hq;
  await page.goto(hub.url + '/');
  await profile(page, '330106', '某镇新时代文明实践所', 'township');
  await signInDesktop(page, 'zhen', HQ_PASSWORD);
  await page.locator('nav.bottom-nav a', { hasText: '首页' }).click();
  await page.getByTestId('to-console').click();
  await page.getByTestId('hq-status').waitFor();
  const village = row(page, '330106002');
  await village.getByTestId('flag-no-forum').waitFor();
  await village.getByTestId('flag-not-synced').waitFor();
  assert.equal(await page.getByTestId('hq-row').count(), 3, 'the township and its two villages');
  await page.getByTestId('hq-flagged').check();
  await village.waitFor();
  await shot(page, 'console-status-1280');

  await page.getByTestId('hq-to-accounts').click();
  await page.getByTestId('hq-new-account').waitFor();
  const form = page.getByTestId('hq-new-account');
  await form.locator('input[name=user_name]').fill('li');
  await form.locator('select[name=station]').selectOption('330106002');
  await form.locator('input[name=password]').fill(LI_PASSWORD);
  await form.locator('input[name=password_again]').fill(LI_PASSWORD + 'x');
  await page.getByTestId('hq-create').click();
  await page.getByTestId('hq-error').filter({ hasText: '两次输入的密码不一致' }).waitFor();
  assert.equal(await account(page, 'li').count(), 0, 'nothing created');
  // A well-known password is refused by the hub, with the rule said.
  await form.locator('input[name=password]').fill('12345678');
  await form.locator('input[name=password_again]').fill('12345678');
  await page.getByTestId('hq-create').click();
  await page.getByTestId('hq-error').filter({ hasText: '密码太简单' }).waitFor();
  await form.locator('input[name=password]').fill(LI_PASSWORD);
  await form.locator('input[name=password_again]').fill(LI_PASSWORD);
  await page.getByTestId('hq-create').click();
  await page.getByTestId('hq-done').filter({ hasText: '账号已创建' }).waitFor();
  const li = account(page, 'li');
  await li.waitFor();
  assert.equal(await li.getAttribute('data-role'), 'cadre:330106002');
  // The hq account sees itself and the cadres below it, never another hq or an admin.
  const names = await page.getByTestId('hq-account').evaluateAll((els) => els.map((e) => e.dataset.name));
  assert.deepEqual(names.sort(), ['demo', 'li', 'zhen']);
  await page.getByTestId('hq-search').fill('新村');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=hq-account]').length === 1);
  await page.getByTestId('hq-search').fill('');

  // Reset (typed twice), then disable and enable.
  await li.getByTestId('hq-reset').click();
  await li.locator('input[name=password]').fill(LI_NEW_PASSWORD);
  await li.locator('input[name=password_again]').fill(LI_NEW_PASSWORD);
  await li.getByTestId('hq-reset-save').click();
  await page.getByTestId('hq-done').filter({ hasText: '已保存' }).waitFor();
  await account(page, 'li').getByTestId('hq-toggle').click();
  await page.locator('[data-testid=hq-account][data-name=li][data-disabled=true]').waitFor();
  const refused = await fetch(`${hub.url}/couch/_session`, { headers: { authorization: `Basic ${Buffer.from(`li:${LI_NEW_PASSWORD}`).toString('base64')}` } });
  assert.equal(refused.status, 401, 'a disabled account cannot sign in');
  await account(page, 'li').getByTestId('hq-toggle').click();
  await page.locator('[data-testid=hq-account][data-name=li][data-disabled=false]').waitFor();
  await shot(page, 'console-accounts-1280');
  assert.deepEqual(hq.errors, []);
});

test('hq prints the setup QR; the phone scans it, types only the password and syncs; 上报情况 then clears its flags', async () => {
  // The console's 设置二维码 for li, on the desktop.
  const { page: desk } = hq;
  await account(desk, 'li').getByTestId('hq-setup-qr').click();
  const card = desk.getByTestId('setup-card');
  await card.getByTestId('setup-user').filter({ hasText: 'li' }).waitFor();
  const payload = await card.getAttribute('data-payload');
  assert.match(payload, /^yehua:setup:v1\?server=/);
  assert.ok(!payload.includes(LI_NEW_PASSWORD) && !/password/i.test(payload), 'never the password');
  assert.ok(await desk.getByTestId('setup-print').isVisible());
  await shot(desk, 'console-setup-qr-1280');
  const video = join(mkdtempSync(join(tmpdir(), 'yehua-setup-')), 'setup.y4m');
  writeFileSync(video, y4m(modules(await card.locator('.card-qr svg').evaluate((e) => e.outerHTML))));

  const phone = await launchPhone(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`]);
  browsers.push(phone.browser);
  const { page, context } = phone;
  // A code made for another server (this one is a second hub) is refused, and says which.
  const other = await startHub();
  try {
    await context.grantPermissions(['camera'], { origin: other.url });
    await page.goto(other.url + '/');
    await page.getByTestId('setup-scan').tap();
    await page.getByTestId('setup-refused').filter({ hasText: '另一个服务器' }).filter({ hasText: hub.url }).waitFor();
    assert.equal(await page.getByTestId('setup-form').count(), 0, 'nothing filled');
    await shot(page, 'setup-refused-360');
  } finally {
    await other.stop();
  }
  await context.grantPermissions(['camera'], { origin: hub.url });
  await page.goto(hub.url + '/');
  await page.getByTestId('setup-scan').tap();
  const form = page.getByTestId('setup-form');
  await form.getByTestId('setup-station').filter({ hasText: '新村新时代文明实践站' }).waitFor();
  assert.equal(await form.getByTestId('setup-user').textContent(), 'li');
  await form.getByTestId('setup-password').fill(LI_NEW_PASSWORD);
  await shot(page, 'setup-scanned-360');
  await form.getByTestId('setup-sign-in').tap();
  await page.getByText('欢迎回来').waitFor();
  await tab(page, '同步');
  await waitSyncRuns(page, 1);
  await page.getByText(`li @ ${hub.url}/couch`).waitFor();
  await tab(page, '首页');
  assert.equal(await page.getByTestId('to-console').count(), 0, 'no console for a cadre');
  await newForum(page, '新村第一次夜话');
  await syncNow(page);

  await desk.getByTestId('hq-to-status').click();
  const village = row(desk, '330106002');
  await desk.locator('[data-testid=hq-row][data-code="330106002"][data-no-forum=false][data-not-synced=false]').waitFor();
  assert.equal(await village.locator('td.num').first().textContent(), '1');
  const [dl] = await Promise.all([desk.waitForEvent('download'), desk.getByTestId('hq-csv').click()]);
  const csv = readFileSync(await dl.path(), 'utf8');
  assert.match(csv, /^\ufeff站点代码,站点名称/);
  assert.match(csv, /330106002,新村新时代文明实践站,村,[^,]+,\d{4}-\d{2}-\d{2},1,/);
  assert.deepEqual(phone.errors, []);
});

test('the console on a phone at 360×640', async () => {
  const small = await open(PHONE);
  const { page } = small;
  await page.goto(hub.url + '/');
  await profile(page, '330106', '某镇新时代文明实践所', 'township');
  await page.locator('nav.bottom-nav a', { hasText: '同步' }).tap();
  await page.getByTestId('login-user').fill('zhen');
  await page.getByTestId('login-password').fill(HQ_PASSWORD);
  await page.getByTestId('login-submit').tap();
  await waitSyncRuns(page, 1);
  await page.goto(hub.url + '/hq');
  await page.getByTestId('hq-row').first().waitFor();
  await shot(page, 'console-status-360');
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 360, `the page does not scroll sideways (${wide}px); the table scrolls inside`);
  await page.goto(hub.url + '/hq/accounts');
  await page.getByTestId('hq-account').first().waitFor();
  await shot(page, 'console-accounts-360');
  assert.deepEqual(small.errors, []);
});
