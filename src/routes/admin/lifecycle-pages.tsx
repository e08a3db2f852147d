import type { Child } from 'hono/jsx';
import { formatDate, type Locale, type Messages } from '../../i18n/index.ts';
import type { LineOutcome } from '../../domain/lifecycle.ts';
import type { listCoursesForLifecycle, CourseForLifecycle } from '../../services/lifecycle-views.ts';
import type { ExemptionListPlan } from '../../services/exemption-list.ts';
import { CsrfField } from '../../views/layout.tsx';
import { StatusBadge } from '../../views/status-badge.tsx';

type Courses = Awaited<ReturnType<typeof listCoursesForLifecycle>>;

export type Banner = { tone: 'success' | 'error'; text: string };

/** The flash message after a change, or the refusal above a form. */
export function BannerBox({ banner }: { banner: Banner | undefined }) {
  if (!banner) return null;
  const success = banner.tone === 'success';
  return (
    <p class={success ? 'notice' : 'error-summary'} role={success ? 'status' : 'alert'} id="banner">
      {banner.text}
    </p>
  );
}

function CourseState({ course, t }: { course: { archived_at: string | null; cancelled_at: string | null }; t: Messages }) {
  if (course.cancelled_at) return <span class="badge status-other">{t.lifecycle.cancelled}</span>;
  if (course.archived_at) return <span class="badge status-other">{t.lifecycle.archived}</span>;
  return <>{t.lifecycle.active}</>;
}

