import type { KeysetPage } from '../../db/keyset.ts';
import { COURSE_KINDS, type CourseForm } from '../../domain/catalog.ts';
import { formatDate, formatPoints, type Locale, type Messages } from '../../i18n/index.ts';
import type { CourseRow } from '../../repositories/catalog-admin.ts';
import type { findCourses } from '../../services/catalog-admin.ts';
import { ErrorSummary, FormField, type FieldErrors } from '../../views/form-field.tsx';
import { CsrfField } from '../../views/layout.tsx';
import { FilterForm, PagedTable, type Column } from '../../views/paged-table.tsx';
import { AdminNav, Flash } from './admin-forms.tsx';
import { runStateBadge } from './runs-pages.tsx';

type FoundCourses = Awaited<ReturnType<typeof findCourses>>;
type CourseListRow = FoundCourses['page']['rows'][number];

/** **Opleidingen**: search by code or title, a page of courses, and a way to add one. */
export function CoursesPage({ found, t, locale }: { found: FoundCourses; t: Messages; locale: Locale }) {
  const tc = t.catalog.courses;
  const columns: Column<CourseListRow>[] = [
    { header: tc.fields.title, rowHeader: true, cell: (c) => <a href={`/admin/courses/${encodeURIComponent(c.id)}`}>{c.title}</a> },
    { header: tc.fields.code, cell: (c) => c.code },
    { header: tc.fields.kind, cell: (c) => t.courseKinds[c.kind] },
    { header: tc.fields.maxStudyPoints, numeric: true, cell: (c) => formatPoints(locale, c.max_study_points) },
    { header: tc.version, numeric: true, cell: (c) => String(c.version) },
    { header: tc.state, cell: (c) => (c.cancelled_at ? tc.cancelled : c.archived_at ? tc.archived : tc.active) },
  ];
  return (
    <>
      <AdminNav t={t} current="courses" />
      <h1>{t.catalog.coursesTitle}</h1>
      <p>{tc.intro}</p>
      <p>
        <a href="/admin/courses/new" class="button-primary">
          {tc.add}
        </a>
      </p>
      <FilterForm path="/admin/courses" t={t} label={tc.searchLabel}>
        <FormField name="q" id="course-query" type="search" label={tc.searchLabel} value={found.query} maxlength={200} markOptional={false} t={t} />
      </FilterForm>
      <PagedTable path="/admin/courses" filters={{ q: found.query }} caption={found.query ? tc.captionFor(found.query) : tc.caption} columns={columns} page={found.page} t={t} empty={tc.none} />
    </>
  );
}

/** The fields of a course, with kept values and reasons. */
function CourseFields({ form, errors, t }: { form: CourseForm; errors: FieldErrors; t: Messages }) {
  const f = t.catalog.courses.fields;
  const h = t.catalog.courses.hints;
  return (
    <div class="form-grid">
      <div class="field-wide">
        <FormField name="title" label={f.title} value={form.title} error={errors.title} required maxlength={200} t={t} />
      </div>
      <FormField name="code" label={f.code} value={form.code} error={errors.code} hint={h.code} required maxlength={40} autocomplete="off" t={t} />
      <FormField kind="select" name="kind" label={f.kind} value={form.kind} error={errors.kind} required options={COURSE_KINDS.map((k) => ({ value: k, label: t.courseKinds[k] }))} t={t} />
      <FormField name="maxStudyPoints" label={f.maxStudyPoints} value={form.maxStudyPoints} error={errors.maxStudyPoints} required inputmode="decimal" maxlength={8} t={t} />
      <div class="field-wide">
        <FormField kind="textarea" name="description" label={f.description} value={form.description} error={errors.description} maxlength={5000} t={t} />
      </div>
      <FormField name="studyTermDays" label={f.studyTermDays} value={form.studyTermDays} error={errors.studyTermDays} hint={h.studyTerm} inputmode="numeric" maxlength={6} t={t} />
      <FormField name="studyTermEndsOn" type="date" label={f.studyTermEndsOn} value={form.studyTermEndsOn} error={errors.studyTermEndsOn} t={t} />
      <FormField name="knowledgeCentreUrl" label={f.knowledgeCentreUrl} value={form.knowledgeCentreUrl} error={errors.knowledgeCentreUrl} hint={h.url} maxlength={500} t={t} />
      <FormField name="elearningUrl" id="field-elearningUrl" label={f.elearningUrl} value={form.elearningUrl} error={errors.elearningUrl} hint={h.url} maxlength={500} t={t} />
    </div>
  );
}

