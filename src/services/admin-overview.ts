import type { Db } from '../db/index.ts';
import { brusselsDate } from '../domain/dates.ts';
import { NotFoundOrNoAccess } from '../errors.ts';
import { listAllRuns } from '../repositories/runs.ts';
import type { Actor } from './actor.ts';

export const ADMIN_PAGE_SIZE = 50;

/** Head office's overview: current and planned runs (each opens its participants page) with a page of runs at a time. */
export async function getAdminOverview(db: Db, actor: Actor, page: number, now: Date = new Date()) {
  if (!actor.roles.includes('admin')) throw new NotFoundOrNoAccess();
  const runs = await listAllRuns(db, { fromDate: brusselsDate(now), limit: ADMIN_PAGE_SIZE + 1, offset: page * ADMIN_PAGE_SIZE });
  return {
    runs: runs.slice(0, ADMIN_PAGE_SIZE).map((r) => ({ ...r, participants: Number(r.participants ?? 0) })),
    hasMore: runs.length > ADMIN_PAGE_SIZE,
  };
}
