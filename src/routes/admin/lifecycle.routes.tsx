import { unlink } from 'node:fs/promises';
import path from 'node:path';
import { Hono, type Context } from 'hono';
import type { Messages } from '../../i18n/index.ts';
import type { Notice } from '../../services/flash.ts';
import { exemptionDirectory, storeEvidence } from '../../services/exemption-files.ts';
import { ExemptionListRefused, importExemptionList, previewExemptionList } from '../../services/exemption-list.ts';
import { archiveCourse, cancelCourse, cancelRun, exemptEnrolment, LifecycleConflict, LifecycleRefused, publishNextVersion } from '../../services/lifecycle.ts';
import { getCourseForLifecycle, getEnrolmentForLifecycle, getRunForLifecycle, listCoursesForLifecycle } from '../../services/lifecycle-views.ts';
import type { AppEnv } from '../../web/context.ts';
import { noticeCount, noticeText, redirectWithNotice, takeNotice } from '../../web/notice.ts';
import { renderPage } from '../../web/render.tsx';
import { adminActor } from './admin-forms.tsx';
import { ConfirmPage, CoursePage, CoursesPage, ExemptionPreview, FileField, ReasonField, type Banner } from './lifecycle-pages.tsx';

/*
 * The administrator's lifecycle pages: cancel a run or a course, publish a course's next version,
 * archive a version, exempt one participant or import an exemption list. Each action is a
 * confirmation page (GET) and its form (POST, post/redirect/get to the course page with a message);
 * a refusal shows the form again with the values kept and the reason beside the field.
 */

type RefusalKey = keyof Messages['lifecycle']['refusals'];
/** Refusals shown beside the reason field; the others go above the form. */
const REASON_REFUSALS: ReadonlySet<string> = new Set(['reason_required', 'reason_too_long']);

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const file = (value: unknown): File | undefined => (value instanceof File && value.size > 0 ? value : undefined);

function coursePath(courseId: string): string {
  return `/admin/lifecycle/courses/${encodeURIComponent(courseId)}`;
}

/** Back to the course page after an action, which then says what was done (the session's notice). */
function toCourse(c: Context<AppEnv>, courseId: string, key: string, params: Notice['params']): Promise<Response> {
  return redirectWithNotice(c, `${coursePath(courseId)}#banner`, key, params);
}

/** The refusals of a failed action as the page shows them: beside the reason, or above the form. */
function explain(t: Messages, refusals: readonly string[]) {
  const say = (key: string) => t.lifecycle.refusals[key as RefusalKey] ?? t.errors.invalid_input;
  const reasonError = refusals.filter((r) => REASON_REFUSALS.has(r)).map(say).join(' ') || undefined;
  const other = refusals.filter((r) => !REASON_REFUSALS.has(r)).map(say).join(' ');
  const banner: Banner = { tone: 'error', text: other ? `${t.lifecycle.refusedTitle}: ${other}` : `${t.lifecycle.refusedTitle}: ${reasonError ?? ''}` };
  return { reasonError, banner };
}

/** A refused or conflicting action, as the refusals the page explains; anything else is thrown on. */
function refusalsOf(error: unknown): readonly string[] {
  if (error instanceof LifecycleRefused || error instanceof ExemptionListRefused) return error.refusals;
  if (error instanceof LifecycleConflict) return ['conflict'];
  throw error;
}

/** What the action the session just sent did, as the course page says it. */
function doneBanner(t: Messages, notice: Notice | undefined): Banner | undefined {
  if (!notice) return undefined;
  const say = t.lifecycle;
  const n = (name: string) => noticeCount(notice, name);
  const success = (message: string): Banner => ({ tone: 'success', text: message });
  if (notice.key === 'run_cancelled') return success(say.runCancelled(n('n')));
  if (notice.key === 'course_cancelled') return success(say.courseCancelled(n('runs'), n('n')));
  if (notice.key === 'published') return success(say.published(n('version')));
  if (notice.key === 'archived') return success(say.archivedDone(n('n')));
  if (notice.key === 'exempted') return success(say.exemptedDone(noticeText(notice, 'name')));
  if (notice.key === 'imported') return success(say.imported(n('applied'), n('skipped'), n('refused')));
  return undefined;
}

