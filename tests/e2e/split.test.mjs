// The split build, in Chromium at 360x640 against the real hub serving dist/:
// - after one visit, with the network and the hub gone, every route of the router opens
//   and shows its own content (so no chunk is missing from the worker's precache);
// - a screen whose chunk cannot be fetched says so in Chinese with 重试, and opens after
//   重试 once the network is back; nothing throws;
// - the first screen (the profile form, then 首页's figures) needs only the first module:
//   its extras (扫码设置, 演示模式, 待修改) come with the forums chunk, and when that cannot
//   be fetched the rest still works and 重试 brings them;
// - a start at a route's address asks for that route's chunk while the store is still
//   opening (the boot screen is up), not once the router has drawn the screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startHub, launchPhone, setupProfile, seedStation, shot } from './harness.mjs';

const root = new URL('../../', import.meta.url).pathname;
const zh = JSON.parse(readFileSync(root + 'locales/zh-CN.json', 'utf8'));

/** Every route the router declares (src/app.rs), in its order. */
function routerPaths() {
  const app = readFileSync(root + 'src/app.rs', 'utf8');
  return [...app.matchAll(/<Route path=path!\("([^"]+)"\)/g)].map((m) => m[1]);
}

/** What each route must show, as a selector and the text it contains. */
const SHOWS = {
  '/': ['main h2', zh.home_welcome],
  '/forums': ['main h2', zh.forums_title],
  '/forums/new': ['main h2', zh.new_forum],
  '/forums/:id': ['[data-testid=activity] h2', ':name'],
  '/forums/:id/edit': ['main h2', zh.edit_forum],
  '/forums/:id/print': ['[data-testid=record-sheet] h1', zh.p_record_title],
  '/concerns': ['main h2', zh.concerns_title],
  '/forums/:id/roster': ['main h2', zh.roster_title],
  '/volunteers': ['main h2', zh.volunteers_title],
  '/volunteers/new': ['main h2', zh.volunteer_form_title],
  '/volunteers/:id': ['main h2', ':name'],
  '/volunteers/:id/edit': ['main h2', zh.volunteer_form_title],
  '/volunteers/:id/card': ['[data-testid=volunteer-card] .card-name', ':name'],
  '/volunteers/:id/certificate': ['[data-testid=certificate-sheet] h1', zh.p_cert_title],
  '/volunteers/:id/points': ['[data-testid=points-book-sheet] h1', zh.book_title],
  '/teams': ['main h2', zh.teams_title],
  '/points': ['main h2', zh.shop_title],
  '/points/rules': ['main h2', zh.rules_title],
  '/points/roll': ['main h2', zh.roll_title],
  '/surveys': ['main h2', zh.surveys_title],
  '/surveys/:id': ['main h2', ':name'],
  '/surveys/:id/edit': ['main h2', zh.sv_builder_title],
  '/surveys/:id/fill': ['main h2', ':name'],
  '/sync': ['main h2', zh.sync_title],
  '/sync/conflicts': ['main h2', zh.conflicts_title],
  '/sync/conflicts/:id': ['[data-testid=conflict-gone]', zh.conflict_gone],
  '/stats': ['main h2', zh.stats_title],
  '/stats/export': ['main h2', zh.x_export_title],
  '/stats/ledger/:station/:month': ['[data-testid=ledger-cover] h1', zh.p_ledger_title],
  '/stats/notice/:station/:month': ['[data-testid=notice-sheet] h1', zh.p_notice_title],
  '/stats/verify': ['main h2', zh.p_verify_title],
  '/settings': ['main h2', zh.settings_title],
  '/hq': ['main h2', zh.hq_status_title],
  '/hq/accounts': ['main h2', zh.hq_accounts_title],
  '/hq/stations': ['main h2', zh.hq_stations_title],
  '/hq/import': ['main h2', zh.hq_import_title],
  // The setup QR needs the account from the server: offline and signed out it says so.
  '/hq/accounts/:name/setup': ['[data-testid=load-error]', zh.err_hq_not_signed_in],
  '/hq/review/:code': ['main h2', zh.hq_review_title],
};

/** The chunk (`split_<name>.wasm`) of each route, by its first path segment (src/chunks.rs). */
const CHUNK = {
  forums: 'forums', concerns: 'forums',
  volunteers: 'people', teams: 'people', points: 'people',
  surveys: 'surveys',
  sync: 'office', stats: 'office', settings: 'office',
  hq: 'surveys',
};

/** Records each chunk the page fetches, and whether the boot screen was up at the time. */
function recordChunkFetches() {
  const fetch = window.fetch;
  window.__chunkFetches = [];
  window.fetch = function (input, init) {
    const m = /\/split_(\w+)-[0-9a-f]+\.wasm$/.exec(String(input instanceof Request ? input.url : input));
    if (m) window.__chunkFetches.push({ chunk: m[1], booting: !!document.querySelector('[data-testid=boot]') });
    return fetch.call(this, input, init);
  };
}

let hub, phone;
before(async () => {
  hub = await startHub();
});
after(async () => {
  await phone?.browser.close();
  await hub?.stop();
});

test('after one visit, every route opens offline and shows its content', async () => {
  const paths = routerPaths();
  assert.deepEqual(Object.keys(SHOWS).sort(), [...new Set(paths)].sort(), 'a check for every route');
  phone = await launchPhone();
  const { page, context, errors } = phone;
  await context.addInitScript(recordChunkFetches);
  await page.goto(hub.url + '/');
  // The first start: the form, and 扫码设置 from the forums chunk.
  await page.getByTestId('setup-scan').waitFor();
  await shot(page, 'split-profile-360');
  await setupProfile(page);
  await seedStation(page);
  // The worker precaches after the first screen; `ready` means it installed (all or nothing).
  await page.evaluate(() => navigator.serviceWorker.ready);
  await context.setOffline(true);
  await hub.stop();
  hub = null;

  const ids = {};
  for (const kind of ['forums', 'volunteers', 'surveys']) ids[kind] = await firstId(page, '/' + kind);
  for (const path of paths) {
    const [selector, expected] = SHOWS[path];
    const kind = /^\/(forums|volunteers|surveys)\//.exec(path)?.[1];
    const address = path
      .replace(':id', kind ? ids[kind] : 'no-such-conflict')
      .replace(':station', '330106001')
      .replace(':month', '2026-11');
    await page.goto(location(page, address));
    const shown = page.locator(selector).first();
    await shown.waitFor({ timeout: 15_000 });
    if (expected === ':name') {
      await page.waitForFunction((el) => el.textContent.trim().length > 0, await shown.elementHandle());
    } else {
      await page.locator(selector, { hasText: expected }).first().waitFor({ timeout: 15_000 });
    }
    assert.equal(await page.getByTestId('chunk-failed').count(), 0, `${address}: its chunk is precached`);
    const chunk = CHUNK[path.split('/')[1]];
    if (chunk) {
      const [first] = await page.evaluate(() => window.__chunkFetches);
      assert.deepEqual(first, { chunk, booting: true }, `${address}: its chunk is asked for while the store opens`);
    }
  }
  // 首页's extras come with a chunk: precached too.
  await page.goto(location(page, '/'));
  await page.getByTestId('training-offer').waitFor({ timeout: 15_000 });
  assert.deepEqual(errors, []);
});

/** The page's own origin + `path` (the hub is gone; the worker answers). */
function location(page, path) {
  return new URL(path, page.url()).href;
}

/** The id of the first row of a list screen (the demo data fills every list). */
async function firstId(page, list) {
  await page.goto(location(page, list));
  const link = page.locator('main a.row-link').first();
  await link.waitFor();
  return (await link.getAttribute('href')).split('/').pop();
}

test('a screen whose chunk cannot be fetched says so, and opens after 重试', async () => {
  // A hub of its own (a fresh origin: nothing precached), stopped with its phone.
  const own = await startHub();
  const fresh = await launchPhone();
  try {
    const { page, context, errors } = fresh;
    // No worker: this is the first visit, before anything is precached.
    await context.route('**/sw.js', (route) => route.abort());
    let blocked = 0;
    await context.route(/\/split_forums-[0-9a-f]+\.wasm$/, (route) => {
      blocked++;
      return route.abort('internetdisconnected');
    });
    await page.goto(own.url + '/');
    await setupProfile(page);
    await page.locator('nav.bottom-nav a', { hasText: '夜话' }).tap();
    const failed = page.getByTestId('chunk-failed');
    await failed.filter({ hasText: zh.chunk_failed }).waitFor();
    assert.ok(blocked > 0);
    assert.equal(await page.locator('main h2').count(), 0);

    // 重试 while still cut off: the same message, nothing else.
    await page.getByTestId('chunk-retry').tap();
    await failed.waitFor();
    // The signal returns.
    await context.unroute(/\/split_forums-[0-9a-f]+\.wasm$/);
    await page.getByTestId('chunk-retry').tap();
    await page.locator('main h2', { hasText: zh.forums_title }).waitFor();
    assert.equal(await failed.count(), 0);
    assert.deepEqual(errors, []);
  } finally {
    await fresh.browser.close();
    await own.stop();
  }
});

test('the first screen works without the chunk of its extras, which 重试 brings', async () => {
  // A hub of its own (a fresh origin: nothing precached), stopped with its phone.
  const own = await startHub();
  const fresh = await launchPhone();
  try {
    const { page, context, errors } = fresh;
    await context.route('**/sw.js', (route) => route.abort());
    const extras = /\/split_forums-[0-9a-f]+\.wasm$/;
    let blocked = 0;
    await context.route(extras, (route) => {
      blocked++;
      return route.abort('internetdisconnected');
    });
    await page.goto(own.url + '/');
    // First start: the form is there to fill; 扫码设置 is what is missing, and says so.
    const failed = page.getByTestId('chunk-failed');
    await failed.filter({ hasText: zh.chunk_part_failed }).waitFor();
    assert.equal(await page.getByTestId('setup-scan').count(), 0);
    await shot(page, 'split-profile-no-extras-360');
    await setupProfile(page);
    // 首页: the welcome and every figure, without 演示模式's offer.
    for (const id of ['count-activities', 'count-volunteers', 'count-open-concerns', 'count-surveys']) {
      await page.getByTestId(id).waitFor();
    }
    await failed.waitFor();
    assert.ok(blocked > 0);
    assert.equal(await page.getByTestId('training-offer').count(), 0);
    assert.equal(await page.getByTestId('chunk-loading').count(), 0, 'a part shows nothing while it downloads');
    await shot(page, 'split-home-no-extras-360');
    await context.unroute(extras);
    await page.getByTestId('chunk-retry').tap();
    await page.getByTestId('training-offer').waitFor();
    await page.goto(own.url + '/');
    await page.getByTestId('training-offer').waitFor();
    await shot(page, 'split-home-extras-360');
    assert.equal(await failed.count(), 0);
    assert.deepEqual(errors, []);
  } finally {
    await fresh.browser.close();
    await own.stop();
  }
});
