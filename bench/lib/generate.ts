/**
 * Set-based generator of the benchmark's training organisation. Every table is filled by a handful
 * of `INSERT … SELECT` statements over a number series (a recursive CTE on SQLite, generate_series on
 * PostgreSQL): no row ever crosses from Node to the database. The same SQL text serves both
 * databases through the small dialect in `sql.ts`.
 *
 * What exists (large; small is a tenth of users, courses and runs):
 * - 100,000 users (all participants; the first 1,000 also teach; 10 administrators);
 * - 1,000 courses of 10 runs each (max 10 study points);
 * - ordinary runs: past, 100 participants × 4 meetings of 2.5 points, every meeting recorded, with a
 *   realistic spread of final statuses (70 % Voltooid with a certificate, failed, absent, withdrawn,
 *   10 % still open); history: one row per attendance record, per status change and per certificate;
 * - run 0 (PAGE_RUN): 500 participants × 20 meetings, 12 held and recorded, taught by the bench teacher;
 * - run 1 (SAVE_RUN): 500 participants × 20 meetings, nothing recorded (the Doorgaan save writes it);
 * - runs 2..21 (class runs): 25 participants × 4 meetings, 2 held and recorded, same teacher;
 * - the last run (the long class run, B20): 25 participants × 20 meetings, 12 held and recorded, same teacher.
 */
import {
  BIG_HELD,
  BIG_MEETINGS,
  BIG_PARTICIPANTS,
  CLASS20_HELD,
  CLASS20_MEETINGS,
  CLASS_HELD,
  CLASS_MEETINGS,
  CLASS_PARTICIPANTS,
  COURSE_MAX_POINTS,
  FIRST_CLASS_RUN,
  class20Run,
  PAGE_RUN,
  SAVE_RUN,
  type Shape,
} from './dataset.ts';
import type { Dialect } from './sql.ts';

/** Day 0 of the generated calendar (a Monday); every date is a whole number of days after it. */
const EPOCH = '2023-01-02';
/** Ordinary runs start spread over this many days after EPOCH (up to late October 2026). */
const SPAN_DAYS = 1395;
/** Run 0 and 1 start 2026-09-07, the class runs 2026-11-16 (days after EPOCH). */
const BIG_START_DAY = 1344;
const CLASS_START_DAY = 1414;

const FIRST_NAMES = ['Anna', 'Bram', 'Charlotte', 'Dirk', 'Emma', 'Femke', 'Geert', 'Hanne', 'Ilse', 'Jan', 'Koen', 'Lotte', 'Marc', 'Nina', 'Olivier', 'Pieter', 'Roos', 'Sofie', 'Tom', 'Vincent', 'Wout', 'Yana', 'Lucas', 'Louise', 'Arthur', 'Elise', 'Jules', 'Marie', 'Noah', 'Fien', 'Mohamed', 'Aya', 'Victor', 'Zoë', 'Kobe', 'Lina', 'Stijn', 'Eline', 'Ruben', 'Saar'];
const LAST_NAMES = ['Peeters', 'Janssens', 'Maes', 'Jacobs', 'Mertens', 'Willems', 'Claes', 'Goossens', 'Wouters', 'De Smet', 'Dubois', 'Lambert', 'Dumont', 'Vermeulen', 'Van Damme', 'Pauwels', 'Hermans', 'Aerts', 'Michiels', 'Desmet', 'Martens', 'De Backer', 'Leclercq', 'Smets', 'Verstraete', 'Cools', 'Segers', 'Baert', 'Coppens', 'Mahieu', 'El Amrani', 'Nguyen', 'Kowalski', 'Bogaert', 'Devos', 'Hendrickx', 'Van Acker', 'Lemmens', 'Stevens', 'Geerts'];
const CITIES = ['Gent', 'Brugge', 'Antwerpen', 'Leuven', 'Hasselt', 'Kortrijk', 'Mechelen', 'Aalst', 'Brussel', 'Oostende'];
const TOPICS = ['Veiligheid', 'EHBO', 'Leidinggeven', 'Excel', 'Communicatie', 'Brandpreventie', 'Projectbeheer', 'Didactiek', 'Privacy', 'Timemanagement'];

