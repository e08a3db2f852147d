import { formatDate, formatPoints, formatTime, type Locale, type Messages } from '../../i18n/index.ts';
import type { MeetingAttendance, MyEnrolmentDetail } from '../../services/participant.ts';
import { HistoryTable } from './history-table.tsx';
import { StatusBadge } from '../../views/status-badge.tsx';
import { Nothing, certificatePdfHref, noRunLabel } from './components.tsx';
import { AbsenceCell, ActionBanner, OpenCourse, RunChoice, Withdraw, type ActionsProps, type DoneAction } from './enrolment-actions.tsx';

function attendanceLabel(t: Messages, state: MeetingAttendance): string {
  if (state === 'present') return t.participant.present;
  if (state === 'absent') return t.participant.absent;
  if (state === 'reported_absent') return t.participant.reportedAbsent;
  return t.participant.notRecorded;
}

function Summary({ detail, t, locale }: { detail: MyEnrolmentDetail; t: Messages; locale: Locale }) {
  const e = detail.enrolment;
  return (
    <table class="data">
      <caption>{t.participant.summaryCaption}</caption>
      <tbody>
        <tr>
          <th scope="row">{t.participant.status}</th>
          <td>
            <StatusBadge status={e.status} t={t} /> <span class="muted small">{t.participant.statusSince(formatDate(locale, e.status_changed_at))}</span>
            {e.withdrawn_on && <div class="small">{t.participant.withdrawnOn(formatDate(locale, e.withdrawn_on))}</div>}
            {e.status === 'cancelled' && (e.run_cancel_reason ?? e.course_cancel_reason) && (
              <div class="small" id="cancel-reason">
                <bdi>{t.lifecycle.cancelledBecause((e.run_cancel_reason ?? e.course_cancel_reason)!)}</bdi>
              </div>
            )}
          </td>
        </tr>
        <tr>
          <th scope="row">{t.participant.kind}</th>
          <td>{t.courseKinds[e.course_kind]}</td>
        </tr>
        <tr>
          <th scope="row">{t.participant.run}</th>
          <td>
            {e.run_code && e.run_starts_on && e.run_ends_on ? (
              <>
                {formatDate(locale, e.run_starts_on)} – {formatDate(locale, e.run_ends_on)}
                <div class="muted small">
                  <bdi>{t.participant.runFacts(e.run_code, e.run_place ?? '')}</bdi>
                </div>
                {e.run_cancelled_at && <div class="small">{t.participant.runCancelled}</div>}
              </>
            ) : (
              noRunLabel(e.status, e.course_kind, t)
            )}
          </td>
        </tr>
        <tr>
          <th scope="row">{t.participant.points}</th>
          <td>{t.participant.pointsOfMaximum(formatPoints(locale, detail.points), formatPoints(locale, e.max_study_points))}</td>
        </tr>
      </tbody>
    </table>
  );
}

