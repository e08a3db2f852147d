import type { HistoryTable } from '../../db/schema.ts';
import { readMeetingsChange, type MeetingChange } from '../../domain/history-entry.ts';
import { isStatusCode } from '../../domain/study-status.ts';
import { formatDate, formatPoints, type Locale, type Messages } from '../../i18n/index.ts';
import type { HistoryListRow } from '../../repositories/history.ts';

type Field = HistoryTable['field'];

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function isEffortCode(value: string, t: Messages): value is keyof Messages['efforts'] {
  return Object.hasOwn(t.efforts, value);
}

function effortLabel(value: string, t: Messages): string {
  return isEffortCode(value, t) ? t.efforts[value] : value;
}

/**
 * One stored history value in the reader's words. History stores codes so that it reads the same in
 * any language ('completed', 'present', 'good: comment', '1.5'); this turns them into labels, and
 * leaves anything it does not recognise (a certificate number, a note) as it was written.
 */
export function describeHistoryValue(
  t: Messages,
  locale: Locale,
  field: Field,
  value: string | null,
  note: string | null = null,
): string {
  if (value === null || value === '') return t.history.empty;
  switch (field) {
    case 'status':
    case 'enrolment':
      return isStatusCode(value) ? t.statuses[value] : value;
    case 'attendance':
      return Object.hasOwn(t.history.attendance, value) ? t.history.attendance[value as keyof Messages['history']['attendance']] : value;
    case 'effort': {
      // Written by the registration service as "rating", "rating: comment" or ": comment"; the
      // comment itself may contain ": ", so only the first one separates.
      const split = value.indexOf(': ');
      if (split < 0) return effortLabel(value, t);
      const rating = value.slice(0, split);
      const comment = value.slice(split + 2);
      return rating === '' ? t.history.commentOnly(comment) : t.history.effortWithComment(effortLabel(rating, t), comment);
    }
    case 'points': {
      const points = Number(value);
      return Number.isFinite(points) ? formatPoints(locale, points) : value;
    }
    case 'withdrawal':
      // A proof file is kept under a generated storage key, which means nothing to a reader.
      if (note === 'force_majeure_file') return t.history.proofFile;
      return DATE_ONLY.test(value) ? formatDate(locale, value) : value;
    default:
      return value;
  }
}

type DescribedRow = Pick<HistoryListRow, 'field' | 'meeting_id' | 'meeting_starts_at' | 'old_value' | 'new_value' | 'note'>;

/**
 * What changed, in the reader's words: the field, and the meeting it concerned where there is one,
 * or how many meetings a row of several concerns.
 */
export function describeHistoryField(t: Messages, locale: Locale, row: Pick<DescribedRow, 'field' | 'meeting_starts_at'> & Partial<DescribedRow>): string {
  const label = Object.hasOwn(t.history.fields, row.field) ? t.history.fields[row.field] : row.field;
  if (row.meeting_starts_at) return t.history.atMeeting(label, formatDate(locale, row.meeting_starts_at));
  const meetings = readMeetingsChange({ field: row.field, meeting_id: row.meeting_id ?? null, old_value: row.old_value ?? null, new_value: row.new_value ?? null });
  return meetings ? t.history.atMeetings(label, meetings.length) : label;
}

/**
 * A row's old and new value in the reader's words. A row of several meetings says the value they all
 * share, or else each meeting's date with its value (and its time, when two of them share a day).
 */
export function describeHistoryValues(t: Messages, locale: Locale, row: DescribedRow): [oldValue: string, newValue: string] {
  const meetings = readMeetingsChange(row);
  if (!meetings) return [describeHistoryValue(t, locale, row.field, row.old_value, row.note), describeHistoryValue(t, locale, row.field, row.new_value, row.note)];
  let when = meetings.map((m) => formatDate(locale, m.startsAt));
  if (new Set(when).size < when.length) when = meetings.map((m) => formatDate(locale, m.startsAt, true));
  const side = (value: (m: MeetingChange) => string | null) => {
    const values = meetings.map(value);
    if (values.every((v) => v === values[0])) return describeHistoryValue(t, locale, row.field, values[0]!, row.note);
    return values.map((v, i) => t.history.meetingValue(when[i]!, describeHistoryValue(t, locale, row.field, v, row.note))).join('; ');
  };
  return [side((m) => m.oldValue), side((m) => m.newValue)];
}

function describeNote(t: Messages, note: string | null): string | null {
  if (!note) return null;
  return Object.hasOwn(t.history.notes, note) ? t.history.notes[note as keyof Messages['history']['notes']] : note;
}

/** The first cells of a change in a history table: when (the row's header) and who made it. */
export function WhenWhoCells({ t, locale, row }: { t: Messages; locale: Locale; row: Pick<HistoryListRow, 'at' | 'actor_name'> }) {
  return (
    <>
      <th scope="row">
        <time datetime={row.at}>{formatDate(locale, row.at, true)}</time>
      </th>
      <td>{row.actor_name ? <bdi>{row.actor_name}</bdi> : t.history.system}</td>
    </>
  );
}

/** The cells of what changed in a history table: the field (with its note), the old and the new value. */
export function ChangeCells({ t, locale, row }: { t: Messages; locale: Locale; row: DescribedRow }) {
  const note = describeNote(t, row.note);
  const [oldValue, newValue] = describeHistoryValues(t, locale, row);
  return (
    <>
      <td>
        {describeHistoryField(t, locale, row)}
        {note && <div class="muted small">{note}</div>}
      </td>
      <td>
        <bdi>{oldValue}</bdi>
      </td>
      <td>
        <bdi>{newValue}</bdi>
      </td>
    </>
  );
}

export interface HistoryTableProps {
  rows: readonly HistoryListRow[];
  t: Messages;
  locale: Locale;
  /** The address of the first page; `?before=` is added for older pages. */
  baseHref: string;
  nextBefore: string | null;
  isFirstPage: boolean;
}

/**
 * A page of history (R9) as a table, newest first: when, who, what, old → new, source; with links
 * to older changes (keyset pages) and back to the newest.
 */
export function HistoryTable({ rows, t, locale, baseHref, nextBefore, isFirstPage }: HistoryTableProps) {
  return (
    <>
      {rows.length === 0 ? (
        <p class="notice">{t.history.none}</p>
      ) : (
        <table class="data">
          <caption>{t.history.caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t.history.when}</th>
              <th scope="col">{t.history.who}</th>
              <th scope="col">{t.history.what}</th>
              <th scope="col">{t.history.oldValue}</th>
              <th scope="col">{t.history.newValue}</th>
              <th scope="col">{t.history.source}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr>
                <WhenWhoCells t={t} locale={locale} row={row} />
                <ChangeCells t={t} locale={locale} row={row} />
                <td>{Object.hasOwn(t.history.sources, row.source) ? t.history.sources[row.source] : row.source}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {(!isFirstPage || nextBefore) && (
        <nav class="pager" aria-label={t.history.pages}>
          {!isFirstPage && <a href={`${baseHref}#history`}>{t.history.newest}</a>}
          {nextBefore && <a href={`${baseHref}?before=${encodeURIComponent(nextBefore)}#history`}>{t.history.older}</a>}
        </nav>
      )}
    </>
  );
}