/** A fixed-width list as one literal, so `substr` picks an entry: no lookup table, the same on both databases. */
function packed(words: readonly string[], width: number): string {
  return `'${words.map((w) => w.replace(/'/g, "''").padEnd(width)).join('')}'`;
}
function pick(d: Dialect, words: readonly string[], width: number, index: string): string {
  return `rtrim(substr(${packed(words, width)}, ${d.int(`1 + (${index}) * ${width}`)}, ${width}))`;
}

/** A group of runs generated alike. Expressions use the SQL names r (run), k (participant), q (meeting). */
interface Category {
  name: string;
  r0: number;
  runs: number;
  participants: number;
  meetings: number;
  /** Meetings 0 .. held-1 have attendance recorded. */
  held: number;
  meetingPoints: number;
  /** Days after EPOCH on which run r starts. */
  startDay: string;
  /** User index of participant k of run r (distinct within a run). */
  user: string;
  /** Status of participant k of run r. */
  status: string;
  /** User index of the teacher of run r. */
  teacher: string;
}

function categories(shape: Shape): Category[] {
  const r0 = FIRST_CLASS_RUN + shape.classRuns;
  // The ordinary runs fill the rest but the last run, which is the long class run.
  const typicalRuns = class20Run(shape) - r0;
  const h = '((r * 31 + k * 17) % 100)';
  return [
    {
      name: 'page run',
      r0: PAGE_RUN,
      runs: 1,
      participants: BIG_PARTICIPANTS,
      meetings: BIG_MEETINGS,
      held: BIG_HELD,
      meetingPoints: COURSE_MAX_POINTS / BIG_MEETINGS,
      startDay: String(BIG_START_DAY),
      user: `((k * 191 + 11) % ${shape.users})`,
      status: `(CASE WHEN (k * 37) % 100 < 5 THEN 'withdrawn_invalid' ELSE 'enrolled' END)`,
      teacher: '0',
    },
    {
      name: 'save run',
      r0: SAVE_RUN,
      runs: 1,
      participants: BIG_PARTICIPANTS,
      meetings: BIG_MEETINGS,
      held: 0,
      meetingPoints: COURSE_MAX_POINTS / BIG_MEETINGS,
      startDay: String(BIG_START_DAY),
      user: `((k * 193 + 29) % ${shape.users})`,
      status: `'enrolled'`,
      teacher: '0',
    },
    {
      name: 'class runs',
      r0: FIRST_CLASS_RUN,
      runs: shape.classRuns,
      participants: CLASS_PARTICIPANTS,
      meetings: CLASS_MEETINGS,
      held: CLASS_HELD,
      meetingPoints: COURSE_MAX_POINTS / CLASS_MEETINGS,
      startDay: String(CLASS_START_DAY),
      user: `(((r * ${CLASS_PARTICIPANTS} + k) * 13 + 5) % ${shape.users})`,
      status: `'enrolled'`,
      teacher: '0',
    },
    {
      name: 'long class run',
      r0: class20Run(shape),
      runs: 1,
      participants: CLASS_PARTICIPANTS,
      meetings: CLASS20_MEETINGS,
      held: CLASS20_HELD,
      meetingPoints: COURSE_MAX_POINTS / CLASS20_MEETINGS,
      startDay: String(BIG_START_DAY),
      user: `(((r * ${CLASS_PARTICIPANTS} + k) * 13 + 5) % ${shape.users})`,
      status: `'enrolled'`,
      teacher: '0',
    },
    {
      name: 'ordinary runs',
      r0,
      runs: typicalRuns,
      participants: shape.typicalParticipants,
      meetings: shape.typicalMeetings,
      held: shape.typicalMeetings,
      meetingPoints: COURSE_MAX_POINTS / shape.typicalMeetings,
      startDay: `((r - ${r0}) * ${SPAN_DAYS} / ${typicalRuns})`,
      // A bijection of the enrolment number onto the users: every user has runs / users × participants
      // enrolments, in runs 1,000 apart, so of different courses.
      user: `(((r * ${shape.typicalParticipants} + k) * 7) % ${shape.users})`,
      status: `(CASE WHEN ${h} < 70 THEN 'completed' WHEN ${h} < 76 THEN 'failed' WHEN ${h} < 84 THEN 'absent' WHEN ${h} < 88 THEN 'withdrawn_invalid' WHEN ${h} < 90 THEN 'withdrawn_valid' ELSE 'enrolled' END)`,
      teacher: `(1 + r % ${shape.teachers - 1})`,
    },
  ];
}

