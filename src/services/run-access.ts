import type { Db } from '../db/index.ts';
import { NotFoundOrNoAccess } from '../errors.ts';
import { mayManageRun } from '../policies/runs.ts';
import { getRunWithCourse, teachesRun } from '../repositories/runs.ts';
import type { Actor } from './actor.ts';

/** The run with its course, when the actor may manage it; otherwise "not found or no access" (R1). */
export async function loadManagedRun(db: Db, actor: Actor, runId: string) {
  const teaches = actor.roles.includes('teacher') ? await teachesRun(db, actor.id, runId) : false;
  if (!mayManageRun(actor, teaches)) throw new NotFoundOrNoAccess();
  const run = await getRunWithCourse(db, runId);
  if (!run) throw new NotFoundOrNoAccess();
  return run;
}
