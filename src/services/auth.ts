import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/index.ts';
import { newId, nowIso } from '../db/index.ts';
import { AppError, RateLimited } from '../errors.ts';
import { getUserByEmail, getUserWithRoles, type UserWithRoles } from '../repositories/users.ts';
import {
  countRecentFailures,
  deleteSession,
  deleteUserSessions,
  getSession,
  getSessionWithUser,
  insertSession,
  recordLoginAttempt,
  touchSession,
} from '../repositories/sessions.ts';

/** Failed logins allowed per account, and per client address, within the window. */
export const LOGIN_FAILURES_PER_ACCOUNT = 5;
export const LOGIN_FAILURES_PER_ADDRESS = 30;
export const LOGIN_WINDOW_MINUTES = 15;

/** The argon2 library, loaded at the first password hashed or checked rather than with the server. */
const argon2 = () => import('@node-rs/argon2');

/** argon2id with the library's defaults (19 MiB, 2 passes). */
export async function hashPassword(password: string): Promise<string> {
  return (await argon2()).hash(password);
}

/** Whether the password matches the stored hash; a malformed hash matches nothing. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  return (await argon2()).verify(stored, password).catch(() => false);
}

// A real hash of a random password, verified against when the account does not exist, so that a
// wrong e-mail address takes as long as a wrong password and reveals nothing. It is made once per
// process, started by the first login.
let decoyHash: Promise<string> | undefined;
function decoy(): Promise<string> {
  if (!decoyHash) {
    decoyHash = hashPassword(randomBytes(16).toString('hex'));
    // A failure reaches the login that waits for the decoy, not the process; the next login tries again.
    decoyHash.catch(() => {
      decoyHash = undefined;
    });
  }
  return decoyHash;
}

/** The stored id of a session: the SHA-256 of its cookie token. */
export function sessionKey(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface SessionPolicy {
  maxHours: number;
  idleMinutes: number;
}

export class InvalidCredentials extends AppError {
  constructor() {
    super('invalid_input', 401, 'invalid credentials');
  }
}

/**
 * Checks e-mail and password and opens a new session. Wrong credentials, for an existing account or
 * not, give one answer; too many failures per account or address are refused before checking.
 */
export async function login(
  db: Db,
  input: { email: string; password: string; address: string },
  policy: SessionPolicy,
  now = new Date(),
): Promise<{ token: string; user: UserWithRoles }> {
  const email = input.email.trim().toLowerCase();
  const decoyReady = decoy();
  const since = nowIso(new Date(now.getTime() - LOGIN_WINDOW_MINUTES * 60_000));
  const failures = await countRecentFailures(db, email, input.address, since);
  if (failures.byEmail >= LOGIN_FAILURES_PER_ACCOUNT || failures.byAddress >= LOGIN_FAILURES_PER_ADDRESS) {
    throw new RateLimited();
  }
  const user = await getUserByEmail(db, email);
  const ok = await verifyPassword(user?.password_hash ?? (await decoyReady), input.password);
  await recordLoginAttempt(db, { id: newId(), email, address: input.address, at: nowIso(now), succeeded: ok && !!user });
  // A deactivated account gets the same answer as a wrong password: nothing about it is revealed.
  if (!ok || !user?.password_hash || user.deactivated_at) throw new InvalidCredentials();

  const token = await openSession(db, user.id, policy, now);
  const withRoles = await getUserWithRoles(db, user.id);
  return { token, user: withRoles! };
}

/** Starts a new session for a user whose identity was checked; returns the cookie token. */
export async function openSession(db: Db, userId: string, policy: SessionPolicy, now = new Date()): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await insertSession(db, {
    id: sessionKey(token),
    userId,
    createdAt: nowIso(now),
    expiresAt: nowIso(new Date(now.getTime() + policy.maxHours * 3_600_000)),
  });
  return token;
}

/** The signed-in user for a session cookie, or undefined when the session is unknown, expired or idle. */
export async function resolveSession(
  db: Db,
  token: string,
  policy: SessionPolicy,
  now = new Date(),
): Promise<UserWithRoles | undefined> {
  const id = sessionKey(token);
  const found = await getSessionWithUser(db, id);
  if (!found) return undefined;
  const { session, user } = found;
  const idleLimit = new Date(session.last_seen_at).getTime() + policy.idleMinutes * 60_000;
  if (session.expires_at <= nowIso(now) || idleLimit <= now.getTime()) {
    await deleteSession(db, id);
    return undefined;
  }
  // Writing last_seen_at at most once a minute keeps reads from turning into writes.
  if (now.getTime() - new Date(session.last_seen_at).getTime() > 60_000) await touchSession(db, id, nowIso(now));
  return user;
}

/**
 * Signs out: ends the session of this cookie and every other session of its user (other browsers
 * and devices too), so signing out anywhere also cuts off a session someone else may have taken.
 */
export async function logout(db: Db, token: string): Promise<void> {
  const session = await getSession(db, sessionKey(token));
  if (session) await deleteUserSessions(db, session.user_id);
}

/**
 * Ends only the session of this cookie (if any). Used at login: a session token the browser held
 * before (possibly planted by someone else) is ended instead of living on beside the new one.
 */
export async function endSession(db: Db, token: string): Promise<void> {
  await deleteSession(db, sessionKey(token));
}
