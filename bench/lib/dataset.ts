/**
 * The shape of the benchmark's training organisation: how many of everything, which runs are the
 * special ones the measurements use, and how every generated id is spelled. The generator and the
 * measurements both read this file, so they cannot disagree about what exists.
 */
import { createHash } from 'node:crypto';

/** Raise whenever the generated data or the schema changes: a stored dataset with another version is rebuilt. */
export const GENERATOR_VERSION = 5;

export type Size = 'small' | 'large';
export type DbKind = 'sqlite' | 'postgres';

export interface Shape {
  size: Size;
  users: number;
  /** Users 0 .. teachers-1 also teach; user 0 is the bench teacher of the special runs. */
  teachers: number;
  admins: number;
  courses: number;
  runs: number;
  /** Participants and meetings of an ordinary (past) run: every meeting has attendance recorded. */
  typicalParticipants: number;
  typicalMeetings: number;
  /** Number of "class" runs (25 × 4) used by measurement B. */
  classRuns: number;
}

export const SHAPES: Record<Size, Shape> = {
  large: { size: 'large', users: 100_000, teachers: 1_000, admins: 10, courses: 1_000, runs: 10_000, typicalParticipants: 100, typicalMeetings: 4, classRuns: 20 },
  small: { size: 'small', users: 10_000, teachers: 100, admins: 10, courses: 100, runs: 1_000, typicalParticipants: 100, typicalMeetings: 4, classRuns: 20 },
};

/** The run whose participants page is measured (A): 500 participants, 20 meetings, 12 already held. */
export const PAGE_RUN = 0;
/** The run the Doorgaan save is measured on (C): 500 participants, 20 meetings, nothing recorded yet. */
export const SAVE_RUN = 1;
/** The first class run (B): 25 participants, 4 meetings, 2 held. */
export const FIRST_CLASS_RUN = 2;

export const BIG_PARTICIPANTS = 500;
export const BIG_MEETINGS = 20;
export const BIG_HELD = 12;
export const CLASS_PARTICIPANTS = 25;
export const CLASS_MEETINGS = 4;
export const CLASS_HELD = 2;
/** The long class run (B20): 25 participants, 20 meetings of which 12 held; the last run of the data. */
export const CLASS20_MEETINGS = 20;
export const CLASS20_HELD = 12;
export function class20Run(shape: Shape): number {
  return shape.runs - 1;
}

/** Every course has this maximum; meetings carry maximum / meetings points each. */
export const COURSE_MAX_POINTS = 10;

/** The cookie token of the bench teacher's session (a throw-away bench database, so not a secret). */
export const TEACHER_SESSION_TOKEN = 'presentia-bench-teacher-session-token';
export const CSRF_COOKIE_TOKEN = 'presentia-bench-csrf-token-0000000000';

export function sessionId(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

// Ids: fixed-width text keys that sort in generation order. History ids start with "00", so they
// sort before every ULID the app makes ("01…" for any date after 1970): generated history is older.
const pad = (n: number, width: number) => String(n).padStart(width, '0');
export const ids = {
  user: (u: number) => `us${pad(u, 7)}`,
  course: (c: number) => `co${pad(c, 5)}`,
  run: (r: number) => `rn${pad(r, 6)}`,
  meeting: (r: number, q: number) => `mt${pad(r, 6)}${pad(q, 2)}`,
  enrolment: (r: number, k: number) => `en${pad(r, 6)}${pad(k, 4)}`,
};

/** Who each special participant is (the same arithmetic as the generator's SQL). */
export function bigRunUser(shape: Shape, run: number, k: number): number {
  return run === PAGE_RUN ? (k * 191 + 11) % shape.users : (k * 193 + 29) % shape.users;
}

/** Approximate row counts of a shape, for the report. */
export function expectedCounts(shape: Shape) {
  const typicalRuns = shape.runs - FIRST_CLASS_RUN - shape.classRuns - 1;
  const enrolments = typicalRuns * shape.typicalParticipants + 2 * BIG_PARTICIPANTS + (shape.classRuns + 1) * CLASS_PARTICIPANTS;
  const meetings = typicalRuns * shape.typicalMeetings + 2 * BIG_MEETINGS + shape.classRuns * CLASS_MEETINGS + CLASS20_MEETINGS;
  const attendance =
    typicalRuns * shape.typicalParticipants * shape.typicalMeetings +
    BIG_PARTICIPANTS * BIG_HELD +
    shape.classRuns * CLASS_PARTICIPANTS * CLASS_HELD +
    CLASS_PARTICIPANTS * CLASS20_HELD;
  return { users: shape.users, courses: shape.courses, runs: shape.runs, meetings, enrolments, attendance };
}

export function fingerprint(db: DbKind, shape: Shape): string {
  return JSON.stringify({ generator: GENERATOR_VERSION, db, size: shape.size, shape });
}
