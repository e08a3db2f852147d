import type { Role } from '../db/schema.ts';

/**
 * Whether someone may see a run's participants and register for them: its teachers, and
 * administrators. Anyone else is told the run does not exist for them.
 */
export function mayManageRun(actor: { roles: readonly Role[] }, teachesThisRun: boolean): boolean {
  return actor.roles.includes('admin') || (actor.roles.includes('teacher') && teachesThisRun);
}
