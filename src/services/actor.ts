import type { HistorySource, Role } from '../db/schema.ts';

/** Who is acting, with which roles, and through which channel (recorded in history as the source, R9). */
export interface Actor {
  id: string;
  roles: readonly Role[];
  source: HistorySource;
}
