import { formatPoints, type Locale, type Messages } from '../../i18n/index.ts';
import type { StudyPointsTranscript } from '../../services/transcript.ts';

/** The transcript's tables, one per calendar year, newest first, and the total of all years. */
export function TranscriptTables({ transcript, t, locale }: { transcript: StudyPointsTranscript; t: Messages; locale: Locale }) {
  const tt = t.transcript;
  if (transcript.years.length === 0) return <p class="notice">{tt.none}</p>;
  return (
    <>
      {transcript.years.map((y) => (
        <table class="data">
          <caption>{tt.yearCaption(y.year)}</caption>
          <thead>
            <tr>
              <th scope="col">{tt.course}</th>
              <th scope="col" class="num">
                {tt.points}
              </th>
              <th scope="col" class="num">
                {tt.overridden}
              </th>
              <th scope="col" class="num">
                {tt.maximum}
              </th>
            </tr>
          </thead>
          <tbody>
            {y.courses.map((line) => (
              <tr>
                <th scope="row">
                  <bdi>{line.courseTitle}</bdi> <span class="muted">({line.courseCode})</span>
                </th>
                <td class="num">{formatPoints(locale, line.points)}</td>
                <td class="num">{line.overriddenPoints > 0 ? formatPoints(locale, line.overriddenPoints) : '–'}</td>
                <td class="num">{formatPoints(locale, line.maxStudyPoints)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{tt.yearTotal(y.year)}</th>
              <td class="num">
                <strong>{formatPoints(locale, y.total)}</strong>
              </td>
              <td></td>
              <td></td>
            </tr>
          </tfoot>
        </table>
      ))}
      <p>
        <strong>
          {tt.total}: {formatPoints(locale, transcript.total)}
        </strong>
      </p>
    </>
  );
}

/** **Mijn studiepunten**: the transcript with its downloads. */
export function TranscriptPage({ transcript, t, locale }: { transcript: StudyPointsTranscript; t: Messages; locale: Locale }) {
  const tt = t.transcript;
  return (
    <>
      <h1>{tt.title}</h1>
      <p>{tt.intro}</p>
      <p>
        <a href="/me/study-points.pdf" download>
          {tt.downloadPdf}
        </a>{' '}
        ·{' '}
        <a href="/me/study-points.csv" download>
          {tt.downloadCsv}
        </a>
      </p>
      <TranscriptTables transcript={transcript} t={t} locale={locale} />
    </>
  );
}
