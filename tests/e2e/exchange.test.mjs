// End to end at 360x640 in zh-CN, offline: a village phone (A) loads the demo
// data, reads its dashboard (table, cards, charts), exports the JSON file (checked against
// docs/export.schema.json and exchange::parse by crates/exchange/examples/check_export)
// and a CSV (BOM, one line per record); a township headquarters phone (B) refuses a cut-off
// file and a file with one bad document without writing anything, imports the good file
// (report: all new), imports it again (0 new, 0 updated), shows the same figures, and
// exports the village's records again, revision for revision.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHub, launchPhone, setupProfile, waitCount, activityCount, importFile, seedStation, exportFile, setupTownship, offlineReady } from './harness.mjs';

const root = new URL('../../', import.meta.url).pathname;
const targetDir = process.env.CARGO_TARGET_DIR || join(root, 'target');
const checker = join(targetDir, 'debug/examples/check_export');
const VILLAGE = '330106001';
const TOWNSHIP = '330106';

let hub, dir;
const phones = [];
before(async () => {
  hub = await startHub();
  dir = mkdtempSync(join(tmpdir(), 'yehua-exchange-'));
});
after(async () => {
  for (const p of phones) await p.browser.close();
  await hub?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const tab = (page, name) => page.locator('nav.bottom-nav a', { hasText: name }).tap();

/** Opens 统计 and returns the table rows of `code` (their data-* figures). */
async function dashboardRows(page, code) {
  await tab(page, '统计');
  const rows = page.locator(`[data-testid=dash-row][data-code="${code}"]`);
  await rows.first().waitFor({ timeout: 60_000 });
  return rows.evaluateAll((trs) => trs.map((tr) => ({ ...tr.dataset })));
}

/** The figure cards currently shown, by test id. */
async function cards(page) {
  return page
    .locator('[data-testid=dash-figures] .stat')
    .evaluateAll((els) => Object.fromEntries(els.map((e) => [e.dataset.testid, e.dataset.value])));
}

/** Taps `testid` and saves the download it starts into the temporary folder (numbered:
 * two exports on one day have the same name). */
let downloads = 0;
async function download(page, testid) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).tap()]);
  const path = join(dir, `${++downloads}-${dl.suggestedFilename()}`);
  await dl.saveAs(path);
  return { name: dl.suggestedFilename(), path, bytes: readFileSync(path) };
}

/** CSV records (RFC 4180: a quoted field may hold line breaks). */
function csvRecords(text) {
  let records = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (c === '\n' && !quoted) records++;
  }
  return records;
}

async function report(page) {
  const r = page.getByTestId('import-report');
  const get = async (k) => Number(await r.getAttribute(`data-${k}`));
  return { new: await get('new'), updated: await get('updated'), unchanged: await get('unchanged'), conflicts: await get('conflicts') };
}

async function homeCount(page, testid) {
  await tab(page, '首页');
  const v = page.locator(`[data-testid=${testid}] .value`);
  await page.waitForFunction((el) => /^\d+$/.test(el.textContent), await v.elementHandle());
  return Number(await v.textContent());
}

