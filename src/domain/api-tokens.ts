import type { ApiScope, Role } from '../db/schema.ts';

/*
 * API tokens, as rules: which scopes a token may have, how long it may live, what a scope allows and
 * whether a stored token still works. Nothing here does IO.
 */

export const API_SCOPES: readonly ApiScope[] = ['read', 'write', 'admin'];
/** The longest a token may live: an integration is looked at again at least once a year. */
export const MAX_TOKEN_DAYS = 366;
export const MAX_TOKEN_NAME = 100;
/** Every token starts with this, so that secret scanners and people recognise one. */
export const TOKEN_PREFIX = 'prs_';

export type TokenField = 'name' | 'scopes' | 'expiresOn' | 'owner';
/** Why a token form was refused (i18n keys under `apiTokens.problems`). */
export type TokenProblem = 'name_required' | 'name_too_long' | 'scopes_required' | 'invalid_date' | 'date_past' | 'date_too_far' | 'owner_not_teacher' | 'admin_scope_needs_admin';

export interface TokenRequest {
  name: string;
  scopes: readonly string[];
  /** The last day the token works (Brussels date, `YYYY-MM-DD`); it expires at the end of that day, UTC. */
  expiresOn: string;
  /** A teacher for a personal token; null: the token acts as the administrator who makes it. */
  owner: { id: string; roles: readonly Role[] } | null;
}

export type TokenPlan =
  | { ok: true; name: string; scopes: ApiScope[]; expiresAt: string }
  | { ok: false; problems: Partial<Record<TokenField, TokenProblem>> };

/** Checks a token request of an administrator on `today` (`YYYY-MM-DD`). */
export function planToken(request: TokenRequest, today: string): TokenPlan {
  const problems: Partial<Record<TokenField, TokenProblem>> = {};
  const name = request.name.trim();
  if (!name) problems.name = 'name_required';
  else if (name.length > MAX_TOKEN_NAME) problems.name = 'name_too_long';
  const scopes = API_SCOPES.filter((s) => request.scopes.includes(s));
  if (scopes.length === 0) problems.scopes = 'scopes_required';
  if (request.owner && !request.owner.roles.includes('teacher')) problems.owner = 'owner_not_teacher';
  // A personal token acts for a teacher on their own runs: it can never administer.
  else if (request.owner && scopes.includes('admin') && !request.owner.roles.includes('admin')) problems.scopes = 'admin_scope_needs_admin';
  const expires = /^\d{4}-\d{2}-\d{2}$/.test(request.expiresOn) ? new Date(`${request.expiresOn}T23:59:59.999Z`) : undefined;
  if (!expires || Number.isNaN(expires.getTime()) || expires.toISOString().slice(0, 10) !== request.expiresOn) problems.expiresOn = 'invalid_date';
  else if (request.expiresOn < today) problems.expiresOn = 'date_past';
  else if (expires.getTime() - new Date(`${today}T00:00:00Z`).getTime() > MAX_TOKEN_DAYS * 86_400_000) problems.expiresOn = 'date_too_far';
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  return { ok: true, name, scopes, expiresAt: expires!.toISOString() };
}

/** Scopes as stored (space-separated) back to a list; unknown words are dropped. */
export function parseScopes(stored: string): ApiScope[] {
  return API_SCOPES.filter((s) => stored.split(' ').includes(s));
}

/**
 * Whether a token's scopes allow a request needing `needed`: `admin` allows everything, `write`
 * allows reading too, `read` only reading.
 */
export function scopeAllows(scopes: readonly ApiScope[], needed: ApiScope): boolean {
  if (scopes.includes('admin')) return true;
  if (needed === 'read') return scopes.includes('read') || scopes.includes('write');
  return scopes.includes(needed);
}

/** Why a stored token does not work now, or null when it does. */
export function tokenUnusable(token: { expires_at: string; revoked_at: string | null }, owner: { deactivated_at: string | null; anonymised_at: string | null } | undefined, now: string): 'revoked' | 'expired' | 'owner_inactive' | null {
  if (token.revoked_at) return 'revoked';
  if (token.expires_at <= now) return 'expired';
  if (!owner || owner.deactivated_at || owner.anonymised_at) return 'owner_inactive';
  return null;
}

/** How often a token's last use is written, at most: a request does not cost a write. */
export const LAST_USE_RESOLUTION_MS = 60_000;
