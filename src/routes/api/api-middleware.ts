import { createHash } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ApiScope } from '../../db/schema.ts';
import { nowIso } from '../../db/index.ts';
import { scopeAllows } from '../../domain/api-tokens.ts';
import { AppError, NotFoundOrNoAccess, Refused } from '../../errors.ts';
import { formatDate, formatTime, isLocale, messages, type Locale } from '../../i18n/index.ts';
import { claimIdempotencyKey, getIdempotencyKey, releaseIdempotencyKey, storeIdempotentAnswer } from '../../repositories/api-tokens.ts';
import { EnrolmentRefused } from '../../services/admin-enrolments.ts';
import { AccountRefused } from '../../services/admin-users.ts';
import { authenticateToken, TokenRejected } from '../../services/api-tokens.ts';
import { RegistrationConflict, RegistrationRefused } from '../../services/register-attendance.ts';
import { EmailInUse, InvalidUserInput } from '../../services/users.ts';
import { IDEMPOTENCY_KEY_HOURS } from '../../jobs/sweep-idempotency-keys.ts';
import type { ApiEnv } from './api-env.ts';
import { PROBLEM_MEDIA_TYPE, problem } from './problem.ts';

/** The largest API request body: a registration of 500 participants is about 100 kB. */
export const API_MAX_BODY_BYTES = 1024 * 1024;

/** The language the caller asked for (Accept-Language naming Dutch or English), else `fallback`. */
export function apiLocale(acceptLanguage: string | undefined, fallback: Locale | null): Locale {
  const tags = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag = '', q] = part.trim().split(';q=');
      return { lang: tag.toLowerCase().slice(0, 2), q: q === undefined ? 1 : Number(q) };
    })
    .filter((a) => a.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const a of tags) if (isLocale(a.lang)) return a.lang;
  return fallback ?? 'nl';
}

export function setLocale(c: Context<ApiEnv>, locale: Locale): void {
  c.set('locale', locale);
  c.set('t', messages(locale));
}

/**
 * Bearer tokens only: a session cookie never authorises an API request (so no CSRF token is needed
 * either). Sets the caller and answers in the caller's language.
 */
export function bearerAuth(): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer ([\x21-\x7e]{1,200})$/i.exec(header.trim());
    if (!match) return problem(c, 'unauthorized', 401, {}, { 'www-authenticate': 'Bearer realm="presentia"' });
    try {
      const caller = await authenticateToken(c.var.deps.store.db, match[1]!);
      c.set('caller', caller);
      setLocale(c, apiLocale(c.req.header('accept-language'), caller.locale));
    } catch (error) {
      if (error instanceof TokenRejected) {
        c.var.deps.logger.info({ requestId: c.var.requestId, reason: error.reason }, 'api token rejected');
        return problem(c, 'unauthorized', 401, {}, { 'www-authenticate': 'Bearer realm="presentia", error="invalid_token"' });
      }
      throw error;
    }
    await next();
  };
}

/**
 * Requests per token and minute, counted in this process (a fixed window): the limit and what is
 * left go out as `RateLimit-Policy` and `RateLimit` (IETF httpapi-ratelimit-headers), and a request
 * past the limit gets 429 with `Retry-After`.
 */
export function rateLimit(): MiddlewareHandler<ApiEnv> {
  const windows = new Map<string, { start: number; count: number }>();
  return async (c, next) => {
    const limit = c.var.deps.config.API_RATE_LIMIT;
    const now = Date.now();
    const key = c.var.caller.tokenId;
    let w = windows.get(key);
    if (!w || now - w.start >= 60_000) {
      if (windows.size > 10_000) windows.clear();
      w = { start: now, count: 0 };
      windows.set(key, w);
    }
    w.count += 1;
    const reset = Math.max(1, Math.ceil((w.start + 60_000 - now) / 1000));
    c.header('RateLimit-Policy', `"token";q=${limit};w=60`);
    c.header('RateLimit', `"token";r=${Math.max(0, limit - w.count)};t=${reset}`);
    if (w.count > limit) return problem(c, 'rate_limited', 429, { detail: c.var.t.api.problems.rate_limited.detail(reset) }, { 'retry-after': String(reset) });
    await next();
  };
}

/** The token must carry `scope` (admin allows everything, write allows reading too). */
export function requireScope(scope: ApiScope): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    if (!scopeAllows(c.var.caller.scopes, scope)) {
      return problem(c, 'insufficient_scope', 403, { detail: c.var.t.api.problems.insufficient_scope.detail(scope), requiredScope: scope }, { 'www-authenticate': `Bearer error="insufficient_scope", scope="${scope}"` });
    }
    await next();
  };
}

/**
 * `Idempotency-Key` on a creating request: the first request with a key claims it and its answer is
 * kept; the same request again gets that answer (`Idempotent-Replayed: true`) without doing the work
 * twice; the key with a different request is refused (422); while the first is still being answered,
 * 409. A server error releases the key, so the request can be tried again.
 */
