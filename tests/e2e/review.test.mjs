// 审核, end to end against the real hub serving dist/:
// - a village phone (360×640) records a forum and syncs;
// - a township hq account on a 1280×800 desktop opens the village from 上报情况, tries to
//   return the forum without a reason (refused, nothing written), then returns it with one;
// - the phone syncs: the forum page says 退回：<reason> and home lists it under 待修改;
// - the cadre edits the forum: the page says 已修改，待审核 and 待修改 is gone; after sync
//   headquarters sees it 已修改，待审核 again and approves it; 上报情况 counts it 已审核;
// - the phone syncs and the forum page says 已审核.
// Headquarters never writes the forum itself: the review is its own document (the hub
// refuses anything else from hq, tests in crates/hub/tests/review.rs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startHub, launchPhone, launchWith, setupProfile, signIn, syncNow, waitSyncRuns, newForum, tab, shot,
  townshipWithVillage, setupTownship, signInHq, DESKTOP,
} from './harness.mjs';

const REASON = '请补充到场人数和照片';
let hub;
const browsers = [];
before(async () => {
  hub = await startHub(undefined, { setup: townshipWithVillage });
});
after(async () => {
  for (const b of browsers) await b.close();
  await hub?.stop();
});

async function desktop() {
  const b = await launchWith(DESKTOP);
  browsers.push(b.browser);
  return b;
}

const item = (page) => page.getByTestId('rv-item').first();
const state = (page) => page.getByTestId('review-state');

test('hq returns a forum with a reason, the cadre corrects it, hq approves it', async () => {
  const phone = await launchPhone();
  browsers.push(phone.browser);
  const p = phone.page;
  await p.goto(hub.url + '/');
  await setupProfile(p);
  await signIn(p);
  await waitSyncRuns(p, 1);
  await newForum(p, '村夜话·待审');
  const forumUrl = p.url();
  assert.equal(await state(p).count(), 0, 'no review yet: nothing said');
  await syncNow(p);

  // Headquarters, on a desktop.
  const hq = await desktop();
  const h = hq.page;
  await h.goto(hub.url + '/');
  await setupTownship(h);
  await signInHq(h);
  await h.goto(hub.url + '/hq');
  const row = h.locator('[data-testid=hq-row][data-code="330106001"]');
  await row.waitFor();
  assert.equal((await row.getByTestId('hq-reviewed').textContent()).trim(), '0/1');
  await row.getByTestId('hq-open-review').click();
  await h.waitForURL(/\/hq\/review\/330106001\?month=\d{4}-\d{2}$/);
  await h.getByTestId('rv-station-name').filter({ hasText: '示范村新时代文明实践站' }).waitFor();
  await item(h).locator('h3', { hasText: '村夜话·待审' }).waitFor();
  assert.equal(await item(h).getAttribute('data-state'), 'pending');

  // 退回 without a reason is refused before anything is sent.
  await item(h).getByTestId('rv-return').click();
  await item(h).getByTestId('rv-error').filter({ hasText: '退回理由' }).waitFor();
  assert.equal(await item(h).getAttribute('data-state'), 'pending');
  await item(h).getByTestId('rv-reason').fill(REASON);
  await item(h).getByTestId('rv-return').click();
  await h.locator('[data-testid=rv-item][data-state=returned]').waitFor();
  assert.equal((await item(h).getByTestId('rv-state').textContent()).trim(), `退回：${REASON}`);
  await shot(h, 'review-console-returned-1280');

  // The phone receives it by sync.
  await syncNow(p);
  await tab(p, '首页');
  const toFix = p.getByTestId('to-fix-item');
  await toFix.filter({ hasText: '村夜话·待审' }).waitFor();
  assert.ok((await toFix.textContent()).includes(`退回：${REASON}`));
  await shot(p, 'review-home-to-fix-360');
  await toFix.tap();
  await state(p).filter({ hasText: `退回：${REASON}` }).waitFor();
  assert.equal(p.url(), forumUrl);
  assert.equal(await state(p).getAttribute('data-state'), 'returned');
  await shot(p, 'review-forum-returned-360');

  // The cadre corrects it: back to headquarters, off the 待修改 list.
  await p.getByTestId('edit-forum').tap();
  await p.locator('input[name=title]').fill('村夜话·已补充');
  await p.getByRole('button', { name: '保存' }).tap();
  await p.locator('[data-testid=activity] h2', { hasText: '村夜话·已补充' }).waitFor();
  await p.locator('[data-testid=review-state][data-state=changed]', { hasText: '已修改，待审核' }).waitFor();
  await tab(p, '首页');
  await p.getByTestId('count-activities').waitFor();
  assert.equal(await p.getByTestId('to-fix').count(), 0, '待修改 is empty once edited');
  await syncNow(p);

  // Headquarters sees it edited, looks again and approves.
  await h.reload();
  await h.locator('[data-testid=rv-item][data-state=changed]').waitFor();
  await item(h).locator('h3', { hasText: '村夜话·已补充' }).waitFor();
  assert.equal((await item(h).getByTestId('rv-state').textContent()).trim(), '已修改，待审核');
  await item(h).getByTestId('rv-approve').click();
  await h.locator('[data-testid=rv-item][data-state=approved]').waitFor();
  await shot(h, 'review-console-approved-1280');
  await h.setViewportSize({ width: 360, height: 640 });
  await shot(h, 'review-console-360');
  await h.setViewportSize({ width: 1280, height: 800 });
  await h.getByTestId('hq-to-status').click();
  await row.waitFor();
  assert.equal((await row.getByTestId('hq-reviewed').textContent()).trim(), '1/1');
  // The month's figures count it in 其中已审核, for the village and summed up to the township.
  for (const code of ['330106001', '330106']) {
    const figures = h.locator(`[data-testid=dash-row][data-code="${code}"]`);
    assert.equal(await figures.getAttribute('data-reviewed'), '1', code);
    assert.equal(await figures.getAttribute('data-forums'), '1', code);
  }

  // The phone shows 已审核.
  await syncNow(p);
  await p.goto(forumUrl);
  await p.locator('[data-testid=review-state][data-state=approved]', { hasText: '已审核' }).waitFor();
  await shot(p, 'review-forum-approved-360');
  assert.deepEqual(phone.errors, []);
  assert.deepEqual(hq.errors, []);
});
