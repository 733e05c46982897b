// End to end at 360x640 in zh-CN, offline: a 夜话 with its four segments, three
// concerns taken round the loop (派单 → 办结 → 评价), reload keeps everything, a draft
// survives a reload mid-typing, open concerns show on the next forum, Chinese search,
// delete with undo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitCount, phoneWithProfile, addTeam, concernRoundTheLoop } from './harness.mjs';

const setup = phoneWithProfile();

const concerns = '[data-testid=activity-concerns] [data-testid=concern]';

test('a forum with four segments and three concerns round the loop survives a reload', async () => {
  const { page, context, errors } = setup.phone;
  await context.setOffline(true);
  await addTeam(page, '平安巡逻队');
  await page.locator('nav.bottom-nav a', { hasText: '夜话' }).tap();
  await page.getByTestId('new-forum').tap();
  const titles = page.locator('[data-testid=segment] .seg-title');
  await waitCount(titles, 4);
  const segs = [];
  for (let i = 0; i < 4; i++) segs.push(await titles.nth(i).inputValue());
  assert.deepEqual(segs, ['文娱开场', '主讲开题', '群众畅谈', '欢快收尾']);
  await page.locator('input[name=title]').fill('村夜话·冬季防火');
  await page.locator('input[name=place]').fill('祠堂前空地');
  await page.locator('input[name=villagers]').fill('58');
  await page.locator('[data-testid=segment] .seg-speaker').nth(1).fill('李医生');
  await page.getByRole('button', { name: '保存' }).tap();
  await page.locator('[data-testid=activity] h2', { hasText: '村夜话·冬季防火' }).waitFor();
  assert.match(await page.locator('[data-testid=activity] .agenda-view').textContent(), /主讲开题 · 李医生/);

  const add = page.getByTestId('add-concern');
  const raised = [
    ['村口路灯坏了', '基础设施', '张大爷'],
    ['想学电商卖茶叶', '就业', ''],
    ['独居老人吃饭难', '养老', '李奶奶'],
  ];
  for (const [i, [text, category, villager]] of raised.entries()) {
    await add.locator('textarea[name=concern]').fill(text);
    await add.locator('.chip', { hasText: category }).tap();
    await add.locator('input[name=villager]').fill(villager);
    await page.getByTestId('add-concern-ok').tap();
    await waitCount(page.locator(concerns), i + 1);
  }
  const first = page.locator(concerns).filter({ hasText: '村口路灯坏了' });
  await concernRoundTheLoop(first, '平安巡逻队', '已更换路灯', '2026-11-30');

  // Without the service worker a reload needs the network to fetch the app;
  // the records themselves come from IndexedDB.
  await context.setOffline(false);
  await page.reload();
  await waitCount(page.locator(concerns), 3);
  const statuses = await page.locator(`${concerns} [data-testid=concern-status]`).allTextContents();
  assert.deepEqual(statuses.sort(), ['已评价', '待派单', '待派单'].sort());
  assert.match(await first.textContent(), /平安巡逻队.*已更换路灯.*满意/s);
  assert.deepEqual(errors, []);
});

test('a draft survives a reload and the next forum lists what is still open', async () => {
  const { page, errors } = setup.phone;
  await page.goto(setup.hub.url + '/forums/new');
  await page.locator('input[name=title]').fill('半截草稿');
  await page.getByTestId('draft-status').filter({ hasText: '草稿已自动保存在本机' }).waitFor();
  await page.reload();
  await page.locator('input[name=title]').waitFor();
  assert.equal(await page.locator('input[name=title]').inputValue(), '半截草稿');
  const pending = page.locator('[data-testid=pending-concerns] [data-testid=concern]');
  await waitCount(pending, 2);
  assert.match(await page.getByTestId('pending-concerns').textContent(), /上次夜话遗留问题.*想学电商卖茶叶/s);
  await page.locator('nav.bottom-nav a', { hasText: '夜话' }).tap();
  await page.getByTestId('draft-banner').filter({ hasText: '半截草稿' }).waitFor();
  assert.deepEqual(errors, []);
});

test('search finds a forum by a Chinese word in its place; delete can be undone', async () => {
  const { page, errors } = setup.phone;
  await page.goto(setup.hub.url + '/forums');
  const rows = page.locator('[data-testid=activity-list] li');
  await waitCount(rows, 1);
  await page.getByTestId('forum-search').fill('祠堂');
  await waitCount(rows, 1);
  assert.match(await rows.first().textContent(), /村夜话·冬季防火/);
  await page.getByTestId('forum-search').fill('没有这个词');
  await waitCount(rows, 0);
  await page.getByTestId('forum-search').fill('祠堂');
  await rows.first().locator('a').tap();
  await page.getByTestId('delete-forum').tap();
  await page.getByTestId('undo-toast').waitFor();
  await page.getByTestId('not-found').waitFor();
  await page.getByTestId('undo').tap();
  await page.locator('[data-testid=activity] h2', { hasText: '村夜话·冬季防火' }).waitFor();
  await page.locator('nav.bottom-nav a', { hasText: '夜话' }).tap();
  await page.getByTestId('forum-search').fill('祠堂');
  await waitCount(rows, 1);
  assert.deepEqual(errors, []);
});
