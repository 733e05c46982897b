// End to end at 360x640 in zh-CN: a cadre's evening without traps. Before the first
// sign-in the header keeps a long station name whole beside a short sync badge, and the 同步
// screen puts the sign-in form first, shows "—" for figures no run has made yet and folds
// the server address under 高级. A concern card labels what it shows (反映人 / 承办 / 期限)
// and says 已超期; an agenda part without a speaker leaves no empty separator; the
// add-concern form is back at 其他 after 添加. Dates are typed and shown as yyyy-mm-dd even
// in an English browser. Volunteers and the roster are in pinyin order, 全部签退 asks first,
// and a stay shorter than a minute says so. 派单 picks one of the station's teams (found by
// pinyin initials) and the hub receives its id; a team an older build stored as typed text
// shows as written, flagged 未关联服务队, and is linked in one tap; the team's row counts
// what was dispatched to it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  waitCount, phoneWithProfile, tab, newForum, signIn, syncNow, waitSyncRuns, loadDemo, addTeam, pickTeam, shot,
} from './harness.mjs';

const setup = phoneWithProfile();

const concerns = '[data-testid=activity-concerns] [data-testid=concern]';
/** A date `days` from today at UTC+8, `YYYY-MM-DD`. */
const dayAt = (days) => new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
/** Fails when the screen is wider than the phone (the page would zoom out). */
async function assertFits(page, what) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `${what} fits 360 px: ${width}`);
}
/** The concerns in the hub's station database, as the signed-in page reads them. */
async function hubConcerns(page) {
  return page.evaluate(async () => {
    const r = await fetch('/couch/station_330106001/_all_docs?include_docs=true', { credentials: 'include' });
    return (await r.json()).rows.map((row) => row.doc).filter((d) => d?.type === 'concern');
  });
}
/** The same date as a cadre might type it: 2026/1/5. */
const loosely = (iso) => iso.split('-').map(Number).join('/');

test('before the first sign-in: the station name stays whole and the 同步 screen starts with the form', async () => {
  const { page, errors } = setup.phone;
  await newForum(page, '村夜话·头一回');
  await tab(page, '首页');
  const badge = page.getByTestId('sync-badge');
  await badge.filter({ hasText: '请登录同步 · 1 条仅保存在本机' }).waitFor();
  // On a 360-px screen the badge is an icon and the number; the sentence is its name.
  assert.equal(await badge.getAttribute('aria-label'), '请登录同步 · 1 条仅保存在本机');
  const short = page.getByTestId('sync-badge-short');
  assert.ok(await short.isVisible(), 'the short badge shows');
  assert.equal((await short.textContent()).trim(), '1');
  assert.equal(await badge.locator('.long').isVisible(), false, 'the sentence does not');
  const station = page.locator('header .station');
  assert.equal(await station.textContent(), '示范村新时代文明实践站');
  const fit = await station.evaluate((e) => ({ scroll: e.scrollWidth, client: e.clientWidth }));
  assert.ok(fit.scroll <= fit.client, `the station name is not cut: ${JSON.stringify(fit)}`);

  await tab(page, '同步');
  const submit = page.getByTestId('login-submit');
  await submit.waitFor();
  const nav = await page.locator('nav.bottom-nav').boundingBox();
  const button = await submit.boundingBox();
  assert.ok(button.y + button.height <= nav.y, `登录 above the fold: ${JSON.stringify(button)}`);
  const form = await page.getByTestId('login-form').boundingBox();
  const figures = await page.getByTestId('sync-figures').boundingBox();
  assert.ok(form.y < figures.y, 'the form comes before the figures');
  assert.equal(await page.locator('[data-testid=sync-sent] .value').textContent(), '—');
  assert.equal(await page.locator('[data-testid=sync-received] .value').textContent(), '—');

  // The server address is filled in and folded under 高级, still editable.
  const server = page.getByTestId('login-server');
  assert.equal(await server.isVisible(), false, 'folded');
  await page.getByTestId('login-advanced').locator('summary').tap();
  await server.waitFor();
  assert.equal(await server.inputValue(), setup.hub.url + '/couch');
  assert.ok(await server.isEditable());
  await server.fill(setup.hub.url + '/couch/');
  await server.fill(setup.hub.url + '/couch');

  await signIn(page);
  await page.getByTestId('signed-in').waitFor();
  await waitSyncRuns(page, 1);
  await page.locator('[data-testid=sync-sent] .value').filter({ hasText: /^\d+$/ }).waitFor();
  assert.match(await page.locator('[data-testid=sync-received] .value').textContent(), /^\d+$/);
  assert.deepEqual(errors, []);
});

