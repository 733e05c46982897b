// Attachments with a third-party implementation: PouchDB (memory adapter) pushes 200
// photo documents — two JPEG-like attachments each, some bytes shared between documents,
// some replaced in a later revision, one attachment removed — to a target, pulls them
// back into a fresh PouchDB, and every attachment's stub (digest, length, revpos, type)
// and bytes must match the source and CouchDB's digest (md5- + base64 of the MD5). The
// same test runs against pouchdb-server, and both targets must end in the same state.
//
// Targets come from the environment (scripts/test-interop.sh sets them):
//   INTEROP_HUB_ATT_URL, INTEROP_HUB_ATT_USER, INTEROP_HUB_PASS   a hub station database
//   INTEROP_POUCHDB_SERVER_ATT_URL                                a pouchdb-server database
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import PouchDB from 'pouchdb';
import memory from 'pouchdb-adapter-memory';

PouchDB.plugin(memory);

const N = 200;
const results = {};
const id = (i) => `photo:att-${String(i).padStart(4, '0')}`;

// Deterministic bytes (a JPEG's start, then noise), `len` long.
function bytes(seed, len) {
  const b = Buffer.alloc(len);
  let x = seed * 2654435761 >>> 0;
  for (let i = 0; i < len; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  b[0] = 0xff; b[1] = 0xd8;
  return b;
}

const couchDigest = (buf) => `md5-${createHash('md5').update(buf).digest('base64')}`;
const att = (buf) => ({ content_type: 'image/jpeg', data: buf });

async function buildSource() {
  const db = new PouchDB(`att-src-${Date.now()}`, { adapter: 'memory' });
  const docs = [];
  for (let i = 0; i < N; i++) {
    // Every 10th document shows the same photo as document 0: one digest, many documents.
    const image = i % 10 === 0 ? bytes(1, 12_000) : bytes(1000 + i, 4_000 + (i * 37) % 9_000);
    docs.push({
      _id: id(i), type: 'photo', caption: `夜话现场 ${i}`,
      _attachments: { 'image.jpg': att(image), 'thumb.jpg': att(bytes(5000 + i, 600 + i)) },
    });
  }
  const revs = new Map();
  for (const r of await db.bulkDocs(docs)) revs.set(r.id, r.rev);
  // Every 5th document gets a new thumbnail in revision 2 (the image stays a stub, revpos 1).
  const edits = [];
  for (let i = 0; i < N; i += 5) {
    const doc = await db.get(id(i));
    doc.caption += '（已改）';
    doc._attachments['thumb.jpg'] = att(bytes(9000 + i, 700));
    edits.push(doc);
  }
  await db.bulkDocs(edits);
  // Every 25th (offset 3) loses its thumbnail in a later revision.
  for (let i = 3; i < N; i += 25) {
    const doc = await db.get(id(i));
    delete doc._attachments['thumb.jpg'];
    await db.put(doc);
  }
  return db;
}

// Each document's winner: stubs (without PouchDB's local-only fields) and bytes' digests.
async function snapshot(db) {
  const out = new Map();
  for (let i = 0; i < N; i++) {
    const doc = await db.get(id(i), { attachments: true, binary: true });
    const atts = {};
    for (const [name, a] of Object.entries(doc._attachments)) {
      const data = Buffer.from(a.data);
      assert.equal(a.digest, couchDigest(data), `${id(i)}/${name}: digest is CouchDB's`);
      atts[name] = { content_type: a.content_type, digest: a.digest, revpos: a.revpos, length: data.length };
    }
    out.set(id(i), { rev: doc._rev, caption: doc.caption, atts });
  }
  return out;
}

function withoutRevpos(doc) {
  const atts = Object.fromEntries(Object.entries(doc.atts).map(([k, { revpos, ...rest }]) => [k, rest]));
  return { ...doc, atts };
}

let shared;
async function sharedSource() {
  if (!shared) {
    const source = await buildSource();
    shared = { source, want: await snapshot(source) };
  }
  return shared;
}

async function roundTrip(name, url, opts) {
  const { source, want } = await sharedSource();
  const target = new PouchDB(url, opts);
  let t = performance.now();
  const pushed = await PouchDB.replicate(source, target, { batch_size: 50 });
  const pushMs = performance.now() - t;
  assert.equal(pushed.ok, true);
  assert.equal(pushed.doc_write_failures, 0, JSON.stringify(pushed.errors));
  const fresh = new PouchDB(`att-fresh-${name}-${Date.now()}`, { adapter: 'memory' });
  t = performance.now();
  const pulled = await PouchDB.replicate(target, fresh, { batch_size: 50 });
  const pullMs = performance.now() - t;
  assert.equal(pulled.ok, true);
  assert.equal(pulled.doc_write_failures, 0, JSON.stringify(pulled.errors));
  // PouchDB gives bytes it writes the new revision's generation as revpos, so a round
  // trip keeps digest, length, type and bytes (checked in snapshot) but not revpos.
  const got = await snapshot(fresh);
  for (const [docId, w] of want) {
    assert.deepEqual(withoutRevpos(got.get(docId)), withoutRevpos(w), `${docId} differs after the round trip`);
  }
  // The scenario has what it claims: shared digests, revpos 2, removed thumbnails.
  const all = [...want.values()].flatMap((d) => Object.values(d.atts));
  assert.ok(new Set(all.map((a) => a.digest)).size < all.length, 'some bytes are shared');
  assert.ok(all.some((a) => a.revpos === 2), 'some attachments changed later');
  assert.ok([...want.values()].some((d) => !d.atts['thumb.jpg']), 'some thumbnails removed');
  // The bytes straight from the target, as a phone opening one photo fetches them.
  const raw = await target.getAttachment(id(7), 'image.jpg');
  assert.equal(couchDigest(Buffer.from(raw)), want.get(id(7)).atts['image.jpg'].digest);
  const onTarget = await snapshot(target);
  if (name === 'hub') {
    // The hub keeps the revpos the source gave (as CouchDB does); pouchdb-server gives
    // bytes it receives the new revision's generation, so only the hub is held to this.
    for (const [docId, w] of want) assert.deepEqual(onTarget.get(docId), w, `${docId} on the hub`);
  }
  results[name] = {
    docs: N, push_ms: Math.round(pushMs), pull_ms: Math.round(pullMs),
    state: new Map([...onTarget].map(([k, v]) => [k, withoutRevpos(v)])),
  };
  console.log(`INTEROP-ATT ${name} ${JSON.stringify({ ...results[name], state: undefined })}`);
}

const hubUrl = process.env.INTEROP_HUB_ATT_URL;
const serverUrl = process.env.INTEROP_POUCHDB_SERVER_ATT_URL;

test('pouchdb-server: 200 documents with attachments round trip', { skip: !serverUrl, timeout: 120_000 }, async () => {
  await roundTrip('pouchdb-server', serverUrl, {});
});

test('yehua-hub: 200 documents with attachments round trip', { skip: !hubUrl, timeout: 120_000 }, async () => {
  await roundTrip('hub', hubUrl, {
    auth: { username: process.env.INTEROP_HUB_ATT_USER, password: process.env.INTEROP_HUB_PASS },
  });
});

test('both targets end in the same attachments', { skip: !(hubUrl && serverUrl) }, () => {
  assert.ok(results.hub && results['pouchdb-server'], 'both round trips ran');
  for (const [docId, w] of results['pouchdb-server'].state) {
    assert.deepEqual(results.hub.state.get(docId), w, `${docId}: hub and pouchdb-server differ`);
  }
});
