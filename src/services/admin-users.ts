import { createHash, randomBytes } from 'node:crypto';
import { newId, nowIso, type Db } from '../db/index.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { decodeCursor, toKeysetPage } from '../db/keyset.ts';
import type { Role } from '../db/schema.ts';
import { leavesNoAdministrator, PASSWORD_LINK_HOURS, roleChanges } from '../domain/accounts.ts';
import { AppError, NotFoundOrNoAccess } from '../errors.ts';
import { setPasswordHash } from '../repositories/accounts.ts';
import {
  emailTakenByOther,
  expireUnusedPasswordLinks,
  getAccount,
  getUsablePasswordLink,
  insertPasswordLink,
  listUsersById,
  listActiveAdministratorIds,
  lockActiveAdministrators,
  replaceRoles,
  updateAccountRow,
  useUpPasswordLink,
} from '../repositories/admin-users.ts';
import { appendHistory, type HistoryEntry } from '../repositories/history.ts';
import { deleteUserSessions } from '../repositories/sessions.ts';
import { insertUsers } from '../repositories/users.ts';
import { newPasswordProblems, type PasswordField, type PasswordProblem } from './account.ts';
import type { Actor } from './actor.ts';
import { hashPassword } from './auth.ts';
import { enqueueMails } from './mail-outbox.ts';
import { checkAccountFields, EmailInUse, InvalidUserInput, type AccountFields } from './users.ts';

/** Why a change to an account was refused (i18n keys under `adminAccounts.refusals`). */
export type AccountRefusal = 'last_administrator' | 'not_yourself' | 'anonymised' | 'already_deactivated' | 'not_deactivated';

export class AccountRefused extends AppError {
  constructor(readonly reason: AccountRefusal) {
    super('refused', 409, reason);
  }
}

function requireAdmin(actor: Actor): void {
  if (!actor.roles.includes('admin')) throw new NotFoundOrNoAccess();
}

function validated(input: AccountFields) {
  const { value, problems } = checkAccountFields(input);
  if (problems.length > 0) throw new InvalidUserInput(problems);
  return value;
}

function entry(actor: Actor, at: string, userId: string, field: 'account' | 'role', oldValue: string | null, newValue: string | null, note: string | null): HistoryEntry {
  return { id: newId(), at, actor_id: actor.id, source: actor.source, user_id: userId, enrolment_id: null, run_id: null, meeting_id: null, field, old_value: oldValue, new_value: newValue, note };
}

/** A one-time link's token (for the URL) and its stored hash. */
export function newLinkToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: linkHash(token) };
}

export function linkHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The address of the page where a password is set with a link's token. */
export function passwordLinkPath(token: string): string {
  return `/password/${token}`;
}

/**
 * Creates an account without a password, by an administrator, and a one-time link to set it (mailed
 * to the person and shown to the administrator once; the link's token is stored only as a hash, and
 * in the outbox until the mail is sent). Refuses with
 * `InvalidUserInput` (every problem) or `EmailInUse`, changing nothing.
 */
