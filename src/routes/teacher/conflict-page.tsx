import { formatDate, formatPoints, formatTime, type Locale, type Messages } from '../../i18n/index.ts';
import type { ConflictValue, ValueConflict } from '../../services/register-attendance.ts';
import { CsrfField } from '../../views/layout.tsx';
import { CarriedFields } from './carried-fields.tsx';
import type { EnteredForm } from './teacher.schema.ts';

/** A conflicting value in the reader's words. */
function describeValue(v: ConflictValue, t: Messages, locale: Locale): string {
  switch (v.kind) {
    case 'status':
      return v.status ? t.statuses[v.status] : t.registration.noValue;
    case 'effort': {
      const rating = v.effort ? t.efforts[v.effort] : '';
      const text = [rating, v.comment ? `“${v.comment}”` : ''].filter(Boolean).join(' – ');
      return text || t.registration.noValue;
    }
    case 'attendance': {
      if (!v.state) return t.teacher.notRecorded;
      const state = v.state === 'present' ? t.teacher.attended : v.state === 'absent' ? t.teacher.notAttended : t.teacher.reportedAbsent;
      return v.points === null ? state : t.registration.attendanceWithPoints(state, formatPoints(locale, v.points));
    }
  }
}

function fieldLabel(c: ValueConflict, t: Messages, locale: Locale): string {
  if (c.key === 'status') return t.registration.fieldStatus;
  if (c.key === 'effort') return t.registration.fieldEffort;
  return t.registration.fieldAttendance(`${formatDate(locale, c.meetingStartsAt!)} ${formatTime(locale, c.meetingStartsAt!)}`);
}

/**
 * The conflict screen (R11): per participant, each value a colleague changed since the page was
 * loaded that this save changes too, with their value and the teacher's, and a choice per row that
 * has no default. Everything else entered travels along and is saved with the choices.
 */
export function ConflictPage(props: {
  runId: string;
  courseTitle: string;
  entered: EnteredForm;
  versions: ReadonlyMap<string, number>;
  conflicts: readonly ValueConflict[];
  alreadyConfirmed: { early: boolean; overwrites: boolean };
  t: Messages;
  locale: Locale;
  csrfToken: string;
}) {
  const { t, locale } = props;
  const omit = new Set(props.conflicts.map((c) => `${c.enrolmentId}.${c.key}`));
  return (
    <>
      <h1>{t.registration.conflictTitle}</h1>
      <p class="muted">{props.courseTitle}</p>
      <div class="error-summary" role="alert" tabindex={-1} id="banner">
        <p>{t.registration.conflict}</p>
        <p>{t.registration.conflictChoose}</p>
      </div>
      <form method="post" action={`/teacher/runs/${props.runId}`} class="conflicts">
        <CsrfField token={props.csrfToken} />
        <CarriedFields entered={props.entered} versions={props.versions} omitResolutions={omit} />
        {props.alreadyConfirmed.early && <input type="hidden" name="confirmEarly" value="1" />}
        {props.alreadyConfirmed.overwrites && <input type="hidden" name="confirmOverwrites" value="1" />}
        <table class="data" id="conflicts">
          <thead>
            <tr>
              <th scope="col">{t.teacher.name}</th>
              <th scope="col">{t.registration.conflictField}</th>
              <th scope="col">{t.registration.conflictTheirs}</th>
              <th scope="col">{t.registration.conflictMine}</th>
              <th scope="col">{t.registration.conflictChoice}</th>
            </tr>
          </thead>
          <tbody>
            {props.conflicts.map((c) => {
              const field = fieldLabel(c, t, locale);
              const name = `resolve.${c.enrolmentId}.${c.key}`;
              const id = `resolve-${c.enrolmentId}-${c.key.replace('.', '-')}`;
              return (
                <tr>
                  <th scope="row">{c.name}</th>
                  <td>{field}</td>
                  <td>{describeValue(c.theirs, t, locale)}</td>
                  <td>{describeValue(c.mine, t, locale)}</td>
                  <td>
                    <input type="radio" id={`${id}-theirs`} name={name} value="theirs" required aria-label={t.registration.keepTheirsFor(c.name, field)} />
                    <label for={`${id}-theirs`}>{t.registration.keepTheirs}</label>{' '}
                    <input type="radio" id={`${id}-mine`} name={name} value={`mine:${c.fingerprint}`} required aria-label={t.registration.keepMineFor(c.name, field)} />
                    <label for={`${id}-mine`}>{t.registration.keepMine}</label>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <p class="actions">
          <button type="submit" class="button-primary">
            {t.registration.conflictSubmit}
          </button>
        </p>
      </form>
    </>
  );
}
