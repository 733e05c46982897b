// 志愿积分 end to end at 360x640 in zh-CN, offline: the cadre sets the station's rules,
// checks two volunteers in and out at a forum (Playwright's clock lets two hours pass),
// sees the points each earned — one under the 60 % rule, until a corrected check-out
// lifts it over — redeems an item from the volunteer's page in two taps, is refused an
// overdraw with the balance shown, restocks and withdraws items, reloads, prints the volunteer's 积分册, and reads the
// 光荣榜 in the right order, before and after a 奖励.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHub, launchPhone, setupProfile, offlineReady, tab, shot } from './harness.mjs';

let hub, phone;
before(async () => {
  hub = await startHub();
  phone = await launchPhone();
  // 19:30 at UTC+8 on 2026-11-22: a forum's default start.
  await phone.context.clock.install({ time: new Date('2026-11-22T11:30:00Z') });
  await phone.page.goto(hub.url + '/');
  await setupProfile(phone.page);
  await offlineReady(phone.page);
});
after(async () => {
  await phone?.browser.close();
  await hub?.stop();
});

async function addVolunteer(page, name, mobile) {
  await tab(page, '志愿者');
  await page.getByTestId('new-volunteer').tap();
  await page.locator('input[name=name]').fill(name);
  await page.locator('input[name=phone]').fill(mobile);
  await page.getByRole('button', { name: '保存' }).tap();
  await page.locator('h2', { hasText: name }).waitFor();
}

async function openVolunteer(page, name) {
  await tab(page, '志愿者');
  await page.locator('[data-testid=volunteer-list] li a', { hasText: name }).tap();
  await page.locator('h2', { hasText: name }).waitFor();
}

const balance = (page) => page.getByTestId('points-balance');

