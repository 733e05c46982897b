// The satisfaction survey from a forum's page, end to end at 360x640 in zh-CN, offline: 满意度调查
// on a forum makes and opens the survey in one tap and fills it in kiosk mode for that forum;
// three villagers answer 满意 / 基本满意 / 不满意, the forum page shows 3 responses and 67 %,
// its link opens the results filtered to the forum, a reload keeps the figure, and a second
// tap (and a second forum) reuses the same survey, each forum counting only its own responses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newForum, tab, waitCount, phoneWithProfile } from './harness.mjs';

const setup = phoneWithProfile();

const question = (page, label) => page.locator('[data-testid=answer]', { hasText: label });

/** One villager: the satisfaction answer and stars for the talk. */
async function answer(page, satisfied, stars) {
  await question(page, '您对今晚的村夜话满意吗').getByRole('radio', { name: satisfied, exact: true }).tap();
  await question(page, '请为主讲内容打分').getByRole('button', { name: String(stars), exact: true }).tap();
}

async function submitKiosk(page, n) {
  await page.getByTestId('submit-response').tap();
  await page.locator(`[data-testid=kiosk-count][data-count="${n}"]`).waitFor();
  await page.getByTestId('next-villager').tap();
  await page.getByTestId('submit-response').waitFor();
}

/** Leaves kiosk mode with a long press. */
async function leaveKiosk(page) {
  await page.getByTestId('kiosk-exit').scrollIntoViewIfNeeded();
  const box = await page.getByTestId('kiosk-exit').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.waitForTimeout(1800);
  await page.mouse.up();
}

/** Taps 满意度调查 on the forum page; returns the survey id the fill screen opened. */
async function startSurvey(page, forumId, title) {
  await page.getByTestId('forum-survey-start').tap();
  await page.getByTestId('survey-fill').waitFor();
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('activity'), forumId);
  assert.equal(url.searchParams.get('kiosk'), '1');
  await page.getByTestId('fill-activity').filter({ hasText: title }).waitFor();
  assert.equal(await page.locator('nav.bottom-nav').isVisible(), false, 'kiosk hides the navigation');
  return decodeURIComponent(url.pathname.match(/^\/surveys\/([^/]+)\/fill$/)[1]);
}

const forumIdOf = (page) => decodeURIComponent(new URL(page.url()).pathname.replace(/^\/forums\//, ''));

async function expectFigure(page, responses, percent) {
  const fig = page.locator(`[data-testid=forum-satisfaction][data-responses="${responses}"]`);
  await fig.waitFor();
  assert.equal(await fig.getAttribute('data-percent'), String(percent));
  assert.equal(await fig.getByTestId('forum-responses').textContent(), String(responses));
  assert.equal(await fig.getByTestId('forum-rate').textContent(), `${percent}%`);
}

test('满意度调查 from a forum: three villagers in kiosk mode, figure on the forum, reload, reuse', async () => {
  const { page, context, errors } = setup.phone;
  await context.setOffline(true);
  const title = '村夜话·秋收总结';
  await newForum(page, title);
  const forumId = forumIdOf(page);
  assert.match(forumId, /^activity:/);
  await page.getByTestId('forum-survey').waitFor();
  assert.equal(await page.getByTestId('forum-satisfaction').count(), 0, 'no figure before any response');

  const surveyId = await startSurvey(page, forumId, title);
  assert.match(surveyId, /^survey:/);
  await answer(page, '满意', 5);
  await submitKiosk(page, 1);
  await page.getByTestId('fill-activity').filter({ hasText: title }).waitFor();
  await answer(page, '基本满意', 4);
  await submitKiosk(page, 2);
  await answer(page, '不满意', 2);
  await question(page, '哪里让您不满意').locator('textarea').fill('声音太小');
  await submitKiosk(page, 3);

  // Leaving kiosk mode goes back to the forum, which now shows its figure: 2 of 3 satisfied.
  await leaveKiosk(page);
  await page.locator('[data-testid=activity] h2', { hasText: title }).waitFor();
  assert.ok(await page.locator('nav.bottom-nav').isVisible(), 'navigation is back');
  await expectFigure(page, 3, 67);

  // The link opens that survey's results filtered to this forum.
  await page.getByTestId('forum-results').tap();
  await page.getByTestId('survey-page').waitFor();
  assert.equal(decodeURIComponent(new URL(page.url()).pathname), `/surveys/${surveyId}`);
  await page.getByTestId('survey-status').filter({ hasText: '进行中' }).waitFor();
  await page.locator('[data-testid=counted]', { hasText: '3' }).waitFor();
  await page.locator('[data-testid=satisfaction-rate][data-percent="67"]').waitFor();
  await page.locator(`select[name=filter_activity] option[value="${forumId}"]`).waitFor({ state: 'attached' });
  assert.equal(await page.locator('select[name=filter_activity]').inputValue(), forumId);
  await page.goBack();
  await page.locator('[data-testid=activity] h2', { hasText: title }).waitFor();

  await page.reload();
  await page.locator('[data-testid=activity] h2', { hasText: title }).waitFor();
  await expectFigure(page, 3, 67);

  // A second tap reuses the same survey and keeps counting for this forum.
  assert.equal(await startSurvey(page, forumId, title), surveyId, 'the same survey again');
  await answer(page, '满意', 5);
  await submitKiosk(page, 1);
  await leaveKiosk(page);
  await expectFigure(page, 4, 75);

  // Another forum hands the same survey round and counts only its own responses.
  const other = '村夜话·垃圾分类';
  await newForum(page, other);
  const otherId = forumIdOf(page);
  assert.notEqual(otherId, forumId);
  assert.equal(await startSurvey(page, otherId, other), surveyId, 'one survey for every forum');
  await answer(page, '不满意', 1);
  await submitKiosk(page, 1);
  await leaveKiosk(page);
  await page.locator('[data-testid=activity] h2', { hasText: other }).waitFor();
  await expectFigure(page, 1, 0);

  // Still only one survey on the station, with all five responses.
  await tab(page, '问卷');
  await page.locator('[data-testid=survey-list] li', { hasText: '夜话满意度调查' }).first().waitFor();
  await waitCount(page.locator('[data-testid=survey-list] li'), 1);
  await page.locator('[data-testid=survey-list] li a').tap();
  await page.locator('[data-testid=response-count]', { hasText: '5' }).waitFor();
  assert.deepEqual(errors, []);
});
