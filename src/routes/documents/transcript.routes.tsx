import { Hono, type Context } from 'hono';
import type { Actor } from '../../services/actor.ts';
import { getDocumentBranding } from '../../services/branding.ts';
import { csvStream } from '../../services/exports/table-export.ts';
import { getTranscript, transcriptColumns, transcriptRows } from '../../services/transcript.ts';
import type { AppEnv } from '../../web/context.ts';
import { renderPage } from '../../web/render.tsx';
import { participantActor } from '../participant/participant.routes.tsx';
import { download, safeFileName, streamedDownload } from './downloads.ts';
import { TranscriptPage } from './transcript-page.tsx';
import { adminActor } from '../admin/admin-forms.tsx';

async function transcriptPdf(c: Context<AppEnv>, actor: Actor, personId: string) {
  const { t, locale } = c.var;
  const transcript = await getTranscript(c.var.deps.store.db, actor, personId);
  // Loaded at the first PDF, not at start-up: pdfkit takes a while to load (bench G).
  const { renderTranscriptPdf } = await import('../../services/transcript-pdf.ts');
  const branding = await getDocumentBranding(c.var.deps.store.db, t.product);
  const pdf = await renderTranscriptPdf(transcript, { t, locale, branding });
  return download(c, pdf, 'application/pdf', `${t.transcript.fileName}-${safeFileName(transcript.person.name)}.pdf`);
}

async function transcriptCsv(c: Context<AppEnv>, actor: Actor, personId: string) {
  const { t } = c.var;
  const transcript = await getTranscript(c.var.deps.store.db, actor, personId);
  return streamedDownload(c, csvStream(transcriptRows(transcript), transcriptColumns(t)), 'text/csv; charset=utf-8', `${t.transcript.fileName}-${safeFileName(transcript.person.name)}.csv`);
}

/** **Mijn studiepunten** with its PDF and CSV, and administrators' downloads of anyone's. */
export function transcriptRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/me/study-points', async (c) => {
    const actor = participantActor(c);
    const transcript = await getTranscript(c.var.deps.store.db, actor, actor.id);
    return renderPage(c, c.var.t.transcript.title, <TranscriptPage transcript={transcript} t={c.var.t} locale={c.var.locale} />);
  });
  app.get('/me/study-points.pdf', (c) => {
    const actor = participantActor(c);
    return transcriptPdf(c, actor, actor.id);
  });
  app.get('/me/study-points.csv', (c) => {
    const actor = participantActor(c);
    return transcriptCsv(c, actor, actor.id);
  });
  app.get('/admin/users/:id/study-points.pdf', (c) => transcriptPdf(c, adminActor(c), c.req.param('id')));
  app.get('/admin/users/:id/study-points.csv', (c) => transcriptCsv(c, adminActor(c), c.req.param('id')));

  return app;
}
