import type { Db } from '../db/index.ts';
import { preparedQuery } from '../db/prepared.ts';

export async function insertSession(
  db: Db,
  session: { id: string; userId: string; createdAt: string; expiresAt: string },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id: session.id,
      user_id: session.userId,
      created_at: session.createdAt,
      last_seen_at: session.createdAt,
      expires_at: session.expiresAt,
    })
    .execute();
}

export async function getSession(db: Db, id: string) {
  return db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
}

const sessionWithUser = preparedQuery((db: Db, id: string) =>
  db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .leftJoin('user_roles as r', 'r.user_id', 's.user_id')
    .select(['s.user_id', 's.last_seen_at', 's.expires_at', 'u.email', 'u.name', 'u.locale', 'r.role'])
    .where('s.id', '=', id)
    .where('u.deactivated_at', 'is', null)
    .orderBy('r.role'),
);

/**
 * A session with its user and the user's roles, in one query (one row per role): every request
 * resolves its session, so this saves two round trips on each, and is prepared once (bench B).
 */
export async function getSessionWithUser(db: Db, id: string) {
  const rows = await sessionWithUser.execute(db, id);
  const first = rows[0];
  if (!first) return undefined;
  return {
    session: { id, user_id: first.user_id, last_seen_at: first.last_seen_at, expires_at: first.expires_at },
    user: {
      id: first.user_id,
      email: first.email,
      name: first.name,
      locale: first.locale,
      roles: rows.flatMap((r) => (r.role ? [r.role] : [])),
    },
  };
}

export async function touchSession(db: Db, id: string, at: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

/** Ends every session of a user except, optionally, one. */
export async function deleteUserSessions(db: Db, userId: string, exceptId?: string): Promise<void> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptId) q = q.where('id', '!=', exceptId);
  await q.execute();
}

export async function recordLoginAttempt(
  db: Db,
  attempt: { id: string; email: string; address: string; at: string; succeeded: boolean },
): Promise<void> {
  await db
    .insertInto('login_attempts')
    .values({ ...attempt, succeeded: attempt.succeeded ? 1 : 0 })
    .execute();
}

/** Failed attempts since `since`, for the account and for the address. */
export async function countRecentFailures(db: Db, email: string, address: string, since: string) {
  const row = await db
    .selectFrom('login_attempts')
    .select((eb) => [
      eb.fn.sum<number>(eb.case().when('email', '=', email).then(1).else(0).end()).as('by_email'),
      eb.fn.sum<number>(eb.case().when('address', '=', address).then(1).else(0).end()).as('by_address'),
    ])
    .where('at', '>=', since)
    .where('succeeded', '=', 0)
    .where((eb) => eb.or([eb('email', '=', email), eb('address', '=', address)]))
    .executeTakeFirstOrThrow();
  return { byEmail: Number(row.by_email ?? 0), byAddress: Number(row.by_address ?? 0) };
}

/** Keeps a one-time message with the session, replacing any earlier one. */
export async function setSessionFlash(db: Db, id: string, flash: string): Promise<void> {
  await db.updateTable('sessions').set({ flash }).where('id', '=', id).execute();
}

/** The session's one-time message, cleared as it is read (only the reader that cleared it gets it). */
export async function takeSessionFlash(db: Db, id: string): Promise<string | undefined> {
  const row = await db.selectFrom('sessions').select('flash').where('id', '=', id).executeTakeFirst();
  if (!row?.flash) return undefined;
  const cleared = await db.updateTable('sessions').set({ flash: null }).where('id', '=', id).where('flash', '=', row.flash).executeTakeFirst();
  return Number(cleared.numUpdatedRows) > 0 ? row.flash : undefined;
}