test('a concern card labels what it shows; the agenda and the add form leave no traps', async () => {
  const { page, errors } = setup.phone;
  await addTeam(page, '红桔子农技志愿服务队');
  await addTeam(page, '平安巡逻队');
  await tab(page, '夜话');
  await page.getByTestId('new-forum').tap();
  await page.locator('input[name=title]').fill('村夜话·柑橘修剪');
  await page.locator('[data-testid=segment] .seg-speaker').nth(1).fill('李医生');
  await page.getByRole('button', { name: '保存' }).tap();
  const agenda = page.locator('[data-testid=activity] .agenda-view li');
  await agenda.first().waitFor();
  assert.equal(await agenda.nth(0).textContent(), '文娱开场 · 15′', 'no speaker, no empty separator');
  assert.equal(await agenda.nth(1).textContent(), '主讲开题 · 李医生 · 30′');
  assert.equal(await page.getByTestId('activity-where').textContent(), '到场群众 0', 'no place, no host, no "· ·"');

  const add = page.getByTestId('add-concern');
  await add.locator('textarea[name=concern]').fill('想请农技员讲柑橘修剪');
  await add.locator('.chip', { hasText: '农技' }).tap();
  await add.locator('input[name=villager]').fill('黄大爷');
  await page.getByTestId('add-concern-ok').tap();
  await waitCount(page.locator(concerns), 1);
  assert.equal(await add.locator('textarea[name=concern]').inputValue(), '');
  assert.equal(await add.locator('.chip[aria-checked=true]').textContent(), '其他', 'the category is reset');
  // The next concern, typed without picking a category, is not filed under 农技.
  await add.locator('textarea[name=concern]').fill('村口路灯不亮');
  await page.getByTestId('add-concern-ok').tap();
  await waitCount(page.locator(concerns), 2);
  const lamp = page.locator(concerns).filter({ hasText: '村口路灯不亮' });
  assert.equal(await lamp.locator('.row-meta .tag').first().textContent(), '其他');

  const card = page.locator(concerns).filter({ hasText: '想请农技员' });
  assert.equal(await card.getByTestId('concern-facts').textContent(), '反映人 黄大爷');
  await card.getByTestId('dispatch').tap();
  assert.ok(await card.locator('label', { hasText: '办结期限' }).isVisible(), 'the due date has a visible label');
  assert.ok(await card.getByText('承办队伍').isVisible(), 'the team has a visible label');
  await assertFits(page, 'the dispatch panel');
  // Nothing is typed: the team is found by its pinyin initials and picked.
  await card.getByTestId('team-search').fill('hjz');
  await waitCount(card.getByTestId('team-option'), 1);
  await card.scrollIntoViewIfNeeded();
  await shot(page, 'dispatch-team-search');
  await pickTeam(card, '红桔子农技志愿服务队', 'hjz');
  const teamId = await card.getByTestId('team-picked').getAttribute('data-id');
  assert.match(teamId, /^team:[0-9a-f-]{36}$/);
  const due = card.getByTestId('dispatch-due');
  await due.fill('12/05/2026');
  await due.blur();
  await card.locator('.date-hint', { hasText: '请按“年-月-日”填写' }).waitFor();
  await card.getByTestId('dispatch-ok').tap();
  await card.locator('.field-error', { hasText: '办结期限请按“年-月-日”填写' }).waitFor();
  assert.equal(await card.getByTestId('concern-status').textContent(), '待派单', 'not dispatched');

  const yesterday = dayAt(-1);
  await due.fill(loosely(yesterday));
  await due.blur();
  assert.equal(await due.inputValue(), yesterday, 'shown back as yyyy-mm-dd');
  await card.getByTestId('dispatch-ok').tap();
  await card.getByTestId('concern-status').filter({ hasText: '已派单' }).waitFor();
  const facts = card.getByTestId('concern-facts');
  await facts.filter({ hasText: '红桔子农技志愿服务队' }).waitFor();
  assert.equal(await facts.textContent(), `反映人 黄大爷 · 承办 红桔子农技志愿服务队 · 期限 ${yesterday} 已超期`);

  // Due today is not late; a resolved concern is not late either.
  await lamp.getByTestId('dispatch').tap();
  await pickTeam(lamp, '平安巡逻队', '巡逻');
  await lamp.getByTestId('dispatch-due').fill(dayAt(0));
  await lamp.getByTestId('dispatch-ok').tap();
  await lamp.getByTestId('concern-status').filter({ hasText: '已派单' }).waitFor();
  await lamp.getByTestId('concern-facts').filter({ hasText: '平安巡逻队' }).waitFor();
  assert.equal(await lamp.getByTestId('concern-facts').textContent(), `承办 平安巡逻队 · 期限 ${dayAt(0)}`);
  await card.getByTestId('resolve').tap();
  await card.getByTestId('resolution').fill('已安排下周现场教学');
  await card.getByTestId('resolve-ok').tap();
  await card.getByTestId('concern-status').filter({ hasText: '已办结' }).waitFor();
  assert.equal(await card.getByTestId('overdue').count(), 0);
  assert.match(await card.getByTestId('concern-facts').textContent(), /期限 \d{4}-\d{2}-\d{2} · 结果 已安排下周现场教学$/);
  // The hub receives the team's id, never a typed name.
  await syncNow(page);
  const onHub = await hubConcerns(page);
  assert.equal(onHub.find((c) => c.text === '想请农技员讲柑橘修剪')?.assigned_team, teamId);
  // The team's page counts what was dispatched to it.
  await tab(page, '志愿者');
  await page.getByTestId('teams-link').tap();
  const team = page.getByTestId('team-row').filter({ hasText: '红桔子农技志愿服务队' });
  await team.and(page.locator('[data-dispatched="1"][data-resolved="1"]')).waitFor();
  await team.scrollIntoViewIfNeeded();
  await shot(page, 'teams-figures');
  assert.match(await team.getByTestId('team-concerns').textContent(), /派单 1 · 办结 1 · 满意率 —/);
  // The list row of a forum without a place has no empty separator either.
  await tab(page, '夜话');
  const row = page.locator('[data-testid=activity-list] li', { hasText: '村夜话·柑橘修剪' });
  assert.equal(await row.locator('.row-meta').textContent(), `夜话 ${dayAt(0)} 19:30 · 0 👥`);
  assert.deepEqual(errors, []);
});

