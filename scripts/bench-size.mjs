// The build's bytes: every file of dist/ raw, gzip -9 and brotli -q 11, and the whole
// app (everything the service worker precaches after the first screen). What a first visit
// really transfers, and how much of it before the first screen works, is measured in
// Chromium by scripts/bench-loadtime.mjs. One `BENCH {json}` line per file and one for
// the whole app.   Usage: node scripts/bench-size.mjs [DIST=dist]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { builtFiles } from './precompress.mjs';

const dist = process.argv[2] ?? 'dist';
// NAME.br and NAME.gz are the hub's encodings of NAME, measured below as the brotli and
// gzip columns, so builtFiles leaves them out.
const files = builtFiles(dist);

const total = { raw: 0, gzip: 0, brotli: 0 };
for (const file of files) {
  const bytes = readFileSync(join(dist, file));
  const sizes = {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
  for (const k of Object.keys(total)) total[k] += sizes[k];
  console.log('BENCH ' + JSON.stringify({ figure: 'file', file, ...sizes }));
}
console.log('BENCH ' + JSON.stringify({ figure: 'whole app', file: '(all)', ...total }));
