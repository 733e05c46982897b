// End to end: phones (separate browser contexts at 360x640, zh-CN) syncing with
// the real hub that serves the app. Sign-in, the header indicator, sync on `online`, a
// forum that travels between phones, offline edits on both that become one conflict,
// resolved on one phone and cleared on the other; a reload in the middle of a large pull
// resumes from the checkpoint; a first sync over a 3G-like link shows records done of
// the total and how long it still needs; wrong password, an expired session and a foreign station
// say so in Chinese and keep every record.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startHub, launchPhone, setupProfile, waitCount, tab, signIn, syncNow, newForum,
  syncRuns as runs, waitSyncRuns as waitRuns, NETWORKS, throttle, seedStation,
} from './harness.mjs';

let hub;
const phones = [];
before(async () => {
  hub = await startHub();
});
after(async () => {
  for (const p of phones) await p.browser.close();
  await hub?.stop();
});

async function phone(station = '330106001') {
  const p = await launchPhone();
  phones.push(p);
  await p.page.goto(hub.url + '/');
  if (station === '330106001') {
    await setupProfile(p.page);
  } else {
    await p.page.getByText('首次使用：填写站点信息').waitFor();
    await p.page.locator('input[name=station_code]').fill(station);
    await p.page.locator('input[name=station_name]').fill('邻村新时代文明实践站');
    await p.page.locator('input[name=cadre_name]').fill('李主任');
    await p.page.getByRole('button', { name: '保存' }).tap();
    await p.page.getByText('欢迎回来, 李主任').waitFor();
  }
  return p;
}

const badge = (page) => page.getByTestId('sync-badge');

async function openForum(page, title) {
  await tab(page, '夜话');
  await page.locator('[data-testid=activity-list] li', { hasText: title }).first().tap();
  await page.locator('[data-testid=activity] h2').waitFor();
}

async function editTitle(page, from, to) {
  await openForum(page, from);
  await page.getByTestId('edit-forum').tap();
  await page.locator('input[name=title]').fill(to);
  await page.getByRole('button', { name: '保存' }).tap();
  await page.locator('[data-testid=activity] h2', { hasText: to }).waitFor();
}

const conflictCount = async (page) => {
  await tab(page, '同步');
  return Number(await page.locator('[data-testid=sync-conflicts] .value').textContent());
};

test('a forum travels between phones; offline edits on both become one conflict that one phone resolves for both', async () => {
  const a = await phone();
  const b = await phone();
  const title = '村夜话·冬季防火';

  await badge(a.page).filter({ hasText: '请登录同步' }).waitFor();
  await signIn(a.page);
  await a.page.getByTestId('signed-in').waitFor();
  await badge(a.page).filter({ hasText: '已同步' }).waitFor();

  // Saved offline: the header says it is only on this phone; back online, it leaves.
  await a.context.setOffline(true);
  await newForum(a.page, title);
  await badge(a.page).filter({ hasText: '离线 · 1 条仅保存在本机' }).waitFor();
  await a.context.setOffline(false);
  await badge(a.page).filter({ hasText: '已同步' }).waitFor({ timeout: 30_000 });

  await signIn(b.page);
  await badge(b.page).filter({ hasText: '已同步' }).waitFor({ timeout: 30_000 });
  await openForum(b.page, title);

  // Both phones edit the same forum offline.
  await a.context.setOffline(true);
  await b.context.setOffline(true);
  await editTitle(a.page, title, '村夜话·冬季防火（改期）');
  await editTitle(b.page, title, '村夜话·冬季防火安全');
  await badge(b.page).filter({ hasText: '1 条仅保存在本机' }).waitFor();
  await a.context.setOffline(false);
  await b.context.setOffline(false);
  await syncNow(a.page);
  await syncNow(b.page);
  await syncNow(a.page);

  assert.equal(await conflictCount(a.page), 1);
  assert.equal(await conflictCount(b.page), 1);
  const shown = [];
  for (const p of [a, b]) {
    await openForum(p.page, '村夜话·冬季防火');
    shown.push(await p.page.locator('[data-testid=activity] h2').textContent());
  }
  assert.equal(shown[0], shown[1], 'both phones show the same winner');

  // Phone B keeps the version that is not shown now.
  await tab(b.page, '同步');
  await b.page.getByTestId('view-conflicts').tap();
  await waitCount(b.page.locator('[data-testid=conflict-list] li'), 1);
  await b.page.locator('[data-testid=conflict-list] li a').tap();
  const differs = b.page.locator('[data-testid=conflict-table] tr.differs');
  await differs.first().waitFor();
  const titleRow = differs.filter({ hasText: '标题' });
  assert.match(await titleRow.textContent(), /改期/);
  assert.match(await titleRow.textContent(), /防火安全/);
  const loser = shown[0].includes('改期') ? '村夜话·冬季防火安全' : '村夜话·冬季防火（改期）';
  await b.page.getByTestId('keep-1').tap();
  await b.page.getByTestId('conflict-resolved').waitFor();
  assert.equal(await conflictCount(b.page), 0);

  await syncNow(b.page);
  await syncNow(a.page);
  assert.equal(await conflictCount(a.page), 0, 'resolved on B, cleared on A');
  for (const p of [a, b]) {
    await openForum(p.page, '村夜话·冬季防火');
    assert.equal(await p.page.locator('[data-testid=activity] h2').textContent(), loser);
  }
  assert.deepEqual([...a.errors, ...b.errors], []);
});