test('a team typed by an older build shows as written, flagged, and is linked in one tap', async () => {
  const { page, errors } = setup.phone;
  // What an older phone synced: a dispatched concern whose team was typed.
  const put = await page.evaluate(async () => {
    const id = 'concern:0199ece4-7b1a-7000-8000-0000000c0de1';
    const doc = { type: 'concern', station: '330106001', status: 'assigned', text: '水渠漏水',
      category: 'infrastructure', assigned_team: '红桔子农技队', due: '2026-12-31',
      created_at: '2026-11-20T20:00:00+08:00', updated_at: '2026-11-20T20:00:00+08:00' };
    const r = await fetch(`/couch/station_330106001/${id}`, { method: 'PUT', credentials: 'include',
      headers: { 'content-type': 'application/json' }, body: JSON.stringify(doc) });
    return r.status;
  });
  assert.equal(put, 201);
  await syncNow(page);
  await page.goto(new URL('/concerns', page.url()).href);
  await page.getByTestId('tab-assigned').tap();
  const card = page.locator('[data-testid=concern]').filter({ hasText: '水渠漏水' });
  await card.getByTestId('team-unlinked').waitFor();
  assert.equal(await card.getByTestId('concern-team').textContent(), '承办 红桔子农技队 未关联服务队');
  await card.scrollIntoViewIfNeeded();
  await shot(page, 'concern-unlinked');
  await card.getByTestId('link-team').tap();
  await pickTeam(card, '红桔子农技志愿服务队', '红桔子');
  await card.getByTestId('link-ok').tap();
  await card.getByTestId('concern-team').filter({ hasText: '承办 红桔子农技志愿服务队' }).waitFor();
  assert.equal(await card.getByTestId('team-unlinked').count(), 0);
  assert.equal(await card.getByTestId('concern-status').textContent(), '已派单', 'the status stays');
  await syncNow(page);
  const linked = (await hubConcerns(page)).find((c) => c.text === '水渠漏水');
  assert.match(linked.assigned_team, /^team:/);
  assert.equal(linked.assigned_team_text, '红桔子农技队');
  assert.deepEqual(errors, []);
});

