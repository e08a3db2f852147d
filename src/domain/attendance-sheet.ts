import type { StatusCode } from '../db/schema.ts';
import { INACTIVE_STATUSES } from './study-status.ts';

/**
 * Who signs an attendance sheet: everyone still taking part. A participant with an inactive status
 * (withdrawn, cancelled, archived, exempted) or with a withdrawal date recorded (they withdrew; the
 * teacher may not have set the withdrawn status yet, R4) is left off.
 */
export function signsAttendanceSheet(participant: { status: StatusCode; withdrawnOn: string | null }): boolean {
  return !INACTIVE_STATUSES.has(participant.status) && participant.withdrawnOn === null;
}

/**
 * The sheet's lines cut into pages of whole lines: `perPage` lines fit on a page, so no line is
 * ever split by a page break. Returns the [from, to) index ranges; at least one (empty) page.
 */
export function pageRanges(lines: number, perPage: number): [number, number][] {
  if (perPage < 1) throw new RangeError('a page must hold at least one line');
  const pages: [number, number][] = [];
  for (let from = 0; from < lines; from += perPage) pages.push([from, Math.min(lines, from + perPage)]);
  return pages.length > 0 ? pages : [[0, 0]];
}
