import { CompiledQuery, type Kysely } from 'kysely';
import type { Db } from './index.ts';

/*
 * Multi-row INSERTs written as SQL text with their parameters, past Kysely's query builder. The
 * builder turns every value into a node, then copies and compiles the tree: for the Doorgaan save of
 * 500 × 20 (10,000 attendance and ~19,000 history rows, a quarter of a million values) that cost a
 * quarter of the save's time (bench C in docs/performance.md: 330 → 250 ms on SQLite).
 *
 * The statements themselves do not pass Kysely's plugins, so this module does itself what the
 * plugins would: it strips NUL from strings (see strip-nul.ts). Identifiers come from the callers'
 * constants, never from input.
 */

/** Bound values per statement (as `batches` in index.ts): few, large statements. */
const PARAMETERS_PER_STATEMENT = 30_000;

const NUL = /\u0000/g;

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Inserts `rows` into `table`, one value per column of `columns` (a missing value is NULL), in as few
 * statements (30,000 values at most each). `conflict` is an optional `on conflict …` clause, the same on both.
 */
export async function insertRows(
  db: Db,
  table: string,
  columns: readonly string[],
  rows: readonly object[],
  conflict = '',
): Promise<void> {
  if (rows.length === 0) return;
  const perStatement = Math.max(1, Math.floor(PARAMETERS_PER_STATEMENT / columns.length));
  const head = `insert into ${quote(table)} (${columns.map(quote).join(', ')}) values `;
  const tail = conflict ? ` ${conflict}` : '';
  for (let start = 0; start < rows.length; start += perStatement) {
    const batch = rows.slice(start, start + perStatement);
    // Kysely's plugins are shown each statement as a one-row insert into the same table, so whatever
    // follows statements through them (the tests' counts, the crash trials) still sees every one. Its
    // rewrites would not apply to the real statement; the only rewriting plugins (NUL, row locks)
    // need none here. Its SQL also tells which placeholders the database takes.
    const shown = (db as unknown as Kysely<Record<string, Record<string, unknown>>>)
      .insertInto(table)
      .values(batch[0] as Record<string, unknown>)
      .compile();
    const numbered = shown.sql.includes('$1');
    const parameters: unknown[] = [];
    const tuples: string[] = [];
    for (const row of batch) {
      const marks: string[] = [];
      for (const column of columns) {
        let value = (row as Record<string, unknown>)[column];
        if (value === undefined) value = null;
        else if (typeof value === 'string' && value.includes('\u0000')) value = value.replace(NUL, '');
        parameters.push(value);
        marks.push(numbered ? `$${parameters.length}` : '?');
      }
      tuples.push(`(${marks.join(', ')})`);
    }
    await db.executeQuery(CompiledQuery.raw(`${head}${tuples.join(', ')}${tail}`, parameters));
  }
}
