import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { Hono } from 'hono';
import type { AppEnv } from '../web/context.ts';

const clientDir = fileURLToPath(new URL('../client/', import.meta.url));

let assets: { css: string; js: string } | undefined;

/** The stylesheet and the small progressive-enhancement script, bundled once per process. */
function loadAssets() {
  if (!assets) {
    const bundle = buildSync({
      entryPoints: [`${clientDir}app.ts`],
      bundle: true,
      minify: true,
      format: 'iife',
      target: 'es2020',
      write: false,
    });
    assets = { css: readFileSync(`${clientDir}app.css`, 'utf8'), js: bundle.outputFiles[0]!.text };
  }
  return assets;
}

export function staticRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/app.css', (c) => {
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(loadAssets().css, 200, { 'Content-Type': 'text/css; charset=utf-8' });
  });
  app.get('/app.js', (c) => {
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(loadAssets().js, 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
  });
  return app;
}
