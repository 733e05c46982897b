// Turns the `BENCH {json}` lines of a `make bench` run into Markdown tables with the date,
// the machine and the commit, prints them, and inserts them into BENCHMARKS.md as the
// newest section (below the introduction).   Usage: node scripts/bench-report.mjs LINES_FILE
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { execSync } from 'node:child_process';

const lines = readFileSync(process.argv[2], 'utf8')
  .split('\n')
  .filter((l) => l.includes('BENCH {'))
  .map((l) => JSON.parse(l.slice(l.indexOf('BENCH {') + 6)));
const kb = (n) => (n / 1024).toFixed(1);
const commit = execSync('git rev-parse --short HEAD').toString().trim();
const date = new Date().toISOString().slice(0, 10);
const out = [];
out.push(`## ${date} — \`make bench\` (${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GB, commit ${commit})`, '');
out.push('Medians of 5 runs; Yehua and PouchDB alternate in the same page.', '');

const files = lines.filter((l) => l.figure === 'file' || l.figure === 'whole app');
if (files.length) {
  out.push('### The build (every file; the service worker precaches them all after the first screen)', '', '| file | raw KB | gzip -9 KB | brotli -q 11 KB |', '|---|---|---|---|');
  for (const f of files) out.push(`| ${f.file === '(all)' ? '**whole app**' : '`' + f.file + '`'} | ${kb(f.raw)} | ${kb(f.gzip)} | ${kb(f.brotli)} |`);
  out.push('');
}

const modules = lines.filter((l) => l.figure === 'module crates');
if (modules.length) {
  out.push('### What each module of the split build holds (code before wasm-opt, by crate)', '', '| module | code KB | largest crates (KB) |', '|---|---|---|');
  for (const m of modules) out.push(`| ${m.module} | ${m.code_kb} | ${m.crates.map(([c, k]) => `${c} ${k}`).join(', ')} |`);
  out.push('');
}

const load = lines.filter((l) => l.network);
if (load.length) {
  const whole = files.find((f) => f.file === '(all)');
  out.push(
    '### First visit and load time (CPU 4× slower; budgets: critical path ≤ 150 KB, first visit ≤ 1.1 × the build, interactive on Regular 3G ≤ 3 s and Slow 4G ≤ 2 s, offline restart ≤ 1 s, another screen first time on Regular 3G ≤ 1.5 s)',
    '', '| network | figure | median | runs |', '|---|---|---|---|');
  for (const l of load) {
    const v = (n) => (l.unit === 'bytes' ? `${kb(n)} KB` : `${n} ms`);
    const ratio = l.unit === 'bytes' && whole && l.figure.startsWith('first visit') ? ` (${(l.median / whole.brotli).toFixed(2)} × the build)` : '';
    out.push(`| ${l.network} | ${l.figure} | ${v(l.median)}${ratio} | ${l.runs.map(v).join(', ')} |`);
  }
  out.push('');
}

const render = lines.filter((l) => l.activities !== undefined && !l.network);
if (render.length) {
  out.push('### Rendering: the activity list (CPU 4× slower)', '', '| figure | activities | median ms | runs | notes |', '|---|---|---|---|---|');
  for (const l of render) out.push(`| ${l.figure} | ${l.activities} | ${l.median} | ${l.runs.join(', ')} | ${l.debounce_ms ? `includes the ${l.debounce_ms} ms typing debounce` : ''} |`);
  out.push('');
}

const paper = lines.filter((l) => l.forums !== undefined);
if (paper.length) {
  out.push("### Printing: the month's 台账 (CPU 4× slower; budget: under 5 s with 100 forums)", '',
    '| figure | forums | record pages | PDF pages | median ms | runs | page.pdf() median ms |', '|---|---|---|---|---|---|---|');
  for (const l of paper) out.push(`| ${l.figure} | ${l.forums} | ${l.record_pages} | ${l.pdf_pages} | ${l.median} | ${l.runs.join(', ')} | ${l.pdf_median} |`);
  out.push('');
}

