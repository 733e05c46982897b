// End to end at 360x640 in zh-CN, offline: a team and a volunteer made by hand, 40
// demo volunteers, a forum's roster with 20 check-ins and 全部签退, the hours on the
// volunteer's page, and a reload that keeps it all. The page clock is Playwright's, so
// 2½ hours of service pass in a moment.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHub, launchPhone, setupProfile, waitCount, loadDemo, shot, holdStore } from './harness.mjs';

let hub, phone;
before(async () => {
  hub = await startHub();
  phone = await launchPhone();
  await phone.context.clock.install({ time: new Date('2026-11-22T10:55:00Z') });
  await phone.page.goto(hub.url + '/');
  await setupProfile(phone.page);
});
after(async () => {
  await phone?.browser.close();
  await hub?.stop();
});

test('team, volunteers, roster check-in and check-out, hours, reload', async () => {
  const { page, context, errors } = phone;
  await loadDemo(page);
  await context.setOffline(true);

  await page.locator('nav.bottom-nav a', { hasText: '志愿者' }).tap();
  await page.getByTestId('teams-link').tap();
  await page.locator('input[name=team_name]').fill('护河志愿服务队');
  await page.locator('select[name=specialty]').selectOption('sanitation');
  await page.locator('input[name=leader]').fill('钱队长');
  await page.getByRole('button', { name: '添加' }).tap();
  await page.getByTestId('team-list').getByText('护河志愿服务队').waitFor();

  await page.locator('nav.bottom-nav a', { hasText: '志愿者' }).tap();
  await page.getByTestId('new-volunteer').tap();
  await page.locator('input[name=name]').fill('赵志愿');
  await page.locator('input[name=phone]').fill('12345');
  await page.getByRole('button', { name: '保存' }).tap();
  await page.getByTestId('form-error').filter({ hasText: '手机号码' }).waitFor();
  await page.locator('input[name=phone]').fill('139 0000 1234');
  await page.locator('label.check', { hasText: '护河志愿服务队' }).locator('input').check();
  await page.getByRole('button', { name: '保存' }).tap();
  await page.locator('h2', { hasText: '赵志愿' }).waitFor();
  await page.locator('nav.bottom-nav a', { hasText: '志愿者' }).tap();
  await waitCount(page.locator('[data-testid=volunteer-list] li'), 41);

  await page.locator('nav.bottom-nav a', { hasText: '夜话' }).tap();
  await page.getByTestId('new-forum').tap();
  await page.locator('input[name=title]').fill('村夜话·护河行动');
  await page.locator('input[name=teams]').fill('护河志愿服务队');
  await page.getByRole('button', { name: '保存' }).tap();
  await page.getByTestId('open-roster').tap();
  await waitCount(page.locator('[data-testid=roster-line]'), 41);
  assert.match(await page.locator('[data-testid=roster-line]').first().textContent(), /赵志愿/, 'team members first');

  for (let i = 1; i <= 20; i++) {
    await page.locator('[data-testid=roster-line] [data-testid=check-in]').first().tap();
    await page.getByTestId('here-count').filter({ hasText: `在场 ${i}` }).waitFor();
  }
  await page.clock.fastForward('02:30:00');
  // 全部签退 says how many it checks out and asks first.
  await page.getByTestId('check-out-all').tap();
  await page.getByTestId('check-out-all-ask').filter({ hasText: '将为 20 位在场的志愿者签退，确定吗？' }).waitFor();
  assert.match(await page.getByTestId('here-count').textContent(), /在场 20/, 'nobody checked out before 确定');
  await page.getByTestId('check-out-all-ok').tap();
  await page.getByTestId('here-count').filter({ hasText: '在场 0' }).waitFor();
  await waitCount(page.locator('[data-testid=checked-out]'), 20);

  await context.setOffline(false);
  await page.reload();
  await page.getByTestId('came-count').filter({ hasText: '已签到 20' }).waitFor();
  await waitCount(page.locator('[data-testid=checked-out]'), 20);

  await page.locator('nav.bottom-nav a', { hasText: '志愿者' }).tap();
  await page.getByTestId('volunteer-search').fill('赵志愿');
  await waitCount(page.locator('[data-testid=volunteer-list] li'), 1);
  await page.locator('[data-testid=volunteer-list] li a').tap();
  await page.getByTestId('hours-month').filter({ hasText: '2.5' }).waitFor();
  assert.match(await page.getByTestId('attendance-history').textContent(), /村夜话·护河行动.*150 分钟/s);
  assert.deepEqual(errors, []);
});