export interface Step {
  name: string;
  /** The table it fills (steps on different tables may run side by side on PostgreSQL). */
  table: string;
  sql: string;
}

/** Every INSERT of the dataset, in an order that respects the foreign keys. */
export function generationSteps(d: Dialect, shape: Shape): Step[] {
  const steps: Step[] = [];
  const add = (table: string, name: string, sql: string) => steps.push({ name, table, sql });
  const id = (prefix: string, ...parts: [string, number][]) => `'${prefix}' || ${parts.map(([e, w]) => d.pad(e, w)).join(' || ')}`;
  const userId = (e: string) => id('us', [e, 7]);
  const runId = (e: string) => id('rn', [e, 6]);
  const day = (days: string) => d.addDays(EPOCH, days);
  const at = (days: string, time: string) => `${day(days)} || 'T${time}.000Z'`;
  const U = shape.users;

  add(
    'users',
    `users (${U})`,
    `INSERT INTO users (id, email, name, password_hash, locale, created_at, anonymised_at)
     ${d.series(U)}
     SELECT ${userId('i')}, 'user' || ${d.pad('i', 7)} || '@bench.example',
            ${pick(d, FIRST_NAMES, 10, `i % ${FIRST_NAMES.length}`)} || ' ' || ${pick(d, LAST_NAMES, 12, `(i / ${FIRST_NAMES.length}) % ${LAST_NAMES.length}`)},
            NULL, NULL, '2022-06-01T08:00:00.000Z', NULL
     FROM s`,
  );
  add('user_roles', 'roles: participant', `INSERT INTO user_roles (user_id, role) ${d.series(U)} SELECT ${userId('i')}, 'participant' FROM s`);
  add('user_roles', 'roles: teacher', `INSERT INTO user_roles (user_id, role) ${d.series(shape.teachers)} SELECT ${userId('i')}, 'teacher' FROM s`);
  add(
    'user_roles',
    'roles: admin',
    `INSERT INTO user_roles (user_id, role) ${d.series(shape.admins)} SELECT ${userId(`i + ${shape.teachers}`)}, 'admin' FROM s`,
  );
  add(
    'courses',
    `courses (${shape.courses})`,
    `INSERT INTO courses (id, code, title, kind, max_study_points, study_term_days, version, replaces_course_id, knowledge_centre_url, elearning_url, archived_at, cancelled_at, created_at)
     ${d.series(shape.courses)}
     SELECT ${id('co', ['i', 5])}, 'BC' || ${d.pad('i', 5)}, ${pick(d, TOPICS, 14, `i % ${TOPICS.length}`)} || ' ' || (i + 1),
            'classroom', ${COURSE_MAX_POINTS}, 180, 1, NULL, NULL, NULL, NULL, NULL, '2022-06-01T08:00:00.000Z'
     FROM s`,
  );

  const runsPerCourse = shape.runs / shape.courses;
  for (const c of categories(shape)) {
    const runs = `${d.series(c.runs)}, x AS (SELECT ${c.r0} + i AS r FROM s)`;
    const lastDay = `${c.startDay} + ${7 * (c.meetings - 1)}`;
    add(
      'runs',
      `${c.name}: runs`,
      `INSERT INTO runs (id, course_id, code, starts_on, ends_on, place, capacity, cancelled_at, created_at)
       ${runs}
       SELECT ${runId('r')}, ${id('co', [`r / ${runsPerCourse}`, 5])}, 'R' || ${d.pad('r', 6)}, ${day(c.startDay)}, ${day(lastDay)},
              ${pick(d, CITIES, 10, `r % ${CITIES.length}`)}, NULL, NULL, ${at(`${c.startDay} - 60`, '08:00:00')}
       FROM x`,
    );
    add('run_teachers', `${c.name}: teachers`, `INSERT INTO run_teachers (run_id, user_id) ${runs} SELECT ${runId('r')}, ${userId(c.teacher)} FROM x`);
    if (c.r0 === PAGE_RUN) {
      add('run_teachers', `${c.name}: co-teacher`, `INSERT INTO run_teachers (run_id, user_id) ${runs} SELECT ${runId('r')}, ${userId('1')} FROM x`);
    }
    add(
      'meetings',
      `${c.name}: meetings`,
      `INSERT INTO meetings (id, run_id, starts_at, ends_at, place, study_points)
       ${d.series(c.runs * c.meetings)}, x AS (SELECT ${c.r0} + i / ${c.meetings} AS r, i % ${c.meetings} AS q FROM s)
       SELECT ${id('mt', ['r', 6], ['q', 2])}, ${runId('r')}, ${at(`${c.startDay} + 7 * q`, '08:00:00')}, ${at(`${c.startDay} + 7 * q`, '15:00:00')},
              ${pick(d, CITIES, 10, `r % ${CITIES.length}`)}, ${c.meetingPoints}
       FROM x`,
    );

    // Participants: (r, k) with their user and status, as the CTE `p`.
    const people = `${d.series(c.runs * c.participants)},
       x AS (SELECT ${c.r0} + i / ${c.participants} AS r, i % ${c.participants} AS k FROM s),
       p AS (SELECT r, k, ${c.user} AS u, ${c.status} AS st, ${c.startDay} AS sd, ${c.teacher} AS t FROM x)`;
    const enrolmentId = id('en', ['r', 6], ['k', 4]);
    const endAt = at(`sd + ${7 * (c.meetings - 1)}`, '16:00:00');
    const endDay = day(`sd + ${7 * (c.meetings - 1)}`);
    const final = `st <> 'enrolled'`;
    const withdrawn = `st IN ('withdrawn_invalid', 'withdrawn_valid')`;
    add(
      'enrolments',
      `${c.name}: enrolments`,
      `INSERT INTO enrolments (id, user_id, course_id, run_id, programme_id, status, status_changed_at, enrolled_at, term_ends_on, withdrawn_on, force_majeure_note, force_majeure_file, effort, effort_comment, version, updated_at)
       ${people}
       SELECT ${enrolmentId}, ${userId('u')}, ${id('co', [`r / ${runsPerCourse}`, 5])}, ${runId('r')}, NULL, st,
              CASE WHEN ${final} THEN ${endAt} ELSE ${at('sd - 30', '09:00:00')} END,
              ${at('sd - 30', '09:00:00')}, ${day('sd + 180')},
              CASE WHEN ${withdrawn} THEN ${day('sd - 1 - k % 30')} ELSE NULL END,
              CASE WHEN st = 'withdrawn_valid' THEN 'Doktersattest gezien' ELSE NULL END, NULL,
              CASE WHEN st = 'completed' AND k % 3 = 0 THEN 'good' ELSE NULL END, NULL,
              CASE WHEN ${final} THEN 2 ELSE 1 END,
              CASE WHEN ${final} THEN ${endAt} ELSE ${at('sd - 30', '09:00:00')} END
       FROM p`,
    );
    add(
      'certificates',
      `${c.name}: certificates`,
      `INSERT INTO certificates (id, number, verification_code, enrolment_id, user_id, course_id, study_points, completed_on, issued_at, revoked_at)
       ${people}
       SELECT ${id('ce', ['r', 6], ['k', 4])}, 'PRS-' || substr(${endDay}, 1, 4) || '-B' || ${d.pad('r', 6)} || ${d.pad('k', 4)},
              'BV' || ${d.pad('r', 6)} || ${d.pad('k', 4)}, ${enrolmentId}, ${userId('u')}, ${id('co', [`r / ${runsPerCourse}`, 5])},
              ${COURSE_MAX_POINTS}, ${endDay}, ${endAt}, NULL
       FROM p WHERE st = 'completed'`,
    );
    add(
      'history',
      `${c.name}: status history`,
      `INSERT INTO history_main (id, at, actor_id, source, user_id, enrolment_id, run_id, meeting_id, field, old_value, new_value, note)
       ${people}
       SELECT '00' || ${d.pad('r', 6)} || 's' || ${d.pad('k', 4)}, ${endAt}, ${userId('t')}, 'teacher_form', ${userId('u')}, ${enrolmentId},
              ${runId('r')}, NULL, 'status', 'enrolled', st, NULL
       FROM p WHERE ${final}`,
    );
    add(
      'history',
      `${c.name}: certificate history`,
      `INSERT INTO history_main (id, at, actor_id, source, user_id, enrolment_id, run_id, meeting_id, field, old_value, new_value, note)
       ${people}
       SELECT '00' || ${d.pad('r', 6)} || 't' || ${d.pad('k', 4)}, ${endAt}, ${userId('t')}, 'teacher_form', ${userId('u')}, ${enrolmentId},
              ${runId('r')}, NULL, 'certificate', NULL, 'PRS-' || substr(${endDay}, 1, 4) || '-B' || ${d.pad('r', 6)} || ${d.pad('k', 4)}, 'issued'
       FROM p WHERE st = 'completed'`,
    );

    if (c.held > 0) {
      // Attendance of the held meetings: (r, k, q), present unless absent, withdrawn or one in ten.
      const cells = `${d.series(c.runs * c.participants * c.held)},
         x AS (SELECT ${c.r0} + i / ${c.participants * c.held} AS r, (i / ${c.held}) % ${c.participants} AS k, i % ${c.held} AS q FROM s),
         y AS (SELECT r, k, q, ${c.user} AS u, ${c.status} AS st, ${c.startDay} AS sd, ${c.teacher} AS t FROM x),
         z AS (SELECT y.*, CASE WHEN st IN ('absent', 'withdrawn_invalid', 'withdrawn_valid') THEN 0 WHEN (r * 13 + k * 7 + q * 3) % 10 = 0 THEN 0 ELSE 1 END AS pr FROM y)`;
      const recordedAt = at('sd + 7 * q', '16:00:00');
      add(
        'attendance',
        `${c.name}: attendance`,
        `INSERT INTO attendance (enrolment_id, meeting_id, present, reported_absent_at, study_points, points_override_by, points_override_at, recorded_by, recorded_at)
         ${cells}
         SELECT ${enrolmentId}, ${id('mt', ['r', 6], ['q', 2])}, pr, NULL, pr * ${c.meetingPoints}, NULL, NULL, ${userId('t')}, ${recordedAt}
         FROM z`,
      );
      add(
        'history',
        `${c.name}: attendance history`,
        `INSERT INTO history_main (id, at, actor_id, source, user_id, enrolment_id, run_id, meeting_id, field, old_value, new_value, note)
         ${cells}
         SELECT '00' || ${d.pad('r', 6)} || 'a' || ${d.pad('k', 4)} || ${d.pad('q', 2)}, ${recordedAt}, ${userId('t')}, 'teacher_form', ${userId('u')},
                ${enrolmentId}, ${runId('r')}, ${id('mt', ['r', 6], ['q', 2])}, 'attendance', NULL,
                CASE WHEN pr = 1 THEN 'present' ELSE 'absent' END, NULL
         FROM z`,
      );
    }
  }
  return steps;
}
