import type { Child } from 'hono/jsx';
import type { CopyField, MeetingForm, RunForm } from '../../domain/catalog.ts';
import { RUN_STATES, runState } from '../../domain/catalog.ts';
import { formatDate, formatPoints, formatTime, type Locale, type Messages } from '../../i18n/index.ts';
import type { CourseRow } from '../../repositories/catalog-admin.ts';
import type { AdminMeeting } from '../../repositories/runs-admin.ts';
import type { getRunOverview, RunOverviewFilters } from '../../services/run-overview.ts';
import type { RunPage as RunPageData } from '../../services/runs-admin.ts';
import { ErrorSummary, FormField, type FieldErrors } from '../../views/form-field.tsx';
import { CsrfField } from '../../views/layout.tsx';
import { FilterForm, listHref, PagedTable, type Column } from '../../views/paged-table.tsx';
import { AdminNav, Flash } from './admin-forms.tsx';

type Overview = Awaited<ReturnType<typeof getRunOverview>>;
type OverviewRow = Overview['runs']['rows'][number];

const runHref = (id: string) => `/admin/runs/${encodeURIComponent(id)}`;

/** A run's state (planned, running, finished, cancelled) as a badge. */
export function runStateBadge(t: Messages, run: { starts_on: string; ends_on: string; cancelled_at: string | null }, today: string) {
  const state = runState(run, today);
  const tone = state === 'running' ? 'status-open' : state === 'cancelled' ? 'status-failed' : state === 'finished' ? 'status-other' : 'status-withdrawn';
  return <span class={`badge ${tone}`}>{t.catalog.states[state]}</span>;
}

/** **Beheer**: every run, filtered by the query string, a keyset page at a time. */
export function RunOverviewPage({ overview, filters, t, locale }: { overview: Overview; filters: RunOverviewFilters; t: Messages; locale: Locale }) {
  const to = t.catalog.overview;
  const columns: Column<OverviewRow>[] = [
    {
      header: to.run,
      rowHeader: true,
      cell: (r) => (
        <>
          <a href={runHref(r.id)}>{r.course_title}</a> <span class="muted">({r.code})</span>
        </>
      ),
    },
    { header: to.dates, cell: (r) => `${formatDate(locale, r.starts_on)} – ${formatDate(locale, r.ends_on)}` },
    { header: to.place, cell: (r) => r.place },
    { header: to.teachers, cell: (r) => overview.teachers.get(r.id)?.join(', ') ?? <span class="muted">{to.noTeacher}</span> },
    { header: to.participants, numeric: true, cell: (r) => (r.capacity === null ? String(r.participants) : `${r.participants} / ${r.capacity}`) },
    { header: to.state, cell: (r) => runStateBadge(t, r, overview.today) },
    {
      header: to.actions,
      cell: (r) => (
        <span class="actions">
          <a href={`/teacher/runs/${encodeURIComponent(r.id)}`} aria-label={`${to.showParticipants}: ${r.code}`}>
            {to.showParticipants}
          </a>
          <a href={runHref(r.id)} aria-label={`${to.manage}: ${r.code}`}>
            {to.manage}
          </a>
        </span>
      ),
    },
  ];
  const stateOptions = [{ value: '', label: to.anyState }, ...RUN_STATES.map((s) => ({ value: s, label: t.catalog.states[s] }))];
  return (
    <>
      <AdminNav t={t} current="runs" />
      <h1>{t.admin.title}</h1>
      <p>{to.intro}</p>
      <FilterForm path="/admin" t={t}>
        <FormField name="course" label={to.course} value={filters.course} maxlength={40} markOptional={false} t={t} />
        <FormField name="place" label={to.place} value={filters.place} maxlength={200} markOptional={false} t={t} />
        <FormField name="from" type="date" label={to.from} value={filters.from} markOptional={false} t={t} />
        <FormField name="to" type="date" label={to.to} value={filters.to} markOptional={false} t={t} />
        <FormField name="teacher" type="email" label={to.teacher} value={filters.teacher} maxlength={200} markOptional={false} t={t} />
        <FormField kind="select" name="state" label={to.state} value={filters.state} options={stateOptions} markOptional={false} t={t} />
      </FilterForm>
      <p>
        {t.runOverviewExport.download}{' '}
        <a href={listHref('/admin/runs.csv', { ...filters })} download>
          {t.runOverviewExport.csv}
        </a>
        {' · '}
        <a href={listHref('/admin/runs.xlsx', { ...filters })} download>
          {t.runOverviewExport.xlsx}
        </a>
      </p>
      <PagedTable path="/admin" filters={{ ...filters }} caption={to.caption} columns={columns} page={overview.runs} t={t} empty={to.none} />
    </>
  );
}