const cmp = lines.filter((l) => 'pouchdb' in l && 'yehua' in l && typeof l.yehua === 'number');
if (cmp.length) {
  out.push('### IndexedDB and sync: Yehua vs PouchDB 9 (budgets: bulk write ≥ 10× PouchDB; sync ≥ 3× faster in ≤ 1/5 of the requests)', '',
    '| figure | Yehua ms | PouchDB ms | PouchDB / Yehua | notes |', '|---|---|---|---|---|');
  for (const l of cmp) {
    let notes = '';
    if (l.extra?.yehua?.requests !== undefined) {
      const y = l.extra.yehua, p = l.extra.pouchdb;
      notes = `requests ${y.requests} vs ${p.requests}; bytes out ${kb(y.bytes_out)} vs ${kb(p.bytes_out)} KB, in ${kb(y.bytes_in)} vs ${kb(p.bytes_in)} KB`;
    } else if (l.extra?.records !== undefined) notes = `${l.extra.records} records`;
    else if (l.extra?.bench_copy_ms !== undefined) notes = `the bench's own copy of the documents, outside the figure: ${Math.round(l.extra.bench_copy_ms)} ms`;
    out.push(`| ${l.figure} | ${Math.round(l.yehua)} | ${Math.round(l.pouchdb)} | ${l.ratio.toFixed(2)}× | ${notes} |`);
  }
  out.push('');
}

const firstSync = lines.filter((l) => l.figure === 'first sync, Regular 3G, CPU 4x');
if (firstSync.length) {
  out.push("### A new phone's first sync, Regular 3G (300 ms, 750/250 kbit/s), CPU 4× (budgets: 910 records ≤ 5 s; 10,000 ≤ 40 s in ≤ 1/10 of PouchDB's requests)", '',
    '| records | median ms | runs | requests | PouchDB requests | KB in (compressed) |', '|---|---|---|---|---|---|');
  for (const l of firstSync) out.push(`| ${l.records} | ${l.median} | ${l.runs.join(', ')} | ${l.requests} | ${l.pouchdb_requests} | ${l.kb_in} |`);
  out.push('');
}

const hub = lines.filter((l) => l.figure?.startsWith('hub load'));
if (hub.length) {
  out.push('### Hub under simulated devices (release build, loopback)', '',
    '| devices | accounts | concurrency | requests | errors | seconds | req/s | p50 ms | p99 ms | peak RSS MB |', '|---|---|---|---|---|---|---|---|---|---|');
  for (const h of hub) out.push(`| ${h.stations} | ${h.accounts ?? 1} | ${h.concurrency} | ${h.requests} | ${h.errors} | ${h.seconds} | ${h.requests_per_s} | ${h.p50_ms} | ${h.p99_ms} | ${h.hub_peak_rss_mb} |`);
  out.push('');
}

const status = lines.filter((l) => l.figure === 'hub status');
if (status.length) {
  out.push('### 上报情况 on the hub (release build, 2 threads; budget: ≤ 1 s)', '',
    '| stations | documents | first question after start, ms | unchanged, ms | one village changed, ms |', '|---|---|---|---|---|');
  for (const s of status) out.push(`| ${s.stations} | ${s.documents} | ${s.first_ms} | ${s.unchanged_ms} | ${s.one_changed_ms} |`);
  out.push('');
}

const scaling = lines.filter((l) => l.figure === 'photo scaling');
const photoStore = lines.filter((l) => l.figure === 'photo storage');
const photoSync = lines.filter((l) => l.figure === 'photo sync');
if (scaling.length || photoSync.length) {
  out.push('### 活动照片 (budget: scaling a 4000×3000 photo at CPU 4× ≤ 1.5 s each; bytes: request and response bodies)', '',
    '| figure | result | notes |', '|---|---|---|');
  for (const l of scaling) out.push(`| scaling ${l.input}, CPU ${l.cpu}×, to the thumbnail on screen | median ${l.median_ms} ms | runs ${l.runs.join(', ')} ms |`);
  for (const l of photoStore) out.push(`| a forum with ${l.photos} photos in IndexedDB | ${kb(l.blob_bytes + l.row_bytes)} KB | JPEGs ${kb(l.blob_bytes)} KB (largest ${kb(l.largest_full)} KB), rows ${kb(l.row_bytes)} KB |`);
  for (const l of photoSync) out.push(`| ${l.photos} photos to the hub, ${l.who} | ${l.ms} ms | ${l.requests} requests, ${kb(l.sent)} KB sent, ${kb(l.received)} KB received, for ${kb(l.photo_bytes)} KB of JPEGs |`);
  out.push('');
}

const section = out.join('\n');
console.log(section);
const path = 'BENCHMARKS.md';
const doc = readFileSync(path, 'utf8');
const at = doc.indexOf('\n## ');
writeFileSync(path, at < 0 ? `${doc}\n${section}\n` : `${doc.slice(0, at + 1)}${section}\n${doc.slice(at + 1)}`);
