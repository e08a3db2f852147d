import { Hono } from 'hono';
import { buildClientAssets, type ClientAssets } from '../client/assets.ts';
import type { AppEnv } from '../web/context.ts';

let assets: ClientAssets | undefined;

/** The stylesheet and the small progressive-enhancement script, made once per process. */
function loadAssets(): ClientAssets {
  assets ??= buildClientAssets();
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
