import { Hono } from 'hono';
import { decodeCursor } from '../../db/keyset.ts';
import { getRunOverview, readRunFilters } from '../../services/run-overview.ts';
import type { AppEnv } from '../../web/context.ts';
import { renderPage } from '../../web/render.tsx';
import { adminActor } from './admin-forms.tsx';
import { RunOverviewPage } from './runs-pages.tsx';

/** **Beheer**: the run overview, filtered by the query string; each run opens its participants page or its own page. */
export function adminRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/admin', async (c) => {
    const actor = adminActor(c);
    const filters = readRunFilters((name) => c.req.query(name));
    const page = { after: decodeCursor(c.req.query('after'), 2), before: decodeCursor(c.req.query('before'), 2) };
    const overview = await getRunOverview(c.var.deps.store.db, actor, filters, page);
    return renderPage(c, c.var.t.admin.title, <RunOverviewPage overview={overview} filters={filters} t={c.var.t} locale={c.var.locale} />);
  });

  return app;
}
