import { formatDate, formatTime, type Locale, type Messages } from '../../i18n/index.ts';
import type { Overwrite, StatusCorrection } from '../../services/register-attendance.ts';
import { CarriedFields } from './carried-fields.tsx';
import { CsrfField } from '../../views/layout.tsx';
import type { EnteredForm } from './teacher.schema.ts';

/**
 * The second screen (R2, R7): lists early completions and overwrites, and carries every entered value
 * in hidden fields so that confirming saves exactly what was entered, and going back loses nothing.
 */
export function ConfirmPage(props: {
  runId: string;
  courseTitle: string;
  entered: EnteredForm;
  versions: ReadonlyMap<string, number>;
  earlyCompletions: { enrolmentId: string; name: string }[];
  overwrites: Overwrite[];
  corrections: StatusCorrection[];
  alreadyConfirmed: { early: boolean; overwrites: boolean };
  t: Messages;
  locale: Locale;
  csrfToken: string;
}) {
  const { t, locale, entered } = props;
  const stateLabel = (s: Overwrite['from']) =>
    s === 'present' ? t.teacher.attended : s === 'absent' ? t.teacher.notAttended : t.teacher.reportedAbsent;
  const hidden = (name: string, value: string) => <input type="hidden" name={name} value={value} />;
  return (
    <>
      <h1>{t.registration.confirmTitle}</h1>
      <p class="muted">{props.courseTitle}</p>
      <p>{t.registration.confirmIntro}</p>
      <form method="post" action={`/teacher/runs/${props.runId}`} class="confirm">
        <CsrfField token={props.csrfToken} />
        <CarriedFields entered={entered} versions={props.versions} />
        {props.alreadyConfirmed.early && hidden('confirmEarly', '1')}
        {props.alreadyConfirmed.overwrites && hidden('confirmOverwrites', '1')}
        {props.earlyCompletions.length > 0 && (
          <fieldset>
            <legend>{t.registration.earlyTitle}</legend>
            <p>{t.registration.earlyText}</p>
            <ul>
              {props.earlyCompletions.map((e) => (
                <li>{e.name}</li>
              ))}
            </ul>
            <p>
              <input type="checkbox" id="confirmEarly" name="confirmEarly" value="1" required />
              <label for="confirmEarly">{t.registration.earlyConfirm}</label>
            </p>
          </fieldset>
        )}
        {props.overwrites.length + props.corrections.length > 0 && (
          <fieldset>
            <legend>{t.registration.overwriteTitle}</legend>
            {props.corrections.length > 0 && (
              <>
                <p>{t.registration.correctionsTitle}</p>
                <ul>
                  {props.corrections.map((x) => (
                    <li>{t.registration.correctionRow(x.name, t.statuses[x.from], t.statuses[x.to])}</li>
                  ))}
                </ul>
              </>
            )}
            {props.overwrites.length > 0 && <p>{t.registration.overwriteText}</p>}
            <ul>
              {props.overwrites.map((o) => (
                <li>
                  {t.registration.overwriteRow(
                    o.name,
                    `${formatDate(locale, o.meetingStartsAt)} ${formatTime(locale, o.meetingStartsAt)}`,
                    stateLabel(o.from),
                    stateLabel(o.to),
                  )}
                </li>
              ))}
            </ul>
            <p>
              <input type="checkbox" id="confirmOverwrites" name="confirmOverwrites" value="1" required />
              <label for="confirmOverwrites">{t.registration.overwriteConfirm}</label>
            </p>
          </fieldset>
        )}
        <p class="actions">
          <button type="submit" class="button-primary">
            {t.registration.confirmSubmit}
          </button>{' '}
          <button type="submit" name="back" value="1" formnovalidate class="button-secondary">
            {t.registration.backToForm}
          </button>
        </p>
      </form>
    </>
  );
}
