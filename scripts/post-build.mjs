// Trunk's post_build hook (Trunk.toml): on the finished build in TRUNK_STAGING_DIR, before
// Trunk moves it to dist/, first write the service worker (scripts/precache.mjs: its list
// is every built file), then the compressed copies the hub serves (scripts/precompress.mjs;
// sw.js included). In this order, so the worker never lists a compressed copy and every
// copy is of the final file.
import { writeWorker } from './precache.mjs';
import { precompress } from './precompress.mjs';

/** Finishes the build in `dir`; returns the worker's version and list, and the copies made. */
export function postBuild(dir) {
  const worker = writeWorker(dir);
  return { ...worker, copies: precompress(dir) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.env.TRUNK_STAGING_DIR || process.argv[2] || 'dist';
  const { version, files, copies } = postBuild(dir);
  console.log(`post-build: sw.js version ${version}, ${files.length} files; ${copies} compressed copies`);
}
