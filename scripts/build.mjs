// Compiles the server into dist/server.cjs: one CommonJS bundle of src/server.ts with the client assets built in, so `npm start` runs
// plain JavaScript with no transpiler in the server's process. One classic script rather than ES modules, because Node 20 can keep
// V8's compiled code of a script between starts and not of a module (scripts/start.mjs).
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
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // Hono, Kysely and zod (ES modules with no files of their own to read) go into the bundle: loading
  // one file instead of their hundreds of modules halves the start-up. @hono/zod-openapi goes with
  // them, so that it extends the same Hono and zod as the app (its errors are the app's classes). Every other package stays an
  // import of node_modules: native, worker-spawning, data-carrying and CommonJS packages load as
  // Node.js expects them to. A module the sources import with `import()` (the app, the PDF and
  // spreadsheet pages, the demo data) is compiled into the bundle but runs, and loads its packages,
  // only when first imported.
  external: Object.keys(dependencies).filter((name) => !BUNDLED.has(name)),
  // `import()` of such a package becomes a `require()` when first called: a script run from V8's
  // code cache (scripts/start.mjs) has no module loader of its own to import with.
  supported: { 'dynamic-import': false },
  // The two modules that resolve a package from their own location do so from dist/.
  banner: { js: 'const importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  define: { 'import.meta.url': 'importMetaUrl' },
  tsconfig: path.join(root, 'tsconfig.json'),
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
