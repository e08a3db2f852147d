import { Hono, type Context } from 'hono';
import { decodeCursor } from '../../db/keyset.ts';
import { exportRunOverview, getRunOverview, readRunFilters, runOverviewColumns } from '../../services/run-overview.ts';
import type { AppEnv } from '../../web/context.ts';
import { renderPage } from '../../web/render.tsx';
import { tableDownload, type TableFormat } from '../documents/downloads.ts';
import { adminActor } from './admin-forms.tsx';
import { RunOverviewPage } from './runs-pages.tsx';

/** **Beheer**: the run overview, filtered by the query string (each run opens its participants page or its own page), and its CSV and XLSX exports. */
export function adminRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/admin', async (c) => {
    const actor = adminActor(c);
    const filters = readRunFilters((name) => c.req.query(name));
    const page = { after: decodeCursor(c.req.query('after'), 2), before: decodeCursor(c.req.query('before'), 2) };
    const overview = await getRunOverview(c.var.deps.store.db, actor, filters, page);
    return renderPage(c, c.var.t.admin.title, <RunOverviewPage overview={overview} filters={filters} t={c.var.t} locale={c.var.locale} />);
  });

  /** The overview's runs for the same filters as CSV or XLSX, streamed a keyset page at a time. */
  const exportRuns = async (c: Context<AppEnv>, format: TableFormat) => {
    const actor = adminActor(c);
    const { t } = c.var;
    const filters = readRunFilters((name) => c.req.query(name));
    const { today, rows } = await exportRunOverview(c.var.deps.store.db, actor, filters);
    const names = { fileName: `${t.runOverviewExport.fileName}-${today}`, sheetName: t.runOverviewExport.sheetName };
    return tableDownload(c, format, rows, runOverviewColumns(t, today), names);
  };
  app.get('/admin/runs.csv', (c) => exportRuns(c, 'csv'));
  app.get('/admin/runs.xlsx', (c) => exportRuns(c, 'xlsx'));

  return app;
}
