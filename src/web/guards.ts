import type { Context } from 'hono';
import type { Role } from '../db/schema.ts';
import { NotFoundOrNoAccess, NotSignedIn } from '../errors.ts';
import type { UserWithRoles } from '../repositories/users.ts';
import type { AppEnv } from './context.ts';

/** The signed-in user, or a redirect to the login page. */
export function requireUser(c: Context<AppEnv>): UserWithRoles {
  const user = c.get('user');
  if (!user) throw new NotSignedIn();
  return user;
}

/** The signed-in user holding `role`; anyone else learns nothing about the page. */
export function requireRole(c: Context<AppEnv>, role: Role): UserWithRoles {
  const user = requireUser(c);
  if (!user.roles.includes(role)) throw new NotFoundOrNoAccess();
  return user;
}
