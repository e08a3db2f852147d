import { type Kysely } from 'kysely';

/**
 * Indexes behind the administrators' history filters. History ids are ULIDs (time order), so each
 * index ends in the id and a filtered page is read newest first without a sort. Person and run
 * already have theirs (history_user_idx, history_run_idx); actor and kind of change get one here, and
 * the date range an index on the instant.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('history_actor_idx').on('history').columns(['actor_id', 'id']).execute();
  await db.schema.createIndex('history_field_idx').on('history').columns(['field', 'id']).execute();
  await db.schema.createIndex('history_at_idx').on('history').columns(['at', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('history_at_idx').execute();
  await db.schema.dropIndex('history_field_idx').execute();
  await db.schema.dropIndex('history_actor_idx').execute();
}
