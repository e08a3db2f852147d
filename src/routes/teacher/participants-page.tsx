import type { StatusCode } from '../../db/schema.ts';
import { TEACHER_STATUSES } from '../../domain/study-status.ts';
import { formatDate, formatPoints, formatTime, type Locale, type Messages } from '../../i18n/index.ts';
import type { ParticipantsView } from '../../services/teacher-runs.ts';
import { CsrfField } from '../../views/layout.tsx';
import { ActiveRow, InactiveRow } from './participant-rows.ts';
import type { EnteredForm } from './teacher.schema.ts';

export interface Banner {
  tone: 'success' | 'error';
  title: string;
  lines: string[];
}

export interface ParticipantsPageProps {
  view: ParticipantsView;
  t: Messages;
  locale: Locale;
  csrfToken: string;
  isAdmin: boolean;
  entered?: EnteredForm | undefined;
  rowErrors?: ReadonlyMap<string, string[]> | undefined;
  formErrors?: readonly string[] | undefined;
  banner?: Banner | undefined;
}

const ADMIN_EXTRA: readonly StatusCode[] = ['archived', 'exempted'];

/**
 * The participants page of one run: what is recorded so far, and the guide's inputs (Aanwezig,
 * Studiestatus aanpassen, Inzet, the meeting choice and Doorgaan) in one form.
 */
export function ParticipantsPage(props: ParticipantsPageProps) {
  const { view, t, locale, entered } = props;
  const statuses = props.isAdmin ? [...TEACHER_STATUSES, ...ADMIN_EXTRA] : TEACHER_STATUSES;
  const chosen = new Set(entered?.meetingIds ?? []);
  const teachers = view.teachers.join(', ');
  return (
    <>
      <p>
        <a href="/teacher/runs">{t.teacher.backToRuns}</a>
      </p>
      <h1>{t.teacher.runTitle(view.run.course_title)}</h1>
      <p class="muted">
        {t.teacher.runFacts(view.run.code, view.run.place, teachers)} · {formatDate(locale, view.run.starts_on)} –{' '}
        {formatDate(locale, view.run.ends_on)}
      </p>
      {props.banner && (
        <div class={props.banner.tone === 'success' ? 'notice' : 'error-summary'} role={props.banner.tone === 'success' ? 'status' : 'alert'} tabindex={-1} id="banner">
          <h2>{props.banner.title}</h2>
          <ul>
            {props.banner.lines.map((line) => (
              <li>{line}</li>
            ))}
          </ul>
        </div>
      )}
      {view.active.length === 0 && <p class="notice">{t.teacher.noParticipants}</p>}
      <form method="post" action={`/teacher/runs/${view.run.id}`} enctype="multipart/form-data" data-warn-unsaved={t.teacher.unsavedWarning}>
        <CsrfField token={props.csrfToken} />
        <p class="warning" role="note">
          {t.teacher.completedWarning}
        </p>
        <p class="notice small">{t.teacher.effortNotice}</p>
        <div class="table-tools">
          <label for="filter-participants">{t.teacher.filterLabel}</label>
          <input type="search" id="filter-participants" data-filter-rows="participants" />
          <button type="button" class="button-small" data-check-all="present" hidden>
            {t.teacher.markAllPresent}
          </button>
        </div>
        <div class="table-scroll">
          <table class="data" id="participants">
            <thead>
              <tr>
                <th scope="col">{t.teacher.name}</th>
                <th scope="col">{t.teacher.currentStatus}</th>
                <th scope="col">{t.teacher.attendanceSoFar}</th>
                <th scope="col" class="num">
                  {t.teacher.rate}
                </th>
                <th scope="col" class="num">
                  {t.teacher.points}
                </th>
                <th scope="col">{t.teacher.present}</th>
                <th scope="col">{t.teacher.changeStatus}</th>
                <th scope="col">{t.teacher.effort}</th>
              </tr>
            </thead>
            <tbody>
              {view.active.map((row) => (
                <ActiveRow
                  row={row}
                  entered={entered?.rows.get(row.enrolmentId)}
                  errors={props.rowErrors?.get(row.enrolmentId)}
                  statuses={statuses}
                  t={t}
                  locale={locale}
                />
              ))}
            </tbody>
          </table>
        </div>

        <fieldset class="meetings">
          <legend>{t.teacher.meetingsLegend}</legend>
          {props.formErrors && props.formErrors.length > 0 && (
            <ul class="cell-error" id="form-errors">
              {props.formErrors.map((m) => (
                <li>{m}</li>
              ))}
            </ul>
          )}
          {view.meetings.length === 0 && <p>{t.teacher.noMeetings}</p>}
          <ul>
            {view.meetings.map((m) => (
              <li>
                <input type="checkbox" id={`meeting-${m.id}`} name="meeting" value={m.id} data-meeting checked={chosen.has(m.id)} />
                <label for={`meeting-${m.id}`}>
                  {t.teacher.meetingLabel(
                    formatDate(locale, m.starts_at),
                    formatTime(locale, m.starts_at),
                    formatTime(locale, m.ends_at),
                    m.place,
                    formatPoints(locale, m.study_points),
                  )}
                </label>
              </li>
            ))}
          </ul>
          <p>
            <input type="checkbox" id="allMeetings" name="allMeetings" value="1" data-all-meetings checked={entered?.allMeetings ?? false} />
            <label for="allMeetings">{t.teacher.allMeetings}</label>
          </p>
          <p>
            <input
              type="checkbox"
              id="ignoreMaximum"
              name="ignoreMaximum"
              value="1"
              checked={entered?.ignoreMaximum ?? false}
              aria-describedby="ignoreMaximum-hint"
            />
            <label for="ignoreMaximum">{t.teacher.ignoreMaximum}</label>
            <span class="muted small" id="ignoreMaximum-hint">
              {' '}
              {t.teacher.ignoreMaximumHint(formatPoints(locale, view.run.max_study_points))}
            </span>
          </p>
        </fieldset>
        <p>
          <button type="submit" class="button-primary">
            {t.teacher.submit}
          </button>
        </p>
      </form>

      {view.inactive.length > 0 && (
        <section aria-labelledby="inactive-title">
          <h2 id="inactive-title">{t.teacher.inactiveTitle}</h2>
          <p class="muted">{t.teacher.inactiveIntro}</p>
          <table class="data">
            <thead>
              <tr>
                <th scope="col">{t.teacher.name}</th>
                <th scope="col">{t.teacher.currentStatus}</th>
                <th scope="col">{t.teacher.attendanceSoFar}</th>
                <th scope="col" class="num">
                  {t.teacher.points}
                </th>
              </tr>
            </thead>
            <tbody>
              {view.inactive.map((row) => (
                <InactiveRow row={row} t={t} locale={locale} />
              ))}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}