/** Every course version, each opening its lifecycle page. */
export function CoursesPage({ courses, t }: { courses: Courses; t: Messages }) {
  const tl = t.lifecycle;
  return (
    <>
      <p>
        <a href="/admin">{t.admin.title}</a>
      </p>
      <h1>{tl.title}</h1>
      <p>{tl.intro}</p>
      {courses.length === 0 ? (
        <p class="notice">{tl.noCourses}</p>
      ) : (
        <div class="table-scroll">
          <table class="data">
            <caption>{tl.coursesCaption}</caption>
            <thead>
              <tr>
                <th scope="col">{tl.course}</th>
                <th scope="col">{tl.code}</th>
                <th scope="col" class="num">
                  {tl.version}
                </th>
                <th scope="col">{tl.state}</th>
              </tr>
            </thead>
            <tbody>
              {courses.map((c) => (
                <tr>
                  <th scope="row">
                    <a href={`/admin/lifecycle/courses/${encodeURIComponent(c.id)}`}>
                      <bdi>{c.title}</bdi>
                    </a>
                  </th>
                  <td>
                    <bdi>{c.code}</bdi>
                  </td>
                  <td class="num">{c.version}</td>
                  <td>
                    <CourseState course={c} t={t} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function RunsTable({ view, t, locale }: { view: CourseForLifecycle; t: Messages; locale: Locale }) {
  const tl = t.lifecycle;
  if (view.runs.length === 0) return <p class="notice">{tl.noRuns}</p>;
  return (
    <table class="data">
      <caption>{tl.runsCaption}</caption>
      <thead>
        <tr>
          <th scope="col">{tl.run}</th>
          <th scope="col">{tl.dates}</th>
          <th scope="col">{tl.place}</th>
          <th scope="col">{tl.action}</th>
        </tr>
      </thead>
      <tbody>
        {view.runs.map((r) => (
          <tr>
            <th scope="row">
              <bdi>{r.code}</bdi>
            </th>
            <td>
              {formatDate(locale, r.starts_on)} – {formatDate(locale, r.ends_on)}
            </td>
            <td>
              <bdi>{r.place}</bdi>
            </td>
            <td>
              {r.cancelled_at ? (
                <span class="small">
                  <bdi>{tl.cancelledBecause(r.cancel_reason ?? '')}</bdi>
                </span>
              ) : (
                <a href={`/admin/lifecycle/runs/${encodeURIComponent(r.id)}/cancel`}>{tl.cancelRun}</a>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function EnrolmentsTable({ view, t }: { view: CourseForLifecycle; t: Messages }) {
  const tl = t.lifecycle;
  if (view.enrolments.length === 0) return <p class="notice">{tl.noEnrolments}</p>;
  return (
    <div class="table-scroll">
      <table class="data">
        <caption>{tl.enrolmentsCaption}</caption>
        <thead>
          <tr>
            <th scope="col">{tl.participant}</th>
            <th scope="col">{tl.run}</th>
            <th scope="col">{tl.status}</th>
            <th scope="col">{tl.action}</th>
          </tr>
        </thead>
        <tbody>
          {view.enrolments.map((e) => (
            <tr>
              <th scope="row">
                <bdi>{e.user_name}</bdi> <span class="muted small">
                  <bdi>{e.user_email}</bdi>
                </span>
              </th>
              <td>
                <bdi>{e.run_code ?? '–'}</bdi>
              </td>
              <td>
                <StatusBadge status={e.status} t={t} />
              </td>
              <td>
                <a href={`/admin/lifecycle/enrolments/${encodeURIComponent(e.id)}/exempt`}>
                  {tl.exempt}
                  <span class="visually-hidden">: {e.user_name}</span>
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One course version: its actions, its runs (each can be cancelled) and its enrolments (each can be exempted). */
export function CoursePage({ view, t, locale, banner }: { view: CourseForLifecycle; t: Messages; locale: Locale; banner?: Banner | undefined }) {
  const tl = t.lifecycle;
  const { course } = view;
  const base = `/admin/lifecycle/courses/${encodeURIComponent(course.id)}`;
  return (
    <>
      <p>
        <a href="/admin/lifecycle">{tl.backToList}</a>
      </p>
      <h1>
        <bdi>{tl.versionOf(course.title, course.version)}</bdi>
      </h1>
      <BannerBox banner={banner} />
      <p>
        <CourseState course={course} t={t} />
        {course.cancel_reason && (
          <>
            {' '}
            <bdi>{tl.cancelledBecause(course.cancel_reason)}</bdi>
          </>
        )}
      </p>
      <section class="panel" aria-labelledby="course-actions">
        <h2 id="course-actions">{tl.actionsTitle}</h2>
        <ul>
          {!course.cancelled_at && (
            <li>
              <a href={`${base}/cancel`}>{tl.cancelCourse}</a>
            </li>
          )}
          {view.isLatest && (
            <li>
              <a href={`${base}/new-version`}>{tl.newVersion}</a>
            </li>
          )}
          {!course.archived_at && (
            <li>
              <a href={`${base}/archive`}>{tl.archive}</a>
            </li>
          )}
          <li>
            <a href={`${base}/exemption-list`}>{tl.exemptionList}</a>
          </li>
        </ul>
      </section>
      <RunsTable view={view} t={t} locale={locale} />
      <EnrolmentsTable view={view} t={t} />
    </>
  );
}

/** A text area with its label, hint, kept value and the reason it was refused. */
export function ReasonField(props: { id: string; label: string; hint?: string; value: string; error?: string | undefined }) {
  const described = [props.hint ? `${props.id}-hint` : '', props.error ? `${props.id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.hint && (
        <p class="muted small" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      )}
      <textarea id={props.id} name={props.id} rows={3} maxlength={1000} required aria-invalid={props.error ? 'true' : undefined} aria-describedby={described}>
        {props.value}
      </textarea>
      {props.error && (
        <p class="field-error" id={`${props.id}-error`}>
          {props.error}
        </p>
      )}
    </div>
  );
}

/**
 * A confirmation page: what the action does, the form (with the CSRF token), the refusal beside its
 * field and a way back. Every lifecycle action is one of these.
 */
export function ConfirmPage(props: {
  t: Messages;
  title: string;
  text: string;
  back: string;
  action: string;
  csrfToken: string;
  submit: string;
  banner?: Banner | undefined;
  multipart?: boolean;
  children?: Child;
}) {
  return (
    <>
      <p>
        <a href={props.back}>{props.t.lifecycle.backToCourse}</a>
      </p>
      <h1>
        <bdi>{props.title}</bdi>
      </h1>
      <BannerBox banner={props.banner} />
      <p>{props.text}</p>
      <form method="post" action={props.action} enctype={props.multipart ? 'multipart/form-data' : undefined}>
        <CsrfField token={props.csrfToken} />
        {props.children}
        <button type="submit" class="button-primary">
          {props.submit}
        </button>
      </form>
    </>
  );
}

/** A file input with its label and the reason it was refused. */
export function FileField(props: { id: string; label: string; accept: string; required?: boolean; error?: string | undefined }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        name={props.id}
        type="file"
        accept={props.accept}
        required={props.required}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={props.error ? `${props.id}-error` : undefined}
      />
      {props.error && (
        <p class="field-error" id={`${props.id}-error`}>
          {props.error}
        </p>
      )}
    </div>
  );
}

function lineReason(t: Messages, line: LineOutcome): string {
  return 'reason' in line ? t.lifecycle.lineReasons[line.reason] : '';
}

/** The preview of an exemption list: each line's outcome, and a form that imports exactly this list. */
export function ExemptionPreview(props: { t: Messages; plan: ExemptionListPlan; listText: string; reason: string; csrfToken: string }) {
  const { t, plan } = props;
  const tl = t.lifecycle;
  return (
    <section aria-labelledby="preview-title">
      <h2 id="preview-title">{tl.previewTitle}</h2>
      <p role="status">{tl.previewCounts(plan.counts.applied, plan.counts.skipped, plan.counts.refused)}</p>
      <div class="table-scroll">
        <table class="data">
          <caption>{tl.previewCaption}</caption>
          <thead>
            <tr>
              <th scope="col" class="num">
                {tl.line}
              </th>
              <th scope="col">{tl.key}</th>
              <th scope="col">{tl.person}</th>
              <th scope="col">{tl.outcome}</th>
            </tr>
          </thead>
          <tbody>
            {plan.lines.map((l) => (
              <tr>
                <td class="num">{l.line}</td>
                <th scope="row">
                  <bdi>{l.key}</bdi>
                </th>
                <td>
                  <bdi>{l.name ?? '–'}</bdi>
                </td>
                <td>
                  {tl.outcomes[l.outcome]}
                  {l.outcome !== 'applied' && <span class="muted small">: {lineReason(t, l)}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {plan.counts.applied > 0 && (
        <form method="post" action={`/admin/lifecycle/courses/${encodeURIComponent(plan.course.id)}/exemption-list`}>
          <CsrfField token={props.csrfToken} />
          <input type="hidden" name="step" value="import" />
          <input type="hidden" name="listText" value={props.listText} />
          <input type="hidden" name="reason" value={props.reason} />
          <button type="submit" class="button-primary">
            {tl.confirmImport}
          </button>
        </form>
      )}
    </section>
  );
}
