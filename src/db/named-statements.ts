import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';

/*
 * On PostgreSQL the prepared queries (src/db/prepared.ts) run as named statements: each connection
 * parses and plans one the first time it runs it and afterwards only binds new values, where an
 * unnamed statement is parsed and planned on every execution. For the class page's queries that
 * work was most of what the database server spent per request (bench B, docs/performance.md). Only
 * the texts registered here are named, a fixed set of about a dozen, so a connection never holds
 * more than that; every other statement stays unnamed.
 */

/** Statement name by SQL text. */
const names = new Map<string, string>();

/** Lets `sql` run as a named statement on PostgreSQL connections (a name made from its text). */
export function nameStatement(sql: string): void {
  if (!names.has(sql)) names.set(sql, `presentia_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`);
}

/** PostgreSQL's code for "cached plan must not change result type". */
const RESULT_TYPE_CHANGED = '0A000';

/**
 * Makes a pool's new connection run the registered texts as named statements. Should the columns a
 * named statement returns change under it (a migration while the connection is open), PostgreSQL
 * refuses to run it again; the connection then runs that text unnamed from then on.
 */
export function useNamedStatements(client: PoolClient): void {
  const original = client.query as (this: PoolClient, ...args: unknown[]) => unknown;
  const unnamed = new Set<string>();
  client.query = function (this: PoolClient, ...args: unknown[]) {
    const [text, values] = args;
    const name = args.length === 2 && typeof text === 'string' && Array.isArray(values) && !unnamed.has(text) ? names.get(text) : undefined;
    if (name === undefined) return original.apply(client, args);
    return (original.call(client, { name, text, values }) as Promise<unknown>).catch((error: { code?: string }) => {
      if (error?.code !== RESULT_TYPE_CHANGED) throw error;
      unnamed.add(text as string);
      return original.call(client, text, values);
    });
  } as PoolClient['query'];
}
