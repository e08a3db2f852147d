import { Hono, type Context } from 'hono';
import { decodeCursor } from '../../db/keyset.ts';
import { COURSE_FIELDS, PROGRAMME_FIELDS, type CourseForm } from '../../domain/catalog.ts';
import { brusselsDate } from '../../domain/dates.ts';
import {
  courseForm,
  createCourse,
  createProgramme,
  findCourses,
  findProgrammes,
  getCourseForAdmin,
  getProgrammeForAdmin,
  programmeForm,
  updateCourse,
  updateProgramme,
} from '../../services/catalog-admin.ts';
import type { AppEnv } from '../../web/context.ts';
import { redirectWithNotice, takeNotice } from '../../web/notice.ts';
import { renderPage } from '../../web/render.tsx';
import { adminActor, fieldErrors, readForm } from './admin-forms.tsx';
import { CoursePage, CoursesPage, NewCoursePage } from './courses-pages.tsx';
import { ProgrammePage, ProgrammesPage } from './programmes-pages.tsx';

const id = (value: string) => encodeURIComponent(value);
const pageOf = (query: (name: string) => string | undefined) => ({ after: decodeCursor(query('after'), 2), before: decodeCursor(query('before'), 2) });

/** **Opleidingen** and **Programma's** for administrators: list, search, create, edit (post/redirect/get). */
export function adminCourseRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/admin/courses', async (c) => {
    const actor = adminActor(c);
    const found = await findCourses(c.var.deps.store.db, actor, { query: c.req.query('q') ?? '', page: pageOf((n) => c.req.query(n)) });
    return renderPage(c, c.var.t.catalog.coursesTitle, <CoursesPage found={found} t={c.var.t} locale={c.var.locale} />);
  });

  app.get('/admin/courses/new', (c) => {
    adminActor(c);
    const form: CourseForm = { kind: 'classroom' };
    return renderPage(c, c.var.t.catalog.courses.newTitle, <NewCoursePage form={form} errors={{}} t={c.var.t} csrfToken={c.var.csrfToken} />);
  });

  app.post('/admin/courses', async (c) => {
    const actor = adminActor(c);
    const form = await readForm(c, COURSE_FIELDS);
    const saved = await createCourse(c.var.deps.store.db, actor, form);
    if (saved.ok) return redirectWithNotice(c, `/admin/courses/${id(saved.id)}#flash`, 'created');
    const { t } = c.var;
    return renderPage(c, t.catalog.courses.newTitle, <NewCoursePage form={form} errors={fieldErrors(t, saved.errors)} t={t} csrfToken={c.var.csrfToken} />, 422);
  });

  const coursePage = async (c: Context<AppEnv>, courseId: string, refused?: { form: CourseForm; errors: ReturnType<typeof fieldErrors> }) => {
    const actor = adminActor(c);
    const { course, runs } = await getCourseForAdmin(c.var.deps.store.db, actor, courseId);
    const { t } = c.var;
    const saved = refused ? undefined : (await takeNotice(c))?.key;
    const flash = saved === 'created' ? t.catalog.courses.created : saved === 'saved' ? t.catalog.courses.saved : undefined;
    return renderPage(
      c,
      course.title,
      <CoursePage
        course={course}
        runs={runs}
        form={refused?.form ?? courseForm(course)}
        errors={refused?.errors ?? {}}
        flash={flash}
        today={brusselsDate(new Date())}
        t={t}
        locale={c.var.locale}
        csrfToken={c.var.csrfToken}
      />,
      refused ? 422 : 200,
    );
  };

  app.get('/admin/courses/:id', (c) => coursePage(c, c.req.param('id')));

  app.post('/admin/courses/:id', async (c) => {
    const actor = adminActor(c);
    const courseId = c.req.param('id');
    const form = await readForm(c, COURSE_FIELDS);
    const saved = await updateCourse(c.var.deps.store.db, actor, courseId, form);
    if (saved.ok) return redirectWithNotice(c, `/admin/courses/${id(courseId)}#flash`, 'saved');
    return coursePage(c, courseId, { form, errors: fieldErrors(c.var.t, saved.errors) });
  });

  app.get('/admin/programmes', async (c) => {
    const actor = adminActor(c);
    const page = await findProgrammes(c.var.deps.store.db, actor, pageOf((n) => c.req.query(n)));
    return renderPage(c, c.var.t.catalog.programmesTitle, <ProgrammesPage page={page} t={c.var.t} locale={c.var.locale} />);
  });

  app.get('/admin/programmes/new', (c) => {
    adminActor(c);
    return renderPage(c, c.var.t.catalog.programmes.newTitle, <ProgrammePage form={{}} errors={{}} t={c.var.t} csrfToken={c.var.csrfToken} />);
  });

  app.post('/admin/programmes', async (c) => {
    const actor = adminActor(c);
    const form = await readForm(c, PROGRAMME_FIELDS);
    const saved = await createProgramme(c.var.deps.store.db, actor, form);
    if (saved.ok) return redirectWithNotice(c, `/admin/programmes/${id(saved.id)}#flash`, 'created');
    const { t } = c.var;
    return renderPage(c, t.catalog.programmes.newTitle, <ProgrammePage form={form} errors={fieldErrors(t, saved.errors)} t={t} csrfToken={c.var.csrfToken} />, 422);
  });

  app.get('/admin/programmes/:id', async (c) => {
    const actor = adminActor(c);
    const programme = await getProgrammeForAdmin(c.var.deps.store.db, actor, c.req.param('id'));
    const { t } = c.var;
    const saved = (await takeNotice(c))?.key;
    const flash = saved === 'created' ? t.catalog.programmes.created : saved === 'saved' ? t.catalog.programmes.saved : undefined;
    return renderPage(c, programme.title, <ProgrammePage programme={programme} form={programmeForm(programme)} errors={{}} flash={flash} t={t} csrfToken={c.var.csrfToken} />);
  });

  app.post('/admin/programmes/:id', async (c) => {
    const actor = adminActor(c);
    const { db } = c.var.deps.store;
    const programmeId = c.req.param('id');
    const form = await readForm(c, PROGRAMME_FIELDS);
    const saved = await updateProgramme(db, actor, programmeId, form);
    if (saved.ok) return redirectWithNotice(c, `/admin/programmes/${id(programmeId)}#flash`, 'saved');
    const programme = await getProgrammeForAdmin(db, actor, programmeId);
    const { t } = c.var;
    return renderPage(c, programme.title, <ProgrammePage programme={programme} form={form} errors={fieldErrors(t, saved.errors)} t={t} csrfToken={c.var.csrfToken} />, 422);
  });

  return app;
}
