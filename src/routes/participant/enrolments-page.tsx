import { formatDate, formatPoints, type Locale, type Messages } from '../../i18n/index.ts';
import type { MyEnrolment, TranscriptLine } from '../../services/participant.ts';
import { StatusBadge } from '../../views/status-badge.tsx';
import { Nothing, certificatePdfHref, noRunLabel } from './components.tsx';

function RunCell({ enrolment, t, locale }: { enrolment: MyEnrolment; t: Messages; locale: Locale }) {
  const run = enrolment.run;
  if (!run) return <>{noRunLabel(enrolment.status, enrolment.courseKind, t)}</>;
  return (
    <>
      {formatDate(locale, run.startsOn)} – {formatDate(locale, run.endsOn)}
      <div class="muted small">
        <bdi>{run.place}</bdi>
      </div>
      {run.cancelled && <div class="small">{t.participant.runCancelled}</div>}
    </>
  );
}

function Transcript({ lines, total, t, locale }: { lines: TranscriptLine[]; total: number; t: Messages; locale: Locale }) {
  if (lines.length === 0) return <p class="notice">{t.participant.noPoints}</p>;
  return (
    <table class="data">
      <caption>{t.participant.transcriptCaption}</caption>
      <thead>
        <tr>
          <th scope="col">{t.participant.course}</th>
          <th scope="col" class="num">
            {t.participant.points}
          </th>
          <th scope="col" class="num">
            {t.participant.maximum}
          </th>
        </tr>
      </thead>
      <tbody>
        {lines.map((line) => (
          <tr>
            <th scope="row">
              <bdi>{line.courseTitle}</bdi> <span class="muted">({line.courseCode})</span>
            </th>
            <td class="num">{formatPoints(locale, line.points)}</td>
            <td class="num">{formatPoints(locale, line.maxStudyPoints)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">{t.participant.total}</th>
          <td class="num">
            <strong>{formatPoints(locale, total)}</strong>
          </td>
          <td></td>
        </tr>
      </tfoot>
    </table>
  );
}

/** **Mijn opleidingen**: the participant's enrolments, then their transcript of study points. */
export function EnrolmentsPage(props: {
  enrolments: MyEnrolment[];
  transcript: { lines: TranscriptLine[]; total: number };
  t: Messages;
  locale: Locale;
}) {
  const { enrolments, transcript, t, locale } = props;
  return (
    <>
      <h1>{t.participant.enrolmentsTitle}</h1>
      <p>{t.participant.enrolmentsIntro}</p>
      {enrolments.length === 0 ? (
        <p class="notice">{t.participant.noEnrolments}</p>
      ) : (
        <table class="data">
          <caption>{t.participant.enrolmentsCaption}</caption>
          <thead>
            <tr>
              <th scope="col">{t.participant.course}</th>
              <th scope="col">{t.participant.kind}</th>
              <th scope="col">{t.participant.run}</th>
              <th scope="col">{t.participant.status}</th>
              <th scope="col" class="num">
                {t.participant.points}
              </th>
              <th scope="col">{t.participant.certificate}</th>
            </tr>
          </thead>
          <tbody>
            {enrolments.map((e) => (
              <tr>
                <th scope="row">
                  <a href={`/me/enrolments/${e.id}`}>
                    <bdi>{e.courseTitle}</bdi>
                  </a>{' '}
                  <span class="muted">({e.courseCode})</span>
                </th>
                <td>{t.courseKinds[e.courseKind]}</td>
                <td>
                  <RunCell enrolment={e} t={t} locale={locale} />
                </td>
                <td>
                  <StatusBadge status={e.status} t={t} />
                </td>
                <td class="num">{formatPoints(locale, e.points)}</td>
                <td>
                  {e.certificate ? (
                    <a href={certificatePdfHref(e.certificate.id)}>{t.participant.downloadCertificate(e.certificate.number)}</a>
                  ) : (
                    <Nothing t={t} />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <section aria-labelledby="transcript-title">
        <h2 id="transcript-title">{t.participant.transcriptTitle}</h2>
        <p>{t.participant.transcriptIntro}</p>
        <Transcript lines={transcript.lines} total={transcript.total} t={t} locale={locale} />
        <p>
          <a href="/me/study-points">{t.transcript.fullOverview}</a>
        </p>
      </section>
    </>
  );
}
