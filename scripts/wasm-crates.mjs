// Which crates the wasm's code comes from: reads the function names of an unstripped
// wasm (cargo's output before wasm-bindgen / wasm-opt, which keeps the "name" section),
// attributes each function body's bytes to the crate in its (demangled) path, and prints
// the largest crates. Sizes are of the unoptimised-by-wasm-opt code; shares carry over.
//   Usage: node scripts/wasm-crates.mjs target/wasm32-unknown-unknown/wasm-release/yehua.wasm [TOP=25]
// With --split, the same per module of the split build (scripts/split.mjs): it splits the
// raw wasm again into a temporary folder and prints one `BENCH {json}` line per module
// (the first module, each split, and the shared chunks together), for `make bench`.
// wasm-split-cli carries the input's names into every module it writes; a module whose
// functions have none (a tiny shared chunk of shims) counts them as "(unnamed)".
//   Usage: node scripts/wasm-crates.mjs --split target/wasm32-unknown-unknown/wasm-release/yehua.wasm [TOP=6]
// With --first, the first module of the split build only, as a table by app module:
// each function goes to the first path of ours (yehua::…, model::…, couch::…,
// exchange::…) its symbol names — its own, or the type a generic instance (a view's
// `build`, a `drop_in_place`) was made for — else to its crate as "(lib) crate". Only
// v0 symbols name the generic arguments, so build the wasm for it with
// RUSTFLAGS="… -C symbol-mangling-version=v0" (README.md "Where the first module's bytes go").
//   Usage: node scripts/wasm-crates.mjs --first RAW.wasm [TOP=40]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Code bytes per crate of an unstripped wasm: `{ total, functions, byCrate: [[crate, bytes]] }`,
 * largest first. `by` names the key: `crateOf` (default) or `appPathOf`. `unnamed`: a module
 * without names is counted as "(unnamed)" instead of refused (split chunks of shims).
 */
export function crateSizes(buf, { by = crateOf, unnamed = false } = {}) {
let pos = 8;
const u32 = () => {
  let result = 0, shift = 0, b;
  do { b = buf[pos++]; result |= (b & 0x7f) << shift; shift += 7; } while (b & 0x80);
  return result >>> 0;
};
let imports = 0;
const bodies = [];
const names = new Map();
while (pos < buf.length) {
  const id = buf[pos++];
  const size = u32();
  const end = pos + size;
  if (id === 2) { // imports: count function imports (they come first in the index space)
    for (let n = u32(); n > 0; n--) {
      pos += u32(); pos += u32(); // module, field
      const kind = buf[pos++];
      if (kind === 0) { u32(); imports++; }
      else if (kind === 1) { pos++; const f = u32(); u32(); if (f & 1) u32(); }
      else if (kind === 2) { const f = u32(); u32(); if (f & 1) u32(); }
      else if (kind === 3) { pos += 2; }
      else if (kind === 4) { pos++; u32(); }
    }
  } else if (id === 10) {
    for (let n = u32(); n > 0; n--) { const s = u32(); bodies.push(s); pos += s; }
  } else if (id === 0) {
    const nameLen = u32();
    const name = buf.toString('utf8', pos, pos + nameLen);
    pos += nameLen;
    if (name === 'name') {
      while (pos < end) {
        const sub = buf[pos++];
        const subSize = u32();
        const subEnd = pos + subSize;
        if (sub === 1) {
          for (let n = u32(); n > 0; n--) { const idx = u32(); const l = u32(); names.set(idx, buf.toString('utf8', pos, pos + l)); pos += l; }
        }
        pos = subEnd;
      }
    }
  }
  pos = end;
}
if (names.size === 0 && bodies.length > 0 && !unnamed) throw new Error('no name section: use the unstripped wasm from target/');
const byCrate = new Map();
let total = 0;
bodies.forEach((size, i) => {
  const name = names.get(i + imports);
  // wasm-bindgen runs these at build time and removes them: not in the shipped module.
  if (name?.startsWith('__wbindgen_describe')) return;
  const c = name === undefined ? '(unnamed)' : by(name);
  byCrate.set(c, (byCrate.get(c) ?? 0) + size);
  total += size;
});
return { total, functions: bodies.length, byCrate: [...byCrate].sort((a, b) => b[1] - a[1]) };
}

// The crate of a mangled Rust symbol: legacy `_ZN<len><crate>...`, or the first path
// segment of a demangled-looking name; generic instances are attributed to the crate
// that owns the function (e.g. core, alloc), which is how twiggy's "garbage" view reads.
export function crateOf(name) {
  let m = /^_ZN(\d+)(.*)$/.exec(name);
  if (m) {
    let seg = m[2].slice(0, Number(m[1]));
    if (seg.startsWith('_$LT$')) {
      // <Type as Trait>: the implementing type's crate; for a bare generic (<T as Trait>)
      // or a reference, the trait's crate.
      const inner = /_\$LT\$([A-Za-z0-9_]+)/.exec(seg);
      const trait = /\$u20\$as\$u20\$([A-Za-z0-9_]+)/.exec(m[2]);
      seg = inner && !/^[A-Z]$/.test(inner[1]) ? inner[1] : trait ? trait[1] : seg;
    }
    return seg.replace(/\.\.[\s\S]*$/, '');
  }
  m = /^_R.*?C(?:s[0-9A-Za-z]*_)?(\d+)/.exec(name); // v0: the first crate root
  if (m) {
    const at = m.index + m[0].length;
    return name.slice(at + (name[at] === '_' ? 1 : 0), at + (name[at] === '_' ? 1 : 0) + Number(m[1]));
  }
  m = /^([A-Za-z0-9_]+)::/.exec(name);
  return m ? m[1] : name.startsWith('__') || /^[a-z_]+$/.test(name) ? '(runtime / C)' : '(other)';
}

