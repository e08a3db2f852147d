import type { Db } from '../db/index.ts';
import { NotFoundOrNoAccess } from '../errors.ts';
import { mayManageRun } from '../policies/runs.ts';
import { getRunWithCourseFor } from '../repositories/runs.ts';
import type { Actor } from './actor.ts';

/** The run with its course, when the actor may manage it; otherwise "not found or no access" (R1). */
export async function loadManagedRun(db: Db, actor: Actor, runId: string) {
  const found = await getRunWithCourseFor(db, runId, actor.id);
  if (!found || !mayManageRun(actor, actor.roles.includes('teacher') && found.teaches)) throw new NotFoundOrNoAccess();
  return found.run;
}
