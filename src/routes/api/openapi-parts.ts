import type { z } from '@hono/zod-openapi';
import type { ApiScope } from '../../db/schema.ts';
import { requireScope } from './api-middleware.ts';
import { PROBLEM_MEDIA_TYPE } from './problem.ts';
import { Problem } from './schemas.ts';

/** Pieces every route description shares. */

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed JSON, or an invalid header (malformed_json, invalid_request)',
  401: 'No valid token (unauthorized)',
  403: 'The token lacks the scope (insufficient_scope), or the request is refused (refused)',
  404: 'Not found, or no access for this token (not_found)',
  409: 'Changed by someone else (conflict), confirmation needed (confirmation_required), idempotency key in use (idempotency_in_progress)',
  412: 'The enrolment changed since the If-Match version (stale_version)',
  413: 'Body too large (too_large)',
  422: 'Invalid values (invalid_request), refused rows (registration_refused), refused (refused), idempotency key reused (idempotency_key_reused)',
  428: 'If-Match missing (precondition_required)',
  429: 'Rate limit reached (rate_limited)',
};

/** Problem-details responses for these statuses. */
export function problems(...statuses: (keyof typeof PROBLEM_DESCRIPTIONS)[]) {
  return Object.fromEntries(statuses.map((s) => [s, { description: PROBLEM_DESCRIPTIONS[s]!, content: { [PROBLEM_MEDIA_TYPE]: { schema: Problem } } }])) as Record<number, { description: string; content: Record<string, { schema: typeof Problem }> }>;
}

export function json<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } } as const;
}

/** The bearer token and the scope a route needs, as the document states them. */
export function secured(scope: ApiScope) {
  return { security: [{ bearerAuth: [scope] }] as { bearerAuth: string[] }[], 'x-scope': scope, middleware: [requireScope(scope)] };
}
