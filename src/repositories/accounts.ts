import type { Db } from '../db/index.ts';

/** A user's e-mail address and password hash (for checking the current password), or undefined. */
export async function getCredentials(db: Db, userId: string) {
  return db.selectFrom('users').select(['id', 'email', 'password_hash']).where('id', '=', userId).executeTakeFirst();
}

/** Replaces a user's password hash. */
export async function setPasswordHash(db: Db, userId: string, passwordHash: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
}

/** The number of sessions a user has open (expired ones included until they are swept). */
export async function countUserSessions(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom('sessions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
