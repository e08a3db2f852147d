import type { KyselyPlugin, RootOperationNode } from 'kysely';

/**
 * A Kysely plugin that counts the statements it is shown: every one, those of one kind of query node
 * (`InsertQueryNode`, …), or those a predicate picks. `db.withPlugin(counter.plugin)` runs the code
 * under test.
 */
export function queryCounter(which?: string | ((node: RootOperationNode) => boolean)): { plugin: KyselyPlugin; count: () => number } {
  const counts = which === undefined ? () => true : typeof which === 'string' ? (node: RootOperationNode) => node.kind === which : which;
  let count = 0;
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      if (counts(args.node)) count += 1;
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  return { plugin, count: () => count };
}
