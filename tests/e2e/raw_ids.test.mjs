// No screen shows a raw record id. At 360x640 in zh-CN with the demo station loaded
// (training mode), every list screen and the first detail screen each list opens is
// visited; no visible text may contain `team:…`, `volunteer:…`, `activity:…`, `concern:…`
// or `survey:…` ids: a team or volunteer is named, a record is titled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { phoneWithProfile, loadDemo, shot } from './harness.mjs';

const setup = phoneWithProfile();
const RAW_ID = /(team|volunteer|activity|concern|survey):[0-9a-f]{8}-/;

/** Goes to `path` inside the app and waits until the screen has settled. */
async function open(page, path) {
  await page.evaluate((p) => {
    history.pushState(null, '', p);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, path);
  await page.waitForLoadState('networkidle');
  await page.locator('main h2').first().waitFor();
  await page.waitForTimeout(400);
}

/** The visible text of the page's main area. */
const visible = (page) => page.locator('main').innerText();

/** The first `href` under `selector` starting with `prefix`, or null. */
async function firstLink(page, selector, prefix) {
  const hrefs = await page.locator(`${selector} a[href^="${prefix}"]`).evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  return hrefs[0] ?? null;
}

test('no list or detail screen shows a raw id', async () => {
  const { page, errors } = setup.phone;
  await loadDemo(page);
  const seen = [];
  const check = async (path) => {
    await open(page, path);
    const text = await visible(page);
    seen.push(path);
    assert.doesNotMatch(text, RAW_ID, `${path} shows a raw id`);
    await shot(page, `raw-ids-${path.replaceAll('/', '_')}`);
  };
  for (const path of ['/', '/forums', '/concerns', '/volunteers', '/teams', '/surveys', '/points', '/points/roll', '/stats', '/sync/conflicts']) {
    await check(path);
  }
  for (const tab of ['assigned', 'resolved', 'rated']) {
    await open(page, '/concerns');
    await page.getByTestId(`tab-${tab}`).tap();
    await page.waitForTimeout(400);
    assert.doesNotMatch(await visible(page), RAW_ID, `/concerns ${tab} shows a raw id`);
  }
  await open(page, '/forums');
  const forum = await firstLink(page, '[data-testid=activity-list]', '/forums/');
  assert.ok(forum, 'the demo station has forums');
  await check(forum);
  await check(`${forum}/roster`);
  await open(page, '/volunteers');
  const volunteer = await firstLink(page, '[data-testid=volunteer-list]', '/volunteers/');
  assert.ok(volunteer, 'the demo station has volunteers');
  await check(volunteer);
  await open(page, '/surveys');
  const survey = await firstLink(page, '[data-testid=survey-list]', '/surveys/');
  if (survey) await check(survey);
  assert.ok(seen.length >= 13, `visited ${seen.length} screens`);
  assert.deepEqual(errors, []);
});