test('rules, attendance, points, a redemption, a refused overdraw, a reload and the 光荣榜', async () => {
  const { page, context, errors } = phone;
  await context.setOffline(true);
  await addVolunteer(page, '王建国', '13900001111');
  await addVolunteer(page, '李秀英', '13900002222');

  // The rules: 5 points an attendance, 10 an hour, present for at least 60 %.
  await tab(page, '志愿者');
  await page.getByTestId('shop-link').tap();
  await page.getByTestId('to-rules').tap();
  await page.getByTestId('no-rules').waitFor();
  await page.locator('input[name=per_hour]').fill('10');
  await page.locator('input[name=per_attendance]').fill('5');
  await page.getByTestId('rules-save').tap();
  const version = page.getByTestId('rules-version');
  await version.filter({ hasText: '当前生效' }).waitFor();
  assert.equal(await version.getAttribute('data-from'), '2026-11-22');
  await shot(page, 'points-rules');

  // A forum, 19:30–21:30: 李秀英 leaves after an hour (50 %), 王建国 stays two.
  await tab(page, '夜话');
  await page.getByTestId('new-forum').tap();
  await page.locator('input[name=title]').fill('村夜话·积分试行');
  await page.getByRole('button', { name: '保存' }).tap();
  await page.getByTestId('open-roster').tap();
  const line = (name) => page.locator('[data-testid=roster-line]', { hasText: name });
  await line('王建国').getByTestId('check-in').tap();
  await line('李秀英').getByTestId('check-in').tap();
  await page.getByTestId('here-count').filter({ hasText: '在场 2' }).waitFor();
  await page.clock.fastForward('01:00:00');
  await line('李秀英').getByTestId('check-out').tap();
  await page.getByTestId('here-count').filter({ hasText: '在场 1' }).waitFor();
  await page.clock.fastForward('01:00:00');
  await line('王建国').getByTestId('check-out').tap();
  await page.getByTestId('here-count').filter({ hasText: '在场 0' }).waitFor();

  // 王建国: 5 + 10 × 2 h = 25, with the rules version it was earned under.
  await openVolunteer(page, '王建国');
  await balance(page).and(page.locator('[data-value="25"]')).waitFor();
  const earned = page.getByTestId('points-entry').filter({ hasText: '村夜话·积分试行' });
  assert.match(await earned.textContent(), /\+25.*按积分规则 2026-11-22/s);
  // 李秀英: present 50 % of the forum, so nothing — and it says why.
  await openVolunteer(page, '李秀英');
  await balance(page).and(page.locator('[data-value="0"]')).waitFor();
  assert.match(await page.getByTestId('points-entry').first().textContent(), /在场时间不足 50% < 60%/);
  // A corrected check-out (20:45: 75 minutes, 62 %) corrects the points: 5 + 12 = 17.
  const row = page.getByTestId('history-row').filter({ hasText: '村夜话·积分试行' });
  await row.getByTestId('edit-times').tap();
  await row.locator('input[name=check_out]').fill('2026-11-22T20:45');
  await row.getByRole('button', { name: '保存' }).tap();
  await balance(page).and(page.locator('[data-value="17"]')).waitFor();

  // The shop: 洗衣粉 20 points (one left) and 香皂 10.
  await page.getByTestId('to-shop').tap();
  await page.getByTestId('shop-empty').waitFor();
  for (const [name, points, stock] of [['洗衣粉', '20', '1'], ['香皂', '10', '']]) {
    await page.locator('input[name=item_name]').fill(name);
    await page.locator('input[name=item_points]').fill(points);
    await page.locator('input[name=item_stock]').fill(stock);
    await page.getByTestId('item-save').tap();
    await page.getByTestId('shop-item').filter({ hasText: name }).waitFor();
  }

  // From 王建国's page: 积分兑换, then 兑换 and 确认 on the item.
  await openVolunteer(page, '王建国');
  await page.getByTestId('to-shop').tap();
  await page.getByTestId('volunteer-picked').filter({ hasText: '王建国' }).waitFor();
  await page.getByTestId('shop-balance').and(page.locator('[data-value="25"]')).waitFor();
  const powder = page.getByTestId('shop-item').filter({ hasText: '洗衣粉' });
  await powder.getByTestId('redeem').tap();
  await powder.getByTestId('redeem-ok').tap();
  await page.getByTestId('shop-done').waitFor();
  await page.getByTestId('shop-balance').and(page.locator('[data-value="5"]')).waitFor();
  await powder.and(page.locator('[data-left="0"]')).waitFor();
  await shot(page, 'points-shop');
  // 香皂 costs 10 with 5 left: refused, the balance shown, nothing written.
  const soap = page.getByTestId('shop-item').filter({ hasText: '香皂' });
  await soap.getByTestId('redeem').tap();
  await soap.getByTestId('redeem-ok').tap();
  await page.getByTestId('shop-error').filter({ hasText: '积分不足：现有 5 分，兑换需要 10 分' }).waitFor();
  // The last 洗衣粉 is gone: the stock refuses too.
  await page.getByTestId('volunteer-change').tap();
  await page.getByTestId('volunteer-search').fill('lxy');
  await page.getByTestId('volunteer-option').filter({ hasText: '李秀英' }).tap();
  await powder.getByTestId('redeem').tap();
  await powder.getByTestId('redeem-ok').tap();
  await page.getByTestId('shop-error').filter({ hasText: '库存不足：还剩 0 件，要兑换 1 件' }).waitFor();

  // Restocking: the cadre types what is on the shelf now (3), whatever was redeemed before.
  await powder.getByTestId('item-edit').tap();
  assert.equal(await page.locator('input[name=item_stock]').inputValue(), '0');
  await page.locator('input[name=item_stock]').fill('3');
  await page.getByTestId('item-save').tap();
  await powder.and(page.locator('[data-left="3"]')).waitFor();
  // 下架: the item leaves the shop; the redemptions keep its name.
  await soap.getByTestId('item-withdraw').tap();
  await page.getByTestId('shop-item').filter({ hasText: '香皂' }).waitFor({ state: 'detached' });
  assert.equal(await page.getByTestId('shop-item').count(), 1);

  // A reload keeps it all.
  await context.setOffline(false);
  await page.reload();
  await context.setOffline(true);
  await openVolunteer(page, '王建国');
  await balance(page).and(page.locator('[data-value="5"]')).waitFor();
  const kinds = await page.getByTestId('points-entry').evaluateAll((es) => es.map((e) => [e.dataset.kind, e.dataset.delta]));
  assert.deepEqual(kinds, [['redemption', '-20'], ['earned', '25']], 'newest first, each with its source');
  assert.match(await page.getByTestId('points-entry').first().textContent(), /兑换.*洗衣粉/s);
  await shot(page, 'points-volunteer');
  // The printed 积分册: every entry with its source and the running balance, no navigation.
  await page.getByTestId('print-book').tap();
  await page.getByTestId('points-book-sheet').waitFor();
  await page.emulateMedia({ media: 'print' });
  const lines = await page.getByTestId('book-line').evaluateAll((ls) => ls.map((l) => l.textContent));
  assert.equal(lines.length, 2);
  assert.match(lines[0], /村夜话·积分试行（积分规则 2026-11-22）\+2525$/);
  assert.match(lines[1], /洗衣粉-205$/);
  assert.equal(await page.getByTestId('book-balance').getAttribute('data-value'), '5');
  assert.equal(await page.locator('nav.bottom-nav').isVisible(), false);
  assert.ok(await page.getByTestId('paper-stamp').isVisible(), 'the verification QR');
  await shot(page, 'points-book-print');
  await page.emulateMedia({ media: 'screen' });

  // 光荣榜: 王建国 25, 李秀英 17 — then a 奖励 of 10 puts 李秀英 first.
  await tab(page, '志愿者');
  await page.getByTestId('shop-link').tap();
  await page.getByTestId('to-roll').tap();
  const roll = async () => page.getByTestId('roll-line').evaluateAll((ls) => ls.map((l) => [l.querySelector('.name').textContent, l.dataset.points]));
  await page.getByTestId('roll-line').first().waitFor();
  assert.deepEqual(await roll(), [['王建国', '25'], ['李秀英', '17']]);
  await openVolunteer(page, '李秀英');
  await page.getByTestId('adjust-open').tap();
  await page.getByTestId('adjust-points').fill('10');
  await page.getByTestId('adjust-reason').fill('协助组织夜话');
  await page.getByTestId('adjust-save').tap();
  await balance(page).and(page.locator('[data-value="27"]')).waitFor();
  await tab(page, '志愿者');
  await page.getByTestId('shop-link').tap();
  await page.getByTestId('to-roll').tap();
  await page.locator('[data-testid=roll-line][data-points="27"]').waitFor();
  assert.deepEqual(await roll(), [['李秀英', '27'], ['王建国', '25']]);
  await page.getByTestId('roll-by-year').tap();
  await page.locator('[data-testid=roll-line][data-points="27"]').waitFor();
  await shot(page, 'points-roll');
  assert.deepEqual(errors, []);
});