test('in an English browser with the app in Chinese, dates are typed and shown as yyyy-mm-dd', async () => {
  const context = await setup.phone.browser.newContext({
    viewport: { width: 360, height: 640 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'en-US',
  });
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(setup.hub.url + '/');
    // The app first follows the browser (English); the cadre picks 简体中文 in 设置.
    await page.locator('input[name=station_code]').fill('330106001');
    await page.locator('input[name=station_name]').fill('示范村新时代文明实践站');
    await page.locator('input[name=cadre_name]').fill('王书记');
    await page.getByRole('button', { name: 'Save' }).tap();
    await page.locator('nav.bottom-nav').waitFor();
    await page.goto(setup.hub.url + '/settings');
    await page.getByTestId('locale').selectOption('zh-CN');
    await page.locator('main h2', { hasText: '设置' }).waitFor();
    assert.equal(await page.evaluate(() => navigator.language), 'en-US');
    await tab(page, '夜话');
    await page.getByTestId('new-forum').tap();
    const date = page.locator('input[name=date]');
    await date.waitFor();
    await assertFits(page, 'the forum form');
    assert.equal(await date.inputValue(), dayAt(0));
    assert.equal(await date.getAttribute('placeholder'), '年-月-日', 'the app speaks Chinese, not the browser');
    // Typed on the number pad, or as it is shown: the same date either way.
    for (const typed of ['20261205', '2026-12-05', '2026/12/5']) {
      await date.fill('');
      await date.pressSequentially(typed);
      await date.blur();
      assert.equal(await date.inputValue(), '2026-12-05', typed);
    }
    const end = page.locator('input[name=end]');
    assert.equal(await end.inputValue(), '21:30', '24 hours, not 9:30 PM');
    await end.fill('');
    await end.pressSequentially('2145');
    await end.blur();
    assert.equal(await end.inputValue(), '21:45');
    // What the browser's own calendar picks lands in the field as yyyy-mm-dd.
    await page.locator('.date-field', { has: date }).locator('.native-picker').evaluate((el) => {
      el.value = '2026-12-24';
      el.dispatchEvent(new Event('change', { bubbles: true }));
    });
    assert.equal(await date.inputValue(), '2026-12-24');
    await page.locator('input[name=title]').fill('村夜话·平安夜');
    await page.getByRole('button', { name: '保存' }).tap();
    await page.locator('[data-testid=activity] h2', { hasText: '村夜话·平安夜' }).waitFor();
    assert.match(await page.getByTestId('activity').textContent(), /2026-12-24 19:30–21:45/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

/** Toneless pinyin of the surnames in the demo data and of the polyphonic ones added. */
const SURNAME = {
  王: 'wang', 李: 'li', 张: 'zhang', 刘: 'liu', 陈: 'chen', 杨: 'yang', 赵: 'zhao', 黄: 'huang',
  周: 'zhou', 吴: 'wu', 徐: 'xu', 孙: 'sun', 朱: 'zhu', 胡: 'hu',
  曾: 'zeng', 单: 'shan', 区: 'ou', 解: 'xie',
};
const POLYPHONIC = [['曾国强', '13900000001'], ['单小红', '13900000002'], ['区永福', '13900000003'], ['解德明', '13900000004']];

function assertPinyinOrder(names, what) {
  const keys = names.map((n) => SURNAME[n[0]]);
  assert.ok(keys.every(Boolean), `${what}: every surname known: ${names}`);
  for (let i = 1; i < keys.length; i++) {
    assert.ok(keys[i - 1] <= keys[i], `${what}: ${names[i - 1]} (${keys[i - 1]}) before ${names[i]} (${keys[i]})`);
  }
  const at = POLYPHONIC.map(([n]) => names.indexOf(n));
  assert.ok(at.every((i) => i >= 0), `${what}: the polyphonic surnames are listed`);
  const sorted = [...at].sort((a, b) => a - b);
  assert.deepEqual(
    sorted.map((i) => names[i]),
    ['区永福', '单小红', '解德明', '曾国强'],
    `${what}: ōu, shàn, xiè, zēng — not qū, dān, jiě, céng`,
  );
}

test('volunteers and the roster are in pinyin order; 全部签退 asks; a stay under a minute says so', async () => {
  const { page, errors } = setup.phone;
  await tab(page, '首页');
  await loadDemo(page);
  for (const [name, phone] of POLYPHONIC) {
    await tab(page, '志愿者');
    await page.getByTestId('new-volunteer').tap();
    await page.locator('input[name=name]').fill(name);
    await page.locator('input[name=phone]').fill(phone);
    await page.getByRole('button', { name: '保存' }).tap();
    await page.locator('h2', { hasText: name }).waitFor();
  }
  await tab(page, '志愿者');
  const rows = page.locator('[data-testid=volunteer-list] .row-title');
  await waitCount(rows, 44);
  const listed = (await rows.allTextContents()).map((n) => n.replace(' ☭', ''));
  assertPinyinOrder(listed, 'volunteer list');

  await newForum(page, '村夜话·点名');
  await page.getByTestId('open-roster').tap();
  const lines = page.locator('[data-testid=roster-line]');
  await waitCount(lines, 44);
  assertPinyinOrder(await page.locator('[data-testid=roster-line] .name').allTextContents(), 'roster');

  // Checked in and out the same minute: 未满 1 分钟, not 14:32–14:32.
  const first = lines.first();
  const firstName = await first.locator('.name').textContent();
  await first.getByTestId('check-in').tap();
  await page.getByTestId('here-count').filter({ hasText: '在场 1' }).waitFor();
  await first.getByTestId('check-out').tap();
  const out = page.getByTestId('checked-out');
  await waitCount(out, 1);
  assert.match(await out.textContent(), /^\d{2}:\d{2} · 未满 1 分钟$/);

  // 全部签退 is off with nobody here; with two here it says so and asks.
  assert.ok(await page.getByTestId('check-out-all').isDisabled());
  for (const i of [1, 2]) {
    await lines.nth(i).getByTestId('check-in').tap();
    await page.getByTestId('here-count').filter({ hasText: `在场 ${i}` }).waitFor();
  }
  await page.getByTestId('check-out-all').tap();
  await page.getByTestId('check-out-all-ask').filter({ hasText: '将为 2 位在场的志愿者签退，确定吗？' }).waitFor();
  await page.getByTestId('check-out-all-cancel').tap();
  await waitCount(page.getByTestId('check-out-all-ask'), 0);
  assert.match(await page.getByTestId('here-count').textContent(), /在场 2/, 'cancel checks nobody out');
  await page.getByTestId('check-out-all').tap();
  await page.getByTestId('check-out-all-ok').tap();
  await page.getByTestId('here-count').filter({ hasText: '在场 0' }).waitFor();
  await waitCount(out, 3);

  // The volunteer's own history says it too.
  await tab(page, '志愿者');
  await page.getByTestId('volunteer-search').fill(firstName);
  await page.locator('[data-testid=volunteer-list] li a', { hasText: firstName }).first().tap();
  const row = page.getByTestId('history-row').filter({ hasText: '村夜话·点名' });
  await row.getByTestId('history-minutes').filter({ hasText: '未满 1 分钟' }).waitFor();
  assert.deepEqual(errors, []);
});
