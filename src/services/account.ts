import type { Db } from '../db/index.ts';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../domain/password.ts';
import { newId, nowIso } from '../db/index.ts';
import { AppError, NotFoundOrNoAccess } from '../errors.ts';
import { countUserSessions, getCredentials, setPasswordHash } from '../repositories/accounts.ts';
import { countRecentFailures, deleteUserSessions, recordLoginAttempt } from '../repositories/sessions.ts';
import type { Actor } from './actor.ts';
import { hashPassword, verifyPassword, LOGIN_FAILURES_PER_ACCOUNT, LOGIN_FAILURES_PER_ADDRESS, LOGIN_WINDOW_MINUTES, sessionKey } from './auth.ts';


/** i18n keys under `account.errors`. */
export type PasswordProblem = 'current_required' | 'current_wrong' | 'too_short' | 'too_long' | 'same_as_email' | 'mismatch' | 'rate_limited';
export type PasswordField = 'current' | 'new' | 'repeat' | 'form';

/** The password change was refused; nothing changed. Each problem is keyed to its field. */
export class PasswordChangeRefused extends AppError {
  constructor(readonly problems: ReadonlyMap<PasswordField, PasswordProblem>) {
    super('invalid_input', 422, 'password change refused');
  }
}

/**
 * What is wrong with a proposed new password (pure): too short or long (counted in characters, not
 * UTF-16 units), equal to the e-mail address in any case, or not typed the same twice.
 */
export function newPasswordProblems(password: string, repeat: string, email: string): Map<PasswordField, PasswordProblem> {
  const problems = new Map<PasswordField, PasswordProblem>();
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) problems.set('new', 'too_short');
  else if (length > MAX_PASSWORD_LENGTH) problems.set('new', 'too_long');
  else if (password.trim().toLowerCase() === email.trim().toLowerCase()) problems.set('new', 'same_as_email');
  if (!problems.has('new') && password !== repeat) problems.set('repeat', 'mismatch');
  return problems;
}

export interface PasswordChange {
  currentPassword: string;
  newPassword: string;
  repeatPassword: string;
  /** The cookie token of the session making the change: it stays open, every other one ends. */
  sessionToken: string;
  /** The client's address, for the same failure limits as the login. */
  address: string;
}

/**
 * Changes the signed-in person's own password (argon2id) after checking the current one, and ends
 * every other session of theirs. A wrong current password counts as a failed login for the account
 * and the address, so this form cannot be used to guess passwords faster than the login form.
 */
export async function changePassword(db: Db, actor: Actor, input: PasswordChange, now = new Date()): Promise<{ endedSessions: number }> {
  const user = await getCredentials(db, actor.id);
  if (!user) throw new NotFoundOrNoAccess();

  const problems = newPasswordProblems(input.newPassword, input.repeatPassword, user.email);
  if (input.currentPassword === '') problems.set('current', 'current_required');
  if (problems.size > 0) throw new PasswordChangeRefused(problems);

  const since = nowIso(new Date(now.getTime() - LOGIN_WINDOW_MINUTES * 60_000));
  const failures = await countRecentFailures(db, user.email, input.address, since);
  if (failures.byEmail >= LOGIN_FAILURES_PER_ACCOUNT || failures.byAddress >= LOGIN_FAILURES_PER_ADDRESS) {
    throw new PasswordChangeRefused(new Map([['form', 'rate_limited']]));
  }
  const ok = !!user.password_hash && input.currentPassword.length <= MAX_PASSWORD_LENGTH * 4 && (await verifyPassword(user.password_hash, input.currentPassword));
  if (!ok) {
    await recordLoginAttempt(db, { id: newId(), email: user.email, address: input.address, at: nowIso(now), succeeded: false });
    throw new PasswordChangeRefused(new Map([['current', 'current_wrong']]));
  }

  const passwordHash = await hashPassword(input.newPassword);
  const keep = sessionKey(input.sessionToken);
  const write = async (trx: Db) => {
    await setPasswordHash(trx, user.id, passwordHash);
    const before = await countUserSessions(trx, user.id);
    await deleteUserSessions(trx, user.id, keep);
    const after = await countUserSessions(trx, user.id);
    return { endedSessions: before - after };
  };
  return db.isTransaction ? write(db) : db.transaction().execute(write);
}