const labelsOf = (t: Messages): Record<string, string> => ({ ...t.catalog.courses.fields });

/** **Nieuwe opleiding**: the course form, empty or as entered when refused. */
export function NewCoursePage({ form, errors, t, csrfToken }: { form: CourseForm; errors: FieldErrors; t: Messages; csrfToken: string }) {
  return (
    <>
      <AdminNav t={t} current="courses" />
      <p>
        <a href="/admin/courses">{t.catalog.backToCourses}</a>
      </p>
      <h1>{t.catalog.courses.newTitle}</h1>
      <ErrorSummary errors={errors} labels={labelsOf(t)} t={t} />
      <form method="post" action="/admin/courses" novalidate>
        <CsrfField token={csrfToken} />
        <CourseFields form={form} errors={errors} t={t} />
        <button type="submit" class="button-primary">
          {t.catalog.courses.create}
        </button>
      </form>
    </>
  );
}

/** One course: its form to edit it, its latest runs and the way to plan a new run. */
export function CoursePage(props: {
  course: CourseRow;
  runs: { id: string; code: string; place: string; starts_on: string; ends_on: string; cancelled_at: string | null }[];
  form: CourseForm;
  errors: FieldErrors;
  flash: string | undefined;
  today: string;
  t: Messages;
  locale: Locale;
  csrfToken: string;
}) {
  const { course, t, locale } = props;
  const tc = t.catalog.courses;
  const runsPage: KeysetPage<(typeof props.runs)[number]> = { rows: props.runs, next: null, previous: null };
  return (
    <>
      <AdminNav t={t} current="courses" />
      <p>
        <a href="/admin/courses">{t.catalog.backToCourses}</a>
      </p>
      <h1>
        {course.title} <span class="muted">({course.code})</span>
      </h1>
      <Flash text={props.flash} />
      <section aria-labelledby="course-actions">
        <h2 id="course-actions" class="visually-hidden">
          {tc.actionsTitle}
        </h2>
        <ul class="actions" id="course-action-links">
          <li>
            <a href={`/admin/courses/${encodeURIComponent(course.id)}/runs/new`} class="button-primary">
              {tc.newRun}
            </a>
          </li>
          <li>
            <a href={`/admin/lifecycle/courses/${encodeURIComponent(course.id)}`} class="button-secondary">
              {t.lifecycle.title}
            </a>
          </li>
        </ul>
      </section>
      <section class="panel" aria-labelledby="course-edit">
        <h2 id="course-edit">{tc.editTitle}</h2>
        <ErrorSummary errors={props.errors} labels={labelsOf(t)} t={t} />
        <form method="post" action={`/admin/courses/${encodeURIComponent(course.id)}`} novalidate>
          <CsrfField token={props.csrfToken} />
          <CourseFields form={props.form} errors={props.errors} t={t} />
          <button type="submit" class="button-primary">
            {tc.save}
          </button>
        </form>
      </section>
      <section aria-labelledby="course-runs">
        <h2 id="course-runs">{tc.runsTitle}</h2>
        <PagedTable
          path={`/admin/courses/${encodeURIComponent(course.id)}`}
          filters={{}}
          caption={tc.runsTitle}
          page={runsPage}
          empty={tc.noRuns}
          t={t}
          columns={[
            { header: t.catalog.overview.run, rowHeader: true, cell: (r) => <a href={`/admin/runs/${encodeURIComponent(r.id)}`}>{r.code}</a> },
            { header: t.catalog.overview.dates, cell: (r) => `${formatDate(locale, r.starts_on)} – ${formatDate(locale, r.ends_on)}` },
            { header: t.catalog.overview.place, cell: (r) => r.place },
            { header: t.catalog.overview.state, cell: (r) => runStateBadge(t, r, props.today) },
          ]}
        />
        {props.runs.length > 0 && (
          <p>
            <a href={`/admin?course=${encodeURIComponent(course.code)}`}>{tc.allRuns}</a>
          </p>
        )}
      </section>
    </>
  );
}
