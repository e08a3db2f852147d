// `npm start`: runs the compiled server from dist/, building it first when it is missing or when a
// source file is newer than the last build (so a pulled change needs no separate build step).
import { spawnSync } from 'node:child_process';
import cluster from 'node:cluster';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

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
/*
 * The bundle runs as a classic script through V8's code cache: the first start keeps the machine code
 * V8 compiled for it in dist/ (named after the build's stamp, so a rebuilt bundle never meets an old
 * cache; V8 itself refuses a cache from another Node version), and later starts deserialise it
 * instead of parsing and compiling 2.6 MB again. The cache is written 10 s after the start, or at exit
 * if that is sooner, so that it also holds the functions compiled for the first answers.
 */
const bundle = path.join(root, 'dist', 'server.cjs');
const source = readFileSync(bundle, 'utf8');
const build = createHash('sha256').update(readFileSync(stamp)).digest('hex').slice(0, 16);
const cacheFile = path.join(root, 'dist', `server.${build}.v8cache`);
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  // none yet
}
const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData });
// A cluster's primary compiles little of the app; its workers write the cache.
const serves = !(cluster.isPrimary && Number(process.env.WORKERS ?? 1) > 1);
if (serves && (!cachedData || script.cachedDataRejected)) {
  let written = false;
  const writeCache = () => {
    if (written) return;
    written = true;
    try {
      const temporary = `${cacheFile}.${process.pid}`;
      writeFileSync(temporary, script.createCachedData());
      renameSync(temporary, cacheFile);
    } catch {
      // A read-only installation starts without the cache.
    }
  };
  setTimeout(writeCache, 10_000).unref();
  process.once('exit', writeCache);
}
const module = { exports: {} };
script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, path.dirname(bundle));