test('a team is edited, a missing check-out is confirmed, times are corrected and a bad edit is refused', async () => {
  const { page, errors } = phone;
  await page.locator('nav.bottom-nav a', { hasText: '志愿者' }).tap();
  await page.getByTestId('teams-link').tap();
  const row = page.getByTestId('team-row').filter({ hasText: '护河志愿服务队' });
  await row.getByTestId('team-edit').tap();
  assert.equal(await page.locator('input[name=leader]').inputValue(), '钱队长');
  await page.locator('input[name=team_name]').fill('护河护林志愿服务队');
  await page.getByTestId('team-save').tap();
  await page.getByTestId('team-row').filter({ hasText: '护河护林志愿服务队' }).waitFor();
  await waitCount(page.getByTestId('team-row').filter({ hasText: '护河志愿服务队' }), 0);
  await page.getByTestId('team-row').filter({ hasText: '护河护林志愿服务队' }).filter({ hasText: '钱队长' }).waitFor();

  // A forum where 赵志愿 checks in and nobody checks out: closed at the forum's end, flagged.
  await page.locator('nav.bottom-nav a', { hasText: '夜话' }).tap();
  await page.getByTestId('new-forum').tap();
  await page.locator('input[name=title]').fill('村夜话·忘了签退');
  await page.locator('input[name=end]').fill('23:30'); // the page clock reads about 21:25
  await page.getByRole('button', { name: '保存' }).tap();
  await page.getByTestId('open-roster').tap();
  await page.locator('[data-testid=roster-line]', { hasText: '赵志愿' }).getByTestId('check-in').tap();
  await page.getByTestId('here-count').filter({ hasText: '在场 1' }).waitFor();

  // Found by pinyin initials too (赵志愿 → zzy).
  await page.locator('nav.bottom-nav a', { hasText: '志愿者' }).tap();
  await page.getByTestId('volunteer-search').fill('zzy');
  await page.locator('[data-testid=volunteer-list] li a', { hasText: '赵志愿' }).tap();
  const forgot = page.getByTestId('history-row').filter({ hasText: '村夜话·忘了签退' });
  await forgot.filter({ hasText: '不计入' }).waitFor();
  const minutes = Number(await forgot.getByTestId('history-minutes').textContent());
  assert.ok(minutes > 0, `closed at the forum's end: ${minutes} min`);
  await page.getByTestId('hours-month').filter({ hasText: '2.5' }).waitFor();
  await forgot.getByTestId('confirm-end').tap();
  await waitCount(forgot.filter({ hasText: '不计入' }), 0);
  await page.getByTestId('hours-month').filter({ hasText: (2.5 + minutes / 60).toFixed(1) }).waitFor();

  // Correct the times: 19:00–20:30 is 90 minutes; a check-out before the check-in is refused.
  await forgot.getByTestId('edit-times').tap();
  await forgot.locator('input[name=check_in]').fill('2026-11-22T19:00');
  await forgot.locator('input[name=check_out]').fill('2026-11-22T18:00');
  await forgot.getByRole('button', { name: '保存' }).tap();
  await forgot.locator('.field-error', { hasText: '签退时间不能早于签到时间' }).waitFor();
  assert.equal(Number(await forgot.getByTestId('history-minutes').textContent()), minutes, 'nothing changed');
  await forgot.locator('input[name=check_out]').fill('2026-11-22T20:30');
  await forgot.getByRole('button', { name: '保存' }).tap();
  await forgot.getByTestId('history-minutes').filter({ hasText: /^90$/ }).waitFor();
  await page.getByTestId('hours-month').filter({ hasText: '4.0' }).waitFor();
  assert.deepEqual(errors, []);
});

test('what is typed into an edit while the store is busy is what is saved', async () => {
  const { page, errors } = phone;
  await page.locator('nav.bottom-nav a', { hasText: '志愿者' }).tap();
  await page.getByTestId('volunteer-search').fill('赵志愿');
  await waitCount(page.locator('[data-testid=volunteer-list] li'), 1);
  await page.locator('[data-testid=volunteer-list] li a').tap();
  await page.locator('h2', { hasText: '赵志愿' }).waitFor();
  // A write holds the (training) store for 1.5 s, as a sync's batch would: the form's read
  // of the record waits behind it, and the form opens before its values are there.
  await holdStore(page, 'yehua-training');
  await page.locator('a.button', { hasText: '编辑' }).tap();
  await shot(page, 'volunteer-form-filling');
  // No wait for the record: the form must not take keystrokes it would then overwrite.
  await page.locator('input[name=skills]').fill('水电维修');
  await page.getByRole('button', { name: '保存' }).tap();
  await page.locator('h2', { hasText: '赵志愿' }).waitFor();
  await page.locator('a.button', { hasText: '编辑' }).tap();
  await page.waitForFunction(() => document.querySelector('input[name=name]')?.value === '赵志愿');
  assert.equal(await page.locator('input[name=skills]').inputValue(), '水电维修');
  await shot(page, 'volunteer-form');
  assert.ok(await page.locator('label.check', { hasText: '护河护林志愿服务队' }).locator('input').isChecked(), 'the team kept');
  assert.deepEqual(errors, []);
});