function Attendance(props: ActionsProps & { now: string }) {
  const { detail, t, locale } = props;
  const absenceColumn = props.actions.mayReportAbsences || detail.meetings.some((m) => m.absenceReason);
  if (!detail.enrolment.run_id) return <p class="notice">{t.participant.noRunYet}</p>;
  if (detail.meetings.length === 0) return <p class="notice">{t.participant.noMeetings}</p>;
  return (
    <table class="data">
      <caption>{t.participant.attendanceCaption}</caption>
      <thead>
        <tr>
          <th scope="col">{t.participant.date}</th>
          <th scope="col">{t.participant.time}</th>
          <th scope="col">{t.participant.place}</th>
          <th scope="col">{t.participant.attendance}</th>
          <th scope="col" class="num">
            {t.participant.meetingPoints}
          </th>
          <th scope="col" class="num">
            {t.participant.creditedPoints}
          </th>
          {absenceColumn && <th scope="col">{t.participantActions.absenceColumn}</th>}
        </tr>
      </thead>
      <tbody>
        {detail.meetings.map((m) => (
          <tr>
            <th scope="row">
              <time datetime={m.startsAt}>{formatDate(locale, m.startsAt)}</time>
            </th>
            <td>
              {formatTime(locale, m.startsAt)}–{formatTime(locale, m.endsAt)}
            </td>
            <td>
              <bdi>{m.place}</bdi>
            </td>
            <td>{attendanceLabel(t, m.attendance)}</td>
            <td class="num">{formatPoints(locale, m.meetingPoints)}</td>
            <td class="num">{formatPoints(locale, m.creditedPoints)}</td>
            {absenceColumn && <AbsenceCell {...props} meeting={m} />}
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colspan={5}>
            {t.participant.total}
          </th>
          <td class="num">
            <strong>{formatPoints(locale, detail.points)}</strong>
          </td>
          {absenceColumn && <td />}
        </tr>
      </tfoot>
    </table>
  );
}

function Effort({ detail, t }: { detail: MyEnrolmentDetail; t: Messages }) {
  const { effort, effort_comment: comment } = detail.enrolment;
  if (!effort && !comment) return <p class="muted">{t.participant.effortNone}</p>;
  return (
    <table class="data">
      <tbody>
        <tr>
          <th scope="row">{t.participant.effortRating}</th>
          <td>{effort ? t.efforts[effort] : <Nothing t={t} />}</td>
        </tr>
        <tr>
          <th scope="row">{t.participant.effortComment}</th>
          <td>{comment ? <bdi>{comment}</bdi> : <Nothing t={t} />}</td>
        </tr>
      </tbody>
    </table>
  );
}

function Certificates({ detail, t, locale }: { detail: MyEnrolmentDetail; t: Messages; locale: Locale }) {
  if (detail.certificates.length === 0) return <p class="muted">{t.participant.noCertificate}</p>;
  return (
    <table class="data">
      <caption>{t.participant.certificatesCaption}</caption>
      <thead>
        <tr>
          <th scope="col">{t.participant.certificateNumber}</th>
          <th scope="col">{t.participant.issuedOn}</th>
          <th scope="col" class="num">
            {t.participant.points}
          </th>
          <th scope="col">{t.participant.certificateState}</th>
          <th scope="col">
            <span class="visually-hidden">{t.teacher.actions}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {detail.certificates.map((c) => (
          <tr>
            <th scope="row">{c.number}</th>
            <td>{formatDate(locale, c.issued_at)}</td>
            <td class="num">{formatPoints(locale, Number(c.study_points))}</td>
            <td>
              {c.revoked_at ? (
                <span class="badge status-failed">{t.participant.revokedOn(formatDate(locale, c.revoked_at))}</span>
              ) : (
                <span class="badge status-completed">{t.participant.valid}</span>
              )}
            </td>
            <td>
              {!c.revoked_at && (
                <>
                  <div>
                    <a href={certificatePdfHref(c.id)}>
                      {t.participant.download}
                      <span class="visually-hidden"> {c.number}</span>
                    </a>
                  </div>
                  <div>
                    <a href={`/verify/${c.verification_code}`}>
                      {t.participant.verificationPage}
                      <span class="visually-hidden"> {c.number}</span>
                    </a>
                  </div>
                </>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * One enrolment, as its participant sees it: status, attendance per meeting, study points against
 * the course maximum, effort (R6), certificates (R3) and the history of changes (R9).
 */
export function EnrolmentPage(props: ActionsProps & { done: DoneAction | undefined; now: string }) {
  const { detail, t, locale } = props;
  const e = detail.enrolment;
  return (
    <>
      <p>
        <a href="/me/enrolments">{t.participant.backToEnrolments}</a>
      </p>
      <h1>
        <bdi>{e.course_title}</bdi> <span class="muted">({e.course_code})</span>
      </h1>
      <ActionBanner done={props.done} refusal={props.refusal} t={t} />
      <Summary detail={detail} t={t} locale={locale} />
      <OpenCourse {...props} />
      <RunChoice {...props} />
      <section aria-labelledby="attendance-title">
        <h2 id="attendance-title">{t.participant.attendanceTitle}</h2>
        <Attendance {...props} />
      </section>
      <Withdraw {...props} />
      <section aria-labelledby="effort-title">
        <h2 id="effort-title">{t.participant.effortTitle}</h2>
        <Effort detail={detail} t={t} />
      </section>
      <section aria-labelledby="certificate-title">
        <h2 id="certificate-title">{t.participant.certificateTitle}</h2>
        <Certificates detail={detail} t={t} locale={locale} />
      </section>
      <section aria-labelledby="history-title" id="history">
        <h2 id="history-title">{t.history.title}</h2>
        <p>{t.history.intro}</p>
        <HistoryTable
          rows={detail.history.rows}
          t={t}
          locale={locale}
          baseHref={`/me/enrolments/${e.id}`}
          nextBefore={detail.history.nextBefore}
          isFirstPage={detail.history.isFirstPage}
        />
      </section>
    </>
  );
}
