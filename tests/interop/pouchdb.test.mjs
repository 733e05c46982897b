// Interop with a third-party implementation: PouchDB (memory adapter) replicates 10,000
// documents — Chinese text, edits, conflicts made on purpose, deletions — to a target
// and back into a fresh PouchDB, then every document and revision tree is compared.
// The same test runs against pouchdb-server, which shows the test itself is right.
//
// Targets come from the environment (scripts/test-interop.sh sets them):
//   INTEROP_HUB_URL, INTEROP_HUB_USER, INTEROP_HUB_PASS   the hub's station database
//   INTEROP_POUCHDB_SERVER_URL                            a database on pouchdb-server
//   INTEROP_DOCS                                          document count (default 10000)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import PouchDB from 'pouchdb';
import memory from 'pouchdb-adapter-memory';

PouchDB.plugin(memory);

const N = Number(process.env.INTEROP_DOCS || 10000);
const results = {};

const TEXT = [
  '村夜话：垃圾分类怎么做？', '志愿服务队清理河道', '文明实践站组织老年人防诈骗讲座',
  '“邻里守望”互助小组成立', '春耕前的农技培训', '乡风文明积分兑换日',
];

function body(i, edit) {
  return {
    type: 'activity',
    title: `${TEXT[i % TEXT.length]}（第${i}期）`,
    station: '990001',
    attendees: (i * 7) % 53,
    tags: ['夜话', i % 2 ? '志愿' : '宣讲'],
    notes: edit ? `修改：${edit}` : '群众反映良好，下次继续。',
    nested: { village: '示范村', n: i, ok: i % 3 === 0 },
  };
}

const id = (i) => `act-${String(i).padStart(5, '0')}`;

// Builds the source database and returns it.
async function buildSource(name) {
  const db = new PouchDB(name, { adapter: 'memory' });
  const revs = new Map();
  const firstRevs = new Map();
  for (let start = 0; start < N; start += 1000) {
    const docs = [];
    for (let i = start; i < Math.min(N, start + 1000); i++) docs.push({ _id: id(i), ...body(i) });
    for (const r of await db.bulkDocs(docs)) {
      revs.set(r.id, r.rev);
      firstRevs.set(r.id, r.rev);
    }
  }
  // Every 5th document edited once; every 10th twice.
  const edits = [];
  for (let i = 0; i < N; i += 5) edits.push({ _id: id(i), _rev: revs.get(id(i)), ...body(i, '一') });
  for (const r of await db.bulkDocs(edits)) revs.set(r.id, r.rev);
  const edits2 = [];
  for (let i = 0; i < N; i += 10) edits2.push({ _id: id(i), _rev: revs.get(id(i)), ...body(i, '二') });
  for (const r of await db.bulkDocs(edits2)) revs.set(r.id, r.rev);
  // Conflicts on purpose: every 20th document (offset 5, so edited once) gets a second
  // branch from its first revision, as another phone would have made it offline.
  const branches = [];
  for (let i = 5; i < N; i += 20) {
    const first = firstRevs.get(id(i)).split('-')[1];
    const hash = `b${String(i).padStart(31, '0')}`;
    branches.push({
      _id: id(i), _rev: `2-${hash}`, _revisions: { start: 2, ids: [hash, first] },
      ...body(i, '另一部手机'),
    });
  }
  await db.bulkDocs(branches, { new_edits: false });
  // Deletions: every 7th document; where that hits a conflicted one, only one branch dies.
  const dels = [];
  for (let i = 0; i < N; i += 7) dels.push({ _id: id(i), _rev: (await db.get(id(i)))._rev, _deleted: true });
  await db.bulkDocs(dels);
  return db;
}

