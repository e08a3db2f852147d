import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import type { ApiScope, Role } from '../db/schema.ts';
import { brusselsDate } from '../domain/dates.ts';
import { createApiToken } from '../services/api-tokens.ts';
import { makeUser } from './factories.ts';
import type { testApp } from './http.ts';

type App = ReturnType<typeof testApp>;

/**
 * An API token for tests, made the way an administrator makes one: acting as `owner` when that is an
 * administrator, else as a personal token of `owner` (a teacher). Expires in 30 days unless told.
 */
export async function makeApiToken(db: Kysely<Database>, owner: { id: string; roles: Role[] }, scopes: ApiScope[], options: { expiresOn?: string } = {}): Promise<{ id: string; token: string }> {
  const expiresOn = options.expiresOn ?? brusselsDate(new Date(Date.now() + 30 * 86_400_000));
  const personal = !owner.roles.includes('admin');
  const maker = personal ? await makeUser(db, ['admin']) : owner;
  const email = personal ? (await db.selectFrom('users').select('email').where('id', '=', owner.id).executeTakeFirstOrThrow()).email : '';
  const created = await createApiToken(db, { id: maker.id, roles: ['admin'], source: 'admin' }, { name: `test ${scopes.join(' ')}`, scopes, expiresOn, ownerEmail: email });
  return { id: created.id, token: created.token };
}

/** One API request: JSON in, the status, headers and parsed JSON body out. */
export async function callApi(
  app: App,
  path: string,
  options: { token?: string | undefined; method?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; body: any; text: string }> {
  const headers = new Headers(options.headers);
  if (options.token) headers.set('authorization', `Bearer ${options.token}`);
  let body: string | undefined;
  if (options.rawBody !== undefined || options.body !== undefined) {
    body = options.rawBody ?? JSON.stringify(options.body);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  }
  const response = await app.request(path, { method: options.method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}