const runLabels = (t: Messages): Record<string, string> => ({ ...t.catalog.runs.fields });
const meetingLabels = (t: Messages): Record<string, string> => ({ ...t.catalog.runs.meetingFields });

function RunFields({ form, errors, t }: { form: RunForm; errors: FieldErrors; t: Messages }) {
  const f = t.catalog.runs.fields;
  return (
    <div class="form-grid">
      <FormField name="code" label={f.code} value={form.code} error={errors.code} hint={t.catalog.courses.hints.code} required maxlength={40} autocomplete="off" t={t} />
      <FormField name="place" label={f.place} value={form.place} error={errors.place} required maxlength={200} t={t} />
      <FormField name="capacity" label={f.capacity} value={form.capacity} error={errors.capacity} hint={t.catalog.runs.capacityHint} inputmode="numeric" maxlength={6} t={t} />
      <FormField name="startsOn" type="date" label={f.startsOn} value={form.startsOn} error={errors.startsOn} required t={t} />
      <FormField name="endsOn" type="date" label={f.endsOn} value={form.endsOn} error={errors.endsOn} required t={t} />
    </div>
  );
}

/** **Nieuwe uitvoering** of a course. */
export function NewRunPage({ course, form, errors, t, csrfToken }: { course: CourseRow; form: RunForm; errors: FieldErrors; t: Messages; csrfToken: string }) {
  return (
    <>
      <AdminNav t={t} current="runs" />
      <p>
        <a href={`/admin/courses/${encodeURIComponent(course.id)}`}>{course.title}</a>
      </p>
      <h1>{t.catalog.runs.newTitle(course.title)}</h1>
      <p class="muted">{t.catalog.runs.timesNote}</p>
      <ErrorSummary errors={errors} labels={runLabels(t)} t={t} />
      <form method="post" action={`/admin/courses/${encodeURIComponent(course.id)}/runs`} novalidate>
        <CsrfField token={csrfToken} />
        <RunFields form={form} errors={errors} t={t} />
        <button type="submit" class="button-primary">
          {t.catalog.runs.create}
        </button>
      </form>
    </>
  );
}

/** The fields of a meeting, in Brussels time (ids `meeting-…`, apart from the run form's on the same page). */
function MeetingFields({ form, errors, t }: { form: MeetingForm; errors: FieldErrors; t: Messages }) {
  const f = t.catalog.runs.meetingFields;
  return (
    <div class="form-grid">
      <FormField name="date" id="meeting-date" type="date" label={f.date} value={form.date} error={errors.date} required t={t} />
      <FormField name="startTime" id="meeting-startTime" type="time" label={f.startTime} value={form.startTime} error={errors.startTime} required t={t} />
      <FormField name="endTime" id="meeting-endTime" type="time" label={f.endTime} value={form.endTime} error={errors.endTime} required t={t} />
      <FormField name="place" id="meeting-place" label={f.place} value={form.place} error={errors.place} hint={t.catalog.runs.meetingPlaceHint} maxlength={200} t={t} />
      <FormField name="studyPoints" id="meeting-studyPoints" label={f.studyPoints} value={form.studyPoints} error={errors.studyPoints} required inputmode="decimal" maxlength={8} t={t} />
    </div>
  );
}

const meetingWhen = (locale: Locale, m: { starts_at: string; ends_at: string }) => `${formatDate(locale, m.starts_at, true)} – ${formatTime(locale, m.ends_at)}`;

function MeetingsSection({ data, t, locale, form, errors, csrfToken }: { data: RunPageData; t: Messages; locale: Locale; form: MeetingForm; errors: FieldErrors; csrfToken: string }) {
  const tr = t.catalog.runs;
  const { run, meetings } = data;
  const total = meetings.reduce((sum, m) => sum + m.study_points, 0);
  const columns: Column<AdminMeeting>[] = [
    { header: tr.when, rowHeader: true, cell: (m) => meetingWhen(locale, m) },
    { header: tr.meetingFields.place, cell: (m) => m.place },
    { header: tr.meetingFields.studyPoints, numeric: true, cell: (m) => formatPoints(locale, m.study_points) },
    { header: tr.attendance, numeric: true, cell: (m) => String(m.attendance) },
    {
      header: t.catalog.overview.actions,
      cell: (m) => (
        <span class="actions">
          <a href={`${runHref(run.id)}/meetings/${encodeURIComponent(m.id)}`} aria-label={tr.editMeeting(meetingWhen(locale, m))}>
            {tr.edit}
          </a>
          <a href={`${runHref(run.id)}/meetings/${encodeURIComponent(m.id)}/delete`} aria-label={tr.deleteMeeting(meetingWhen(locale, m))}>
            {tr.delete}
          </a>
        </span>
      ),
    },
  ];
  return (
    <section aria-labelledby="meetings" class="panel">
      <h2 id="meetings">{tr.meetingsTitle}</h2>
      <p class="muted">{tr.timesNote}</p>
      <PagedTable path={runHref(run.id)} filters={{}} caption={tr.meetingsCaption} columns={columns} page={{ rows: meetings, next: null, previous: null }} t={t} empty={tr.noMeetings} />
      {meetings.length > 0 && <p>{tr.totalPoints(formatPoints(locale, total), formatPoints(locale, run.max_study_points))}</p>}
      {data.pointsWarning && (
        <p class="warning" role="status" id="points-warning">
          {tr.pointsWarning(formatPoints(locale, data.pointsWarning.total), formatPoints(locale, data.pointsWarning.maximum))}
        </p>
      )}
      <h3 id="add-meeting">{tr.addMeetingTitle}</h3>
      <ErrorSummary errors={errors} labels={meetingLabels(t)} idOf={(n) => `meeting-${n}`} t={t} />
      <form method="post" action={`${runHref(run.id)}/meetings`} novalidate aria-labelledby="add-meeting">
        <CsrfField token={csrfToken} />
        <MeetingFields form={form} errors={errors} t={t} />
        <button type="submit" class="button-primary">
          {tr.addMeeting}
        </button>
      </form>
    </section>
  );
}

