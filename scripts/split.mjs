// The split build: turns cargo's raw wasm into a first module plus the chunks
// src/chunks.rs marks, in place of the single module Trunk built. Run by
// scripts/post-build.mjs on Trunk's staging folder, before the service worker is written.
//
// Trunk cannot do this itself: the split has to happen on cargo's output, before
// wasm-bindgen. So this redoes that part of the pipeline:
//   wasm-split-cli (raw wasm → main + split_*/chunk_* modules + the loader `__wasm_split.js`)
//   → wasm-bindgen --target web --keep-lld-exports on the main module
//   → wasm-opt -Oz on every module (release builds)
//   → content-hashed names, sha384 integrity on every reference, index.html rewritten.
// Trunk's own yehua-*.js / *_bg.wasm are removed. Owns the files it writes; the worker's
// list and the compressed copies are written after it (scripts/precache.mjs, precompress.mjs).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const root = new URL('../', import.meta.url).pathname;
// The tools scripts/setup.sh installs: wasm-opt 132 from npm first (never Debian's), then
// wasm-bindgen and wasm-split-cli from cargo.
const PATH = [join(root, 'node_modules/.bin'), join(homedir(), '.cargo/bin'), process.env.PATH].join(':');
const exec = promisify(execFile);
const run = (cmd, args) => exec(cmd, args, { maxBuffer: 1 << 26, env: { ...process.env, PATH } });

/** The import module the `wasm_split` macro leaves in cargo's output until the split. */
const PLACEHOLDER = '__wasm_split_placeholder__';
/** What wasm-split-cli names the loader, and what the main module imports it as. */
const LINK = '__wasm_split.js';

/** `sha384-…`, the integrity value of `bytes`. */
export function integrity(bytes) {
  return 'sha384-' + createHash('sha384').update(bytes).digest('base64');
}

/** 16 hex digits of SHA-256: the content hash in a file's name. */
export function contentHash(...parts) {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex').slice(0, 16);
}

/** Cargo's raw wasm for the profile Trunk built (TRUNK_PROFILE). */
export function rawWasmPath(profile = process.env.TRUNK_PROFILE) {
  const target = process.env.CARGO_TARGET_DIR || join(root, 'target');
  const dir = profile === 'release' ? 'wasm-release' : 'debug';
  return join(target, 'wasm32-unknown-unknown', dir, 'yehua.wasm');
}

async function wasmOpt(files) {
  const args = ['-Oz', '--enable-bulk-memory', '--enable-nontrapping-float-to-int'];
  const queue = [...files];
  const worker = async () => {
    for (let f = queue.shift(); f; f = queue.shift()) {
      await run('wasm-opt', [...args, f, '-o', f]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, availableParallelism()) }, worker));
}

/**
 * Splits the build in `dir` (Trunk's staging folder). Returns the files it wrote, each
 * `{ name, integrity }`, the first module first.
 */