export async function createAccount(db: Db, actor: Actor, input: AccountFields, now: Date = new Date()) {
  requireAdmin(actor);
  const { email, name, roles } = validated(input);
  const at = nowIso(now);
  const link = newLinkToken();
  const id = newId();
  try {
    await db.transaction().execute(async (trx) => {
      await insertUsers(trx, [{ id, email, name, passwordHash: null, roles, createdAt: at }]);
      await insertPasswordLink(trx, { token_hash: link.hash, user_id: id, created_by: actor.id, created_at: at, expires_at: linkExpiry(now) });
      await appendHistory(trx, [entry(actor, at, id, 'account', null, email, 'created'), entry(actor, at, id, 'role', null, roles.join(','), null), entry(actor, at, id, 'account', null, null, 'password_link')]);
      await mailPasswordLink(trx, id, link.token, linkExpiry(now), at);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new EmailInUse(email);
    throw error;
  }
  return { id, email, name, roles, passwordPath: passwordLinkPath(link.token), expiresAt: linkExpiry(now) };
}

function linkExpiry(now: Date): string {
  return nowIso(new Date(now.getTime() + PASSWORD_LINK_HOURS * 3_600_000));
}

/**
 * Changes a user's e-mail address, name and roles, by an administrator. Nobody can take the
 * administrator role from the last active administrator (checked under lock: two administrators
 * removing each other's role at once leave one). History records each change.
 */
export async function updateAccount(db: Db, actor: Actor, userId: string, input: AccountFields, now: Date = new Date()) {
  requireAdmin(actor);
  const checked = checkAccountFields(input);
  const { email, name, roles } = checked.value;
  const at = nowIso(now);
  try {
    return await db.transaction().execute(async (trx) => {
      await lockActiveAdministrators(trx);
      const user = await getAccount(trx, userId);
      if (!user) throw new NotFoundOrNoAccess();
      // An anonymised person's page has no form to show field problems beside: say that first.
      if (user.anonymised_at) throw new AccountRefused('anonymised');
      if (checked.problems.length > 0) throw new InvalidUserInput(checked.problems);
      const { added, removed } = roleChanges(user.roles, roles);
      if (removed.includes('admin') && leavesNoAdministrator(await listActiveAdministratorIds(trx), userId, { active: !user.deactivated_at, roles })) {
        throw new AccountRefused('last_administrator');
      }
      if (email !== user.email && (await emailTakenByOther(trx, email, userId))) throw new EmailInUse(email);
      const history: HistoryEntry[] = [];
      const changes: { email?: string; name?: string } = {};
      if (email !== user.email) {
        changes.email = email;
        history.push(entry(actor, at, userId, 'account', user.email, email, 'email'));
      }
      if (name !== user.name) {
        changes.name = name;
        history.push(entry(actor, at, userId, 'account', user.name, name, 'name'));
      }
      await updateAccountRow(trx, userId, changes);
      if (added.length > 0 || removed.length > 0) {
        await replaceRoles(trx, userId, roles);
        history.push(entry(actor, at, userId, 'role', sortedRoles(user.roles), roles.join(','), null));
      }
      // Someone who lost a role should not keep using it in a session opened before.
      if (removed.length > 0) await deleteUserSessions(trx, userId);
      await appendHistory(trx, history);
      return { changed: history.length };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new EmailInUse(email);
    throw error;
  }
}

function sortedRoles(roles: readonly Role[]): string {
  return (['participant', 'teacher', 'admin'] as const).filter((r) => roles.includes(r)).join(',');
}

/**
 * Deactivates an account, by an administrator: the person can no longer sign in and every session
 * of theirs ends at once; enrolments, history and certificates stay. Nobody deactivates themselves
 * or the last active administrator (checked under lock).
 */
export async function deactivateAccount(db: Db, actor: Actor, userId: string, now: Date = new Date()): Promise<void> {
  requireAdmin(actor);
  const at = nowIso(now);
  await db.transaction().execute(async (trx) => {
    await lockActiveAdministrators(trx);
    const user = await getAccount(trx, userId);
    if (!user) throw new NotFoundOrNoAccess();
    if (user.id === actor.id) throw new AccountRefused('not_yourself');
    if (user.anonymised_at) throw new AccountRefused('anonymised');
    if (user.deactivated_at) throw new AccountRefused('already_deactivated');
    if (leavesNoAdministrator(await listActiveAdministratorIds(trx), userId, { active: false, roles: user.roles })) throw new AccountRefused('last_administrator');
    await updateAccountRow(trx, userId, { deactivated_at: at });
    await deleteUserSessions(trx, userId);
    await expireUnusedPasswordLinks(trx, userId, at);
    await appendHistory(trx, [entry(actor, at, userId, 'account', 'active', 'deactivated', null)]);
  });
}

/** Lets a deactivated person sign in again, by an administrator. */
export async function reactivateAccount(db: Db, actor: Actor, userId: string, now: Date = new Date()): Promise<void> {
  requireAdmin(actor);
  const at = nowIso(now);
  await db.transaction().execute(async (trx) => {
    const user = await getAccount(trx, userId);
    if (!user) throw new NotFoundOrNoAccess();
    if (user.anonymised_at) throw new AccountRefused('anonymised');
    if (!user.deactivated_at) throw new AccountRefused('not_deactivated');
    await updateAccountRow(trx, userId, { deactivated_at: null });
    await appendHistory(trx, [entry(actor, at, userId, 'account', 'deactivated', 'active', null)]);
  });
}

/**
 * Mails the person their one-time link (outbox). The token travels as the message's secret, which is
 * emptied once the mail is sent or given up; the link itself stays usable only once, as before.
 */
async function mailPasswordLink(trx: Db, userId: string, token: string, expiresAt: string, at: string): Promise<void> {
  await enqueueMails(trx, [{ userId, payload: { kind: 'password_link', expiresAt }, secret: token }], at);
}

/**
 * A new one-time link for a person to set their password, by an administrator: mailed to the person
 * and shown to the administrator once. Earlier unused links of that person stop working.
 */
export async function createPasswordLink(db: Db, actor: Actor, userId: string, now: Date = new Date()): Promise<{ passwordPath: string; expiresAt: string }> {
  requireAdmin(actor);
  const at = nowIso(now);
  const link = newLinkToken();
  const expiresAt = linkExpiry(now);
  await db.transaction().execute(async (trx) => {
    const user = await getAccount(trx, userId);
    if (!user) throw new NotFoundOrNoAccess();
    if (user.anonymised_at) throw new AccountRefused('anonymised');
    if (user.deactivated_at) throw new AccountRefused('already_deactivated');
    await expireUnusedPasswordLinks(trx, userId, at);
    await insertPasswordLink(trx, { token_hash: link.hash, user_id: userId, created_by: actor.id, created_at: at, expires_at: expiresAt });
    await appendHistory(trx, [entry(actor, at, userId, 'account', null, null, 'password_link')]);
    await mailPasswordLink(trx, userId, link.token, expiresAt, at);
  });
  return { passwordPath: passwordLinkPath(link.token), expiresAt };
}

/** The person a usable password link is for, or undefined (unknown, used, expired, or the account is no longer active). */
export async function getPasswordLink(db: Db, token: string, now: Date = new Date()) {
  if (token.length > 200) return undefined;
  return getUsablePasswordLink(db, linkHash(token), nowIso(now));
}

/** The password was not set: the link is no longer usable, or the password problems per field. */
export class PasswordLinkRefused extends AppError {
  constructor(readonly problems: ReadonlyMap<PasswordField, PasswordProblem> | 'link_unusable') {
    super('invalid_input', 422, 'password link refused');
  }
}

/**
 * Sets a password with a one-time link: the link must be unused, unexpired and its account active;
 * it is used up in the same transaction (two uses at once: one wins), and every session of the
 * person ends. Recorded in history with the person as actor.
 */
export async function setPasswordWithLink(db: Db, token: string, input: { password: string; repeat: string }, now: Date = new Date()): Promise<{ userId: string }> {
  const link = await getPasswordLink(db, token, now);
  if (!link) throw new PasswordLinkRefused('link_unusable');
  const problems = newPasswordProblems(input.password, input.repeat, link.email);
  if (problems.size > 0) throw new PasswordLinkRefused(problems);
  const passwordHash = await hashPassword(input.password);
  const at = nowIso(now);
  await db.transaction().execute(async (trx) => {
    if (!(await useUpPasswordLink(trx, link.token_hash, at))) throw new PasswordLinkRefused('link_unusable');
    await setPasswordHash(trx, link.user_id, passwordHash);
    await expireUnusedPasswordLinks(trx, link.user_id, at);
    await deleteUserSessions(trx, link.user_id);
    const self: Actor = { id: link.user_id, roles: [], source: 'participant' };
    await appendHistory(trx, [entry(self, at, link.user_id, 'account', null, null, 'password_set')]);
  });
  return { userId: link.user_id };
}

export const USERS_API_PAGE_SIZE = 100;

/** Users for an administrator, in order of creation, a keyset page at a time; or the one with an e-mail address. */
export async function listUsers(db: Db, actor: Actor, options: { email?: string | undefined; after?: string | undefined; before?: string | undefined }) {
  requireAdmin(actor);
  const request = { after: decodeCursor(options.after, 1), before: decodeCursor(options.before, 1), limit: USERS_API_PAGE_SIZE };
  const email = options.email?.trim().toLowerCase();
  const rows = await listUsersById(db, { email: email || undefined }, { after: request.after?.[0], before: request.before?.[0], limit: request.limit });
  return toKeysetPage(rows, request, (r) => [r.id]);
}
