/**
 * H (people): the administrators' lists on the benchmark's data, through the app's own services (as the pages
 * call them): the user search, one page of a run's enrolments (the 500-participant run), and the
 * audit history filtered two ways (a run and a kind of change; an actor and a date range). Each
 * sample reads the first page and the next one.
 */
import type { Store } from '../../src/db/index.ts';
import type { Actor } from '../../src/services/actor.ts';
import { getRunEnrolments } from '../../src/services/admin-enrolments.ts';
import { browseAuditHistory } from '../../src/services/audit-history.ts';
import { findUsers } from '../../src/services/privacy-users.ts';
import { ids, PAGE_RUN } from './dataset.ts';
import type { Counts } from './inprocess.ts';
import { TEACHER_ID } from './session.ts';
import { sample, summarize, type Summary } from './stats.ts';

export interface PeopleListsResult {
  userSearch: Summary;
  runEnrolments: Summary;
  historyRunKind: Summary;
  historyActorDates: Summary;
  queries: Record<string, unknown>;
}

const ADMIN: Actor = { id: 'bench-admin', roles: ['admin'], source: 'admin' };

export async function measurePeopleLists(store: Store, counts: Counts): Promise<PeopleListsResult> {
  const db = store.db;
  const someone = await db.selectFrom('users').select('name').where('id', '=', ids.user(12_345 % 10_000)).executeTakeFirstOrThrow();
  const nameQuery = someone.name.split(' ').at(-1)!;
  const run = await db.selectFrom('runs').select('code').where('id', '=', ids.run(PAGE_RUN)).executeTakeFirstOrThrow();
  const teacher = await db.selectFrom('users').select('email').where('id', '=', TEACHER_ID).executeTakeFirstOrThrow();
  const newest = await db.selectFrom('history').select('at').where('actor_id', '=', TEACHER_ID).orderBy('id', 'desc').limit(1).executeTakeFirst();
  const lastDay = (newest?.at ?? new Date().toISOString()).slice(0, 10);
  const fromDay = new Date(Date.parse(`${lastDay}T00:00:00Z`) - 60 * 86_400_000).toISOString().slice(0, 10);

  const userSearch = await sample(counts.warmup, counts.runs, async () => {
    const first = await findUsers(db, ADMIN, { query: nameQuery, page: 0 });
    if (first.users.length === 0) throw new Error(`H: no user matches "${nameQuery}"`);
    await findUsers(db, ADMIN, { query: nameQuery, page: 1 });
  });
  const runEnrolments = await sample(counts.warmup, counts.runs, async () => {
    const first = await getRunEnrolments(db, ADMIN, ids.run(PAGE_RUN));
    if (!first.page.next) throw new Error('H: the page run has one page of enrolments only');
    await getRunEnrolments(db, ADMIN, ids.run(PAGE_RUN), { after: first.page.next });
  });
  const history = (query: Parameters<typeof browseAuditHistory>[2]) =>
    sample(counts.warmup, counts.runs, async () => {
      const first = await browseAuditHistory(db, ADMIN, query);
      if (first.page.rows.length === 0) throw new Error(`H: no history for ${JSON.stringify(query)}`);
      if (first.page.next) await browseAuditHistory(db, ADMIN, query, { after: first.page.next });
    });
  const historyRunKind = await history({ run: run.code, kind: 'attendance' });
  const historyActorDates = await history({ actor: teacher.email, from: fromDay, to: lastDay });
  return {
    userSearch: summarize(userSearch),
    runEnrolments: summarize(runEnrolments),
    historyRunKind: summarize(historyRunKind),
    historyActorDates: summarize(historyActorDates),
    queries: { userSearch: nameQuery, run: run.code, actor: teacher.email, from: fromDay, to: lastDay },
  };
}
