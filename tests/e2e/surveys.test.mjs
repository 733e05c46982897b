// End to end at 360x640 in zh-CN, offline: build a survey with all six question
// kinds and a show-if rule (refusals first: no title, no questions, one option, min > max),
// open it, fill five responses in kiosk mode, check the results against what was entered,
// download the CSV (BOM, header, rows), edit after responses (a new version), reload;
// a description typed while the store is busy is kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { waitCount, phoneWithProfile, holdStore, shot } from './harness.mjs';

const setup = phoneWithProfile();

const card = (page, i) => page.locator('[data-testid=question-card]').nth(i);
const question = (page, label) => page.locator('[data-testid=answer]', { hasText: label });

async function addQuestion(page, kind, label, { options, required, min, max } = {}) {
  await page.locator('select[name=new_kind]').selectOption(kind);
  await page.locator('button[name=add]').tap();
  const c = page.locator('[data-testid=question-card]').last();
  await c.locator('input[name=label]').fill(label);
  if (options) await c.locator('textarea[name=options]').fill(options.join('\n'));
  if (required) await c.locator('input[name=required]').check();
  for (const [name, v] of [['min', min], ['max', max]]) {
    if (v === undefined) continue;
    await c.locator(`input[name=${name}]`).fill(String(v));
    await c.locator(`input[name=${name}]`).dispatchEvent('change');
  }
  return c;
}

async function saveExpecting(page, text) {
  await page.getByRole('button', { name: '保存' }).tap();
  await page.getByTestId('form-error').filter({ hasText: text }).waitFor();
}

/** One villager: answers by question label; `choices` are tapped in order. */
async function fill(page, { age, topics = [], advice, stars, people, visit, phone }) {
  await question(page, '年龄段').getByRole('radio', { name: age }).tap();
  for (const t of topics) await question(page, '关心的话题').getByRole('checkbox', { name: t }).tap();
  if (advice) await question(page, '建议').locator('textarea').fill(advice);
  if (stars) await question(page, '打分').getByRole('button', { name: String(stars), exact: true }).tap();
  if (people !== undefined) await question(page, '家里几口人').locator('input').fill(String(people));
  if (visit !== undefined) await question(page, '需要回访吗').getByRole('radio', { name: visit ? '是' : '否' }).tap();
  if (phone) await question(page, '联系电话').locator('textarea').fill(phone);
}

async function submitKiosk(page, n) {
  await page.getByTestId('submit-response').tap();
  await page.locator(`[data-testid=kiosk-count][data-count="${n}"]`).waitFor();
  await page.getByTestId('next-villager').tap();
  await page.getByTestId('submit-response').waitFor();
}

