// First-load bytes: every file of the built dist/ raw, gzip -9 and brotli -q 11, and the
// total a first visit downloads (everything the service worker precaches is fetched on a
// first visit too, so the total is the whole folder). One `BENCH {json}` line per file and
// one for the total.   Usage: node scripts/bench-size.mjs [DIST=dist]
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
console.log('BENCH ' + JSON.stringify({ figure: 'first load total', file: '(all)', ...total }));
