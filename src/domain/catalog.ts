import type { CourseKind } from '../db/schema.ts';
import { brusselsWallClock, shiftWallClock } from './brussels-time.ts';
import { addDays, daysBetween } from './dates.ts';
import { roundPoints } from './study-points.ts';

/**
 * The rules of head office's catalogue: what makes a course, programme, run or meeting valid, how a
 * run is copied to new dates, and when a run's meetings promise more points than its course allows.
 * Pure: forms come in as the strings a browser sends, values or reasons per field go out.
 */

/** Why a field is refused; each is a message under `catalog.errors` in the i18n files. */
export type CatalogError =
  | 'required'
  | 'too_long'
  | 'code_format'
  | 'code_taken'
  | 'kind'
  | 'points'
  | 'term_days'
  | 'term_both'
  | 'date'
  | 'time'
  | 'url'
  | 'capacity'
  | 'end_before_start'
  | 'end_time_before_start'
  | 'outside_run'
  | 'meetings_outside'
  | 'unknown_courses'
  | 'duplicate_courses'
  | 'not_a_teacher';

export interface Refusal {
  reason: CatalogError;
  /** Shown with the reason (the unknown codes, the run's dates). */
  detail?: string;
}

export type FieldRefusals<F extends string> = Partial<Record<F, Refusal>>;
export type Parsed<V, F extends string> = { ok: true; values: V } | { ok: false; errors: FieldRefusals<F> };

export const COURSE_KINDS: readonly CourseKind[] = ['classroom', 'elearning', 'exam'];
export const MAX_TITLE = 200;
export const MAX_DESCRIPTION = 5000;
export const MAX_PLACE = 200;
export const MAX_URL = 500;
export const MAX_POINTS = 1000;
export const MAX_TERM_DAYS = 3650;
export const MAX_CAPACITY = 100_000;
/** Codes are short, readable and safe in a file name or an address: `EHBO-2026.1`. */
const CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const DECIMAL = /^\d{1,4}([.,]\d{1,2})?$/;
const WHOLE = /^\d{1,6}$/;

class Checker<F extends string> {
  readonly errors: FieldRefusals<F> = {};
  refuse(field: F, reason: CatalogError, detail?: string) {
    if (!this.errors[field]) this.errors[field] = detail === undefined ? { reason } : { reason, detail };
  }
  text(field: F, raw: string | undefined, max: number, required: boolean): string | null {
    const value = (raw ?? '').trim();
    if (value === '') {
      if (required) this.refuse(field, 'required');
      return null;
    }
    if (value.length > max) this.refuse(field, 'too_long', String(max));
    return value;
  }
  code(field: F, raw: string | undefined): string {
    const value = (raw ?? '').trim().toUpperCase();
    if (value === '') this.refuse(field, 'required');
    else if (!CODE.test(value)) this.refuse(field, 'code_format');
    return value;
  }
  date(field: F, raw: string | undefined, required: boolean): string | null {
    const value = (raw ?? '').trim();
    if (value === '') {
      if (required) this.refuse(field, 'required');
      return null;
    }
    if (!isDate(value)) {
      this.refuse(field, 'date');
      return null;
    }
    return value;
  }
  time(field: F, raw: string | undefined): string | null {
    const value = (raw ?? '').trim();
    if (value === '') this.refuse(field, 'required');
    else if (!TIME.test(value)) this.refuse(field, 'time');
    else return value;
    return null;
  }
  points(field: F, raw: string | undefined, required: boolean): number | null {
    const value = (raw ?? '').trim();
    if (value === '') {
      if (required) this.refuse(field, 'required');
      return null;
    }
    const n = DECIMAL.test(value) ? Number(value.replace(',', '.')) : Number.NaN;
    if (!(n >= 0 && n <= MAX_POINTS)) {
      this.refuse(field, 'points', String(MAX_POINTS));
      return null;
    }
    return roundPoints(n);
  }
  whole(field: F, raw: string | undefined, min: number, max: number, reason: CatalogError): number | null {
    const value = (raw ?? '').trim();
    if (value === '') return null;
    const n = WHOLE.test(value) ? Number(value) : Number.NaN;
    if (!(n >= min && n <= max)) {
      this.refuse(field, reason, String(max));
      return null;
    }
    return n;
  }
  url(field: F, raw: string | undefined): string | null {
    const value = this.text(field, raw, MAX_URL, false);
    if (value !== null && !isContentReference(value)) this.refuse(field, 'url');
    return value;
  }
  result<V>(values: V): Parsed<V, F> {
    return Object.keys(this.errors).length > 0 ? { ok: false, errors: this.errors } : { ok: true, values };
  }
}

