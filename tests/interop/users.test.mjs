// The headquarters console's account calls — `_users` documents and a station's
// `_security`, as CouchDB 3 documents them — run against the hub and against
// pouchdb-server (which implements both), and a user created through them replicates
// exactly the databases the rules allow.
//
// Targets come from the environment (scripts/test-interop.sh sets them):
//   INTEROP_HUB_BASE, INTEROP_HUB_ADMIN, INTEROP_HUB_ADMIN_PASS   the hub's /couch and an admin
//   INTEROP_HUB_HQ, INTEROP_HUB_HQ_PASS                           an hq account of station 99
//   INTEROP_POUCHDB_SERVER_BASE                                   pouchdb-server (admin party)
// Stations: 990002 (the new cadre's) and 990001 (another village's); on the hub both are
// below township 99.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import PouchDB from 'pouchdb';
import memory from 'pouchdb-adapter-memory';

PouchDB.plugin(memory);

const OWN = '990002';
const OTHER = '990001';
const basic = (name, pw) => `Basic ${Buffer.from(`${name}:${pw}`).toString('base64')}`;

async function call(base, auth, method, path, body) {
  const headers = { accept: 'application/json' };
  if (auth) headers.authorization = auth;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, body: json };
}

// What a station database's _security is (the hub derives it; on CouchDB the console writes it).
const security = (code, above) => ({
  admins: { names: [], roles: ['_admin'] },
  members: { names: [], roles: [`cadre:${code}`, `hq:${code}`, ...above.map((c) => `hq:${c}`)] },
});
const sorted = (s) => ({
  admins: { names: [...s.admins.names].sort(), roles: [...s.admins.roles].sort() },
  members: { names: [...s.members.names].sort(), roles: [...s.members.roles].sort() },
});

// The console's calls, in the order it makes them, against one target.
async function accounts(base, admin, above) {
  const name = `li${Date.now() % 100000}`;
  const uid = `/_users/org.couchdb.user:${name}`;
  const [pw1, pw2] = ['tea-field-2026', 'river-bank-2027'];

  // A station: its database (the hub's exists already) and its _security.
  for (const code of [OWN, OTHER]) {
    const made = await call(base, admin, 'PUT', `/station_${code}`);
    assert.ok([201, 412].includes(made.status), `PUT station_${code}: ${made.status}`);
    const put = await call(base, admin, 'PUT', `/station_${code}/_security`, security(code, above));
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const got = await call(base, admin, 'GET', `/station_${code}/_security`);
    assert.deepEqual(sorted(got.body), sorted(security(code, above)));
  }

  // Create: the password goes in, and never comes back.
  const doc = { _id: `org.couchdb.user:${name}`, name, type: 'user', roles: [`cadre:${OWN}`] };
  const made = await call(base, admin, 'PUT', uid, { ...doc, password: pw1 });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const read = await call(base, admin, 'GET', uid);
  assert.equal(read.status, 200);
  assert.equal(read.body.name, name);
  assert.deepEqual(read.body.roles, [`cadre:${OWN}`]);
  assert.equal(read.body.password, undefined);
  assert.ok(!JSON.stringify(read.body).includes(pw1));

  // Sign in as the new user.
  const me = await call(base, basic(name, pw1), 'GET', '/_session');
  assert.equal(me.body.userCtx.name, name);
  assert.deepEqual(me.body.userCtx.roles, [`cadre:${OWN}`]);

  // Reset the password at the current _rev: the old one stops, the new one works.
  const reset = await call(base, admin, 'PUT', uid, { ...read.body, password: pw2 });
  assert.equal(reset.status, 201, JSON.stringify(reset.body));
  const stale = await call(base, admin, 'PUT', uid, { ...read.body, password: pw2 });
  assert.equal(stale.status, 409, 'an old _rev conflicts');
  assert.equal((await call(base, basic(name, pw1), 'GET', `/station_${OWN}`)).status, 401);
  assert.equal((await call(base, basic(name, pw2), 'GET', `/station_${OWN}`)).status, 200);

  // The user replicates its own station both ways, and no other.
  const auth = { username: name, password: pw2 };
  const local = new PouchDB(`users-${name}-${base.length}`, { adapter: 'memory' });
  await local.bulkDocs(Array.from({ length: 20 }, (_, i) => ({ _id: `activity:${name}:${i}`, type: 'activity', title: `村夜话 ${i}` })));
  const own = new PouchDB(`${base}/station_${OWN}`, { auth, skip_setup: true });
  const pushed = await PouchDB.replicate(local, own);
  assert.equal(pushed.docs_written, 20);
  const back = new PouchDB(`back-${name}-${base.length}`, { adapter: 'memory' });
  const pulled = await PouchDB.replicate(own, back);
  assert.ok(pulled.docs_written >= 20);
  const other = new PouchDB(`${base}/station_${OTHER}`, { auth, skip_setup: true });
  await assert.rejects(PouchDB.replicate(local, other), (e) => [401, 403].includes(e.status));
  await assert.rejects(PouchDB.replicate(other, back), (e) => [401, 403].includes(e.status));

  // Delete at the current _rev: the account no longer signs in.
  const now = await call(base, admin, 'GET', uid);
  const gone = await call(base, admin, 'DELETE', `${uid}?rev=${now.body._rev}`);
  assert.equal(gone.status, 200, JSON.stringify(gone.body));
  assert.equal((await call(base, admin, 'GET', uid)).status, 404);
  assert.equal((await call(base, basic(name, pw2), 'GET', `/station_${OWN}`)).status, 401);
}

const hub = process.env.INTEROP_HUB_BASE;
const server = process.env.INTEROP_POUCHDB_SERVER_BASE;

test('pouchdb-server: the console\'s account calls', { skip: !server, timeout: 60_000 }, async () => {
  await accounts(server, null, []);
});

test('yehua-hub: the console\'s account calls', { skip: !hub, timeout: 60_000 }, async () => {
  await accounts(hub, basic(process.env.INTEROP_HUB_ADMIN, process.env.INTEROP_HUB_ADMIN_PASS), ['99']);
});

test('yehua-hub: hq manages only cadres below it', { skip: !hub, timeout: 60_000 }, async () => {
  const hq = basic(process.env.INTEROP_HUB_HQ, process.env.INTEROP_HUB_HQ_PASS);
  const put = (name, role) => call(hub, hq, 'PUT', `/_users/org.couchdb.user:${name}`,
    { _id: `org.couchdb.user:${name}`, name, type: 'user', roles: [role], password: 'tea-field-2026' });
  assert.equal((await put('boss', '_admin')).status, 403, 'an hq account cannot create an admin');
  assert.equal((await put('peer', 'hq:990002')).status, 403, 'nor an hq account');
  const ok = await put('wang', `cadre:${OWN}`);
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  const list = await call(hub, hq, 'GET', '/_users/_all_docs?include_docs=true');
  // Itself and the cadres below it (the round-trip test's cadre of 990001 and wang), never the admin.
  const want = [process.env.INTEROP_HUB_HQ, process.env.INTEROP_HUB_USER, 'wang'].sort();
  assert.deepEqual(list.body.rows.map((r) => r.doc.name).sort(), want);
});