export async function split(dir, { raw = rawWasmPath(), optimize = process.env.TRUNK_PROFILE === 'release' } = {}) {
  const input = readFileSync(raw);
  if (!input.includes(Buffer.from(PLACEHOLDER))) {
    throw new Error(`${raw} has no split points: build it with the \`split\` feature (index.html's data-cargo-features)`);
  }
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const trunkJs = /\/(yehua-[0-9a-f]+)\.js/.exec(html);
  if (!trunkJs) throw new Error(`no yehua-*.js in ${dir}/index.html: not Trunk's build`);
  const work = mkdtempSync(join(tmpdir(), 'yehua-split-'));
  try {
    await run('wasm-split-cli', [raw, work, '--target', 'web', '--out-name', 'yehua']);
    await run('wasm-bindgen', ['--target', 'web', '--keep-lld-exports', '--no-demangle', '--out-dir', join(work, 'bg'), '--out-name', 'yehua', join(work, 'yehua.wasm')]);
    const chunks = readdirSync(work).filter((f) => f.endsWith('.wasm') && f !== 'yehua.wasm').sort();
    const mainWasm = join(work, 'bg', 'yehua_bg.wasm');
    if (optimize) await wasmOpt([mainWasm, ...chunks.map((c) => join(work, c))]);
    return place(dir, work, chunks, mainWasm, html, trunkJs[1]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Names, links and writes the split files into `dir`, and rewrites its index.html. */
function place(dir, work, chunks, mainWasm, html, trunkStem) {
  const written = [];
  const emit = (name, bytes) => {
    writeFileSync(join(dir, name), bytes);
    const entry = { name, integrity: integrity(bytes) };
    written.push(entry);
    return entry;
  };
  // Chunks name no other file, so each is named by its own bytes.
  let link = readFileSync(join(work, LINK), 'utf8');
  for (const chunk of chunks) {
    const bytes = readFileSync(join(work, chunk));
    const stem = chunk.replace(/\.wasm$/, '');
    const from = `fetch(new URL("./${chunk}", import.meta.url))`;
    // An empty split is never fetched: the loader does not name it, and neither do we.
    if (!link.includes(`"./${chunk}"`)) continue;
    if (!link.includes(from)) throw new Error(`the loader does not fetch ${chunk} as expected`);
    const { name, integrity: sri } = emit(`${stem}-${contentHash(bytes)}.wasm`, bytes);
    link = link.replace(from, `fetch(new URL("./${name}", import.meta.url), { integrity: "${sri}" })`);
  }
  // The first module's JS and the loader import each other, so they share one name hash,
  // taken over both texts (before naming) and the wasm.
  let js = readFileSync(join(work, 'bg', 'yehua.js'), 'utf8');
  const wasm = readFileSync(mainWasm);
  const h = contentHash(js, link, wasm);
  const jsName = `yehua-${h}.js`;
  const wasmName = `yehua-${h}_bg.wasm`;
  const linkName = `split-${h}.js`;
  const importLink = `from "./${LINK}"`;
  if (!js.includes(importLink)) throw new Error('the first module does not import the chunk loader');
  js = js.replaceAll(importLink, `from "./${linkName}"`);
  const importMain = 'from "./yehua.js"';
  if (!link.includes(importMain)) throw new Error('the chunk loader does not import the first module');
  link = link.replace(importMain, `from "./${jsName}"`);
  const main = { js: emit(jsName, js), wasm: emit(wasmName, wasm), link: emit(linkName, link) };
  for (const f of [`${trunkStem}.js`, `${trunkStem}_bg.wasm`]) {
    for (const ext of ["", ".br", ".gz"]) rmSync(join(dir, f + ext), { force: true });
  }
  writeFileSync(join(dir, 'index.html'), rewriteIndex(html, trunkStem, main));
  return written;
}

/**
 * Points Trunk's index.html at the split build: its boot script with the new names and
 * the wasm fetched with its integrity, after an import map giving both modules'
 * integrity; Trunk's preload links replaced by ones for the new files, so the wasm
 * downloads alongside the JS.
 */
export function rewriteIndex(html, trunkStem, { js, wasm, link }) {
  const script = /<script type="module">[\s\S]*?<\/script>/.exec(html);
  if (!script || !script[0].includes(`/${trunkStem}.js`)) throw new Error('index.html has no Trunk boot script');
  const boot = script[0]
    .replace(`'/${trunkStem}.js'`, `'/${js.name}'`)
    .replace(`'/${trunkStem}_bg.wasm'`, `fetch('/${wasm.name}', { integrity: '${wasm.integrity}' })`);
  const map = JSON.stringify({ integrity: { [`/${js.name}`]: js.integrity, [`/${link.name}`]: link.integrity } });
  let out = html.replace(script[0], `<script type="importmap">${map}</script>\n${boot}`);
  const preloads = [
    new RegExp(`<link rel="modulepreload" href="/${trunkStem}\\.js"[^>]*>`),
    new RegExp(`<link rel="preload" href="/${trunkStem}_bg\\.wasm"[^>]*>`),
  ];
  const ours =
    `<link rel="modulepreload" href="/${js.name}" crossorigin="anonymous" integrity="${js.integrity}">` +
    `<link rel="modulepreload" href="/${link.name}" crossorigin="anonymous" integrity="${link.integrity}">` +
    `<link rel="preload" href="/${wasm.name}" crossorigin="anonymous" integrity="${wasm.integrity}" as="fetch" type="application/wasm">`;
  for (const [i, re] of preloads.entries()) {
    if (!re.test(out)) throw new Error(`index.html has no Trunk preload for ${trunkStem}: update scripts/split.mjs`);
    out = out.replace(re, i === 0 ? ours : '');
  }
  if (out.includes(trunkStem)) throw new Error('index.html still names Trunk\'s module: update scripts/split.mjs');
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2] || process.env.TRUNK_STAGING_DIR || 'dist';
  if (!existsSync(join(dir, 'index.html'))) throw new Error(`no build in ${dir}`);
  const files = await split(dir);
  console.log(`split: ${files.length} files`);
}
