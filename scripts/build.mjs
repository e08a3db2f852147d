// Compiles the server into dist/: one ES module bundle of src/server.ts, with the pages loaded on demand split into chunks and the client
// assets built in, so `npm start` runs plain JavaScript with no transpiler in the server's process.
// Run by `npm install` (postinstall), by `npm run build`, and by `npm start` when a source is newer.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import { build, buildSync } from 'esbuild';

const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const { dependencies } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
/** The packages built into the bundle; see `external` below. */
const BUNDLED = new Set(['hono', '@hono/node-server', '@hono/zod-validator', '@hono/zod-openapi', 'kysely', 'zod']);
const out = path.join(root, 'dist');
const assetsModule = path.join(root, 'src', 'client', 'assets.ts');

const client = buildSync({
  entryPoints: [path.join(root, 'src', 'client', 'app.ts')],
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2020',
  write: false,
});
const assets = {
  css: readFileSync(path.join(root, 'src', 'client', 'app.css'), 'utf8'),
  js: client.outputFiles[0].text,
};

/** Puts the finished client assets where the sources would build them at run time. */
const prebuiltAssets = {
  name: 'prebuilt-client-assets',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]client[\\/]assets\.ts$/ }, (args) => {
      if (path.resolve(args.path) !== assetsModule) return undefined;
      return { contents: `export function buildClientAssets() { return ${JSON.stringify(assets)}; }`, loader: 'js' };
    });
  },
};

/** The server's build: what `npm start` runs, and what the start-up test inspects (in memory). */
export const serverBuild = {
  absWorkingDir: root,
  entryPoints: { server: 'src/server.ts' },
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Hono, Kysely and zod (ES modules with no files of their own to read) go into the bundle: loading
  // one file instead of their hundreds of modules halves the start-up. @hono/zod-openapi goes with
  // them, so that it extends the same Hono and zod as the app (its errors are the app's classes). Every other package stays an
  // import of node_modules: native, worker-spawning, data-carrying and CommonJS packages load as
  // Node.js expects them to.
  external: Object.keys(dependencies).filter((name) => !BUNDLED.has(name)),
  tsconfig: path.join(root, 'tsconfig.json'),
  chunkNames: 'chunks/[name]-[hash]',
  plugins: [prebuiltAssets],
  logLevel: 'warning',
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = performance.now();
  rmSync(out, { recursive: true, force: true });
  await build(serverBuild);
  writeFileSync(path.join(out, 'BUILT'), `${new Date().toISOString()}\n`);
  console.log(`Presentia built into dist/ in ${Math.round(performance.now() - started)} ms`);
}
