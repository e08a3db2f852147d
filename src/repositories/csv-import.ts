import type { Insertable } from 'kysely';
import { insertRows } from '../db/bulk.ts';
import type { Db } from '../db/index.ts';
import type { CsvImportsTable, Role } from '../db/schema.ts';
import { INACTIVE_STATUSES } from '../domain/study-status.ts';

/** Values bound per `in (…)` list. */
const IN_BATCH = 1000;

function chunks<T>(items: readonly T[], size = IN_BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function insertStagedImport(db: Db, row: Insertable<CsvImportsTable>): Promise<void> {
  await db.insertInto('csv_imports').values(row).execute();
}

/** A staged file, only for the administrator who uploaded it. */
export async function getStagedImport(db: Db, id: string, actorId: string) {
  return db.selectFrom('csv_imports').selectAll().where('id', '=', id).where('actor_id', '=', actorId).executeTakeFirst();
}

export async function deleteStagedImport(db: Db, id: string): Promise<void> {
  await db.deleteFrom('csv_imports').where('id', '=', id).execute();
}

/** Removes files staged before `before` and never imported. */
export async function deleteStagedImportsBefore(db: Db, before: string): Promise<void> {
  await db.deleteFrom('csv_imports').where('created_at', '<', before).execute();
}

/** The users with these (lower-case) e-mail addresses, with their roles. */
export async function listUsersByEmails(db: Db, emails: readonly string[]) {
  const users: { id: string; email: string; name: string; deactivated_at: string | null; anonymised_at: string | null; roles: Role[] }[] = [];
  for (const slice of chunks(emails)) {
    const rows = await db.selectFrom('users').select(['id', 'email', 'name', 'deactivated_at', 'anonymised_at']).where('email', 'in', slice).execute();
    if (rows.length === 0) continue;
    const roles = await db.selectFrom('user_roles').select(['user_id', 'role']).where('user_id', 'in', rows.map((r) => r.id)).execute();
    const byUser = new Map<string, Role[]>();
    for (const r of roles) byUser.set(r.user_id, [...(byUser.get(r.user_id) ?? []), r.role]);
    for (const r of rows) users.push({ ...r, roles: byUser.get(r.id) ?? [] });
  }
  return users;
}

/** The runs with these codes. */
export async function listRunsByCodes(db: Db, codes: readonly string[]) {
  const out: { id: string; code: string; cancelled_at: string | null }[] = [];
  for (const slice of chunks(codes)) out.push(...(await db.selectFrom('runs').select(['id', 'code', 'cancelled_at']).where('code', 'in', slice).execute()));
  return out;
}

/** `runId userId` of everyone who takes part in or waits for one of these runs, among these users. */
export async function listPresentInRuns(db: Db, runIds: readonly string[], userIds: readonly string[]): Promise<Set<string>> {
  const present = new Set<string>();
  if (runIds.length === 0 || userIds.length === 0) return present;
  for (const runs of chunks(runIds, 500)) {
    for (const users of chunks(userIds)) {
      const enrolled = await db
        .selectFrom('enrolments')
        .select(['run_id', 'user_id'])
        .where('run_id', 'in', runs)
        .where('user_id', 'in', users)
        .where('status', 'not in', [...INACTIVE_STATUSES])
        .execute();
      for (const e of enrolled) present.add(`${e.run_id} ${e.user_id}`);
      const waiting = await db.selectFrom('waiting_list').select(['run_id', 'user_id']).where('run_id', 'in', runs).where('user_id', 'in', users).execute();
      for (const w of waiting) present.add(`${w.run_id} ${w.user_id}`);
    }
  }
  return present;
}

/**
 * New and renamed users in one set-based statement per batch: a row whose e-mail address exists
 * updates that user's name (an upsert on the unique e-mail address), any other row is a new user.
 */
export async function upsertUsersByEmail(db: Db, rows: readonly { id: string; email: string; name: string; created_at: string }[]): Promise<void> {
  await insertRows(db, 'users', ['id', 'email', 'name', 'created_at'], rows, 'on conflict (email) do update set name = excluded.name');
}

/** Adds roles (a role a user already holds is left as it is). */
export async function addRoles(db: Db, rows: readonly { user_id: string; role: Role }[]): Promise<void> {
  await insertRows(db, 'user_roles', ['user_id', 'role'], rows, 'on conflict do nothing');
}
