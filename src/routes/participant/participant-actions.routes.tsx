import { Hono, type Context } from 'hono';
import { formatDate, type Messages, type Locale } from '../../i18n/index.ts';
import { elearningEntryHref, readKnowledgeCentre, readKnowledgeCentreFile } from '../../services/course-content.ts';
import { chooseRun, openCourse, reportAbsence, takeBackAbsence, withdrawSelf, type ActionResult } from '../../services/participant-actions.ts';
import type { AppEnv } from '../../web/context.ts';
import { renderPage } from '../../web/render.tsx';
import type { ActionRefusal, DoneAction } from './enrolment-actions.tsx';
import { participantActor, renderEnrolmentPage } from './participant.routes.tsx';
import { raw } from 'hono/html';
import { redirectWithNotice, takeNotice } from '../../web/notice.ts';

/** A text field of the (already read) form body; anything else is empty. */
async function formText(c: Context<AppEnv>, name: string): Promise<string> {
  const body = await c.req.parseBody();
  const value = body[name];
  return typeof value === 'string' ? value : '';
}

function redirectDone(c: Context<AppEnv>, enrolmentId: string, done: DoneAction) {
  return redirectWithNotice(c, `/me/enrolments/${enrolmentId}#banner`, done);
}

async function answer(c: Context<AppEnv>, enrolmentId: string, result: ActionResult, done: DoneAction, refused: Omit<ActionRefusal, 'reason'>) {
  if (result.ok) return redirectDone(c, enrolmentId, done);
  return renderEnrolmentPage(c, enrolmentId, { refusal: { ...refused, reason: result.reason } });
}

function formatSize(bytes: number, locale: Locale): string {
  const kb = bytes / 1024;
  return kb < 1024 ? `${new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(Math.max(1, kb))} kB` : `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(kb / 1024)} MB`;
}

function KnowledgeCentrePage(props: { view: Awaited<ReturnType<typeof readKnowledgeCentre>>; done: boolean; t: Messages; locale: Locale }) {
  const { view, t, locale } = props;
  const e = view.enrolment;
  return (
    <>
      <p>
        <a href={`/me/enrolments/${e.id}`}>{t.participantActions.backToEnrolment}</a>
      </p>
      {props.done && (
        <div class="notice" role="status" tabindex={-1} id="banner">
          <p>{t.participantActions.done.started}</p>
        </div>
      )}
      <h1>
        <bdi>{t.participantActions.knowledgeCentreTitle(e.course_title)}</bdi>
      </h1>
      <p class="muted small">{t.participantActions.knowledgeCentreUpdated(formatDate(locale, view.updatedAt))}</p>
      {/* Rendered from Markdown and sanitised (domain/knowledge-centre.ts): only the allowed tags and http(s)/mailto links remain. */}
      <div class="knowledge-centre">{raw(view.html)}</div>
      <section aria-labelledby="files-title">
        <h2 id="files-title">{t.participantActions.filesTitle}</h2>
        {view.files.length === 0 ? (
          <p class="muted">{t.participantActions.noFiles}</p>
        ) : (
          <ul>
            {view.files.map((f) => (
              <li>
                <a href={`/me/enrolments/${e.id}/knowledge-centre/files/${f.id}`}>
                  <bdi>{f.name}</bdi>
                </a>{' '}
                <span class="muted small">({formatSize(f.size_bytes, locale)})</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

/**
 * What a participant does on their own enrolment: open its knowledge centre or e-learning (which
 * starts it), choose a run, withdraw, report an absence in advance or take the report back.
 */
export function participantActionRoutes() {
  const app = new Hono<AppEnv>();

  app.post('/me/enrolments/:id/knowledge-centre', async (c) => {
    const id = c.req.param('id');
    const db = c.var.deps.store.db;
    const actor = participantActor(c);
    await readKnowledgeCentre(db, actor, id); // there must be one to open
    const { started } = await openCourse(db, actor, id, 'knowledge_centre');
    const location = `/me/enrolments/${id}/knowledge-centre`;
    return started ? redirectWithNotice(c, `${location}#banner`, 'started') : c.redirect(location, 303);
  });

  app.get('/me/enrolments/:id/knowledge-centre', async (c) => {
    const view = await readKnowledgeCentre(c.var.deps.store.db, participantActor(c), c.req.param('id'));
    const { t, locale } = c.var;
    return renderPage(
      c,
      t.participantActions.knowledgeCentreTitle(view.enrolment.course_title),
      <KnowledgeCentrePage view={view} done={(await takeNotice(c))?.key === 'started'} t={t} locale={locale} />,
    );
  });

  app.get('/me/enrolments/:id/knowledge-centre/files/:fileId', async (c) => {
    const file = await readKnowledgeCentreFile(c.var.deps.store.db, c.var.deps.config.DATA_DIR, participantActor(c), c.req.param('id'), c.req.param('fileId'));
    return c.body(new Uint8Array(file.content), 200, {
      'Content-Type': file.mediaType,
      'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
    });
  });

  app.post('/me/enrolments/:id/elearning', async (c) => {
    const id = c.req.param('id');
    const db = c.var.deps.store.db;
    const actor = participantActor(c);
    const detail = await openCourse(db, actor, id, 'elearning');
    return c.redirect(await elearningEntryHref(db, detail.courseId), 303);
  });

  app.post('/me/enrolments/:id/run', async (c) => {
    const id = c.req.param('id');
    const runId = await formText(c, 'runId');
    const result = await chooseRun(c.var.deps.store.db, participantActor(c), id, runId);
    return answer(c, id, result, 'run_chosen', { form: 'run', values: { runId } });
  });

  app.post('/me/enrolments/:id/withdraw', async (c) => {
    const id = c.req.param('id');
    const reason = await formText(c, 'reason');
    const result = await withdrawSelf(c.var.deps.store.db, participantActor(c), id, reason);
    return answer(c, id, result, 'withdrawn', { form: 'withdraw', values: { reason } });
  });

  app.post('/me/enrolments/:id/absences/:meetingId', async (c) => {
    const id = c.req.param('id');
    const meetingId = c.req.param('meetingId');
    const reason = await formText(c, 'reason');
    const result = await reportAbsence(c.var.deps.store.db, participantActor(c), { enrolmentId: id, meetingId, reason });
    return answer(c, id, result, 'absence_reported', { form: 'absence', meetingId, values: { reason } });
  });

  app.post('/me/enrolments/:id/absences/:meetingId/delete', async (c) => {
    const id = c.req.param('id');
    const meetingId = c.req.param('meetingId');
    const result = await takeBackAbsence(c.var.deps.store.db, participantActor(c), { enrolmentId: id, meetingId });
    return answer(c, id, result, 'absence_taken_back', { form: 'absence', meetingId, values: {} });
  });

  return app;
}
