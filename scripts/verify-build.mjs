// Checks a finished build and fails loudly (throws) if it would break offline or on a
// slow link: run last by scripts/post-build.mjs, or by hand:  node scripts/verify-build.mjs [DIR=dist]
// - the service worker's list is exactly the build's files, each with its true integrity;
// - every integrity named by index.html and by the chunk loader matches the file's bytes,
//   and every file they name is built and precached;
// - every wasm module of the build is named by index.html or the loader (no orphan chunk);
// - every .br / .gz copy decompresses to its file's bytes.
// Reads only; owns no file.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { builtFiles } from './precompress.mjs';
import { integrity } from './split.mjs';

/** The PRECACHE constant of `dir/sw.js`. */
export function precacheOf(dir) {
  const text = readFileSync(join(dir, 'sw.js'), 'utf8');
  const m = /^const PRECACHE = ([\s\S]*?\]);$/m.exec(text);
  if (!m) throw new Error(`${dir}/sw.js has no PRECACHE list`);
  return JSON.parse(m[1]);
}

/** Every `[path, integrity]` a text names: HTML attributes, `fetch(…, { integrity })`, import maps. */
export function namedIntegrities(text, base = '') {
  const out = [];
  for (const m of text.matchAll(/href="\/([^"]+)"[^>]*?integrity="([^"]+)"/g)) out.push([m[1], m[2]]);
  for (const m of text.matchAll(/fetch\('\/([^']+)', \{ integrity: '([^']+)' \}\)/g)) out.push([m[1], m[2]]);
  for (const m of text.matchAll(/new URL\("\.\/([^"]+)", import\.meta\.url\), \{ integrity: "([^"]+)" \}/g)) {
    out.push([base + m[1], m[2]]);
  }
  const map = /<script type="importmap">([\s\S]*?)<\/script>/.exec(text);
  if (map) for (const [url, sri] of Object.entries(JSON.parse(map[1]).integrity ?? {})) out.push([url.replace(/^\//, ''), sri]);
  return out;
}

/** Throws on the first broken promise of the build in `dir`; returns what it checked. */
export function verifyBuild(dir) {
  const fail = (msg) => {
    throw new Error(`build check failed in ${dir}: ${msg}`);
  };
  const all = builtFiles(dir).filter((f) => !f.startsWith('.'));
  const bytes = new Map(all.map((f) => [f, readFileSync(join(dir, f))]));
  const files = all.filter((f) => f !== 'sw.js');
  const precache = precacheOf(dir);
  const listed = new Map(precache.map((e) => [e.path, e.integrity]));
  for (const f of files) if (!listed.has(f)) fail(`${f} is not in the service worker's list`);
  for (const [path, sri] of listed) {
    if (!bytes.has(path)) fail(`the service worker lists ${path}, which is not built`);
    if (integrity(bytes.get(path)) !== sri) fail(`the service worker's integrity for ${path} does not match its bytes`);
  }
  const html = bytes.get('index.html').toString('utf8');
  const loaders = files.filter((f) => /^split-[0-9a-f]+\.js$/.test(f));
  const named = [
    ...namedIntegrities(html),
    ...loaders.flatMap((l) => namedIntegrities(bytes.get(l).toString('utf8'))),
  ];
  for (const [path, sri] of named) {
    if (!bytes.has(path)) fail(`${path} is named but not built`);
    if (integrity(bytes.get(path)) !== sri) fail(`the integrity given for ${path} does not match its bytes`);
  }
  const reached = new Set(named.map(([p]) => p));
  for (const f of files) if (f.endsWith('.wasm') && !reached.has(f)) fail(`${f} is built but nothing loads it`);
  for (const f of all) {
    for (const [ext, unpack] of [['.br', brotliDecompressSync], ['.gz', gunzipSync]]) {
      const copy = join(dir, f + ext);
      if (existsSync(copy) && !unpack(readFileSync(copy)).equals(bytes.get(f))) fail(`${f}${ext} is not a copy of ${f}`);
    }
  }
  return { files: files.length, named: named.length, modules: files.filter((f) => f.endsWith('.wasm')).length };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = verifyBuild(process.argv[2] || 'dist');
  console.log(`verify-build: ${r.files} files, ${r.modules} wasm modules, ${r.named} integrity references: all good`);
}
