// Sync and the export file together: a township headquarters phone imports a file a village sent
// (records the hub does not have yet) and then syncs as an `hq` user, who may read the
// villages below and write none. The run must succeed — HQ pulls the villages and pushes
// only its own database — with nothing left counted as pending; the village's synced
// forum arrives by pull, the file-only one stays on the HQ phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startHub, launchPhone, setupProfile, tab, signIn, syncNow, waitSyncRuns, newForum, exportFile,
  townshipWithVillage, setupTownship, HQ_PASSWORD,
} from './harness.mjs';

let hub, dir;
const phones = [];
before(async () => {
  hub = await startHub(undefined, { setup: townshipWithVillage });
  dir = mkdtempSync(join(tmpdir(), 'yehua-hq-'));
});
after(async () => {
  for (const p of phones) await p.browser.close();
  await hub?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const figure = async (page, testid) => {
  await tab(page, '同步');
  return Number(await page.locator(`[data-testid=${testid}] .value`).textContent());
};

test('headquarters imports a village file, then syncs without a 403 and with nothing pending', async () => {
  // The village phone syncs one forum, then records a second offline and exports both.
  const a = await launchPhone();
  phones.push(a);
  await a.page.goto(hub.url + '/');
  await setupProfile(a.page);
  await signIn(a.page);
  await waitSyncRuns(a.page, 1);
  await newForum(a.page, '村夜话·已同步');
  await syncNow(a.page);
  assert.equal(await figure(a.page, 'sync-pending'), 0);
  await a.context.setOffline(true);
  await newForum(a.page, '村夜话·只在文件里');
  await tab(a.page, '统计');
  await a.page.getByTestId('to-export').tap();
  const file = (await exportFile(a.page, dir)).path;

  // The township phone imports it, then signs in as the hq user and syncs.
  const b = await launchPhone();
  phones.push(b);
  await b.page.goto(hub.url + '/');
  await setupTownship(b.page, '镇干部');
  await tab(b.page, '统计');
  await b.page.getByTestId('to-export').tap();
  const section = b.page.getByTestId('import-section');
  const before = Number(await section.getAttribute('data-runs'));
  await b.page.getByTestId('import-file').setInputFiles(file);
  await b.page.locator(`[data-testid=import-section][data-runs="${before + 1}"]`).waitFor({ timeout: 60_000 });
  assert.ok(Number(await b.page.getByTestId('import-report').getAttribute('data-new')) > 0);

  await signIn(b.page, HQ_PASSWORD, 'zhen');
  await waitSyncRuns(b.page, 1);
  await syncNow(b.page);
  assert.equal(await b.page.getByTestId('sync-error').count(), 0, 'no error after the run');
  assert.equal(await figure(b.page, 'sync-pending'), 0, 'nothing counted as only on this phone');
  assert.equal(await figure(b.page, 'sync-sent'), 0, 'headquarters wrote nothing into the village');
  await tab(b.page, '夜话');
  for (const title of ['村夜话·已同步', '村夜话·只在文件里']) {
    await b.page.locator('[data-testid=activity-list] li', { hasText: title }).first().waitFor();
  }
  assert.deepEqual(a.errors, []);
  assert.deepEqual(b.errors, []);
});
