import type { StatusCode } from '../../db/schema.ts';
import { TEACHER_STATUSES } from '../../domain/study-status.ts';
import { formatDate, formatPoints, formatTime, type Locale, type Messages } from '../../i18n/index.ts';
import type { AttendanceCell, ParticipantRow, ParticipantsView } from '../../services/teacher-runs.ts';
import { CsrfField } from '../../views/layout.tsx';
import { StatusBadge } from '../../views/status-badge.tsx';
import type { EnteredForm, EnteredRow } from './teacher.schema.ts';

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

const EFFORTS = ['excellent', 'good', 'sufficient', 'insufficient'] as const;
const ADMIN_EXTRA: readonly StatusCode[] = ['archived', 'exempted'];

const CELL_SYMBOL: Record<NonNullable<AttendanceCell> | 'none', string> = {
  present: '✓',
  absent: '✗',
  reported_absent: '○',
  none: '·',
};

function AttendanceSoFar({ cells, t }: { cells: AttendanceCell[]; t: Messages }) {
  const label = (c: AttendanceCell) =>
    c === 'present' ? t.teacher.attended : c === 'absent' ? t.teacher.notAttended : c === 'reported_absent' ? t.teacher.reportedAbsent : t.teacher.notRecorded;
  const text = cells.map((c, i) => `${i + 1}: ${label(c)}`).join(', ');
  return (
    <span class="attendance-cells" title={text}>
      <span aria-hidden="true">{cells.map((c) => CELL_SYMBOL[c ?? 'none']).join(' ')}</span>
      <span class="visually-hidden">{text}</span>
    </span>
  );
}

function ActiveRow(props: {
  row: ParticipantRow;
  entered: EnteredRow | undefined;
  errors: string[] | undefined;
  statuses: readonly StatusCode[];
  t: Messages;
  locale: Locale;
}) {
  const { row, t, locale } = props;
  const e = props.entered;
  const id = row.enrolmentId;
  const effort = e ? e.effort : (row.effort ?? '');
  const comment = e ? e.comment : (row.effortComment ?? '');
  const errorId = props.errors ? `row-error-${id}` : undefined;
  return (
    <tr class={props.errors ? 'row-error' : undefined} id={`row-${id}`}>
      <th scope="row" data-name>
        <input type="hidden" name="row" value={id} />
        <input type="hidden" name={`version.${id}`} value={String(row.version)} />
        {e?.proofFileKey && <input type="hidden" name={`proofFileKey.${id}`} value={e.proofFileKey} />}
        {row.name}
        {props.errors && (
          <ul class="cell-error" id={errorId}>
            {props.errors.map((message) => (
              <li>{message}</li>
            ))}
          </ul>
        )}
      </th>
      <td>
        <StatusBadge status={row.status} t={t} />
        {row.certificateNumber && <div class="muted small">{t.teacher.certificate(row.certificateNumber)}</div>}
        {row.withdrawnOn && <div class="muted small">{t.teacher.withdrawnOn(formatDate(locale, row.withdrawnOn))}</div>}
        {row.proposedStatus && <div class="small">{t.teacher.proposal(t.statuses[row.proposedStatus])}</div>}
      </td>
      <td>
        <AttendanceSoFar cells={row.attendance} t={t} />
      </td>
      <td class="num">{row.rate === null ? '–' : `${Math.round(row.rate * 100)}%`}</td>
      <td class="num">{formatPoints(locale, row.points)}</td>
      <td class="center">
        <input
          type="checkbox"
          name={`present.${id}`}
          value="1"
          data-group="present"
          checked={e?.present ?? false}
          aria-label={t.teacher.presentFor(row.name)}
          aria-describedby={errorId}
        />
      </td>
      <td>
        <select name={`status.${id}`} aria-label={t.teacher.changeStatusFor(row.name)} aria-describedby={errorId}>
          <option value="">{t.teacher.noChange}</option>
          {props.statuses.map((s) => (
            <option value={s} selected={e?.status === s}>
              {t.statuses[s]}
            </option>
          ))}
        </select>
        <details class="proof" open={!!(e?.proofNote || e?.proofFileKey) || props.errors !== undefined}>
          <summary>{t.teacher.proof}</summary>
          {row.hasProof && <p class="small">{t.teacher.proofRecorded}</p>}
          <label class="small" for={`proofNote-${id}`}>
            {t.teacher.proofNoteFor(row.name)}
          </label>
          <input type="text" id={`proofNote-${id}`} name={`proofNote.${id}`} value={e?.proofNote ?? ''} maxlength={1000} />
          <label class="small" for={`proofFile-${id}`}>
            {t.teacher.proofFileFor(row.name)}
          </label>
          <input type="file" id={`proofFile-${id}`} name={`proofFile.${id}`} accept="application/pdf,image/png,image/jpeg" />
        </details>
      </td>
      <td>
        <select name={`effort.${id}`} aria-label={t.teacher.effortFor(row.name)}>
          <option value="">{t.teacher.effortNone}</option>
          {EFFORTS.map((x) => (
            <option value={x} selected={effort === x}>
              {t.efforts[x]}
            </option>
          ))}
        </select>
        <input
          type="text"
          name={`comment.${id}`}
          value={comment}
          maxlength={1000}
          aria-label={t.teacher.effortCommentFor(row.name)}
          placeholder={t.teacher.effortComment}
        />
      </td>
    </tr>
  );
}

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
                <tr class="row-inactive">
                  <th scope="row">{row.name}</th>
                  <td>
                    <StatusBadge status={row.status} t={t} />
                    {row.withdrawnOn && <div class="small">{t.teacher.withdrawnOn(formatDate(locale, row.withdrawnOn))}</div>}
                  </td>
                  <td>
                    <AttendanceSoFar cells={row.attendance} t={t} />
                  </td>
                  <td class="num">{formatPoints(locale, row.points)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}
