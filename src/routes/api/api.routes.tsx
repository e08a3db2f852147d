import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import type { ApiEnv } from './api-env.ts';
import { API_MAX_BODY_BYTES, apiLocale, bearerAuth, problemForError, rateLimit, setLocale } from './api-middleware.ts';
import { fail, problem } from './problem.ts';
import { ReferencePage } from './reference-page.tsx';
import { peopleRoutes } from './v1-people.ts';
import { runRoutes } from './v1-runs.ts';

/** The document's header: what the API is and how to authenticate. */
const DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'Presentia API',
    version: '1.0.0',
    description:
      'JSON API for HR systems and other integrations: runs, enrolments, registration of attendance, statuses and effort (the same rules as the participants page), study points, users, catalogue and history. Errors are RFC 9457 problem details.',
  },
};

/**
 * The JSON API under `/api`: `/api/v1/…` with bearer tokens (never a session cookie), problem
 * details for every error, a body limit, a rate limit per token; `/api/openapi.json` (generated
 * from the zod schemas that validate the requests) and `/api/reference`, both public.
 */
export function apiRoutes() {
  const api = new OpenAPIHono<ApiEnv>({
    defaultHook: (result, c) => {
      if (result.success) return undefined;
      const where = result.target === 'json' ? '' : `${result.target}/`;
      return problem(c, 'invalid_request', 422, {
        errors: result.error.issues.map((issue) => ({ pointer: `#/${where}${issue.path.join('/')}`, code: issue.code, detail: issue.message })),
      });
    },
  });
  api.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', description: 'An API token made under Beheer → API-tokens.' });

  api.use('/api/*', async (c, next) => {
    setLocale(c, apiLocale(c.req.header('accept-language'), null));
    await next();
  });
  api.use('/api/*', async (c, next) => bodyLimit({ maxSize: API_MAX_BODY_BYTES, onError: () => problem(c, 'too_large', 413, { detail: c.var.t.api.problems.too_large.detail(API_MAX_BODY_BYTES) }) })(c, next));
  api.use('/api/v1/*', bearerAuth());
  api.use('/api/v1/*', rateLimit());
  runRoutes(api);
  peopleRoutes(api);

  api.get('/api/openapi.json', (c) => c.json(openApiDocument(api)));
  api.get('/api/reference', (c) => c.html(`<!DOCTYPE html>${(<ReferencePage document={openApiDocument(api)} t={c.var.t} lang={c.var.locale} />).toString()}`));
  api.all('/api/*', (c) => fail(c, 'not_found', 404));
  api.onError((error, c) => problemForError(c, error));
  return api;
}

let cached: unknown;
function openApiDocument(api: OpenAPIHono<ApiEnv>) {
  cached ??= api.getOpenAPI31Document(DOCUMENT);
  return cached as ReturnType<OpenAPIHono<ApiEnv>['getOpenAPI31Document']>;
}
