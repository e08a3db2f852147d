import type { Kysely } from 'kysely';
import { newId, nowIso, type Database } from '../../src/db/index.ts';
import { INACTIVE_STATUSES } from '../../src/domain/study-status.ts';
import { insertUsers } from '../../src/repositories/users.ts';
import { hashPassword } from '../../src/services/auth.ts';
import { seedDemoIfEmpty } from '../../src/services/demo-data.ts';
import { enrol, makeRun } from '../../src/testing/factories.ts';

export const DEMO_PASSWORD = 'presentia';
export const TEACHER_EMAIL = 'docent@presentia.test';
export const ADMIN_EMAIL = 'beheerder@presentia.test';

/** The run whose participants form is scanned, with one active row to post. */
export interface ScanRun {
  runId: string;
  enrolmentId: string;
  version: number;
}

/**
 * Fills the scan's fresh database with the demo organisation. Where the demo lacks what the scan
 * needs (the demo teacher and administrator, a run of the teacher with an active participant),
 * the same accounts and a small run are made here, so the scan never depends on the demo's details.
 */
export async function prepareScanData(db: Kysely<Database>): Promise<ScanRun> {
  await seedDemoIfEmpty(db);
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const wanted = [
    { email: TEACHER_EMAIL, name: 'Docent (scan)', roles: ['teacher', 'participant'] as const },
    { email: ADMIN_EMAIL, name: 'Beheerder (scan)', roles: ['admin', 'participant'] as const },
  ];
  for (const w of wanted) {
    const existing = await db.selectFrom('users').select('id').where('email', '=', w.email).executeTakeFirst();
    if (!existing) {
      await insertUsers(db, [{ id: newId(), email: w.email, name: w.name, passwordHash, roles: w.roles, createdAt: nowIso() }]);
    }
  }
  const teacher = await db.selectFrom('users').select('id').where('email', '=', TEACHER_EMAIL).executeTakeFirstOrThrow();

  const found = await findScanRun(db, teacher.id);
  if (found) return found;
  const run = await makeRun(db, { teacherId: teacher.id, meetingDays: [-7, 7] });
  for (let i = 0; i < 3; i += 1) {
    const id = newId();
    await insertUsers(db, [{ id, email: `scan-deelnemer-${i}@presentia.test`, name: `Deelnemer ${i} (scan)`, passwordHash: null, roles: ['participant'], createdAt: nowIso() }]);
    await enrol(db, run, id);
  }
  return (await findScanRun(db, teacher.id))!;
}

async function findScanRun(db: Kysely<Database>, teacherId: string): Promise<ScanRun | undefined> {
  const rows = await db
    .selectFrom('enrolments as e')
    .innerJoin('run_teachers as t', 't.run_id', 'e.run_id')
    .innerJoin('runs as r', 'r.id', 'e.run_id')
    .select(['e.run_id', 'e.id', 'e.version', 'e.status'])
    .where('t.user_id', '=', teacherId)
    .where('r.cancelled_at', 'is', null)
    .orderBy('r.starts_on', 'desc')
    .execute();
  const row = rows.find((r) => !INACTIVE_STATUSES.has(r.status));
  return row && { runId: row.run_id!, enrolmentId: row.id, version: row.version };
}

/**
 * A snapshot of one run's records, and a way back to it. Applied after every scanned save, it gives
 * each of sqlmap's requests the same starting point: without it the first accepted save raises the
 * enrolment versions and every later request is refused as a conflict (R11), which tells sqlmap
 * nothing and makes its page comparisons meaningless.
 */
export async function snapshotRun(db: Kysely<Database>, runId: string) {
  const enrolments = await db.selectFrom('enrolments').selectAll().where('run_id', '=', runId).execute();
  const ids = enrolments.map((e) => e.id);
  const attendance = ids.length ? await db.selectFrom('attendance').selectAll().where('enrolment_id', 'in', ids).execute() : [];
  const certificates = ids.length ? await db.selectFrom('certificates').selectAll().where('enrolment_id', 'in', ids).execute() : [];
  const lastHistory = await db.selectFrom('history').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
  const historyMark = (lastHistory?.id as string | null | undefined) ?? '';

  return async function restore(): Promise<void> {
    if (ids.length === 0) return;
    await db.transaction().execute(async (trx) => {
      await trx.deleteFrom('history').where('id', '>', historyMark).execute();
      await trx.deleteFrom('attendance').where('enrolment_id', 'in', ids).execute();
      if (attendance.length) await trx.insertInto('attendance').values(attendance).execute();
      await trx.deleteFrom('certificates').where('enrolment_id', 'in', ids).execute();
      if (certificates.length) await trx.insertInto('certificates').values(certificates).execute();
      for (const e of enrolments) await trx.updateTable('enrolments').set(e).where('id', '=', e.id).execute();
    });
  };
}
