import { formatDate, formatTime, type Locale, type Messages } from '../../i18n/index.ts';
import type { listSheetMeetings } from '../../services/attendance-sheet.ts';

type SheetMeetings = Awaited<ReturnType<typeof listSheetMeetings>>;

/** The attendance sheets of a run: one per meeting, and one for all meetings together. */
export function AttendanceSheetsPage({ data, t, locale }: { data: SheetMeetings; t: Messages; locale: Locale }) {
  const ts = t.attendanceSheet;
  const base = `/teacher/runs/${data.run.id}`;
  return (
    <>
      <p>
        <a href="/teacher/runs">{t.teacher.backToRuns}</a>
      </p>
      <h1>{ts.pageTitle(data.run.course_title)}</h1>
      <p class="muted">
        {data.run.code} · {data.run.place}
      </p>
      <p>{ts.pageIntro}</p>
      <p>
        <a href={`${base}/attendance-sheet.pdf`} download>
          {ts.wholeRun}
        </a>
      </p>
      {data.meetings.length === 0 ? (
        <p class="notice">{ts.noMeetings}</p>
      ) : (
        <table class="data">
          <caption>{ts.meetingsCaption}</caption>
          <thead>
            <tr>
              <th scope="col">{ts.date}</th>
              <th scope="col">{ts.time}</th>
              <th scope="col">{ts.placeColumn}</th>
              <th scope="col">
                <span class="visually-hidden">{ts.download}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.meetings.map((m) => (
              <tr>
                <th scope="row">{formatDate(locale, m.starts_at)}</th>
                <td>
                  {formatTime(locale, m.starts_at)}–{formatTime(locale, m.ends_at)}
                </td>
                <td>{m.place}</td>
                <td>
                  <a href={`${base}/meetings/${m.id}/attendance-sheet.pdf`} download aria-label={ts.downloadFor(formatDate(locale, m.starts_at))}>
                    {ts.download}
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
