// 审核 with a third-party replicator: headquarters writes a review document into a village's
// database on the hub; PouchDB (memory adapter), signed in as that village's cadre, pulls it
// like any record. Pushing a review back as the cadre (a local edit) is refused per document
// (`forbidden`, PouchDB's `denied`), and the hub's copy is unchanged. Hub only: the access rule
// is the hub's (pouchdb-server has no per-document rule to compare with).
//
//   INTEROP_HUB_BASE, INTEROP_HUB_HQ, INTEROP_HUB_HQ_PASS   the hub and an hq account of 99
//   INTEROP_HUB_URL, INTEROP_HUB_USER, INTEROP_HUB_PASS     station 990001 and its cadre
import { test } from 'node:test';
import assert from 'node:assert/strict';
import PouchDB from 'pouchdb';
import memory from 'pouchdb-adapter-memory';

PouchDB.plugin(memory);

const ACT = 'activity:0190a0e0-0000-7000-8000-0000000000aa';
const ID = `review:${ACT}`;
const AT = '2026-11-30T20:00:00+08:00';

test('a review written by hq replicates to the cadre; the cadre cannot push one back', async () => {
  const { INTEROP_HUB_BASE: base, INTEROP_HUB_HQ: hq, INTEROP_HUB_HQ_PASS: hqPass } = process.env;
  const auth = 'Basic ' + Buffer.from(`${hq}:${hqPass}`).toString('base64');
  const review = {
    _id: ID, type: 'review', station: '990001', created_at: AT, updated_at: AT, created_by: hq,
    activity: ACT, activity_rev: '1-0123456789abcdef0123456789abcdef', verdict: 'returned',
    reason: '请补充照片', by: hq, at: AT,
  };
  const put = await fetch(`${base}/station_990001/${encodeURIComponent(ID)}`, {
    method: 'PUT', headers: { authorization: auth, 'content-type': 'application/json' },
    body: JSON.stringify(review),
  });
  assert.equal(put.status, 201, await put.text());
  const hubRev = (await (await fetch(`${base}/station_990001/${encodeURIComponent(ID)}`, {
    headers: { authorization: auth },
  })).json())._rev;

  const remote = new PouchDB(process.env.INTEROP_HUB_URL, {
    auth: { username: process.env.INTEROP_HUB_USER, password: process.env.INTEROP_HUB_PASS },
  });
  const local = new PouchDB('review-cadre', { adapter: 'memory' });
  await local.replicate.from(remote, { doc_ids: [ID] });
  const got = await local.get(ID);
  assert.equal(got.reason, '请补充照片');
  assert.equal(got._rev, hubRev);

  // The cadre edits the review locally and pushes: refused per document.
  await local.put({ ...got, verdict: 'approved', reason: '' });
  const pushed = await local.replicate.to(remote, { doc_ids: [ID] });
  assert.equal(pushed.doc_write_failures, 1, JSON.stringify(pushed));
  assert.match(JSON.stringify(pushed.errors), /forbidden/);
  const after = await (await fetch(`${base}/station_990001/${encodeURIComponent(ID)}`, {
    headers: { authorization: auth },
  })).json();
  assert.equal(after._rev, hubRev, 'the hub keeps headquarters\' review');
  assert.equal(after.verdict, 'returned');
  await local.destroy();
});
