import { Hono, type Context } from 'hono';
import { COPY_FIELDS, MEETING_FIELDS, meetingForm, RUN_FIELDS, type RunForm } from '../../domain/catalog.ts';
import {
  addMeeting,
  assignTeacher,
  copyRun,
  createRun,
  deleteMeeting,
  getCourseForNewRun,
  getMeetingForAdmin,
  getRunPage,
  removeTeacher,
  runForm,
  updateMeeting,
  updateRun,
} from '../../services/runs-admin.ts';
import { ConfirmScreen } from '../../views/confirm-screen.tsx';
import type { AppEnv } from '../../web/context.ts';
import { noticeText, redirectWithNotice, takeNotice } from '../../web/notice.ts';
import { renderPage } from '../../web/render.tsx';
import { adminActor, fieldErrors, readForm } from './admin-forms.tsx';
import { MeetingPage, meetingWhen, NewRunPage, RunPage, type RunPageState } from './runs-pages.tsx';

const id = (value: string) => encodeURIComponent(value);
const runPath = (runId: string) => `/admin/runs/${id(runId)}`;

/** The confirmation messages of the run page, by the key of the notice its form leaves (web/notice.ts). */
const FLASHES = ['created', 'saved', 'meeting-added', 'meeting-saved', 'meeting-deleted', 'copied', 'teacher-assigned', 'teacher-removed'] as const;
type FlashKey = (typeof FLASHES)[number];

