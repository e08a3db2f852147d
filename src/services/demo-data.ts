import type { Kysely } from 'kysely';
import type { Database, Db } from '../db/index.ts';
import { isUniqueViolation } from '../db/errors.ts';
import {
  insertAttendance,
  insertCourses,
  insertMeetings,
  insertProgrammeCourses,
  insertProgrammes,
  insertRuns,
  insertRunTeachers,
} from '../repositories/catalog.ts';
import { insertCertificates } from '../repositories/certificates.ts';
import { insertEnrolments } from '../repositories/enrolments.ts';
import { appendHistory } from '../repositories/history.ts';
import { countUsers, insertUsers } from '../repositories/users.ts';
import { hashPassword } from './auth.ts';
import type { DemoRows } from './demo/builder.ts';
import { demoKnowledgeCentres } from './demo/knowledge-centres.ts';
import { insertKnowledgeCentres } from '../repositories/course-content.ts';
import { ADMINISTRATOR, DEMO_PARTICIPANT_EMAIL, SECOND_TEACHER, TEACHER } from './demo/people.ts';
import { buildDemo } from './demo/scenario.ts';

/** A demo login to print or document. `role` is a label for people, not a role code. */
export interface DemoAccount {
  role: string;
  email: string;
}

/** Every demo user, the forty participants included, has this password. */
export const DEMO_PASSWORD = 'presentia';

/** The demo logins worth naming (the README lists them; start-up prints them). */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { role: 'administrator', email: ADMINISTRATOR.email },
  { role: 'teacher', email: TEACHER.email },
  { role: 'teacher', email: SECOND_TEACHER.email },
  { role: 'participant', email: DEMO_PARTICIPANT_EMAIL },
];

/** What `seedDemo` wrote: the accounts to sign in with, and how many rows of each kind. */
export interface DemoSummary {
  accounts: DemoAccount[];
  counts: { [K in keyof DemoRows]: number };
}

/**
 * Fills the database with the demo training organisation (see `demo/scenario.ts`), dated around
 * `now`, in one transaction: all of it or nothing. Meant for an empty database; on one that already
 * holds a demo account it fails on the unique e-mail address and writes nothing.
 * The shared password is hashed once, before the transaction, and the hash is reused for every user.
 */
export async function seedDemo(db: Db, now: Date = new Date()): Promise<DemoSummary> {
  const rows = buildDemo(now, await hashPassword(DEMO_PASSWORD));
  await inTransaction(db, (trx) => writeDemo(trx, rows));
  return summarise(rows);
}

/**
 * Fills an empty database with the demo organisation and returns the demo logins; returns
 * undefined, writing nothing, when the database already has users.
 */
export async function seedDemoIfEmpty(db: Kysely<Database>, now: Date = new Date()): Promise<DemoAccount[] | undefined> {
  // Every start-up of a database in use passes here: answer with one count, before any hashing.
  if ((await countUsers(db)) > 0) return undefined;
  const rows = buildDemo(now, await hashPassword(DEMO_PASSWORD));
  try {
    const written = await db.transaction().execute(async (trx) => {
      if ((await countUsers(trx)) > 0) return false;
      await writeDemo(trx, rows);
      return true;
    });
    return written ? [...DEMO_ACCOUNTS] : undefined;
  } catch (error) {
    // Two app servers starting together on one new PostgreSQL database both find it empty; the
    // one that commits second hits the unique e-mail address. It lost a harmless race: the demo is there.
    if (isUniqueViolation(error) && (await countUsers(db)) > 0) return undefined;
    throw error;
  }
}

/** Writes the rows table by table in foreign-key order, each with set-based batch inserts. */
async function writeDemo(db: Db, rows: DemoRows): Promise<void> {
  await insertUsers(db, rows.users);
  await insertCourses(db, rows.courses);
  await insertProgrammes(db, rows.programmes);
  await insertProgrammeCourses(db, rows.programmeCourses);
  await insertRuns(db, rows.runs);
  await insertRunTeachers(db, rows.runTeachers);
  await insertMeetings(db, rows.meetings);
  await insertEnrolments(db, rows.enrolments);
  await insertKnowledgeCentres(db, demoKnowledgeCentres(rows));
  await insertAttendance(db, rows.attendance);
  await insertCertificates(db, rows.certificates);
  await appendHistory(db, rows.history);
}

function inTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

function summarise(rows: DemoRows): DemoSummary {
  const counts = Object.fromEntries(Object.entries(rows).map(([table, list]) => [table, (list as unknown[]).length])) as DemoSummary['counts'];
  return { accounts: [...DEMO_ACCOUNTS], counts };
}