test('build, open, fill five in kiosk mode, results, CSV, new version, reload', async () => {
  const { page, context, errors } = setup.phone;
  await context.setOffline(true);
  await page.locator('nav.bottom-nav a', { hasText: '问卷' }).tap();
  await page.getByTestId('new-survey').tap();
  await page.getByTestId('survey-form').waitFor();

  await saveExpecting(page, '请填写问卷标题');
  await page.locator('input[name=title]').fill('村民需求小调查');
  await saveExpecting(page, '问卷至少需要一个题目');

  await addQuestion(page, 'single', '您的年龄段', { options: ['青年'], required: true });
  await saveExpecting(page, '第 1 题是选择题，至少需要两个选项');
  assert.ok(await card(page, 0).evaluate((e) => e.classList.contains('flagged')), 'the refused card is marked');
  await card(page, 0).locator('textarea[name=options]').fill('青年\n中年\n老年');
  await addQuestion(page, 'multiple', '关心的话题', { options: ['医疗', '教育', '养老'] });
  await addQuestion(page, 'text', '建议');
  await addQuestion(page, 'rating', '打分', { required: true });
  await addQuestion(page, 'number', '家里几口人', { min: 30, max: 20 });
  await saveExpecting(page, '第 5 题的最小值 30 不能大于最大值 20');
  await card(page, 4).locator('input[name=min]').fill('1');
  await card(page, 4).locator('input[name=min]').dispatchEvent('change');
  await addQuestion(page, 'yes_no', '需要回访吗');
  await addQuestion(page, 'text', '联系电话');
  await card(page, 6).locator('select[name=show_if]').selectOption({ label: '6. 需要回访吗 = 是' });
  // Duplicate, move and delete work on the list (and leave it as it was).
  await card(page, 2).locator('button[name=duplicate]').tap();
  await waitCount(page.locator('[data-testid=question-card]'), 8);
  await card(page, 3).locator('button[name=up]').tap();
  await card(page, 2).locator('button[name=delete]').tap();
  await waitCount(page.locator('[data-testid=question-card]'), 7);
  assert.equal(await card(page, 2).locator('input[name=label]').inputValue(), '建议');
  await page.getByRole('button', { name: '保存' }).tap();

  await page.getByTestId('survey-page').waitFor();
  await page.getByTestId('survey-status').filter({ hasText: '草稿' }).waitFor();
  await page.getByTestId('open-survey').tap();
  await page.getByTestId('survey-status').filter({ hasText: '进行中' }).waitFor();

  await page.getByTestId('kiosk-survey').tap();
  await page.getByTestId('survey-fill').waitFor();
  assert.equal(await page.locator('nav.bottom-nav').isVisible(), false, 'kiosk hides the navigation');
  await waitCount(page.locator('[data-testid=answer]'), 6); // 联系电话 hidden until 是
  assert.equal(await page.getByTestId('fill-progress').textContent(), '0 / 6');

  await fill(page, { age: '青年', topics: ['医疗', '教育'], advice: '多办讲座', stars: 5, people: 3, visit: true });
  await waitCount(page.locator('[data-testid=answer]'), 7);
  await fill(page, { age: '青年', phone: '13900001111' });
  assert.equal(await page.getByTestId('fill-progress').textContent(), '7 / 7');
  await submitKiosk(page, 1);

  // 是 then 否: the phone number typed in between is hidden again and not saved.
  await fill(page, { age: '中年', topics: ['医疗'], stars: 4, people: 5, visit: true, phone: '不该保存' });
  await fill(page, { age: '中年', visit: false });
  await waitCount(page.locator('[data-testid=answer]'), 6);
  await submitKiosk(page, 2);
  await fill(page, { age: '老年', topics: ['养老'], stars: 3, people: 2, visit: true, phone: '13900002222' });
  await submitKiosk(page, 3);
  await fill(page, { age: '老年', stars: 5, people: 4 });
  await submitKiosk(page, 4);
  // Refusals at the question: out of range and a required question left out.
  await fill(page, { age: '青年', people: 30, visit: false });
  await page.getByTestId('submit-response').tap();
  await question(page, '家里几口人').locator('.field-error', { hasText: '不能大于 20' }).waitFor();
  await question(page, '打分').locator('.field-error', { hasText: '此题必答' }).waitFor();
  await fill(page, { age: '青年', stars: 2, people: 1 });
  await submitKiosk(page, 5);

  // A tap does not leave kiosk mode; a long press does.
  await page.getByTestId('kiosk-exit').tap();
  await page.waitForTimeout(1800);
  assert.ok(await page.getByTestId('survey-fill').isVisible(), 'a short tap stays');
  const box = await page.getByTestId('kiosk-exit').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.waitForTimeout(1800);
  await page.mouse.up();
  await page.getByTestId('survey-page').waitFor();
  assert.ok(await page.locator('nav.bottom-nav').isVisible(), 'navigation is back');

  await page.locator('[data-testid=response-count]', { hasText: '5' }).waitFor();
  const result = (label) => page.locator('[data-testid=question-result]', { hasText: label });
  const bar = async (label, option) => {
    const g = result(label).locator(`g.bar[data-label="${option}"]`);
    return [Number(await g.getAttribute('data-count')), Number(await g.getAttribute('data-percent'))];
  };
  assert.deepEqual(await bar('年龄段', '青年'), [2, 40]);
  assert.deepEqual(await bar('年龄段', '中年'), [1, 20]);
  assert.deepEqual(await bar('年龄段', '老年'), [2, 40]);
  assert.equal(await result('关心的话题').getAttribute('data-answered'), '3');
  assert.deepEqual(await bar('关心的话题', '医疗'), [2, 67]);
  assert.deepEqual(await bar('关心的话题', '养老'), [1, 33]);
  assert.equal(await result('打分').getAttribute('data-average'), '3.8');
  assert.deepEqual(await bar('打分', '★★★★★'), [2, 40]);
  assert.equal(await result('家里几口人').getAttribute('data-average'), '3.0');
  assert.equal(await result('需要回访吗').getAttribute('data-answered'), '4');
  assert.deepEqual(await bar('需要回访吗', '是'), [2, 50]);
  assert.deepEqual(await result('联系电话').locator('.text-answers li').allTextContents(), ['13900001111', '13900002222']);
  assert.deepEqual(await result('建议').locator('.text-answers li').allTextContents(), ['多办讲座']);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-csv').tap()]);
  assert.match(download.suggestedFilename(), /^yehua-survey-.*\.csv$/);
  const bytes = await readFile(await download.path());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
  const lines = bytes.toString('utf8').slice(1).trimEnd().split('\r\n');
  assert.equal(lines[0], '序号,提交时间,问卷版本,活动,您的年龄段,关心的话题,建议,打分,家里几口人,需要回访吗,联系电话');
  assert.equal(lines.length, 6, 'header and five responses');
  assert.match(lines[1], /,青年,医疗、教育,多办讲座,5,3,是,13900001111$/);
  assert.ok(!bytes.toString('utf8').includes('不该保存'), 'a hidden answer is never saved');

  // Editing after responses makes version 2; earlier answers stay with version 1.
  await page.getByTestId('edit-survey').tap();
  await card(page, 2).locator('input[name=label]').fill('还有什么建议？');
  await page.getByRole('button', { name: '保存' }).tap();
  await page.getByTestId('new-version-note').waitFor();
  await page.getByTestId('survey-version').filter({ hasText: '2' }).waitFor();
  await page.locator('[data-testid=counted]', { hasText: '0' }).waitFor();
  await page.locator('select[name=version]').selectOption('1');
  await page.locator('[data-testid=counted]', { hasText: '5' }).waitFor();

  await page.reload();
  await page.locator('[data-testid=response-count]', { hasText: '5' }).waitFor();
  await page.getByTestId('survey-version').filter({ hasText: '2' }).waitFor();
  assert.deepEqual(errors, []);
});

test('a description typed into the builder while the store is busy is what is saved', async () => {
  const { page, errors } = setup.phone;
  await page.getByTestId('edit-survey').waitFor();
  // A write holds the store, as a sync's batch would: the builder opens before the survey
  // has been read into it, and must not take keystrokes the survey would then overwrite.
  await holdStore(page, 'yehua');
  await page.getByTestId('edit-survey').tap();
  await shot(page, 'survey-form-filling');
  await page.locator('textarea[name=description]').fill('请如实填写，谢谢');
  assert.equal(await page.locator('input[name=title]').inputValue(), '村民需求小调查', 'typed after the survey filled the form');
  await page.getByRole('button', { name: '保存' }).tap();
  await page.getByTestId('edit-survey').tap(); // back on the results: saved
  await page.waitForFunction(() => document.querySelector('input[name=title]')?.value === '村民需求小调查');
  assert.equal(await page.locator('textarea[name=description]').inputValue(), '请如实填写，谢谢');
  await shot(page, 'survey-form');
  assert.deepEqual(errors, []);
});
