import type { CourseKind, StatusCode } from '../../db/schema.ts';
import type { Messages } from '../../i18n/index.ts';

/** A dash for sighted readers and the word "none" for screen readers, where a cell has nothing. */
export function Nothing({ t }: { t: Messages }) {
  return (
    <>
      <span aria-hidden="true">{t.history.empty}</span>
      <span class="visually-hidden">{t.common.none}</span>
    </>
  );
}

/** Where a certificate's PDF is downloaded. */
export function certificatePdfHref(certificateId: string): string {
  return `/me/certificates/${certificateId}.pdf`;
}

/** What stands where an enrolment has no run: a run still to choose, or a course followed online. */
export function noRunLabel(status: StatusCode, kind: CourseKind, t: Messages): string {
  if (status === 'run_choice_required') return t.statuses.run_choice_required;
  return kind === 'elearning' ? t.participant.selfPaced : t.participant.noRun;
}