/** People (a run's teachers, or those found to assign) by name and e-mail, with an action on each. */
function PeopleTable<P extends { id: string; name: string; email: string }>(props: { caption: string; people: readonly P[]; t: Messages; action: (person: P) => Child }) {
  const tr = props.t.catalog.runs;
  return (
    <table class="data">
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{tr.name}</th>
          <th scope="col">{tr.email}</th>
          <th scope="col">{props.t.catalog.overview.actions}</th>
        </tr>
      </thead>
      <tbody>
        {props.people.map((person) => (
          <tr>
            <th scope="row">
              <bdi>{person.name}</bdi>
            </th>
            <td>
              <bdi>{person.email}</bdi>
            </td>
            <td>{props.action(person)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function TeachersSection({ data, t, csrfToken, error }: { data: RunPageData; t: Messages; csrfToken: string; error: string | undefined }) {
  const tr = t.catalog.runs;
  const base = runHref(data.run.id);
  return (
    <section aria-labelledby="teachers" class="panel">
      <h2 id="teachers">{tr.teachersTitle}</h2>
      {error && (
        <p class="error-summary" role="alert">
          {error}
        </p>
      )}
      {data.teachers.length === 0 ? (
        <p class="notice">{tr.noTeachers}</p>
      ) : (
        <PeopleTable
          caption={tr.teachersCaption}
          people={data.teachers}
          t={t}
          action={(teacher) => (
            <form method="post" action={`${base}/teachers/${encodeURIComponent(teacher.id)}/remove`} class="inline-form">
              <CsrfField token={csrfToken} />
              <button type="submit" class="button-small" aria-label={tr.removeTeacher(teacher.name)}>
                {tr.remove}
              </button>
            </form>
          )}
        />
      )}
      <form method="get" action={`${base}#teachers`} class="table-tools" role="search" aria-label={tr.teacherSearch}>
        <FormField name="teacher" id="teacher-query" type="search" label={tr.teacherSearch} value={data.teacherQuery} maxlength={200} markOptional={false} t={t} />
        <button type="submit" class="button-secondary">
          {tr.search}
        </button>
      </form>
      {data.teacherQuery.trim() !== '' &&
        (data.candidates.length === 0 ? (
          <p class="notice" role="status">
            {tr.noCandidates}
          </p>
        ) : (
          <PeopleTable
            caption={tr.candidatesCaption(data.teacherQuery)}
            people={data.candidates}
            t={t}
            action={(c) =>
              c.assigned ? (
                <span class="muted">{tr.alreadyAssigned}</span>
              ) : (
                <form method="post" action={`${base}/teachers`} class="inline-form">
                  <CsrfField token={csrfToken} />
                  <input type="hidden" name="userId" value={c.id} />
                  <button type="submit" class="button-small" aria-label={tr.assignTeacher(c.name)}>
                    {tr.assign}
                  </button>
                </form>
              )
            }
          />
        ))}
    </section>
  );
}

function CopySection({ runId, form, errors, t, csrfToken }: { runId: string; form: Partial<Record<CopyField, string>>; errors: FieldErrors; t: Messages; csrfToken: string }) {
  const tr = t.catalog.runs;
  return (
    <section aria-labelledby="copy" class="panel">
      <h2 id="copy">{tr.copyTitle}</h2>
      <p>{tr.copyIntro}</p>
      <ErrorSummary errors={errors} labels={{ ...tr.copyFields }} idOf={(n) => `field-copy-${n}`} t={t} />
      <form method="post" action={`${runHref(runId)}/copy`} novalidate>
        <CsrfField token={csrfToken} />
        <div class="form-grid">
          <FormField name="code" id="field-copy-code" label={tr.copyFields.code} value={form.code} error={errors.code} required maxlength={40} autocomplete="off" t={t} />
          <FormField name="startsOn" id="field-copy-startsOn" type="date" label={tr.copyFields.startsOn} value={form.startsOn} error={errors.startsOn} required t={t} />
        </div>
        <button type="submit" class="button-secondary">
          {tr.copySubmit}
        </button>
      </form>
    </section>
  );
}

export interface RunPageState {
  flash?: string | undefined;
  run?: { form: RunForm; errors: FieldErrors } | undefined;
  meeting?: { form: MeetingForm; errors: FieldErrors } | undefined;
  copy?: { form: Partial<Record<CopyField, string>>; errors: FieldErrors } | undefined;
  teacherError?: string | undefined;
  banner?: string | undefined;
}

/** One run for head office: its details, meetings (points warning), teachers, and copying it. */
export function RunPage({ data, runForm, state, t, locale, csrfToken }: { data: RunPageData; runForm: RunForm; state: RunPageState; t: Messages; locale: Locale; csrfToken: string }) {
  const tr = t.catalog.runs;
  const { run } = data;
  const runErrors = state.run?.errors ?? {};
  return (
    <>
      <AdminNav t={t} current="runs" />
      <p>
        <a href="/admin">{t.catalog.backToOverview}</a>
      </p>
      <h1>
        {run.course_title} <span class="muted">({run.code})</span>
      </h1>
      <Flash text={state.flash} />
      {state.banner && (
        <p class="error-summary" role="alert" id="banner">
          {state.banner}
        </p>
      )}
      <ul class="actions" id="run-action-links">
        <li>
          <a href={`/teacher/runs/${encodeURIComponent(run.id)}`} class="button-primary">
            {tr.showParticipants}
          </a>
        </li>
        <li>
          <a href={`/admin/courses/${encodeURIComponent(run.course_id)}`} class="button-secondary">
            {tr.course}: {run.course_code}
          </a>
        </li>
        <li>
          <a href={`/admin/runs/${encodeURIComponent(run.id)}/enrolments`} class="button-secondary">
            {t.adminEnrolments.link}
          </a>
        </li>
        {!run.cancelled_at && (
          <li>
            <a href={`/admin/lifecycle/runs/${encodeURIComponent(run.id)}/cancel`} class="button-secondary">
              {t.lifecycle.cancelRun}
            </a>
          </li>
        )}
      </ul>
      <section aria-labelledby="run-details" class="panel">
        <h2 id="run-details">{tr.detailsTitle}</h2>
        <ErrorSummary errors={runErrors} labels={runLabels(t)} t={t} />
        <form method="post" action={runHref(run.id)} novalidate>
          <CsrfField token={csrfToken} />
          <RunFields form={state.run?.form ?? runForm} errors={runErrors} t={t} />
          <button type="submit" class="button-primary">
            {tr.save}
          </button>
        </form>
      </section>
      <MeetingsSection data={data} t={t} locale={locale} form={state.meeting?.form ?? {}} errors={state.meeting?.errors ?? {}} csrfToken={csrfToken} />
      <TeachersSection data={data} t={t} csrfToken={csrfToken} error={state.teacherError} />
      <CopySection runId={run.id} form={state.copy?.form ?? {}} errors={state.copy?.errors ?? {}} t={t} csrfToken={csrfToken} />
    </>
  );
}

/** One meeting's form: move it (date, times), change its place or points. */
export function MeetingPage(props: { runId: string; runCode: string; courseTitle: string; form: MeetingForm; errors: FieldErrors; t: Messages; csrfToken: string; meetingId: string }) {
  const { t } = props;
  return (
    <>
      <AdminNav t={t} current="runs" />
      <p>
        <a href={runHref(props.runId)}>
          {props.courseTitle} ({props.runCode})
        </a>
      </p>
      <h1>{t.catalog.runs.editMeetingTitle}</h1>
      <p class="muted">{t.catalog.runs.timesNote}</p>
      <ErrorSummary errors={props.errors} labels={meetingLabels(t)} idOf={(n) => `meeting-${n}`} t={t} />
      <form method="post" action={`${runHref(props.runId)}/meetings/${encodeURIComponent(props.meetingId)}`} novalidate>
        <CsrfField token={props.csrfToken} />
        <MeetingFields form={props.form} errors={props.errors} t={t} />
        <button type="submit" class="button-primary">
          {t.catalog.runs.saveMeeting}
        </button>
      </form>
    </>
  );
}

export { meetingWhen };
