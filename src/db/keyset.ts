import type { ExpressionBuilder, Expression, SqlBool } from 'kysely';

/**
 * Keyset pagination: a page starts after (or ends before) the sort key of a row, never at an
 * offset, so page 2,000 costs what page 1 costs. A cursor is the sort key of the boundary row
 * (for example `[starts_on, id]`), carried in the query string as base64url JSON.
 */
export type Cursor = readonly string[];

export interface PageRequest {
  /** Rows after this key (the next page), or before it (the previous page). */
  after?: Cursor | undefined;
  before?: Cursor | undefined;
  limit: number;
}

export interface KeysetPage<T> {
  rows: T[];
  /** Cursor of the page after this one, if there is one. */
  next: string | null;
  /** Cursor of the page before this one, if there is one. */
  previous: string | null;
}

/** The text form of a sort key, for a query string. */
export function encodeCursor(key: Cursor): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/**
 * The sort key in a query-string cursor, or undefined when the text is not a cursor of `length`
 * short strings (a hand-edited or hostile value then simply means "the first page").
 */
export function decodeCursor(text: string | undefined | null, length: number): Cursor | undefined {
  if (!text || text.length > 600 || !/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== length) return undefined;
    if (!value.every((v) => typeof v === 'string' && v.length <= 200 && !v.includes('\u0000'))) return undefined;
    return value as string[];
  } catch {
    return undefined;
  }
}

/**
 * `(a, b) > (x, y)` (or `<`) written out so that both databases use the index on `(a, b)`:
 * `a > x or (a = x and b > y)`.
 */
export function afterKey<DB, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
  columns: readonly [any, any],
  key: Cursor,
  direction: '>' | '<',
): Expression<SqlBool> {
  const [a, b] = columns;
  return eb.or([eb(a, direction, key[0]), eb.and([eb(a, '=', key[0]), eb(b, direction, key[1])])]);
}

/**
 * Turns the `limit + 1` rows a keyset query fetched into a page. Rows fetched backwards (for a
 * `before` cursor) come in reverse order and are turned round here.
 */
export function toKeysetPage<T>(fetched: T[], request: PageRequest, keyOf: (row: T) => Cursor): KeysetPage<T> {
  const backwards = !!request.before && !request.after;
  const more = fetched.length > request.limit;
  const rows = fetched.slice(0, request.limit);
  if (backwards) rows.reverse();
  const first = rows[0];
  const last = rows[rows.length - 1];
  const hasNext = backwards ? true : more;
  const hasPrevious = backwards ? more : !!request.after;
  return {
    rows,
    next: hasNext && last ? encodeCursor(keyOf(last)) : null,
    previous: hasPrevious && first ? encodeCursor(keyOf(first)) : null,
  };
}
