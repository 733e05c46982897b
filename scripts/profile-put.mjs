// What one IndexedDB `put` costs in Chromium, split (issue 24): scripts/profile-write.mjs
// shows the renderer's `put` as the largest part of the one-batch write, but the CPU profile
// cannot see inside it (Blink's C++). Here plain JavaScript puts 10,000 rows shaped like the
// `docs` store's (model::row: id, seq, rev, deleted, t, u, the sparse relation keys, and the
// record as JSON text of about the demo set's size) into one readwrite transaction with
// strict durability, in variants that each leave one thing out, alternating, RUNS times:
//   - the schema-5 store with its 10 indexes (what the app does);
//   - the same rows into a store without indexes (index keys cost);
//   - only `seq` and `type_updated` (the indexes a minimal layout would keep);
//   - each row as its record string alone, out-of-line keys, no index (object clone cost);
//   - a tiny value per row, no index (the fixed cost of one request);
//   - 100 rows of 100 records each, no index (many documents per row);
//   - the same with each document's keys in multiEntry indexes (what such a layout needs
//     to find a document by id, list by type and time, and follow a relation);
//   - the layout schema 6 stores (model::pack: the index arrays, the records as bytes) in
//     packs of 50, 100, 200 and 400 documents (what the pack size costs).
// For each: the time to issue the puts (the renderer's synchronous part: cloning, key and
// index-key extraction, the request object, the message to the browser process) and the
// time until `complete` (the browser process writing and committing). Medians, Markdown.
//
//   Usage: node scripts/profile-put.mjs [RUNS=5]
import { chromium } from 'playwright-core';