/** Runs, meetings and teachers for administrators (post/redirect/get; a refused form comes back as entered). */
export function adminRunRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/admin/courses/:id/runs/new', async (c) => {
    const actor = adminActor(c);
    const course = await getCourseForNewRun(c.var.deps.store.db, actor, c.req.param('id'));
    const { t } = c.var;
    return renderPage(c, t.catalog.runs.newTitle(course.title), <NewRunPage course={course} form={{}} errors={{}} t={t} csrfToken={c.var.csrfToken} />);
  });

  app.post('/admin/courses/:id/runs', async (c) => {
    const actor = adminActor(c);
    const { db } = c.var.deps.store;
    const courseId = c.req.param('id');
    const form = await readForm(c, RUN_FIELDS);
    const saved = await createRun(db, actor, courseId, form);
    if (saved.ok) return redirectWithNotice(c, `${runPath(saved.id)}#flash`, 'created');
    const course = await getCourseForNewRun(db, actor, courseId);
    const { t } = c.var;
    return renderPage(c, t.catalog.runs.newTitle(course.title), <NewRunPage course={course} form={form} errors={fieldErrors(t, saved.errors)} t={t} csrfToken={c.var.csrfToken} />, 422);
  });

  /** The run page, with a refused form's values and reasons when there is one. */
  const showRun = async (c: Context<AppEnv>, runId: string, state: RunPageState = {}, status: 200 | 409 | 422 = 200) => {
    const actor = adminActor(c);
    const data = await getRunPage(c.var.deps.store.db, actor, runId, { teacherQuery: c.req.method === 'GET' ? (c.req.query('teacher') ?? '') : '' });
    const { t, locale } = c.var;
    const notice = status === 200 && !state.flash ? await takeNotice(c) : undefined;
    if (notice) {
      const key = notice.key as FlashKey;
      const tr = t.catalog.runs;
      const who = data.teachers.find((teacher) => teacher.id === noticeText(notice, 'who'));
      const messages: Record<FlashKey, string | undefined> = {
        created: tr.created,
        saved: tr.saved,
        'meeting-added': tr.meetingAdded,
        'meeting-saved': tr.meetingSaved,
        'meeting-deleted': tr.meetingDeleted,
        copied: tr.copied,
        'teacher-assigned': who ? tr.teacherAssigned(who.name) : undefined,
        'teacher-removed': tr.teacherRemoved,
      };
      state = { ...state, flash: (FLASHES as readonly string[]).includes(key) ? messages[key] : undefined };
    }
    return renderPage(c, t.catalog.runs.title(data.run.code), <RunPage data={data} runForm={runForm(data.run)} state={state} t={t} locale={locale} csrfToken={c.var.csrfToken} />, status);
  };

  app.get('/admin/runs/:id', (c) => showRun(c, c.req.param('id')));

  app.post('/admin/runs/:id', async (c) => {
    const actor = adminActor(c);
    const runId = c.req.param('id');
    const form: RunForm = await readForm(c, RUN_FIELDS);
    const saved = await updateRun(c.var.deps.store.db, actor, runId, form);
    if (saved.ok) return redirectWithNotice(c, `${runPath(runId)}#flash`, 'saved');
    return showRun(c, runId, { run: { form, errors: fieldErrors(c.var.t, saved.errors) } }, 422);
  });

  app.post('/admin/runs/:id/meetings', async (c) => {
    const actor = adminActor(c);
    const runId = c.req.param('id');
    const form = await readForm(c, MEETING_FIELDS);
    const saved = await addMeeting(c.var.deps.store.db, actor, runId, form);
    if (saved.ok) return redirectWithNotice(c, `${runPath(runId)}#flash`, 'meeting-added');
    return showRun(c, runId, { meeting: { form, errors: fieldErrors(c.var.t, saved.errors) } }, 422);
  });

  app.get('/admin/runs/:id/meetings/:meetingId', async (c) => {
    const actor = adminActor(c);
    const { run, meeting } = await getMeetingForAdmin(c.var.deps.store.db, actor, c.req.param('id'), c.req.param('meetingId'));
    const { t } = c.var;
    return renderPage(
      c,
      t.catalog.runs.editMeetingTitle,
      <MeetingPage runId={run.id} runCode={run.code} courseTitle={run.course_title} meetingId={meeting.id} form={meetingForm(meeting)} errors={{}} t={t} csrfToken={c.var.csrfToken} />,
    );
  });

  app.post('/admin/runs/:id/meetings/:meetingId', async (c) => {
    const actor = adminActor(c);
    const { db } = c.var.deps.store;
    const runId = c.req.param('id');
    const meetingId = c.req.param('meetingId');
    const form = await readForm(c, MEETING_FIELDS);
    const saved = await updateMeeting(db, actor, runId, meetingId, form);
    if (saved.ok) return redirectWithNotice(c, `${runPath(runId)}#flash`, 'meeting-saved');
    const { run } = await getMeetingForAdmin(db, actor, runId, meetingId);
    const { t } = c.var;
    return renderPage(
      c,
      t.catalog.runs.editMeetingTitle,
      <MeetingPage runId={run.id} runCode={run.code} courseTitle={run.course_title} meetingId={meetingId} form={form} errors={fieldErrors(t, saved.errors)} t={t} csrfToken={c.var.csrfToken} />,
      422,
    );
  });

  /** The second screen before deleting a meeting, or why it cannot be deleted. */
  const confirmDelete = async (c: Context<AppEnv>, runId: string, meetingId: string, status: 200 | 422) => {
    const actor = adminActor(c);
    const { run, meeting } = await getMeetingForAdmin(c.var.deps.store.db, actor, runId, meetingId);
    const { t, locale } = c.var;
    const tr = t.catalog.runs;
    if (meeting.attendance > 0) return showRun(c, runId, { banner: tr.deleteRefused(meeting.attendance) }, 409);
    return renderPage(
      c,
      tr.deleteTitle,
      <ConfirmScreen
        title={tr.deleteTitle}
        intro={tr.deleteIntro(meetingWhen(locale, meeting))}
        consequences={[tr.deleteConsequence]}
        action={`${runPath(run.id)}/meetings/${id(meeting.id)}/delete`}
        confirmLabel={tr.deleteConfirm}
        cancelHref={`${runPath(run.id)}#meetings`}
        csrfToken={c.var.csrfToken}
        t={t}
      />,
      status,
    );
  };

  app.get('/admin/runs/:id/meetings/:meetingId/delete', (c) => confirmDelete(c, c.req.param('id'), c.req.param('meetingId'), 200));

  app.post('/admin/runs/:id/meetings/:meetingId/delete', async (c) => {
    const actor = adminActor(c);
    const runId = c.req.param('id');
    const meetingId = c.req.param('meetingId');
    const { confirm } = await readForm(c, ['confirm']);
    if (confirm !== '1') return confirmDelete(c, runId, meetingId, 422);
    const result = await deleteMeeting(c.var.deps.store.db, actor, runId, meetingId);
    if (result.ok) return redirectWithNotice(c, `${runPath(runId)}#flash`, 'meeting-deleted');
    return showRun(c, runId, { banner: c.var.t.catalog.runs.deleteRefused(result.attendance) }, 409);
  });

  app.post('/admin/runs/:id/copy', async (c) => {
    const actor = adminActor(c);
    const runId = c.req.param('id');
    const form = await readForm(c, COPY_FIELDS);
    const saved = await copyRun(c.var.deps.store.db, actor, runId, form);
    if (saved.ok) return redirectWithNotice(c, `${runPath(saved.id)}#flash`, 'copied');
    return showRun(c, runId, { copy: { form, errors: fieldErrors(c.var.t, saved.errors) } }, 422);
  });

  app.post('/admin/runs/:id/teachers', async (c) => {
    const actor = adminActor(c);
    const runId = c.req.param('id');
    const { userId } = await readForm(c, ['userId']);
    const result = await assignTeacher(c.var.deps.store.db, actor, runId, userId);
    if (result.ok) return redirectWithNotice(c, `${runPath(runId)}#flash`, 'teacher-assigned', { who: userId });
    return showRun(c, runId, { teacherError: fieldErrors(c.var.t, result.errors).teacher }, 422);
  });

  app.post('/admin/runs/:id/teachers/:userId/remove', async (c) => {
    const actor = adminActor(c);
    const runId = c.req.param('id');
    await removeTeacher(c.var.deps.store.db, actor, runId, c.req.param('userId'));
    return redirectWithNotice(c, `${runPath(runId)}#flash`, 'teacher-removed');
  });

  return app;
}
