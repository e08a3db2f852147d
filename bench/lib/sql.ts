/**
 * The few SQL spellings that differ between SQLite and PostgreSQL in the generator. Everything else
 * (`||`, integer `/` and `%`, CASE, substr, rtrim) is the same on both.
 */
import type { DbKind } from './dataset.ts';

export interface Dialect {
  kind: DbKind;
  /** Opens a WITH clause whose first table is `s(i)` holding 0 .. n-1. */
  series(n: number): string;
  /** Zero-padded decimal text of an integer expression. */
  pad(expr: string, width: number): string;
  /** An integer expression where a 32-bit integer is required (PostgreSQL's substr, date + n). */
  int(expr: string): string;
  /** `YYYY-MM-DD` text, `days` after the literal date `from`. */
  addDays(from: string, days: string): string;
}

export const sqliteDialect: Dialect = {
  kind: 'sqlite',
  series: (n) => `WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < ${n - 1})`,
  pad: (expr, width) => `printf('%0${width}d', ${expr})`,
  int: (expr) => `(${expr})`,
  addDays: (from, days) => `date('${from}', (${days}) || ' days')`,
};

export const postgresDialect: Dialect = {
  kind: 'postgres',
  series: (n) => `WITH s(i) AS (SELECT generate_series(0::bigint, ${n - 1}))`,
  pad: (expr, width) => `lpad((${expr})::text, ${width}, '0')`,
  int: (expr) => `(${expr})::int`,
  addDays: (from, days) => `to_char(date '${from}' + (${days})::int, 'YYYY-MM-DD')`,
};
