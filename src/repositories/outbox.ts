import type { Insertable, Kysely, Selectable } from 'kysely';
import { batches, type Database, type Db } from '../db/index.ts';
import type { OutboxAttemptsTable, OutboxTable } from '../db/schema.ts';

export type OutboxRow = Insertable<OutboxTable>;
export type OutboxMessage = Selectable<OutboxTable>;

/** Writes outbox messages, in the caller's transaction (the change that causes them). */
export async function insertOutboxMessages(db: Db, rows: readonly OutboxRow[]): Promise<void> {
  for (const batch of batches(rows, 16)) await db.insertInto('outbox').values(batch).execute();
}

/**
 * Claims up to `limit` due messages of a channel for `worker` until `until`: pending, due by `now`,
 * and not claimed by anyone whose claim still runs. The claim counts as an attempt begun. On
 * PostgreSQL the candidates are read `for update skip locked` and the update checks the conditions
 * again, so two workers claiming at once never claim the same message; on SQLite write transactions
 * run one at a time. Returns the claimed messages, oldest first.
 */
export async function claimDueMessages(db: Kysely<Database>, input: { channel: string; worker: string; now: string; until: string; limit: number }): Promise<OutboxMessage[]> {
  // Most runs find nothing due: a plain read first, so that they take no write lock (SQLite's
  // write transactions begin IMMEDIATE and would make a teacher's save wait for nothing).
  if (!(await dueMessages(db, input).select('id').limit(1).executeTakeFirst())) return [];
  return db.transaction().execute(async (trx) => {
    const due = await dueMessages(trx, input)
      .select('id')
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(input.limit)
      .forUpdate()
      .skipLocked()
      .execute();
    if (due.length === 0) return [];
    const claimed = await trx
      .updateTable('outbox')
      .set((eb) => ({ claimed_by: input.worker, claimed_until: input.until, attempts: eb('attempts', '+', 1) }))
      .where(
        'id',
        'in',
        due.map((d) => d.id),
      )
      .where('state', '=', 'pending')
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', input.now)]))
      .returningAll()
      .execute();
    return claimed.sort((a, b) => (a.next_attempt_at === b.next_attempt_at ? a.id.localeCompare(b.id) : a.next_attempt_at.localeCompare(b.next_attempt_at)));
  });
}

/** The channel's messages that are due at `now` and not held by a running claim. */
function dueMessages(db: Db, input: { channel: string; now: string }) {
  return db
    .selectFrom('outbox')
    .where('channel', '=', input.channel)
    .where('state', '=', 'pending')
    .where('next_attempt_at', '<=', input.now)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', input.now)]));
}

type Attempt = Omit<Insertable<OutboxAttemptsTable>, 'message_id' | 'worker'>;

/**
 * Records the end of an attempt by `worker`: the attempt's row, and the message's new state. Only
 * while the claim is still this worker's: returns false (and records nothing) when it is not.
 */
export async function finishAttempt(
  db: Kysely<Database>,
  message: { id: string; worker: string },
  attempt: Attempt,
  next: { state: 'sent' | 'failed' | 'skipped'; at: string } | { state: 'pending'; retryAt: string },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const done = next.state !== 'pending';
    const updated = await trx
      .updateTable('outbox')
      .set({
        state: next.state,
        claimed_by: null,
        claimed_until: null,
        last_error: attempt.error ?? null,
        ...(done ? { finished_at: next.at, secret: null } : { next_attempt_at: next.retryAt }),
      })
      .where('id', '=', message.id)
      .where('claimed_by', '=', message.worker)
      .where('state', '=', 'pending')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) return false;
    await trx.insertInto('outbox_attempts').values({ ...attempt, message_id: message.id, worker: message.worker }).execute();
    return true;
  });
}

/** The attempts at one message, in order. */
export async function listAttempts(db: Db, messageId: string) {
  return db.selectFrom('outbox_attempts').selectAll().where('message_id', '=', messageId).orderBy('attempt').orderBy('id').execute();
}

/** The people e-mail is addressed to, with their language and whether they can still receive it. */
export async function listMailRecipients(db: Db, userIds: readonly string[]) {
  const out = [];
  for (const batch of batches(userIds, 1)) {
    out.push(...(await db.selectFrom('users').select(['id', 'email', 'locale', 'anonymised_at', 'deactivated_at']).where('id', 'in', batch).execute()));
  }
  return out;
}

/** Removes the e-mail addressed to a person, sent or waiting, with its attempts (anonymisation: the rows hold their address). */
export async function deleteMailTo(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('outbox_attempts').where('message_id', 'in', (eb) => eb.selectFrom('outbox').select('id').where('recipient_user_id', '=', userId)).execute();
  await db.deleteFrom('outbox').where('recipient_user_id', '=', userId).execute();
}
