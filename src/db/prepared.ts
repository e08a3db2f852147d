import { createQueryId, type Compilable, type CompiledQuery, type KyselyPlugin, type QueryResult } from 'kysely';
import type { Db } from './index.ts';
import { nameStatement } from './named-statements.ts';
import { DropRowLocksPlugin } from './row-locks.ts';
import { StripNulPlugin, withoutNul } from './strip-nul.ts';

/*
 * Building a query with Kysely's builder and compiling it costs three to four times what SQLite
 * takes to run a small query (bench B: 75 µs of builder, compiler and plugins against 20 µs in
 * SQLite, for each of the seven queries of a class page). A prepared query is built and compiled once
 * per database and only bound anew: the SQL text is the same every time, only the values change.
 * On PostgreSQL that text also runs as a named statement, planned once per connection
 * (named-statements.ts).
 */

/** Plugins of our own whose rewrite depends only on the query's shape and the bound values handled below. */
const SHAPE_ONLY_PLUGINS: readonly (abstract new (...args: never[]) => KyselyPlugin)[] = [StripNulPlugin, DropRowLocksPlugin];

interface Compiled {
  sql: string;
  query: CompiledQuery['query'];
  /** Per bound parameter: the index of the argument it takes, or the constant the builder put there. */
  slots: ({ arg: number } | { value: unknown })[];
}

/** A query whose arguments are bound values only: strings that never change the query's shape. */
export interface PreparedQuery<A extends readonly string[], R> {
  /** All rows. */
  execute(db: Db, ...args: A): Promise<R[]>;
  /** The first row, if any. */
  executeTakeFirst(db: Db, ...args: A): Promise<R | undefined>;
}

/**
 * Prepares the query `build` makes. `build` must use each argument only as a bound value (in `where`,
 * `on`, …), never to decide the query's shape: it runs once with stand-ins, and is checked for that.
 * A database with plugins other than our own shape-only ones (tests count or watch queries with
 * theirs) runs the builder every time, so such plugins see every query as before.
 */
export function preparedQuery<A extends readonly string[], R>(build: (db: Db, ...args: A) => Compilable<R>): PreparedQuery<A, R> {
  // Keyed by the database's adapter (one per Kysely instance, shared by its transactions) and then
  // by its plugins, since the compiled SQL depends on both.
  const cache = new WeakMap<object, Map<string, Compiled>>();

  function compiledFor(db: Db, arity: number): Compiled | undefined {
    const executor = db.getExecutor();
    const plugins = executor.plugins;
    let key = '';
    for (const plugin of plugins) {
      const index = SHAPE_ONLY_PLUGINS.findIndex((kind) => plugin instanceof kind);
      if (index < 0) return undefined;
      key += String(index);
    }
    let byPlugins = cache.get(executor.adapter);
    if (!byPlugins) cache.set(executor.adapter, (byPlugins = new Map()));
    let compiled = byPlugins.get(key);
    if (!compiled) {
      compiled = compile(db, arity);
      byPlugins.set(key, compiled);
    }
    return compiled;
  }

  function compile(db: Db, arity: number): Compiled {
    const stand = Array.from({ length: arity }, (_, i) => `\u0001prepared-argument-${i}\u0001`);
    const query = build(db, ...(stand as unknown as A)).compile();
    const slots = query.parameters.map((value) => {
      const arg = typeof value === 'string' ? stand.indexOf(value) : -1;
      return arg >= 0 ? { arg } : { value };
    });
    const used = new Set(slots.flatMap((s) => ('arg' in s ? [s.arg] : [])));
    if (used.size !== arity || stand.some((s) => query.sql.includes(s))) {
      throw new Error('preparedQuery: every argument must be used as a bound value, and only as one');
    }
    nameStatement(query.sql);
    return { sql: query.sql, query: query.query, slots };
  }

  async function run(db: Db, args: A): Promise<R[]> {
    const compiled = compiledFor(db, args.length);
    if (!compiled) return (await db.executeQuery(build(db, ...args))).rows;
    const parameters = compiled.slots.map((slot) => {
      if (!('arg' in slot)) return slot.value;
      // What StripNulPlugin does to every bound string.
      return withoutNul(args[slot.arg]!);
    });
    const result: QueryResult<R> = await db.executeQuery<R>({ sql: compiled.sql, query: compiled.query, parameters, queryId: createQueryId() });
    return result.rows;
  }

  return {
    execute: (db, ...args) => run(db, args),
    executeTakeFirst: async (db, ...args) => (await run(db, args))[0],
  };
}
