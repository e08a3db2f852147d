import type { Db } from '../db/index.ts';
import type { Role } from '../db/schema.ts';

export interface UserWithRoles {
  id: string;
  email: string;
  name: string;
  locale: 'nl' | 'en' | null;
  roles: Role[];
}

/** The user with this e-mail address (case-insensitive) and their password hash. */
export async function getUserByEmail(db: Db, email: string) {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'password_hash', 'locale', 'deactivated_at'])
    .where('email', '=', email.trim().toLowerCase())
    .executeTakeFirst();
}

/** A user with their roles, or undefined. */
export async function getUserWithRoles(db: Db, userId: string): Promise<UserWithRoles | undefined> {
  const user = await db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'locale'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user) return undefined;
  const roles = await db.selectFrom('user_roles').select('role').where('user_id', '=', userId).execute();
  return { ...user, roles: roles.map((r) => r.role) };
}

export interface NewUser {
  id: string;
  email: string;
  name: string;
  passwordHash: string | null;
  roles: readonly Role[];
  createdAt: string;
}

/** Inserts users and their roles in batches. */
export async function insertUsers(db: Db, users: readonly NewUser[]): Promise<void> {
  if (users.length === 0) return;
  for (let i = 0; i < users.length; i += 2000) {
    const slice = users.slice(i, i + 2000);
    await db
      .insertInto('users')
      .values(
        slice.map((u) => ({
          id: u.id,
          email: u.email.trim().toLowerCase(),
          name: u.name,
          password_hash: u.passwordHash,
          locale: null,
          created_at: u.createdAt,
          anonymised_at: null,
        })),
      )
      .execute();
    const roles = slice.flatMap((u) => u.roles.map((role) => ({ user_id: u.id, role })));
    if (roles.length > 0) await db.insertInto('user_roles').values(roles).execute();
  }
}

export async function setUserLocale(db: Db, userId: string, locale: 'nl' | 'en'): Promise<void> {
  await db.updateTable('users').set({ locale }).where('id', '=', userId).execute();
}

export async function countUsers(db: Db): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
