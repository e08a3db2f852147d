/**
 * D: the study-term sweep (`runStudyTermSweep`, the job the server runs nightly) over the dataset's
 * enrolments, of which one in ten has a passed term: 100,000 of 1,000,000 on the large data.
 *
 * As in production, the terms the sweep finds were written by earlier transactions: before the
 * samples one committed statement gives the first open enrolments (by id) yesterday's term and every
 * other open enrolment a far one, and PostgreSQL vacuums the table as autovacuum would have. Each
 * sample then sweeps inside a transaction that is rolled back, so every sample sweeps the same rows;
 * only the sweep is timed, and the dead rows a sample leaves are vacuumed before the next.
 * Afterwards every open enrolment gets its generated term back, so the dataset is left as it was.
 */
import { sql } from 'kysely';
import type { Store } from '../../src/db/index.ts';
import { addDays, brusselsDate } from '../../src/domain/dates.ts';
import { SWEEPABLE_STATUSES } from '../../src/domain/study-term.ts';
import { runStudyTermSweep } from '../../src/jobs/study-term-sweep.ts';
import { summarize, type Summary } from './stats.ts';
import type { Counts } from './inprocess.ts';

export interface SweepResult {
  summary: Summary;
  enrolments: number;
  expired: number;
}

class RollBack extends Error {}

export async function measureSweep(store: Store, counts: Counts): Promise<SweepResult> {
  const now = new Date();
  const today = brusselsDate(now);
  const total = Number((await store.db.selectFrom('enrolments').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const open = await store.db
    .selectFrom('enrolments')
    .select(['id', 'term_ends_on'])
    .where('status', 'in', [...SWEEPABLE_STATUSES])
    .orderBy('id')
    .execute();
  const expired = Math.round(total / 10);
  if (open.length < expired) throw new Error(`D: only ${open.length} open enrolments, ${expired} needed`);
  const lastExpiring = open[expired - 1]!.id;

  await store.db
    .updateTable('enrolments')
    .set((eb) => ({ term_ends_on: eb.case().when('id', '<=', lastExpiring).then(addDays(today, -1)).else('2999-12-31').end() }))
    .where('status', 'in', [...SWEEPABLE_STATUSES])
    .execute();
  await settle(store);
  try {
    const samples: number[] = [];
    for (let i = 0; i < counts.warmup + counts.runs; i += 1) {
      let ms = 0;
      await store.db
        .transaction()
        .execute(async (trx) => {
          const started = performance.now();
          const outcome = await runStudyTermSweep(trx, now);
          ms = performance.now() - started;
          if (outcome.kind !== 'done' || outcome.changed !== expired) throw new Error(`D: the sweep changed ${JSON.stringify(outcome)}, not ${expired}`);
          throw new RollBack();
        })
        .catch((error: unknown) => {
          if (!(error instanceof RollBack)) throw error;
        });
      if (i >= counts.warmup) samples.push(ms);
      // The rolled-back sweep left 100,000 dead row versions in enrolments and history, and as many
      // index entries, that no nightly sweep meets; PostgreSQL vacuums them before the next sample.
      await settle(store, ['enrolments', 'history']);
    }
    return { summary: summarize(samples), enrolments: total, expired };
  } finally {
    await restoreTerms(store, open);
    // The samples' rolled-back history rows are dead rows for the next figures (H reads history) to
    // step over, unless vacuumed.
    await settle(store, ['enrolments', 'history']);
  }
}

/** Gives each enrolment its term as read before D, in one statement. */
async function restoreTerms(store: Store, terms: readonly { id: string; term_ends_on: string | null }[]): Promise<void> {
  const json = JSON.stringify(terms.map((t) => [t.id, t.term_ends_on]));
  const given =
    store.kind === 'postgres'
      ? sql`select v->>0 as id, v->>1 as term from json_array_elements(cast(${json} as json)) as v`
      : sql`select value->>0 as id, value->>1 as term from json_each(${json})`;
  await sql`with given as (${given})
    update enrolments set term_ends_on = given.term from given where given.id = enrolments.id`.execute(store.db);
}

/** What a database looks like some time after a write: PostgreSQL's tables vacuumed, SQLite's WAL checkpointed. */
async function settle(store: Store, tables: readonly ('enrolments' | 'history')[] = ['enrolments']): Promise<void> {
  if (store.kind === 'postgres') await sql`vacuum analyze ${sql.join(tables.map((t) => sql.table(t)))}`.execute(store.db);
  else store.sqlite!.pragma('wal_checkpoint(truncate)');
}