export function lifecycleRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/admin/lifecycle', async (c) => {
    const courses = await listCoursesForLifecycle(c.var.deps.store.db, adminActor(c));
    return renderPage(c, c.var.t.lifecycle.title, <CoursesPage courses={courses} t={c.var.t} />);
  });

  app.get('/admin/lifecycle/courses/:id', async (c) => {
    const view = await getCourseForLifecycle(c.var.deps.store.db, adminActor(c), c.req.param('id'));
    const { t, locale } = c.var;
    return renderPage(c, t.lifecycle.versionOf(view.course.title, view.course.version), <CoursePage view={view} t={t} locale={locale} banner={doneBanner(t, await takeNotice(c))} />);
  });

  // ---------------------------------------------------------------- cancel a run

  const cancelRunPage = async (c: Context<AppEnv>, values: { reason: string }, refusals: readonly string[] = []) => {
    const run = await getRunForLifecycle(c.var.deps.store.db, adminActor(c), c.req.param('id')!);
    const { t } = c.var;
    const shown = refusals.length > 0 ? explain(t, refusals) : undefined;
    return renderPage(
      c,
      t.lifecycle.cancelRunTitle(run.code),
      <ConfirmPage
        t={t}
        title={t.lifecycle.cancelRunTitle(run.code)}
        text={t.lifecycle.cancelRunText}
        back={coursePath(run.course_id)}
        action={`/admin/lifecycle/runs/${encodeURIComponent(run.id)}/cancel`}
        csrfToken={c.var.csrfToken}
        submit={t.lifecycle.confirmCancel}
        banner={shown?.banner}
      >
        <ReasonField id="reason" label={t.lifecycle.reason} hint={t.lifecycle.reasonHint} value={values.reason} error={shown?.reasonError} />
      </ConfirmPage>,
      refusals.includes('conflict') ? 409 : refusals.length > 0 ? 422 : 200,
    );
  };
  app.get('/admin/lifecycle/runs/:id/cancel', (c) => cancelRunPage(c, { reason: '' }));
  app.post('/admin/lifecycle/runs/:id/cancel', async (c) => {
    const actor = adminActor(c);
    const reason = text((await c.req.parseBody()).reason);
    const db = c.var.deps.store.db;
    const run = await getRunForLifecycle(db, actor, c.req.param('id'));
    try {
      const summary = await cancelRun(db, actor, run.id, reason);
      return toCourse(c, run.course_id, 'run_cancelled', { n: summary.cancelled });
    } catch (error) {
      return cancelRunPage(c, { reason }, refusalsOf(error));
    }
  });

  // ---------------------------------------------------------------- course actions

  const coursePage = (kind: 'cancel' | 'new-version' | 'archive') => async (c: Context<AppEnv>, values: { reason: string }, refusals: readonly string[] = []) => {
    const view = await getCourseForLifecycle(c.var.deps.store.db, adminActor(c), c.req.param('id')!);
    const { t } = c.var;
    const tl = t.lifecycle;
    const { course } = view;
    const shown = refusals.length > 0 ? explain(t, refusals) : undefined;
    const texts = {
      cancel: { title: tl.cancelCourseTitle(course.title), text: tl.cancelCourseText, submit: tl.confirmCancel },
      'new-version': { title: tl.newVersionTitle(course.title, course.version + 1), text: tl.newVersionText, submit: tl.confirmNewVersion },
      archive: { title: tl.archiveTitle(course.title, course.version), text: tl.archiveText, submit: tl.confirmArchive },
    }[kind];
    return renderPage(
      c,
      texts.title,
      <ConfirmPage
        t={t}
        title={texts.title}
        text={texts.text}
        back={coursePath(course.id)}
        action={`/admin/lifecycle/courses/${encodeURIComponent(course.id)}/${kind}`}
        csrfToken={c.var.csrfToken}
        submit={texts.submit}
        banner={shown?.banner}
      >
        {kind === 'cancel' && <ReasonField id="reason" label={tl.reason} hint={tl.reasonHint} value={values.reason} error={shown?.reasonError} />}
      </ConfirmPage>,
      refusals.includes('conflict') ? 409 : refusals.length > 0 ? 422 : 200,
    );
  };

  const cancelCoursePage = coursePage('cancel');
  app.get('/admin/lifecycle/courses/:id/cancel', (c) => cancelCoursePage(c, { reason: '' }));
  app.post('/admin/lifecycle/courses/:id/cancel', async (c) => {
    const actor = adminActor(c);
    const reason = text((await c.req.parseBody()).reason);
    const courseId = c.req.param('id');
    try {
      const summary = await cancelCourse(c.var.deps.store.db, actor, courseId, reason);
      return toCourse(c, courseId, 'course_cancelled', { runs: summary.runs, n: summary.cancelled });
    } catch (error) {
      return cancelCoursePage(c, { reason }, refusalsOf(error));
    }
  });

  const newVersionPage = coursePage('new-version');
  app.get('/admin/lifecycle/courses/:id/new-version', (c) => newVersionPage(c, { reason: '' }));
  app.post('/admin/lifecycle/courses/:id/new-version', async (c) => {
    const actor = adminActor(c);
    await c.req.parseBody();
    try {
      const next = await publishNextVersion(c.var.deps.store.db, actor, c.req.param('id'));
      return toCourse(c, next.courseId, 'published', { version: next.version });
    } catch (error) {
      return newVersionPage(c, { reason: '' }, refusalsOf(error));
    }
  });

  const archivePage = coursePage('archive');
  app.get('/admin/lifecycle/courses/:id/archive', (c) => archivePage(c, { reason: '' }));
  app.post('/admin/lifecycle/courses/:id/archive', async (c) => {
    const actor = adminActor(c);
    await c.req.parseBody();
    const courseId = c.req.param('id');
    try {
      const result = await archiveCourse(c.var.deps.store.db, actor, courseId);
      return toCourse(c, courseId, 'archived', { n: result.archived });
    } catch (error) {
      return archivePage(c, { reason: '' }, refusalsOf(error));
    }
  });

  // ---------------------------------------------------------------- exempt one participant

  const exemptPage = async (c: Context<AppEnv>, values: { reason: string }, refusals: readonly string[] = []) => {
    const enrolment = await getEnrolmentForLifecycle(c.var.deps.store.db, adminActor(c), c.req.param('id')!);
    const { t } = c.var;
    const tl = t.lifecycle;
    const shown = refusals.length > 0 ? explain(t, refusals) : undefined;
    const evidenceRefusal = refusals.find((r) => r.startsWith('evidence_'));
    const title = tl.exemptTitle(enrolment.user_name);
    return renderPage(
      c,
      title,
      <ConfirmPage
        t={t}
        title={title}
        text={`${tl.versionOf(enrolment.course_title, enrolment.course_version)} · ${t.statuses[enrolment.status]}. ${tl.exemptText}`}
        back={coursePath(enrolment.course_id)}
        action={`/admin/lifecycle/enrolments/${encodeURIComponent(enrolment.id)}/exempt`}
        csrfToken={c.var.csrfToken}
        submit={tl.confirmExempt}
        banner={shown?.banner}
        multipart
      >
        <ReasonField id="reason" label={tl.exemptReason} value={values.reason} error={shown?.reasonError} />
        <FileField id="evidence" label={tl.evidence} accept=".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg" error={evidenceRefusal && tl.refusals[evidenceRefusal as RefusalKey]} />
      </ConfirmPage>,
      refusals.includes('conflict') ? 409 : refusals.length > 0 ? 422 : 200,
    );
  };
  app.get('/admin/lifecycle/enrolments/:id/exempt', (c) => exemptPage(c, { reason: '' }));
  app.post('/admin/lifecycle/enrolments/:id/exempt', async (c) => {
    const actor = adminActor(c);
    const db = c.var.deps.store.db;
    const body = await c.req.parseBody();
    const reason = text(body.reason);
    const enrolment = await getEnrolmentForLifecycle(db, actor, c.req.param('id'));
    const evidence = file(body.evidence);
    let evidenceKey: string | null = null;
    if (evidence) {
      const stored = await storeEvidence(c.var.deps.config.DATA_DIR, new Uint8Array(await evidence.arrayBuffer()));
      if ('rejected' in stored) return exemptPage(c, { reason }, [stored.rejected]);
      evidenceKey = stored.key;
    }
    try {
      await exemptEnrolment(db, actor, enrolment.id, { reason, evidenceKey });
      return toCourse(c, enrolment.course_id, 'exempted', { name: enrolment.user_name });
    } catch (error) {
      // The refused exemption keeps no evidence.
      if (evidenceKey) await unlink(path.join(exemptionDirectory(c.var.deps.config.DATA_DIR), evidenceKey)).catch(() => undefined);
      return exemptPage(c, { reason }, refusalsOf(error));
    }
  });

  // ---------------------------------------------------------------- exemption list

  const listPage = async (
    c: Context<AppEnv>,
    values: { reason: string },
    options: { refusals?: readonly string[]; preview?: Parameters<typeof ExemptionPreview>[0]['plan']; listText?: string } = {},
  ) => {
    const view = await getCourseForLifecycle(c.var.deps.store.db, adminActor(c), c.req.param('id')!);
    const { t } = c.var;
    const tl = t.lifecycle;
    const refusals = options.refusals ?? [];
    const shown = refusals.length > 0 ? explain(t, refusals) : undefined;
    const listRefusal = refusals.find((r) => r.startsWith('list_'));
    const title = tl.listTitle(tl.versionOf(view.course.title, view.course.version));
    return renderPage(
      c,
      title,
      <>
        <ConfirmPage
          t={t}
          title={title}
          text={tl.listText}
          back={coursePath(view.course.id)}
          action={`/admin/lifecycle/courses/${encodeURIComponent(view.course.id)}/exemption-list`}
          csrfToken={c.var.csrfToken}
          submit={tl.preview}
          banner={shown?.banner}
          multipart
        >
          <input type="hidden" name="step" value="preview" />
          <FileField id="list" label={tl.listFile} accept=".csv,text/csv" required error={listRefusal && tl.refusals[listRefusal as RefusalKey]} />
          <ReasonField id="reason" label={tl.listReason} value={values.reason} error={shown?.reasonError} />
        </ConfirmPage>
        {options.preview && <ExemptionPreview t={t} plan={options.preview} listText={options.listText ?? ''} reason={values.reason} csrfToken={c.var.csrfToken} />}
      </>,
      refusals.includes('conflict') ? 409 : refusals.length > 0 ? 422 : 200,
    );
  };
  app.get('/admin/lifecycle/courses/:id/exemption-list', (c) => listPage(c, { reason: '' }));
  app.post('/admin/lifecycle/courses/:id/exemption-list', async (c) => {
    const actor = adminActor(c);
    const db = c.var.deps.store.db;
    const body = await c.req.parseBody();
    const reason = text(body.reason);
    const courseId = c.req.param('id');
    try {
      if (text(body.step) === 'import') {
        const result = await importExemptionList(db, actor, courseId, new TextEncoder().encode(text(body.listText)), reason);
        return toCourse(c, courseId, 'imported', { ...result.counts });
      }
      const content = file(body.list) ? new Uint8Array(await file(body.list)!.arrayBuffer()) : new Uint8Array();
      const reasonRefusal = reason.trim() === '' ? 'reason_required' : reason.trim().length > 1000 ? 'reason_too_long' : null;
      const preview = await previewExemptionList(db, actor, courseId, content).catch((error: unknown) => {
        if (reasonRefusal && error instanceof ExemptionListRefused) throw new ExemptionListRefused([...error.refusals, reasonRefusal]);
        throw error;
      });
      if (reasonRefusal) return listPage(c, { reason }, { refusals: [reasonRefusal] });
      return listPage(c, { reason }, { preview, listText: new TextDecoder().decode(content) });
    } catch (error) {
      return listPage(c, { reason }, { refusals: refusalsOf(error) });
    }
  });

  return app;
}