/** Our crates: the app and its pure-logic crates (crates/). */
const APP = new Set(['yehua', 'model', 'couch', 'exchange']);

/**
 * The first of our paths a v0 symbol names, as `crate::module::module` (at most two
 * lower-case segments below the crate), or `(lib) crate` when it names none of ours.
 * A v0 path is its tags, then the crate root `C[s…_]<len><name>`, then each segment
 * outermost first as `[s…_]<len>[_]<name>`; generic arguments are paths too. The crate
 * root a generic instance's symbol ends with (the crate that instantiated it) is skipped.
 */
export function appPathOf(name) {
  if (!name.startsWith('_R')) return crateOf(name);
  const root = /C(?:s[0-9A-Za-z]*_)?(\d+)/g;
  for (let m; (m = root.exec(name)); ) {
    let at = m.index + m[0].length;
    if (name[at] === '_') at++;
    const crate = name.slice(at, at + Number(m[1]));
    at += Number(m[1]);
    // A generic instance's symbol ends with the crate that instantiated it: not what it is.
    if (!APP.has(crate) || /^(\.\d+)?$/.test(name.slice(at))) continue;
    const path = [crate];
    for (;;) {
      const seg = /^(?:s[0-9A-Za-z]*_)?(\d+)_?/.exec(name.slice(at, at + 24));
      if (!seg) break;
      const ident = name.slice(at + seg[0].length, at + seg[0].length + Number(seg[1]));
      if (path.length > 2 || !/^[a-z_][a-z0-9_]*$/.test(ident)) break;
      path.push(ident);
      at += seg[0].length + Number(seg[1]);
    }
    return path.join('::');
  }
  return '(lib) ' + crateOf(name);
}

/**
 * Per module of the split build of `raw`: `[module, crateSizes]`, shared chunks merged.
 * `first`: the first module only. `by`: as for [`crateSizes`].
 */
export function splitCrateSizes(raw, { by = crateOf, first = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'yehua-crates-'));
  const sizes = (f) => crateSizes(readFileSync(join(dir, f)), { by, unnamed: true });
  try {
    execFileSync('wasm-split-cli', [raw, dir, '--target', 'web', '--out-name', 'yehua']);
    const out = [['first module', sizes('yehua.wasm')]];
    if (first) return out;
    const files = readdirSync(dir).filter((f) => f.endsWith('.wasm')).sort();
    for (const f of files.filter((f) => f.startsWith('split_'))) out.push([f.slice(6, -5), sizes(f)]);
    const shared = { total: 0, functions: 0, byCrate: new Map() };
    for (const f of files.filter((f) => f.startsWith('chunk_'))) {
      const c = sizes(f);
      shared.total += c.total;
      shared.functions += c.functions;
      for (const [k, v] of c.byCrate) shared.byCrate.set(k, (shared.byCrate.get(k) ?? 0) + v);
    }
    out.push(['shared chunks', { ...shared, byCrate: [...shared.byCrate].sort((a, b) => b[1] - a[1]) }]);
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  if (args[0] === '--split') {
    const top = Number(args[2] ?? 6);
    for (const [module, c] of splitCrateSizes(args[1])) {
      const crates = c.byCrate.slice(0, top).map(([k, v]) => [k, Math.round(v / 102.4) / 10]);
      console.log('BENCH ' + JSON.stringify({ figure: 'module crates', module, code_kb: Math.round(c.total / 1024), crates }));
    }
  } else if (args[0] === '--first') {
    const [[, c]] = splitCrateSizes(args[1], { by: appPathOf, first: true });
    console.log(`first module: ${(c.total / 1024).toFixed(0)} KB of code (before wasm-opt) in ${c.functions} functions`);
    for (const [k, s] of c.byCrate.slice(0, Number(args[2] ?? 40))) {
      console.log(`${(s / 1024).toFixed(1).padStart(8)} KB ${(100 * s / c.total).toFixed(1).padStart(5)}%  ${k}`);
    }
  } else {
    const { total, functions, byCrate } = crateSizes(readFileSync(args[0]));
    console.log(`code: ${(total / 1024).toFixed(0)} KB in ${functions} functions`);
    for (const [c, s] of byCrate.slice(0, Number(args[1] ?? 25))) {
      console.log(`${(s / 1024).toFixed(1).padStart(8)} KB ${(100 * s / total).toFixed(1).padStart(5)}%  ${c}`);
    }
  }
}
