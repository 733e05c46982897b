// First start at 360x640 in zh-CN: profile form (with a validation error), every tab,
// reload keeps the profile, the offline indicator follows the network.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHub, launchPhone, activityCount, loadDemo } from './harness.mjs';

let hub, phone;
before(async () => {
  hub = await startHub();
  phone = await launchPhone();
});
after(async () => {
  await phone?.browser.close();
  await hub?.stop();
});

test('first start, every tab, reload keeps the profile', async () => {
  const { page, context, errors } = phone;
  await page.goto(hub.url + '/');
  await page.getByText('首次使用：填写站点信息').waitFor();

  // A bad station code is refused in Chinese and nothing is saved.
  await page.locator('input[name=station_code]').fill('12a');
  await page.locator('input[name=station_name]').fill('示范村新时代文明实践站');
  await page.locator('input[name=cadre_name]').fill('王书记');
  await page.getByRole('button', { name: '保存' }).tap();
  await page.getByText('站点代码应为 6 到 12 位数字').waitFor();

  await page.locator('input[name=station_code]').fill('330106001');
  await page.getByRole('button', { name: '保存' }).tap();
  await page.getByText('欢迎回来, 王书记').waitFor();
  assert.equal(await page.locator('header .station').textContent(), '示范村新时代文明实践站');

  const tabs = [
    ['夜话', '夜话与活动'],
    ['志愿者', '志愿者'],
    ['问卷', '问卷'],
    ['同步', '同步'],
    ['统计', '统计'],
    ['设置', '设置'],
    ['首页', '欢迎回来, 王书记'],
  ];
  for (const [tab, heading] of tabs) {
    await page.locator('nav.bottom-nav a', { hasText: tab }).tap();
    await page.locator('main h2', { hasText: heading }).first().waitFor();
    const box = await page.locator('nav.bottom-nav').boundingBox();
    assert.ok(box.y + box.height <= 640 && box.y >= 560, `nav in thumb reach: ${JSON.stringify(box)}`);
  }

  await page.reload();
  await page.getByText('欢迎回来, 王书记').waitFor();
  assert.equal(await page.getByText('首次使用：填写站点信息').count(), 0);

  await context.setOffline(true);
  await page.locator('[data-testid=sync-badge]', { hasText: '离线' }).waitFor();
  await context.setOffline(false);
  await page.locator('[data-testid=sync-badge]', { hasText: '请登录同步' }).waitFor();
  assert.deepEqual(errors, []);
});

test('demo data fills the lists and the language switch persists', async () => {
  const { page, errors } = phone;
  await page.goto(hub.url + '/');
  await loadDemo(page);
  const activities = await activityCount(page);
  assert.ok(activities > 50, `activities: ${activities}`);

  await page.locator('nav.bottom-nav a', { hasText: '夜话' }).tap();
  await page.locator('[data-testid=activity-list] li').first().waitFor();
  assert.equal(await page.locator('[data-testid=activity-list] li').count(), 50, 'first page of 50');

  await page.locator('nav.bottom-nav a', { hasText: '设置' }).tap();
  await page.getByTestId('locale').selectOption('en');
  await page.locator('main h2', { hasText: 'Settings' }).waitFor();
  await page.reload();
  await page.locator('nav.bottom-nav a', { hasText: 'Forums' }).waitFor();
  assert.deepEqual(errors, []);
});

test('a first visit paints the splash before the app arrives, and the app replaces it', async () => {
  // A fresh phone whose app download never finishes (as on a failing 3G link): the first
  // paint is the splash from index.html, in Chinese first, not a blank page.
  const context = await phone.browser.newContext({
    viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true, locale: 'zh-CN', serviceWorkers: 'block',
  });
  try {
    const page = await context.newPage();
    await page.route('**/*.wasm', (route) => route.abort());
    await page.goto(hub.url + '/');
    const splash = page.locator('#splash');
    await splash.getByText('正在打开夜话').waitFor();
    assert.ok(await splash.isVisible(), 'the splash is on screen');
    assert.match(await splash.textContent(), /Opening Yehua/);

    // The download arrives: the app removes the splash and shows its first screen.
    await page.unroute('**/*.wasm');
    await page.reload();
    await page.getByText('首次使用：填写站点信息').waitFor();
    assert.equal(await page.locator('#splash').count(), 0, 'the splash is gone');
  } finally {
    await context.close();
  }
});