export function idempotency(): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (key === undefined) return next();
    if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
      return problem(c, 'invalid_request', 400, { errors: [{ pointer: '#/headers/Idempotency-Key', detail: c.var.t.api.problems.invalid_request.detail }] });
    }
    const db = c.var.deps.store.db;
    const tokenId = c.var.caller.tokenId;
    const body = await c.req.text();
    const requestHash = createHash('sha256').update(`${c.req.method} ${new URL(c.req.url).pathname}\n${body}`).digest('hex');
    const now = new Date();
    let claimed = await claimIdempotencyKey(db, { token_id: tokenId, key, request_hash: requestHash, created_at: nowIso(now) });
    if (!claimed) {
      const kept = await getIdempotencyKey(db, tokenId, key);
      const stale = kept && kept.created_at < nowIso(new Date(now.getTime() - IDEMPOTENCY_KEY_HOURS * 3_600_000));
      if (kept && stale) {
        // An answer older than the promise: the key is new again.
        await releaseIdempotencyKey(db, tokenId, key);
        claimed = await claimIdempotencyKey(db, { token_id: tokenId, key, request_hash: requestHash, created_at: nowIso(now) });
      }
      if (!claimed) {
        const current = stale ? await getIdempotencyKey(db, tokenId, key) : kept;
        if (current && current.request_hash !== requestHash) return problem(c, 'idempotency_key_reused', 422);
        if (!current || current.status === null || current.body === null) return problem(c, 'idempotency_in_progress', 409, {}, { 'retry-after': '1' });
        return c.body(current.body, current.status as 200, {
          'content-type': current.status >= 400 ? PROBLEM_MEDIA_TYPE : 'application/json',
          'idempotent-replayed': 'true',
        });
      }
    }
    try {
      await next();
    } catch (error) {
      await releaseIdempotencyKey(db, tokenId, key);
      throw error;
    }
    if (c.res.status >= 500) await releaseIdempotencyKey(db, tokenId, key);
    else await storeIdempotentAnswer(db, tokenId, key, c.res.status, await c.res.clone().text());
  };
}

/** Maps what the services throw to problem details, in the caller's language. */
export function problemForError(c: Context<ApiEnv>, error: unknown): Response {
  if (!c.var.t) setLocale(c, apiLocale(c.req.header('accept-language'), null));
  const t = c.var.t;
  if (error instanceof HTTPException) {
    if (error.res) return error.getResponse();
    if (error.status === 400) return problem(c, 'malformed_json', 400);
    if (error.status === 413) return problem(c, 'too_large', 413, { detail: t.api.problems.too_large.detail(API_MAX_BODY_BYTES) });
  }
  if (error instanceof RegistrationRefused) {
    const locale = c.var.locale;
    return problem(c, 'registration_refused', 422, {
      errors: [
        ...error.formErrors.map((code) => ({ code, detail: t.registration.errors[code] })),
        ...error.notStarted.map((m) => ({ code: 'meeting_not_started', meetingId: m.id, detail: t.registration.meetingNotStarted(`${formatDate(locale, m.starts_at)} ${formatTime(locale, m.starts_at)}`) })),
      ],
      rows: [...error.rowErrors].map(([enrolmentId, keys]) => ({ enrolmentId, errors: keys.map((code) => ({ code, detail: t.registration.errors[code] })) })),
    });
  }
  if (error instanceof RegistrationConflict) {
    return problem(c, 'conflict', 409, { conflicts: error.conflicts.map((x) => ({ enrolmentId: x.enrolmentId, name: x.name, value: x.key, theirs: x.theirs, mine: x.mine })) });
  }
  if (error instanceof InvalidUserInput) {
    const problems = t.adminAccounts.problems as Record<string, string>;
    return problem(c, 'invalid_request', 422, { errors: error.problems.map((p) => ({ pointer: `#/${p.field}`, code: p.code, detail: problems[p.code] ?? p.message })) });
  }
  if (error instanceof EmailInUse) {
    return problem(c, 'invalid_request', 422, { errors: [{ pointer: '#/email', code: 'email_in_use', detail: t.adminAccounts.problems.email_in_use }] });
  }
  if (error instanceof EnrolmentRefused) {
    return problem(c, 'refused', 422, { detail: t.adminEnrolments.refusals[error.reason], reason: error.reason, userIds: error.userIds });
  }
  if (error instanceof AccountRefused) return problem(c, 'refused', 409, { detail: t.adminAccounts.refusals[error.reason], reason: error.reason });
  if (error instanceof Refused) {
    const text = (t.refusals as Record<string, string>)[error.reason];
    return problem(c, 'refused', 403, { ...(text ? { detail: text } : {}), reason: error.reason });
  }
  if (error instanceof NotFoundOrNoAccess) return problem(c, 'not_found', 404);
  if (error instanceof TokenRejected) return problem(c, 'unauthorized', 401);
  if (error instanceof AppError) {
    if (error.id === 'too_large') return problem(c, 'too_large', 413, { detail: t.api.problems.too_large.detail(API_MAX_BODY_BYTES) });
    if (error.id === 'rate_limited') return problem(c, 'rate_limited', 429);
    if (error.id === 'conflict') return problem(c, 'conflict', 409);
    if (error.id === 'invalid_input') return problem(c, 'invalid_request', 422, { detail: t.errors.invalid_input });
    if (error.id === 'not_found_or_no_access') return problem(c, 'not_found', 404);
    return problem(c, 'refused', error.status === 401 ? 403 : error.status, { detail: (t.errors as Record<string, unknown>)[error.id] as string });
  }
  c.var.deps.logger.error({ requestId: c.var.requestId, err: error }, 'unhandled api error');
  return problem(c, 'server_error', 500);
}
