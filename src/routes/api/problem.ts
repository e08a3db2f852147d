import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { HTTPException } from 'hono/http-exception';
import { messages } from '../../i18n/index.ts';
import type { ApiEnv } from './api-env.ts';

/*
 * Errors of the JSON API as RFC 9457 problem details (`application/problem+json`). Each kind has a
 * stable type id, a URI reference to its entry on the API reference page; title and detail are in
 * the caller's language, and extension members carry what a program needs (the refused rows, the
 * conflicting values, the missing confirmations).
 */

export const PROBLEM_TYPES = [
  'unauthorized',
  'insufficient_scope',
  'not_found',
  'malformed_json',
  'invalid_request',
  'too_large',
  'rate_limited',
  'registration_refused',
  'confirmation_required',
  'conflict',
  'stale_version',
  'precondition_required',
  'idempotency_key_reused',
  'idempotency_in_progress',
  'refused',
  'server_error',
] as const;
export type ProblemType = (typeof PROBLEM_TYPES)[number];

/** The `type` member of a problem: where it is explained. */
export function problemTypeUri(type: ProblemType): string {
  return `/api/reference#problem-${type}`;
}

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** The problem's JSON body. `detail` overrides the default text of the type. */
export function problemBody(c: Context<ApiEnv>, type: ProblemType, status: number, extra: { detail?: string; [member: string]: unknown } = {}) {
  const t = c.var.t ?? messages('nl');
  const text = t.api.problems[type];
  const { detail, ...members } = extra;
  return {
    type: problemTypeUri(type),
    title: text.title,
    status,
    detail: detail ?? (typeof text.detail === 'string' ? text.detail : undefined),
    instance: new URL(c.req.url).pathname,
    requestId: c.var.requestId,
    ...members,
  };
}

/** A problem-details response. */
export function problem(c: Context<ApiEnv>, type: ProblemType, status: ContentfulStatusCode, extra: { detail?: string; [member: string]: unknown } = {}, headers: Record<string, string> = {}): Response {
  return c.body(JSON.stringify(problemBody(c, type, status, extra)), status, { 'content-type': PROBLEM_MEDIA_TYPE, 'content-language': c.var.locale ?? 'nl', ...headers });
}

/** Ends a handler with a problem (thrown, so that a handler's typed answers stay its successes). */
export function fail(c: Context<ApiEnv>, type: ProblemType, status: ContentfulStatusCode, extra: { detail?: string; [member: string]: unknown } = {}, headers: Record<string, string> = {}): never {
  throw new HTTPException(status, { res: problem(c, type, status, extra, headers) });
}
