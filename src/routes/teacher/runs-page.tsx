import { formatDate, type Locale, type Messages } from '../../i18n/index.ts';
import type { listMyRuns } from '../../services/teacher-runs.ts';

type Runs = Awaited<ReturnType<typeof listMyRuns>>;
type RunItem = Runs['current'][number];

function RunTable({ runs, t, locale, caption }: { runs: RunItem[]; t: Messages; locale: Locale; caption: string }) {
  return (
    <table class="data">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t.teacher.course}</th>
          <th scope="col">{t.teacher.dates}</th>
          <th scope="col">{t.teacher.place}</th>
          <th scope="col" class="num">
            {t.teacher.participants}
          </th>
          <th scope="col">
            <span class="visually-hidden">{t.teacher.actions}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => (
          <tr>
            <th scope="row">
              {run.course_title} <span class="muted">({run.code})</span>
              {run.cancelled_at && <span class="badge status-other">{t.teacher.cancelled}</span>}
              {run.cancel_reason && (
                <div class="small">
                  <bdi>{t.lifecycle.cancelledBecause(run.cancel_reason)}</bdi>
                </div>
              )}
            </th>
            <td>
              {formatDate(locale, run.starts_on)} – {formatDate(locale, run.ends_on)}
            </td>
            <td>{run.place}</td>
            <td class="num">{run.participants}</td>
            <td>
              <details class="menu">
                <summary aria-label={t.teacher.actions} title={t.teacher.actions}>
                  <span aria-hidden="true">⚙</span>
                </summary>
                <ul class="menu-items">
                  <li>
                    <a href={`/teacher/runs/${run.id}`}>{t.teacher.showParticipants}</a>
                  </li>
                  <li>
                    <a href={`/teacher/runs/${run.id}/attendance-sheet.pdf`} download>
                      {t.attendanceSheet.menuWholeRun}
                    </a>
                  </li>
                  <li>
                    <a href={`/teacher/runs/${run.id}/attendance-sheets`}>{t.attendanceSheet.menuPerMeeting}</a>
                  </li>
                  <li>
                    <a href={`/teacher/runs/${run.id}/export.csv`} download>
                      {t.runExport.menuCsv}
                    </a>
                  </li>
                  <li>
                    <a href={`/teacher/runs/${run.id}/export.xlsx`} download>
                      {t.runExport.menuXlsx}
                    </a>
                  </li>
                </ul>
              </details>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** **Mijn te geven opleidingen**: the runs a teacher teaches, each with its gear menu. */
export function RunsPage({ runs, t, locale }: { runs: Runs; t: Messages; locale: Locale }) {
  return (
    <>
      <h1>{t.teacher.runsTitle}</h1>
      <p>{t.teacher.runsIntro}</p>
      {runs.current.length === 0 && runs.past.length === 0 && <p class="notice">{t.teacher.noRuns}</p>}
      {runs.current.length > 0 && <RunTable runs={runs.current} t={t} locale={locale} caption={t.teacher.currentRuns} />}
      {runs.past.length > 0 && <RunTable runs={runs.past} t={t} locale={locale} caption={t.teacher.pastRuns} />}
    </>
  );
}
