import { createHash, randomBytes } from 'node:crypto';
import { newId, nowIso, type Db } from '../db/index.ts';
import { decodeCursor, toKeysetPage } from '../db/keyset.ts';
import type { ApiScope, Role } from '../db/schema.ts';
import { LAST_USE_RESOLUTION_MS, parseScopes, planToken, TOKEN_PREFIX, tokenUnusable, type TokenField, type TokenProblem } from '../domain/api-tokens.ts';
import { brusselsDate } from '../domain/dates.ts';
import { AppError, NotFoundOrNoAccess } from '../errors.ts';
import { getApiToken, getTokenByHash, insertApiToken, listApiTokensPage, revokeApiToken, touchApiToken } from '../repositories/api-tokens.ts';
import { getAccount } from '../repositories/admin-users.ts';
import { findUserIdByEmail } from '../repositories/runs-admin.ts';
import type { Actor } from './actor.ts';
import { requireAdmin } from './admin-access.ts';

export const API_TOKENS_PAGE_SIZE = 50;

/** The token form was refused; nothing was stored. */
export class ApiTokenRefused extends AppError {
  constructor(readonly problems: Partial<Record<TokenField, TokenProblem>>) {
    super('invalid_input', 422, 'api token refused');
  }
}

/**
 * The stored form of a token. A token is 32 random bytes (256 bits): nobody guesses or brute-forces
 * one, so a fast hash is enough; a slow password hash (argon2) would only cost every API request
 * time. The database never holds a usable token.
 */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface TokenForm {
  name: string;
  scopes: readonly string[];
  expiresOn: string;
  /** A teacher's e-mail address for a personal token, or empty. */
  ownerEmail: string;
}

/**
 * Creates an API token, by an administrator: acting as that administrator, or as a teacher (a
 * personal token, which can act only on the teacher's own runs). Answers the token itself once;
 * only its hash is stored.
 */
export async function createApiToken(db: Db, actor: Actor, form: TokenForm, now: Date = new Date()) {
  requireAdmin(actor);
  const ownerEmail = form.ownerEmail.trim().slice(0, 254);
  const ownerId = ownerEmail ? await findUserIdByEmail(db, ownerEmail) : undefined;
  const owner = ownerId ? await getAccount(db, ownerId) : undefined;
  if (ownerEmail && (!owner || owner.deactivated_at || owner.anonymised_at)) throw new ApiTokenRefused({ owner: 'owner_not_teacher' });
  const plan = planToken({ name: form.name, scopes: form.scopes, expiresOn: form.expiresOn, owner: owner ? { id: owner.id, roles: owner.roles } : null }, brusselsDate(now));
  if (!plan.ok) throw new ApiTokenRefused(plan.problems);
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const id = newId();
  await insertApiToken(db, {
    id,
    token_hash: tokenHash(token),
    prefix: token.slice(0, TOKEN_PREFIX.length + 6),
    name: plan.name,
    scopes: plan.scopes.join(' '),
    user_id: owner?.id ?? actor.id,
    created_by: actor.id,
    created_at: nowIso(now),
    expires_at: plan.expiresAt,
    revoked_at: null,
    last_used_at: null,
  });
  return { id, token, name: plan.name, scopes: plan.scopes, expiresAt: plan.expiresAt };
}

/** One page of tokens, newest first, for an administrator. */
export async function listApiTokens(db: Db, actor: Actor, cursor: { after?: string | undefined; before?: string | undefined } = {}) {
  requireAdmin(actor);
  const request = { after: decodeCursor(cursor.after, 1), before: decodeCursor(cursor.before, 1), limit: API_TOKENS_PAGE_SIZE };
  const rows = await listApiTokensPage(db, request);
  return toKeysetPage(rows, request, (r) => [r.id]);
}

/** Revokes a token, by an administrator: it stops working at once. Answers its name. */
export async function revokeToken(db: Db, actor: Actor, tokenId: string, now: Date = new Date()): Promise<string> {
  requireAdmin(actor);
  const token = await getApiToken(db, tokenId);
  if (!token) throw new NotFoundOrNoAccess();
  await revokeApiToken(db, token.id, nowIso(now));
  return token.name;
}

/** Who a request with a bearer token acts as. */
export interface ApiCaller {
  tokenId: string;
  scopes: ApiScope[];
  actor: Actor;
  locale: 'nl' | 'en' | null;
}

/** A token that does not work; `reason` stays on the server (logs), the caller hears only 401. */
export class TokenRejected extends AppError {
  constructor(readonly reason: 'unknown' | 'revoked' | 'expired' | 'owner_inactive') {
    super('not_signed_in', 401, reason);
  }
}

/** When this process last recorded each token's use: at most one write a minute per token. */
const lastRecorded = new Map<string, number>();

/**
 * The caller behind a bearer token: its scopes, and the actor it is (the token's owner, with the
 * owner's roles, as source `api` in the history). Records the use at most once a minute.
 */
export async function authenticateToken(db: Db, token: string, now: Date = new Date()): Promise<ApiCaller> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) throw new TokenRejected('unknown');
  const rows = await getTokenByHash(db, tokenHash(token));
  const first = rows[0];
  if (!first) throw new TokenRejected('unknown');
  const at = nowIso(now);
  const unusable = tokenUnusable(first, first, at);
  if (unusable) throw new TokenRejected(unusable);
  const roles = rows.flatMap((r) => (r.role ? [r.role as Role] : []));
  const last = lastRecorded.get(first.id);
  if (last === undefined || now.getTime() - last >= LAST_USE_RESOLUTION_MS) {
    lastRecorded.set(first.id, now.getTime());
    if (lastRecorded.size > 10_000) lastRecorded.clear();
    await touchApiToken(db, first.id, at, nowIso(new Date(now.getTime() - LAST_USE_RESOLUTION_MS)));
  }
  return { tokenId: first.id, scopes: parseScopes(first.scopes), actor: { id: first.user_id, roles, source: 'api' }, locale: first.locale };
}
