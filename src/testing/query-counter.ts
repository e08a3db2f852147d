import type { KyselyPlugin } from 'kysely';

/**
 * A Kysely plugin that counts the statements it is shown: every one, or only those of one kind of
 * query node (`InsertQueryNode`, …). `db.withPlugin(counter.plugin)` runs the code under test.
 */
export function queryCounter(kind?: string): { plugin: KyselyPlugin; count: () => number } {
  let count = 0;
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      if (kind === undefined || args.node.kind === kind) count += 1;
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  return { plugin, count: () => count };
}
