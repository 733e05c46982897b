// Trunk's post_build hook (Trunk.toml), on the finished build in TRUNK_STAGING_DIR before
// Trunk moves it to dist/:
//   1. split the wasm into the first module and its chunks (scripts/split.mjs);
//   2. write the service worker, whose list is every built file (scripts/precache.mjs);
//   3. write the compressed copies the hub serves, sw.js included (scripts/precompress.mjs);
//   4. check the result, failing the build loudly on any broken link (scripts/verify-build.mjs).
// In this order, so the worker lists the split files and never a compressed copy, and every
// copy is of the final file.
import { writeWorker } from './precache.mjs';
import { precompress } from './precompress.mjs';
import { split } from './split.mjs';
import { verifyBuild } from './verify-build.mjs';

/** Steps 2–4 on a build whose files are final: the worker, the copies, the check. */
export function finish(dir) {
  const worker = writeWorker(dir);
  const copies = precompress(dir);
  const checked = verifyBuild(dir);
  return { ...worker, copies, checked };
}

/** Finishes the build in `dir`; returns the split files, the worker's version and list, and the copies made. */
export async function postBuild(dir) {
  const modules = await split(dir);
  return { modules, ...finish(dir) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.env.TRUNK_STAGING_DIR || process.argv[2] || 'dist';
  const { modules, version, files, copies, checked } = await postBuild(dir);
  console.log(
    `post-build: ${modules.length} split files; sw.js version ${version}, ${files.length} files; ` +
      `${copies} compressed copies; ${checked.named} integrity references checked`,
  );
}
