import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';

export interface DemoAccount {
  role: string;
  email: string;
}

/** Fills an empty database with a demo training organisation; returns the demo logins, or undefined when not empty. */
export async function seedDemoIfEmpty(_db: Kysely<Database>): Promise<DemoAccount[] | undefined> {
  return undefined; // being written now
}
