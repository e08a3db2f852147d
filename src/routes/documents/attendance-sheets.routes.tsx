import { Hono, type Context } from 'hono';
import { getAttendanceSheet, listSheetMeetings } from '../../services/attendance-sheet.ts';
import { getDocumentBranding } from '../../services/branding.ts';
import type { AppEnv } from '../../web/context.ts';
import { renderPage } from '../../web/render.tsx';
import { actorOf } from '../teacher/teacher.routes.tsx';
import { AttendanceSheetsPage } from './attendance-sheets-page.tsx';
import { download, safeFileName } from './downloads.ts';

async function sheetPdf(c: Context<AppEnv>, meetingId?: string) {
  const { t, locale } = c.var;
  const sheet = await getAttendanceSheet(c.var.deps.store.db, actorOf(c), c.req.param('runId')!, meetingId);
  // Loaded at the first sheet, not at start-up: pdfkit takes a while to load (bench G).
  const { renderAttendanceSheetPdf } = await import('../../services/attendance-sheet-pdf.ts');
  const branding = await getDocumentBranding(c.var.deps.store.db, t.product);
  const pdf = await renderAttendanceSheetPdf(sheet, { t, locale, branding });
  const day = meetingId === undefined ? '' : `-${sheet.meetings[0]!.starts_at.slice(0, 10)}`;
  return download(c, pdf, 'application/pdf', `${t.attendanceSheet.fileName}-${safeFileName(sheet.run.code)}${day}.pdf`);
}

/** Attendance sheets (presentielijsten) of a run, for its teachers and administrators. */
export function attendanceSheetRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/teacher/runs/:runId/attendance-sheets', async (c) => {
    const data = await listSheetMeetings(c.var.deps.store.db, actorOf(c), c.req.param('runId'));
    return renderPage(c, c.var.t.attendanceSheet.pageTitle(data.run.course_title), <AttendanceSheetsPage data={data} t={c.var.t} locale={c.var.locale} />);
  });
  app.get('/teacher/runs/:runId/attendance-sheet.pdf', (c) => sheetPdf(c));
  app.get('/teacher/runs/:runId/meetings/:meetingId/attendance-sheet.pdf', (c) => sheetPdf(c, c.req.param('meetingId')));

  return app;
}