const RUNS = Number(process.argv[2] ?? 5);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu'],
});
try {
  const page = await browser.newPage();
  // Any http origin has IndexedDB; this one is answered by Playwright, no server needed.
  await page.route('http://yehua.invalid/**', (r) => r.fulfill({ contentType: 'text/html', body: '<!doctype html><title>put</title>' }));
  await page.goto('http://yehua.invalid/');
  const results = await page.evaluate(async (RUNS) => {
    const N = 10_000;
    const INDEXES = [['type', 't'], ['type_updated', ['t', 'u', 'id']], ['attendance_activity', 'aa'],
      ['attendance_volunteer', 'av'], ['concern_activity', 'ca'], ['concern_status', 'cs'],
      ['response_survey', 'rs'], ['conflicted', 'cf'], ['photo_of', 'pa'], ['seq', 'seq']];
    const uuid = (i) => `019a${String(i).padStart(4, '0')}-7c3e-7000-8000-${String(i * 7919).padStart(12, '0')}`;
    const hex = (i) => (BigInt(i) * 0x9e3779b97f4a7c15n).toString(16).padStart(32, '0').slice(-32);
    // Rows like the demo set's: a third attendance, some activities, concerns, volunteers.
    const rows = [];
    for (let i = 0; i < N; i++) {
      const kind = ['activity', 'attendance', 'attendance', 'attendance', 'volunteer', 'concern', 'response'][i % 7];
      const id = kind === 'attendance' ? `attendance:${uuid(i - 1)}:${uuid(i)}` : `${kind}:${uuid(i)}`;
      const rev = `1-${hex(i)}`;
      const body = { type: kind, station: '330106001', title: '新时代文明实践夜话：医保政策宣讲与群众议事', place: '村文化礼堂',
        start: '2026-10-12T19:30:00+08:00', updated_at: '2026-10-12T21:00:00+08:00', activity_id: `activity:${uuid(i - 1)}`,
        volunteer_id: `volunteer:${uuid(i)}`, note: '村民反映的问题已记录，会后由服务队跟进。', demo: true };
      const rec = JSON.stringify({ id, tree: { roots: [{ pos: 1, hash: hex(i), deleted: false, children: [] }] }, bodies: { [rev]: body } });
      const row = { id, seq: i + 1, rev, deleted: false, t: kind, u: body.start, rec };
      if (kind === 'attendance') Object.assign(row, { aa: body.activity_id, av: body.volunteer_id });
      if (kind === 'concern') Object.assign(row, { ca: body.activity_id, cs: 'open' });
      if (kind === 'response') row.rs = `survey:${uuid(1)}`;
      rows.push(row);
    }
    const open = (name, make) => new Promise((resolve, reject) => {
      const r = indexedDB.open(name, 1);
      r.onupgradeneeded = () => make(r.result);
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const gone = (name) => new Promise((resolve) => { const r = indexedDB.deleteDatabase(name); r.onsuccess = r.onerror = resolve; });
    const VARIANTS = {
      'schema 5: 10 indexes, rows as today': [(db) => { const s = db.createObjectStore('docs', { keyPath: 'id' }); for (const [n, p] of INDEXES) s.createIndex(n, p); },
        (s) => { for (const r of rows) s.put(r); }],
      'no index, rows as today': [(db) => db.createObjectStore('docs', { keyPath: 'id' }), (s) => { for (const r of rows) s.put(r); }],
      'two indexes (seq, type_updated), rows as today': [(db) => { const s = db.createObjectStore('docs', { keyPath: 'id' }); s.createIndex('seq', 'seq'); s.createIndex('type_updated', ['t', 'u', 'id']); },
        (s) => { for (const r of rows) s.put(r); }],
      'no index, the record string alone (out-of-line key)': [(db) => db.createObjectStore('docs'), (s) => { for (const r of rows) s.put(r.rec, r.id); }],
      'no index, a tiny value per row (the cost of a request)': [(db) => db.createObjectStore('docs'), (s) => { for (const r of rows) s.put(1, r.id); }],
      'no index, 100 rows of 100 records each': [(db) => db.createObjectStore('docs'), (s) => {
        for (let i = 0; i < N; i += 100) s.put(rows.slice(i, i + 100).map((r) => r.rec), rows[i].id);
      }],
      '100 rows of 100 records, each doc\'s keys in multiEntry indexes (ids, [t, u, id], relations)': [(db) => {
        const s = db.createObjectStore('docs');
        s.createIndex('ids', 'ids', { multiEntry: true });
        s.createIndex('type_updated', 'tu', { multiEntry: true });
        s.createIndex('attendance_activity', 'aa', { multiEntry: true });
      }, (s) => {
        for (let i = 0; i < N; i += 100) {
          const part = rows.slice(i, i + 100);
          s.put({ ids: part.map((r) => r.id), tu: part.filter((r) => r.t).map((r) => [r.t, r.u, r.id]),
            aa: part.filter((r) => r.aa).map((r) => [r.aa, r.id]), recs: part.map((r) => r.rec) }, i);
        }
      }],
    };
    // The schema-6 layout (model::pack): ids, sequences, record ends and the index arrays as
    // JavaScript values, the records as one Uint8Array of UTF-8; packs of SIZE documents.
    const enc = new TextEncoder();
    const packed = (size) => [(db) => {
      const s = db.createObjectStore('docs');
      s.createIndex('p_id', 'ids', { multiEntry: true });
      s.createIndex('p_tu', 'tu', { multiEntry: true });
      for (const k of ['aa', 'av', 'ca', 'cs', 'rs']) s.createIndex(`p_${k}`, k, { multiEntry: true });
    }, (s) => {
      for (let i = 0; i < N; i += size) {
        const part = rows.slice(i, i + size);
        const body = enc.encode(part.map((r) => r.rec).join(''));
        const pair = (k) => part.filter((r) => r[k]).map((r) => [r[k], r.id]);
        s.put({ ids: part.map((r) => r.id), sq: part.map((r) => r.seq), ends: part.map((_, j) => j),
          tu: part.filter((r) => r.t).map((r) => [r.t, r.u, r.id]), aa: pair('aa'), av: pair('av'),
          ca: pair('ca'), cs: pair('cs'), rs: pair('rs'), body }, i);
      }
    }];
    for (const size of [50, 100, 200, 400]) VARIANTS[`schema 6: packs of ${size}, records as bytes`] = packed(size);
    // The same with the relation pairs naming a document by its position in the pack.
    VARIANTS['packs of 100, records as bytes, relations as [key, position]'] = [packed(100)[0], (s) => {
      for (let i = 0; i < N; i += 100) {
        const part = rows.slice(i, i + 100);
        const body = enc.encode(part.map((r) => r.rec).join(''));
        const pair = (k) => part.flatMap((r, j) => (r[k] ? [[r[k], j]] : []));
        s.put({ ids: part.map((r) => r.id), sq: part.map((r) => r.seq), ends: part.map((_, j) => j),
          tu: part.filter((r) => r.t).map((r) => [r.t, r.u, r.id]), aa: pair('aa'), av: pair('av'),
          ca: pair('ca'), cs: pair('cs'), rs: pair('rs'), body }, i);
      }
    }];
    const out = {};
    for (let run = 0; run < RUNS; run++) {
      for (const [label, [make, write]] of Object.entries(VARIANTS)) {
        const name = `put_${run}_${label.length}`;
        await gone(name);
        const db = await open(name, make);
        const t0 = performance.now();
        const tx = db.transaction('docs', 'readwrite', { durability: 'strict' });
        write(tx.objectStore('docs'));
        const t1 = performance.now();
        await new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = () => reject(tx.error); });
        const t2 = performance.now();
        db.close();
        await gone(name);
        (out[label] ??= []).push([t1 - t0, t2 - t1, t2 - t0]);
      }
    }
    return out;
  }, RUNS);
  const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
  console.log(`10,000 puts in one strict readwrite transaction, plain JavaScript, medians of ${RUNS}, variants alternating.\n`);
  console.log('| variant | issuing the puts (renderer) ms | until complete (browser process) ms | total ms |\n|---|---|---|---|');
  for (const [label, runs] of Object.entries(results)) {
    const [a, b, c] = [0, 1, 2].map((k) => Math.round(median(runs.map((r) => r[k]))));
    console.log(`| ${label} | ${a} | ${b} | ${c} |`);
  }
} finally {
  await browser.close();
}
