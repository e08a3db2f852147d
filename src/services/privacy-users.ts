import type { Db } from '../db/index.ts';
import { NotFoundOrNoAccess } from '../errors.ts';
import { getProfile, getUserRecordTotals, listRoles, listRolesOf, searchUsers } from '../repositories/privacy.ts';
import type { Actor } from './actor.ts';

/** Users per page of the administrators' user search. */
export const USERS_PAGE_SIZE = 25;
/** The longest search text taken into account. */
export const MAX_USER_QUERY = 200;
/** Pages beyond this are not offered (an offset scan, bounded). */
export const MAX_USERS_PAGE = 1000;

function requireAdmin(actor: Actor): void {
  if (!actor.roles.includes('admin')) throw new NotFoundOrNoAccess();
}

/**
 * One page of the users whose name or e-mail address contains `query`, for an administrator;
 * anyone else learns nothing ("not found or no access").
 */
export async function findUsers(db: Db, actor: Actor, options: { query: string; page: number }) {
  requireAdmin(actor);
  const query = options.query.slice(0, MAX_USER_QUERY);
  const page = Math.max(0, Math.min(MAX_USERS_PAGE, Math.trunc(options.page) || 0));
  const rows = await searchUsers(db, { query, limit: USERS_PAGE_SIZE + 1, offset: page * USERS_PAGE_SIZE });
  const shown = rows.slice(0, USERS_PAGE_SIZE);
  const roles = await listRolesOf(db, shown.map((u) => u.id));
  return {
    query,
    page,
    hasMore: rows.length > USERS_PAGE_SIZE && page < MAX_USERS_PAGE,
    users: shown.map((u) => ({ ...u, roles: roles.get(u.id) ?? [] })),
  };
}

/** One user with their roles and the totals anonymisation keeps, for an administrator. */
export async function getUserForAdmin(db: Db, actor: Actor, userId: string) {
  requireAdmin(actor);
  const user = await getProfile(db, userId);
  if (!user) throw new NotFoundOrNoAccess();
  const [roles, totals] = await Promise.all([listRoles(db, userId), getUserRecordTotals(db, userId)]);
  return { ...user, roles, totals };
}
