import { type Kysely } from 'kysely';

/*
 * Webhooks: an administrator's subscription (an address, the events it wants and the secret its
 * deliveries are signed with) and, per event, a row of the existing outbox (channel `webhook`)
 * written in the transaction of the change. `outbox.subscription_id` names the subscription and
 * `outbox.history_id` the history row the event is read from when it is delivered (history is
 * append-only, so every attempt sends the same body). `outbox_attempts.response_status` keeps the
 * HTTP status an attempt got, for the delivery log.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('webhook_subscriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('deactivated_at', 'text')
    .execute();

  await db.schema
    .createTable('webhook_subscription_events')
    .addColumn('subscription_id', 'text', (c) => c.notNull().references('webhook_subscriptions.id').onDelete('cascade'))
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('webhook_subscription_events_pkey', ['subscription_id', 'event_type'])
    .execute();
  await db.schema.createIndex('webhook_subscription_events_type_idx').on('webhook_subscription_events').columns(['event_type', 'subscription_id']).execute();

  await db.schema.alterTable('outbox').addColumn('subscription_id', 'text').execute();
  await db.schema.alterTable('outbox').addColumn('history_id', 'text').execute();
  await db.schema.createIndex('outbox_subscription_idx').on('outbox').columns(['subscription_id', 'id']).execute();
  await db.schema.alterTable('outbox_attempts').addColumn('response_status', 'integer').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbox_attempts').dropColumn('response_status').execute();
  await db.schema.dropIndex('outbox_subscription_idx').execute();
  await db.schema.alterTable('outbox').dropColumn('history_id').execute();
  await db.schema.alterTable('outbox').dropColumn('subscription_id').execute();
  await db.schema.dropTable('webhook_subscription_events').execute();
  await db.schema.dropTable('webhook_subscriptions').execute();
}
