import { Hono, type Context } from 'hono';
import { getRunExport, runExportColumns } from '../../services/run-export.ts';
import type { AppEnv } from '../../web/context.ts';
import { actorOf } from '../teacher/teacher.routes.tsx';
import { tableDownload, type TableFormat } from './downloads.ts';

/** A run's attendance, statuses, effort and points as CSV or XLSX, for its teachers and administrators. */
export function runExportRoutes() {
  const app = new Hono<AppEnv>();

  const exportRun = async (c: Context<AppEnv>, format: TableFormat) => {
    const t = c.var.t;
    const { run, rows } = await getRunExport(c.var.deps.store.db, actorOf(c), c.req.param('runId')!);
    return tableDownload(c, format, rows, runExportColumns(t), { fileName: `${t.runExport.fileName}-${run.code}`, sheetName: `${t.runExport.sheetName} ${run.code}` });
  };
  app.get('/teacher/runs/:runId/export.csv', (c) => exportRun(c, 'csv'));
  app.get('/teacher/runs/:runId/export.xlsx', (c) => exportRun(c, 'xlsx'));

  return app;
}