/** A real calendar date written `YYYY-MM-DD`. */
export function isDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** A link to content: an http(s) address, or a path on this site (`/kenniscentrum/...`). */
export function isContentReference(value: string): boolean {
  if (/[\s\u0000-\u001f\u007f]/.test(value)) return false;
  if (value.startsWith('/')) return !value.startsWith('//') && !value.startsWith('/\\');
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function studyTerm<F extends string>(check: Checker<F>, daysField: F, dateField: F, form: Record<string, string | undefined>) {
  const days = check.whole(daysField, form[daysField], 1, MAX_TERM_DAYS, 'term_days');
  const endsOn = check.date(dateField, form[dateField], false);
  if ((form[daysField] ?? '').trim() !== '' && (form[dateField] ?? '').trim() !== '') check.refuse(dateField, 'term_both');
  return { studyTermDays: days, studyTermEndsOn: endsOn };
}

export const COURSE_FIELDS = ['title', 'code', 'kind', 'description', 'maxStudyPoints', 'studyTermDays', 'studyTermEndsOn', 'knowledgeCentreUrl', 'elearningUrl'] as const;
export type CourseField = (typeof COURSE_FIELDS)[number];
export type CourseForm = Partial<Record<CourseField, string>>;

export interface CourseValues {
  title: string;
  code: string;
  kind: CourseKind;
  description: string | null;
  maxStudyPoints: number;
  studyTermDays: number | null;
  studyTermEndsOn: string | null;
  knowledgeCentreUrl: string | null;
  elearningUrl: string | null;
}

/** A course as entered, or the reason for each refused field. `codeTaken`: another course has this code. */
export function parseCourse(form: CourseForm, codeTaken: (code: string) => boolean = () => false): Parsed<CourseValues, CourseField> {
  const check = new Checker<CourseField>();
  const title = check.text('title', form.title, MAX_TITLE, true) ?? '';
  const code = check.code('code', form.code);
  if (!check.errors.code && codeTaken(code)) check.refuse('code', 'code_taken');
  const kind = (COURSE_KINDS as readonly string[]).includes(form.kind ?? '') ? (form.kind as CourseKind) : (check.refuse('kind', 'kind'), 'classroom');
  const description = check.text('description', form.description, MAX_DESCRIPTION, false);
  const maxStudyPoints = check.points('maxStudyPoints', form.maxStudyPoints, true) ?? 0;
  const term = studyTerm(check, 'studyTermDays', 'studyTermEndsOn', form);
  const knowledgeCentreUrl = check.url('knowledgeCentreUrl', form.knowledgeCentreUrl);
  const elearningUrl = check.url('elearningUrl', form.elearningUrl);
  return check.result({ title, code, kind, description, maxStudyPoints, ...term, knowledgeCentreUrl, elearningUrl });
}

export const PROGRAMME_FIELDS = ['title', 'studyTermDays', 'studyTermEndsOn', 'courses'] as const;
export type ProgrammeField = (typeof PROGRAMME_FIELDS)[number];
export type ProgrammeForm = Partial<Record<ProgrammeField, string>>;
export interface ProgrammeValues {
  title: string;
  studyTermDays: number | null;
  studyTermEndsOn: string | null;
  /** Course ids in the programme's order. */
  courseIds: string[];
}

/** The course codes of a programme form, in order: one a line (commas and semicolons also separate). */
export function programmeCodes(text: string | undefined): string[] {
  return (text ?? '')
    .split(/[\n\r,;]+/)
    .map((c) => c.trim().toUpperCase())
    .filter((c) => c !== '');
}

/** A programme as entered; `courseIdOf` resolves a course code (undefined when no such course). */
export function parseProgramme(form: ProgrammeForm, courseIdOf: (code: string) => string | undefined): Parsed<ProgrammeValues, ProgrammeField> {
  const check = new Checker<ProgrammeField>();
  const title = check.text('title', form.title, MAX_TITLE, true) ?? '';
  const term = studyTerm(check, 'studyTermDays', 'studyTermEndsOn', form);
  const codes = programmeCodes(form.courses);
  if (codes.length === 0) check.refuse('courses', 'required');
  else if (codes.length > 100) check.refuse('courses', 'too_long', '100');
  const unknown = codes.filter((c) => courseIdOf(c) === undefined);
  const duplicates = codes.filter((c, i) => codes.indexOf(c) !== i);
  if (unknown.length > 0) check.refuse('courses', 'unknown_courses', [...new Set(unknown)].join(', ').slice(0, 500));
  else if (duplicates.length > 0) check.refuse('courses', 'duplicate_courses', [...new Set(duplicates)].join(', ').slice(0, 500));
  return check.result({ title, ...term, courseIds: codes.map((c) => courseIdOf(c)!).filter(Boolean) });
}

export const RUN_FIELDS = ['code', 'place', 'capacity', 'startsOn', 'endsOn'] as const;
export type RunField = (typeof RUN_FIELDS)[number];
export type RunForm = Partial<Record<RunField, string>>;
export interface RunValues {
  code: string;
  place: string;
  capacity: number | null;
  startsOn: string;
  endsOn: string;
}

/**
 * A run as entered. Its dates must hold every meeting it already has (`meetingDates`, Brussels
 * dates): a meeting is moved first, so no meeting ever lies outside its run.
 */
export function parseRun(form: RunForm, options: { codeTaken: (code: string) => boolean; meetingDates?: readonly string[] }): Parsed<RunValues, RunField> {
  const check = new Checker<RunField>();
  const code = check.code('code', form.code);
  if (!check.errors.code && options.codeTaken(code)) check.refuse('code', 'code_taken');
  const place = check.text('place', form.place, MAX_PLACE, true) ?? '';
  const capacity = check.whole('capacity', form.capacity, 1, MAX_CAPACITY, 'capacity');
  const startsOn = check.date('startsOn', form.startsOn, true) ?? '';
  const endsOn = check.date('endsOn', form.endsOn, true) ?? '';
  if (startsOn && endsOn && endsOn < startsOn) check.refuse('endsOn', 'end_before_start');
  const dates = [...(options.meetingDates ?? [])].sort();
  if (startsOn && endsOn && dates.length > 0 && (dates[0]! < startsOn || dates[dates.length - 1]! > endsOn)) {
    check.refuse(dates[0]! < startsOn ? 'startsOn' : 'endsOn', 'meetings_outside', `${dates[0]} – ${dates[dates.length - 1]}`);
  }
  return check.result({ code, place, capacity, startsOn, endsOn });
}

export const MEETING_FIELDS = ['date', 'startTime', 'endTime', 'place', 'studyPoints'] as const;
export type MeetingField = (typeof MEETING_FIELDS)[number];
export type MeetingForm = Partial<Record<MeetingField, string>>;
export interface MeetingValues {
  startsAt: string;
  endsAt: string;
  place: string;
  studyPoints: number;
}

/**
 * A meeting as entered in Brussels time, stored as UTC instants; it lies within its run's dates. An
 * empty place is the run's place.
 */
export function parseMeeting(form: MeetingForm, run: { startsOn: string; endsOn: string; place: string }, toInstant: (date: string, time: string) => string): Parsed<MeetingValues, MeetingField> {
  const check = new Checker<MeetingField>();
  const date = check.date('date', form.date, true);
  if (date && (date < run.startsOn || date > run.endsOn)) check.refuse('date', 'outside_run', `${run.startsOn} – ${run.endsOn}`);
  const start = check.time('startTime', form.startTime);
  const end = check.time('endTime', form.endTime);
  if (start && end && end <= start) check.refuse('endTime', 'end_time_before_start');
  const place = check.text('place', form.place, MAX_PLACE, false) ?? run.place;
  const studyPoints = check.points('studyPoints', form.studyPoints, true) ?? 0;
  if (!date || !start || !end) return check.result({ startsAt: '', endsAt: '', place, studyPoints });
  return check.result({ startsAt: toInstant(date, start), endsAt: toInstant(date, end), place, studyPoints });
}

/** The form values of a stored meeting, in Brussels time. */
export function meetingForm(m: { starts_at: string; ends_at: string; place: string; study_points: number }): MeetingForm {
  const start = brusselsWallClock(m.starts_at);
  return { date: start.date, startTime: start.time, endTime: brusselsWallClock(m.ends_at).time, place: m.place, studyPoints: String(m.study_points) };
}

/**
 * When a run's meetings together carry more points than the course's maximum: a warning to the
 * administrator, not a refusal (participants are credited at most the maximum anyway, R5).
 */
export function pointsOverMaximum(meetings: readonly { study_points: number }[], maximum: number): { total: number; maximum: number } | null {
  const total = roundPoints(meetings.reduce((sum, m) => sum + m.study_points, 0));
  return total > maximum ? { total, maximum } : null;
}

export const COPY_FIELDS = ['code', 'startsOn'] as const;
export type CopyField = (typeof COPY_FIELDS)[number];

/**
 * A copy of a run starting on `startsOn`: the same place and capacity, its dates and every meeting
 * moved by the same number of calendar days, each meeting at the same Brussels wall-clock time
 * (a meeting at 09:00 stays at 09:00 when the copy crosses a daylight-saving change).
 */
export function planRunCopy(
  run: { place: string; capacity: number | null; starts_on: string; ends_on: string },
  meetings: readonly { starts_at: string; ends_at: string; place: string; study_points: number }[],
  form: Partial<Record<CopyField, string>>,
  codeTaken: (code: string) => boolean,
): Parsed<{ run: RunValues; meetings: MeetingValues[] }, CopyField> {
  const check = new Checker<CopyField>();
  const code = check.code('code', form.code);
  if (!check.errors.code && codeTaken(code)) check.refuse('code', 'code_taken');
  const startsOn = check.date('startsOn', form.startsOn, true);
  if (!startsOn) return check.result({ run: { code, place: run.place, capacity: run.capacity, startsOn: '', endsOn: '' }, meetings: [] });
  const shift = daysBetween(run.starts_on, startsOn);
  return check.result({
    run: { code, place: run.place, capacity: run.capacity, startsOn, endsOn: addDays(run.ends_on, shift) },
    meetings: meetings.map((m) => ({ startsAt: shiftWallClock(m.starts_at, shift), endsAt: shiftWallClock(m.ends_at, shift), place: m.place, studyPoints: m.study_points })),
  });
}

/**
 * Old and new values of the attributes that differ, for a history row; null when nothing changed.
 */
export function changedAttributes<T extends Record<string, unknown>>(before: T, after: T): { old: string; new: string } | null {
  const keys = Object.keys(after).filter((k) => before[k] !== after[k]);
  if (keys.length === 0) return null;
  return {
    old: JSON.stringify(Object.fromEntries(keys.map((k) => [k, before[k] ?? null]))),
    new: JSON.stringify(Object.fromEntries(keys.map((k) => [k, after[k] ?? null]))),
  };
}

/** A run's state for the overview, on Brussels date `today`. */
export type RunState = 'planned' | 'running' | 'finished' | 'cancelled';
export const RUN_STATES: readonly RunState[] = ['planned', 'running', 'finished', 'cancelled'];

export function runState(run: { starts_on: string; ends_on: string; cancelled_at: string | null }, today: string): RunState {
  if (run.cancelled_at) return 'cancelled';
  if (run.starts_on > today) return 'planned';
  if (run.ends_on < today) return 'finished';
  return 'running';
}
