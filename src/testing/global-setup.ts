import pg from 'pg';
import type { TestProject } from 'vitest/node';

/** Finds out once whether PostgreSQL is reachable; under CI it must be. */
export default async function setup(project: TestProject): Promise<void> {
  const url = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  let available = false;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    available = true;
  } catch (error) {
    if (process.env.CI === 'true') throw new Error(`PostgreSQL is required under CI=true but ${url} is not reachable: ${String(error)}`);
    console.warn(`\n*** PostgreSQL at ${url} is not reachable: the PostgreSQL half of the database tests is SKIPPED. ***\n`);
  } finally {
    await client.end().catch(() => undefined);
  }
  project.provide('postgresAdminUrl', available ? url : null);
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string | null;
  }
}
