/**
 * H: the administrators' lists, each a named sub-figure measured in-process on the app's own service
 * (access check, filters, keyset page, the page's teacher names): the first page and the page after
 * it, as an administrator clicking "Volgende pagina". Every filter is backed by an index (migration
 * 0050); each sub-figure's target is 50 ms. Add a list by adding an entry to H_LISTS.
 */
import type { Store } from '../../src/db/index.ts';
import { decodeCursor } from '../../src/db/keyset.ts';
import { addDays, brusselsDate } from '../../src/domain/dates.ts';
import type { Actor } from '../../src/services/actor.ts';
import { getRunOverview, readRunFilters } from '../../src/services/run-overview.ts';
import { ids, type Shape } from './dataset.ts';
import { sample, summarize, type Summary } from './stats.ts';
import type { Counts } from './inprocess.ts';

export interface AdminList {
  /** Short name, shown as `H <name>`. */
  name: string;
  description: string;
  /** One measured unit of work: the list's first page and the next. */
  work: (store: Store, shape: Shape) => Promise<void>;
}

const adminOf = (shape: Shape): Actor => ({ id: ids.user(shape.teachers), roles: ['admin'], source: 'admin' });

/** The run overview with these filters (query-string names): first page, then the next when there is one. */
function runList(query: Record<string, string>) {
  return async (store: Store, shape: Shape) => {
    const actor = adminOf(shape);
    const filters = readRunFilters((n) => query[n]);
    const first = await getRunOverview(store.db, actor, filters, {});
    if (first.runs.next) await getRunOverview(store.db, actor, filters, { after: decodeCursor(first.runs.next, 2) });
  };
}

const today = brusselsDate(new Date());

export const H_LISTS: AdminList[] = [
  { name: 'runs', description: 'run overview, no filter, first and next page of 50', work: runList({}) },
  { name: 'runs course', description: 'run overview of one course', work: runList({ course: 'BC00007' }) },
  { name: 'runs place', description: 'run overview of one place', work: runList({ place: 'Brugge' }) },
  { name: 'runs dates', description: 'run overview of the runs taking place in 60 days', work: runList({ from: addDays(today, -30), to: addDays(today, 30) }) },
  { name: 'runs teacher', description: 'run overview of one teacher (by e-mail)', work: runList({ teacher: 'user0000005@bench.example' }) },
  { name: 'runs running', description: 'run overview, status running', work: runList({ state: 'running' }) },
  { name: 'runs planned', description: 'run overview, status planned', work: runList({ state: 'planned' }) },
  { name: 'runs finished', description: 'run overview, status finished', work: runList({ state: 'finished' }) },
  { name: 'runs all filters', description: 'run overview, place + date range + status running', work: runList({ place: 'Gent', from: addDays(today, -60), to: today, state: 'running' }) },
];

export async function measureAdminLists(store: Store, shape: Shape, counts: Counts): Promise<Record<string, Summary>> {
  const out: Record<string, Summary> = {};
  for (const list of H_LISTS) out[list.name] = summarize(await sample(counts.warmup, counts.runs, () => list.work(store, shape)));
  return out;
}