// Every document's full state: each leaf with its revision path and body.
async function snapshot(db) {
  const out = new Map();
  const ids = [];
  for (let i = 0; i < N; i++) ids.push(id(i));
  for (let s = 0; s < ids.length; s += 500) {
    const chunk = ids.slice(s, s + 500);
    const docs = await Promise.all(chunk.map(async (d) => {
      const leaves = await db.get(d, { open_revs: 'all', revs: true });
      const norm = leaves.map((l) => l.ok).sort((a, b) => (a._rev < b._rev ? -1 : 1));
      let winner;
      try {
        const w = await db.get(d, { conflicts: true });
        winner = { rev: w._rev, conflicts: w._conflicts || [] };
      } catch (e) {
        winner = { status: e.status, reason: e.reason || e.message };
      }
      return [d, { leaves: norm, winner }];
    }));
    for (const [k, v] of docs) out.set(k, v);
  }
  return out;
}

function counted(url, opts) {
  const stats = { requests: 0 };
  const db = new PouchDB(url, {
    ...opts,
    skip_setup: false,
    fetch: (u, o) => { stats.requests++; return PouchDB.fetch(u, o); },
  });
  return { db, stats };
}

// One source for every target, so both must end in exactly the same state.
let shared;
async function sharedSource() {
  if (!shared) {
    const source = await buildSource(`src-${Date.now()}`);
    shared = { source, want: await snapshot(source) };
  }
  return shared;
}

async function roundTrip(name, url, opts) {
  const tag = `${name}-${Date.now()}`;
  const { source, want } = await sharedSource();

  const push = counted(url, opts);
  let t = performance.now();
  const pushed = await PouchDB.replicate(source, push.db, { batch_size: 100 });
  const pushMs = performance.now() - t;
  assert.equal(pushed.ok, true);
  assert.equal(pushed.doc_write_failures, 0);

  const fresh = new PouchDB(`fresh-${tag}`, { adapter: 'memory' });
  const pull = counted(url, opts);
  t = performance.now();
  const pulled = await PouchDB.replicate(pull.db, fresh, { batch_size: 100 });
  const pullMs = performance.now() - t;
  assert.equal(pulled.ok, true);
  assert.equal(pulled.doc_write_failures, 0);

  const got = await snapshot(fresh);
  assert.equal(got.size, want.size);
  let conflicted = 0;
  let deleted = 0;
  for (const [docId, w] of want) {
    assert.deepEqual(got.get(docId), w, `document ${docId} differs after the round trip`);
    if (w.winner.conflicts && w.winner.conflicts.length) conflicted++;
    if (w.winner.status === 404) deleted++;
  }
  // The scenario really has conflicts and deletions in it.
  assert.ok(conflicted > N / 40, `conflicted ${conflicted}`);
  assert.ok(deleted > N / 10, `deleted ${deleted}`);

  // A second push finds nothing to do (checkpoints and revs_diff agree).
  const again = await PouchDB.replicate(source, push.db, { batch_size: 100 });
  assert.equal(again.docs_written, 0);

  results[name] = {
    docs: N, conflicted, deleted,
    push_ms: Math.round(pushMs), push_requests: push.stats.requests,
    pull_ms: Math.round(pullMs), pull_requests: pull.stats.requests,
    fingerprint: fingerprint(got),
  };
  console.log(`INTEROP ${name} ${JSON.stringify(results[name])}`);
}

// JSON with object keys sorted (servers may reorder keys; the content must not change).
function canonical(v) {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

// A short digest of the whole snapshot, to show both targets end in the same state.
function fingerprint(snap) {
  let h = 0;
  const text = canonical([...snap.entries()]);
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return (h >>> 0).toString(16);
}

const hubUrl = process.env.INTEROP_HUB_URL;
const serverUrl = process.env.INTEROP_POUCHDB_SERVER_URL;

test('pouchdb-server: 10,000 documents round trip', { skip: !serverUrl, timeout: 600_000 }, async () => {
  await roundTrip('pouchdb-server', serverUrl, {});
});

test('yehua-hub: 10,000 documents round trip', { skip: !hubUrl, timeout: 600_000 }, async () => {
  await roundTrip('hub', hubUrl, {
    auth: { username: process.env.INTEROP_HUB_USER, password: process.env.INTEROP_HUB_PASS },
  });
});

test('both targets end in the same state', { skip: !(hubUrl && serverUrl) }, () => {
  assert.equal(results.hub?.fingerprint, results['pouchdb-server']?.fingerprint);
});
