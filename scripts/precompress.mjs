// Writes a brotli (-q 11) and a gzip (-9) copy beside each text file of a build (.wasm, .js,
// .css, .html, .svg, .webmanifest), as `NAME.br` and `NAME.gz`, so the hub sends the
// smallest encoding without compressing on every request (on the fly it compresses far less
// well: the wasm goes out as ~820 KB instead of ~650 KB). A copy that is not smaller than
// the file is not written. Run by scripts/post-build.mjs after the service worker is written
// (sw.js is compressed too), or by hand:   node scripts/precompress.mjs [DIR=dist]
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const TEXT = /\.(wasm|js|css|html|svg|webmanifest)$/;

/** The encodings written beside each file. */
export const ENCODINGS = ['.br', '.gz'];

/**
 * Every file of the build in `dir`, as '/'-separated paths relative to it, sorted; the
 * compressed copies (`NAME.br`, `NAME.gz`) are other encodings of a listed file, not files
 * of their own, so they are left out.
 */
export function builtFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(dir, path).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.filter((f) => !ENCODINGS.some((e) => f.endsWith(e))).sort();
}

/** Compresses every text file under `dir`; returns how many copies it wrote. */
export function precompress(dir) {
  let written = 0;
  for (const file of builtFiles(dir).filter((f) => TEXT.test(f))) {
    const path = join(dir, file);
    const bytes = readFileSync(path);
    const copies = {
      '.br': brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }),
      '.gz': gzipSync(bytes, { level: 9 }),
    };
    for (const [ext, packed] of Object.entries(copies)) {
      if (packed.length >= bytes.length) continue;
      writeFileSync(path + ext, packed);
      written++;
    }
  }
  return written;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2] || 'dist';
  console.log(`precompress: ${precompress(dir)} copies in ${dir}`);
}
