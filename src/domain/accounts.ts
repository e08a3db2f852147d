import type { Role } from '../db/schema.ts';

/** How long a one-time link to set a password stays usable. */
export const PASSWORD_LINK_HOURS = 72;

/**
 * Whether changing `userId` so that they are (or are not) an active administrator would leave the
 * organisation without any active administrator (pure): nobody may remove or deactivate the last one.
 */
export function leavesNoAdministrator(activeAdministrators: readonly string[], userId: string, after: { active: boolean; roles: readonly Role[] }): boolean {
  const staysAdministrator = after.active && after.roles.includes('admin');
  if (staysAdministrator) return false;
  return activeAdministrators.every((id) => id === userId);
}

/** The roles a user gains and loses in a change (pure), each in the order given. */
export function roleChanges(before: readonly Role[], after: readonly Role[]): { added: Role[]; removed: Role[] } {
  return { added: after.filter((r) => !before.includes(r)), removed: before.filter((r) => !after.includes(r)) };
}
