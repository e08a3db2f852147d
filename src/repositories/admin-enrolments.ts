import type { Db } from '../db/index.ts';
import { afterKey, type PageRequest } from '../db/keyset.ts';
import { INACTIVE_STATUSES } from '../domain/study-status.ts';

/** A run with its course, capacity and the number of places taken and people waiting. */
export async function getRunSummary(db: Db, runId: string) {
  const run = await db
    .selectFrom('runs as r')
    .innerJoin('courses as c', 'c.id', 'r.course_id')
    .select(['r.id', 'r.code', 'r.starts_on', 'r.ends_on', 'r.place', 'r.capacity', 'r.cancelled_at', 'c.title as course_title', 'c.kind as course_kind'])
    .where('r.id', '=', runId)
    .executeTakeFirst();
  if (!run) return undefined;
  const [taken, waiting] = await Promise.all([
    db
      .selectFrom('enrolments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('run_id', '=', runId)
      .where('status', 'not in', [...INACTIVE_STATUSES])
      .executeTakeFirstOrThrow(),
    db.selectFrom('waiting_list').select((eb) => eb.fn.countAll<number>().as('n')).where('run_id', '=', runId).executeTakeFirstOrThrow(),
  ]);
  return { ...run, taken: Number(taken.n), waiting: Number(waiting.n) };
}

/** One keyset page (limit + 1 rows) of a run's enrolments in name order, after or before the key (name, enrolment id). */
export async function listRunEnrolmentsPage(db: Db, runId: string, page: PageRequest) {
  const backwards = !!page.before && !page.after;
  const key = page.after ?? page.before;
  // The run's enrolments first, each with its name looked up by id (a run has hundreds, the users
  // table a hundred thousand); a join lets PostgreSQL walk every user in name order, or hash them all.
  let q = db
    .selectFrom((w) =>
      w
        .selectFrom('enrolments as e')
        .select([
          'e.id',
          'e.user_id',
          'e.status',
          'e.enrolled_at',
          (eb) => eb.selectFrom('users as u').select('u.name').whereRef('u.id', '=', 'e.user_id').$asScalar().as('user_name'),
          (eb) => eb.selectFrom('users as u').select('u.email').whereRef('u.id', '=', 'e.user_id').$asScalar().as('user_email'),
        ])
        .where('e.run_id', '=', runId)
        .as('x'),
    )
    .selectAll('x');
  if (key) q = q.where((eb) => afterKey(eb, ['x.user_name', 'x.id'], key, backwards ? '<' : '>'));
  const direction = backwards ? 'desc' : 'asc';
  return q.orderBy('x.user_name', direction).orderBy('x.id', direction).limit(page.limit + 1).execute();
}

/** The run's waiting list, first in line first, with names (a waiting list is short: places of one run). */
export async function listRunWaitingList(db: Db, runId: string) {
  return db
    .selectFrom('waiting_list as w')
    .innerJoin('users as u', 'u.id', 'w.user_id')
    .select(['w.id', 'w.user_id', 'w.added_at', 'u.name as user_name', 'u.email as user_email'])
    .where('w.run_id', '=', runId)
    .orderBy('w.id')
    .limit(1000)
    .execute();
}

/** The ids among `userIds` of users who may be enrolled: neither deactivated nor anonymised. */
export async function listActiveUsersByIds(db: Db, userIds: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < userIds.length; i += 1000) {
    const rows = await db
      .selectFrom('users')
      .select('id')
      .where('id', 'in', userIds.slice(i, i + 1000))
      .where('deactivated_at', 'is', null)
      .where('anonymised_at', 'is', null)
      .execute();
    out.push(...rows.map((r) => r.id));
  }
  return out;
}

export async function getEnrolmentInRun(db: Db, runId: string, enrolmentId: string) {
  return db.selectFrom('enrolments').select(['id', 'user_id', 'status']).where('id', '=', enrolmentId).where('run_id', '=', runId).executeTakeFirst();
}

/** Attendance records and certificates (valid or revoked) of an enrolment. */
export async function countEnrolmentRecords(db: Db, enrolmentId: string) {
  const [attendance, certificates] = await Promise.all([
    db.selectFrom('attendance').select((eb) => eb.fn.countAll<number>().as('n')).where('enrolment_id', '=', enrolmentId).executeTakeFirstOrThrow(),
    db.selectFrom('certificates').select((eb) => eb.fn.countAll<number>().as('n')).where('enrolment_id', '=', enrolmentId).executeTakeFirstOrThrow(),
  ]);
  return { attendance: Number(attendance.n), certificates: Number(certificates.n) };
}

export async function deleteEnrolment(db: Db, enrolmentId: string): Promise<void> {
  await db.deleteFrom('enrolments').where('id', '=', enrolmentId).execute();
}

export async function getEnrolmentWithName(db: Db, runId: string, enrolmentId: string) {
  return db
    .selectFrom('enrolments as e')
    .innerJoin('users as u', 'u.id', 'e.user_id')
    .select(['e.id', 'e.status', 'u.name'])
    .where('e.id', '=', enrolmentId)
    .where('e.run_id', '=', runId)
    .executeTakeFirst();
}
