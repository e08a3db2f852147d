import type { Db } from '../db/index.ts';
import type { Role } from '../db/schema.ts';

/** A user's account as an administrator edits it (never the password hash). */
export async function getAccount(db: Db, userId: string) {
  const user = await db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'created_at', 'anonymised_at', 'deactivated_at'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user) return undefined;
  const roles = await db.selectFrom('user_roles').select('role').where('user_id', '=', userId).execute();
  return { ...user, roles: roles.map((r) => r.role) };
}

/**
 * Locks the rows of every active administrator until the transaction ends (in id order, so two
 * changes never wait on each other crosswise) and returns their ids. Every change that could leave
 * no active administrator takes these locks first; the count it then makes, in a new statement,
 * sees every change committed before it (PostgreSQL; on SQLite write transactions run one at a time).
 */
export async function lockActiveAdministrators(db: Db): Promise<void> {
  await activeAdministrators(db).orderBy('u.id').forNoKeyUpdate('u').execute();
}

/** The ids of every active administrator. */
export async function listActiveAdministratorIds(db: Db): Promise<string[]> {
  const rows = await activeAdministrators(db).execute();
  return rows.map((r) => r.id);
}

/** Users with the admin role who are neither deactivated nor anonymised. */
function activeAdministrators(db: Db) {
  return db
    .selectFrom('users as u')
    .innerJoin('user_roles as r', 'r.user_id', 'u.id')
    .select('u.id')
    .where('r.role', '=', 'admin')
    .where('u.deactivated_at', 'is', null)
    .where('u.anonymised_at', 'is', null);
}

export async function updateAccountRow(db: Db, userId: string, values: { email?: string; name?: string; deactivated_at?: string | null }): Promise<void> {
  if (Object.keys(values).length === 0) return;
  await db.updateTable('users').set(values).where('id', '=', userId).execute();
}

/** Replaces a user's roles. */
export async function replaceRoles(db: Db, userId: string, roles: readonly Role[]): Promise<void> {
  await db.deleteFrom('user_roles').where('user_id', '=', userId).execute();
  if (roles.length > 0) await db.insertInto('user_roles').values(roles.map((role) => ({ user_id: userId, role }))).execute();
}

export async function emailTakenByOther(db: Db, email: string, userId: string): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').where('email', '=', email).where('id', '!=', userId).executeTakeFirst();
  return !!row;
}

export async function insertPasswordLink(db: Db, link: { token_hash: string; user_id: string; created_by: string | null; created_at: string; expires_at: string }): Promise<void> {
  await db.insertInto('password_links').values({ ...link, used_at: null }).execute();
}

/** Ends a user's unused password links (a new one replaces them; a password set ends the others). */
export async function expireUnusedPasswordLinks(db: Db, userId: string, at: string): Promise<void> {
  await db.updateTable('password_links').set({ used_at: at }).where('user_id', '=', userId).where('used_at', 'is', null).execute();
}

/** A password link with its user, if the link is unused and unexpired at `at` and the account is active. */
export async function getUsablePasswordLink(db: Db, tokenHash: string, at: string) {
  return db
    .selectFrom('password_links as l')
    .innerJoin('users as u', 'u.id', 'l.user_id')
    .select(['l.token_hash', 'l.user_id', 'l.expires_at', 'u.email', 'u.name'])
    .where('l.token_hash', '=', tokenHash)
    .where('l.used_at', 'is', null)
    .where('l.expires_at', '>', at)
    .where('u.deactivated_at', 'is', null)
    .where('u.anonymised_at', 'is', null)
    .executeTakeFirst();
}

/** Marks a link used if it still is usable: true for exactly one of two people using it at once. */
export async function useUpPasswordLink(db: Db, tokenHash: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable('password_links')
    .set({ used_at: at })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', at)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Users in id order (ULIDs: order of creation), a keyset page at a time, with their roles; optionally
 * only the one with this e-mail address (the unique index on email serves it).
 */
export async function listUsersById(db: Db, filter: { email?: string | undefined }, page: { after?: string | undefined; before?: string | undefined; limit: number }) {
  const backwards = !!page.before && !page.after;
  let q = db.selectFrom('users').select(['id', 'email', 'name', 'deactivated_at']).where('anonymised_at', 'is', null);
  if (filter.email !== undefined) q = q.where('email', '=', filter.email);
  if (page.after) q = q.where('id', '>', page.after);
  else if (page.before) q = q.where('id', '<', page.before);
  const users = await q.orderBy('id', backwards ? 'desc' : 'asc').limit(page.limit + 1).execute();
  const ids = users.map((u) => u.id);
  const roles = ids.length === 0 ? [] : await db.selectFrom('user_roles').select(['user_id', 'role']).where('user_id', 'in', ids).execute();
  const byUser = new Map<string, Role[]>();
  for (const r of roles) byUser.set(r.user_id, [...(byUser.get(r.user_id) ?? []), r.role]);
  return users.map((u) => ({ ...u, roles: byUser.get(u.id) ?? [] }));
}
