// `npm start`: runs the compiled server from dist/, building it first when it is missing or when a
// source file is newer than the last build (so a pulled change needs no separate build step).
import { spawnSync } from 'node:child_process';
import cluster from 'node:cluster';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const stamp = path.join(root, 'dist', 'BUILT');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function builtAt() {
  try {
    return statSync(stamp).mtimeMs;
  } catch {
    return 0;
  }
}

// A cluster's workers run this file too: the primary has built already.
if (cluster.isPrimary) {
  const sources = Math.max(newestSource(path.join(root, 'src')), statSync(path.join(root, 'package.json')).mtimeMs);
  if (builtAt() < sources) {
    const result = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
    if (result.status !== 0) process.exit(result.status ?? 1);
  }
}
await import(pathToFileURL(path.join(root, 'dist', 'server.js')).href);
