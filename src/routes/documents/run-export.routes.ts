import { Hono } from 'hono';
import { csvStream, xlsxStream } from '../../services/exports/table-export.ts';
import { getRunExport, runExportColumns } from '../../services/run-export.ts';
import type { AppEnv } from '../../web/context.ts';
import { actorOf } from '../teacher/teacher.routes.tsx';
import { safeFileName, streamedDownload } from './downloads.ts';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A run's attendance, statuses, effort and points as CSV or XLSX, for its teachers and administrators. */
export function runExportRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/teacher/runs/:runId/export.csv', async (c) => {
    const t = c.var.t;
    const { run, rows } = await getRunExport(c.var.deps.store.db, actorOf(c), c.req.param('runId'));
    return streamedDownload(c, csvStream(rows, runExportColumns(t)), 'text/csv; charset=utf-8', `${t.runExport.fileName}-${safeFileName(run.code)}.csv`);
  });

  app.get('/teacher/runs/:runId/export.xlsx', async (c) => {
    const t = c.var.t;
    const { run, rows } = await getRunExport(c.var.deps.store.db, actorOf(c), c.req.param('runId'));
    const sheetName = `${t.runExport.sheetName} ${run.code}`;
    return streamedDownload(c, xlsxStream(rows, runExportColumns(t), { sheetName }), XLSX_TYPE, `${t.runExport.fileName}-${safeFileName(run.code)}.xlsx`);
  });

  return app;
}