test('export on a village phone, import at the township, the same dashboard', async () => {
  // Phone A: the village station with a year of demo data.
  const a = await launchPhone();
  phones.push(a);
  await a.page.goto(hub.url + '/');
  await setupProfile(a.page);
  await a.context.setOffline(true);
  await seedStation(a.page);
  const activities = await activityCount(a.page);

  const rowsA = await dashboardRows(a.page, VILLAGE);
  assert.ok(rowsA.length >= 12, `a year of months: ${rowsA.length}`);
  assert.equal(await a.page.getByTestId('dash-group').count(), 0, 'a village sees only itself');
  const cardsA = await cards(a.page);
  const forums = rowsA.reduce((n, r) => n + Number(r.forums), 0);
  assert.equal(Number(cardsA['fig-forums']), forums, 'the cards add up the months');
  // Charts: twelve months, each bar and point the table's figure for its month.
  const bars = a.page.locator('[data-testid=chart-forums] [data-testid=bar]');
  await waitCount(bars, 12);
  const byMonth = Object.fromEntries(rowsA.map((r) => [r.month, r]));
  for (const bar of await bars.evaluateAll((gs) => gs.map((g) => ({ ...g.dataset, title: g.querySelector('title').textContent })))) {
    assert.equal(bar.value, byMonth[bar.month]?.forums ?? '0', `bar ${bar.month}`);
    assert.match(bar.title, new RegExp(`^${bar.month} 场次 ${bar.value}$`));
  }
  const points = await a.page
    .locator('[data-testid=chart-villagers] [data-testid=point]')
    .evaluateAll((gs) => gs.map((g) => ({ ...g.dataset })));
  assert.equal(points.length, 12);
  for (const p of points) assert.equal(p.value, byMonth[p.month]?.villagers ?? '0', `point ${p.month}`);
  // One month chosen: the cards are that month's row.
  const last = rowsA[0];
  await a.page.getByTestId('dash-month').selectOption(last.month);
  await a.page.locator(`[data-testid=fig-forums][data-value="${last.forums}"]`).waitFor();
  assert.equal(await a.page.locator('[data-testid=dash-row]').count(), 1);
  // The table as CSV: BOM, a header and one line per row.
  const table = await download(a.page, 'dash-csv');
  assert.match(table.name, /^yehua-330106001-dashboard-\d{8}\.csv$/);
  assert.deepEqual([...table.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.equal(csvRecords(table.bytes.toString('utf8')), 2);

  // Export: the whole store, its size said before 保存, then checked as headquarters would
  // check it.
  await a.page.getByTestId('to-export').tap();
  const json = await exportFile(a.page, dir);
  assert.match(json.name, /^yehua-330106001-\d{8}\.json$/);
  const file = JSON.parse(json.bytes.toString('utf8'));
  assert.equal(file.format, 'yehua-export');
  assert.equal(file.station, VILLAGE);
  const done = a.page.getByTestId('export-done');
  assert.equal(Number(await done.getAttribute('data-count')), file.docs.length);
  assert.equal(Number(await done.getAttribute('data-bytes')), json.bytes.length, 'the size said is the file saved');
  assert.match(json.size, /^文件大小约 \d+(\.\d)? (KB|MB)$/);
  assert.ok(existsSync(checker), `build the checker first: cargo build -p yehua-exchange --example check_export (${checker})`);
  const check = spawnSync(checker, [json.path], { encoding: 'utf8' });
  assert.equal(check.status, 0, check.stderr + check.stdout);
  assert.match(check.stdout, new RegExp(`^ok .* ${file.docs.length}\\n$`));
  const ids = new Set(file.docs.map((d) => d._id));

  // A date range keeps fewer dated records; lookups (volunteers, teams) always travel.
  await a.page.getByTestId('export-from').fill('2026-11-01');
  await a.page.getByTestId('export-until').fill('2026-11-30');
  const november = JSON.parse((await exportFile(a.page, dir)).bytes.toString('utf8'));
  assert.deepEqual(november.range, { from: '2026-11-01', until: '2026-11-30' });
  assert.ok(november.docs.length > 0 && november.docs.length < file.docs.length);
  assert.ok(november.docs.some((d) => d.type === 'volunteer'));
  await a.page.getByTestId('export-from').fill('');
  await a.page.getByTestId('export-until').fill('');

  // The activities table: BOM, then one record per activity.
  const csv = await exportFile(a.page, dir, 'csv-activities');
  assert.equal(Number(await done.getAttribute('data-bytes')), csv.bytes.length);
  assert.match(csv.name, /^yehua-330106001-activities-\d{8}\.csv$/);
  assert.deepEqual([...csv.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.equal(csvRecords(csv.bytes.toString('utf8')), activities + 1, 'header + one line per activity');
  assert.equal(Number(await done.getAttribute('data-count')), activities);
  assert.deepEqual(a.errors, []);

  // Phone B: the township's headquarters, offline.
  const b = await launchPhone();
  phones.push(b);
  await b.page.goto(hub.url + '/');
  await setupTownship(b.page, '镇干部', TOWNSHIP);
  // Offline only once the worker holds every chunk (统计 and 导出 are fetched on first use).
  await offlineReady(b.page);
  await b.context.setOffline(true);
  await tab(b.page, '统计');
  await b.page.getByTestId('dash-empty').waitFor();
  await b.page.getByTestId('to-export').tap();

  // A file cut off in transfer, and a file whose last document is broken: both refused in
  // Chinese, and nothing at all is written.
  const cut = join(dir, 'cut.json');
  writeFileSync(cut, json.bytes.subarray(0, Math.floor(json.bytes.length / 2)));
  await importFile(b.page, cut);
  const error = b.page.getByTestId('import-error');
  assert.equal(await error.getAttribute('data-code'), 'truncated');
  assert.match(await error.textContent(), /文件不完整/);
  const broken = structuredClone(file);
  broken.docs[broken.docs.length - 1]._rev = 'not-a-revision';
  const bad = join(dir, 'bad-last-doc.json');
  writeFileSync(bad, JSON.stringify(broken));
  await importFile(b.page, bad);
  await b.page.locator('[data-testid=import-error][data-code=bad_rev]').waitFor();
  assert.match(await error.textContent(), new RegExp(`第 ${broken.docs.length} 条记录`));
  assert.equal(await homeCount(b.page, 'count-activities'), 0, 'nothing was written');
  assert.equal(await homeCount(b.page, 'count-volunteers'), 0, 'nothing was written');

  // The good file: every record new. Again: nothing new, nothing updated.
  await tab(b.page, '统计');
  await b.page.getByTestId('to-export').tap();
  await importFile(b.page, json.path);
  assert.deepEqual(await report(b.page), { new: ids.size, updated: 0, unchanged: 0, conflicts: 0 });
  assert.equal(await b.page.getByTestId('import-report').getAttribute('data-station'), VILLAGE);
  await importFile(b.page, json.path);
  assert.deepEqual(await report(b.page), { new: 0, updated: 0, unchanged: ids.size, conflicts: 0 });
  assert.equal(await homeCount(b.page, 'count-activities'), activities);

  // The township sees the village's months exactly as the village does, and its own
  // group (the village is its only station) with the same figures.
  const rowsB = await dashboardRows(b.page, VILLAGE);
  assert.deepEqual(rowsB, rowsA);
  const town = await dashboardRows(b.page, TOWNSHIP);
  const figures = ({ code, ...f }) => f;
  assert.deepEqual(town.map(figures), rowsA.map(figures));
  assert.equal(await b.page.getByTestId('dash-group').inputValue(), TOWNSHIP);
  assert.deepEqual(await cards(b.page), cardsA, 'the township total is the village total');
  await b.page.getByTestId('dash-group').selectOption(VILLAGE);
  assert.equal(await b.page.getByTestId('dash-group').inputValue(), VILLAGE);
  assert.deepEqual(await cards(b.page), cardsA);

  // Headquarters exports the village again: the same records, every leaf.
  await b.page.getByTestId('to-export').tap();
  await b.page.getByTestId('export-station').selectOption(VILLAGE);
  const again = await exportFile(b.page, dir);
  assert.match(again.name, /^yehua-330106001-\d{8}\.json$/);
  const reexported = JSON.parse(again.bytes.toString('utf8'));
  const revs = (f) => f.docs.map((d) => `${d._id} ${d._rev}`).sort();
  assert.deepEqual(revs(reexported), revs(file));
  assert.deepEqual(b.errors, []);
});