test('a reload in the middle of a large pull resumes from the checkpoint', async () => {
  const a = await phone();
  await seedStation(a.page);
  await signIn(a.page);
  await waitRuns(a.page, 1);
  await badge(a.page).filter({ hasText: '已同步' }).waitFor({ timeout: 60_000 });

  const b = await phone();
  await signIn(b.page);
  // Wait until the pull is under way (some batches written), then reload mid-way.
  const progress = b.page.getByTestId('sync-progress');
  await progress.waitFor({ timeout: 30_000 });
  const end = Date.now() + 30_000;
  while (Number((await progress.getAttribute('data-done').catch(() => '0')) ?? 0) < 200) {
    if (Date.now() > end) throw new Error('the pull never got past 200 documents');
    await new Promise((r) => setTimeout(r, 20));
  }
  await b.page.reload();
  await tab(b.page, '同步');
  await waitRuns(b.page, 1); // the run the reloaded page started by itself
  await badge(b.page).filter({ hasText: '已同步' }).waitFor({ timeout: 60_000 });
  const received = Number(await b.page.locator('[data-testid=sync-received] .value').textContent());
  const total = Number(await a.page.evaluate(async () => {
    const r = await fetch('/couch/station_330106001', { credentials: 'include' });
    return (await r.json()).doc_count;
  }));
  assert.ok(total >= 900, `hub holds the demo data: ${total}`);
  assert.ok(received > 0 && received < total - 100, `after the reload only the rest came: ${received} of ${total}`);
  await tab(b.page, '首页');
  // Every activity arrived, none twice (120 demo + the forum of the first test).
  await b.page.locator('[data-testid=count-activities] .value', { hasText: /^121$/ }).waitFor();
  assert.deepEqual([...a.errors, ...b.errors], []);
});

test('a first sync over a slow link says how far it is and how long it still needs', async () => {
  const e = await phone();
  // Regular 3G as Chromium's throttling has it; the app itself is already loaded.
  await throttle(e.page, NETWORKS['Regular 3G (250 kbit/s up)'], 1);
  await signIn(e.page);
  const run = e.page.getByTestId('sync-run-progress');
  const pulling = run.filter({ hasText: '正在接收' });
  await pulling.waitFor({ timeout: 60_000 });
  const total = Number(await pulling.getAttribute('data-total'));
  assert.ok(total >= 900, `the total comes from the hub's feed: ${total}`);
  await pulling.filter({ hasText: `/ ${total} 条` }).waitFor({ timeout: 60_000 });
  await e.page.getByTestId('sync-eta').filter({ hasText: /约剩 \d+ 秒/ }).waitFor({ timeout: 60_000 });
  await badge(e.page).filter({ hasText: '已同步' }).waitFor({ timeout: 120_000 });
  assert.equal(await run.count(), 0, 'the progress goes once the run is over');
  await tab(e.page, '首页');
  await e.page.locator('[data-testid=count-activities] .value', { hasText: /^121$/ }).waitFor();
  assert.deepEqual(e.errors, []);
});

test('a wrong password, an expired session and a foreign station say so and keep every record', async () => {
  const c = await phone();
  await newForum(c.page, '待同步的夜话');
  await signIn(c.page, 'not-the-password');
  await c.page.getByTestId('login-error').filter({ hasText: '用户名或密码不正确' }).waitFor();
  await badge(c.page).filter({ hasText: '请登录同步 · 1 条仅保存在本机' }).waitFor();

  // The session cookie disappears (expired): the next run asks to sign in again.
  await signIn(c.page);
  await badge(c.page).filter({ hasText: '已同步' }).waitFor({ timeout: 30_000 });
  await c.context.clearCookies();
  await newForum(c.page, '会话过期后记的夜话');
  await badge(c.page).filter({ hasText: '请登录同步 · 1 条仅保存在本机' }).waitFor({ timeout: 30_000 });
  await tab(c.page, '同步');
  await c.page.getByTestId('login-form').waitFor();
  await c.page.getByTestId('sync-error').filter({ hasText: '请重新登录' }).waitFor();
  await signIn(c.page);
  await badge(c.page).filter({ hasText: '已同步' }).waitFor({ timeout: 30_000 });

  // A phone of another village signs in with this station's account: no access.
  const d = await phone('330106002');
  await newForum(d.page, '邻村夜话');
  await signIn(d.page);
  await d.page.getByTestId('sync-error').filter({ hasText: '此账号无权同步这个村站的数据' }).waitFor({ timeout: 30_000 });
  await badge(d.page).filter({ hasText: '同步失败 · 1 条仅保存在本机' }).waitFor();
  await tab(d.page, '夜话');
  await d.page.locator('[data-testid=activity-list] li', { hasText: '邻村夜话' }).waitFor();
  assert.deepEqual([...c.errors, ...d.errors], []);
});
