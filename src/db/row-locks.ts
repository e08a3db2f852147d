import {
  OperationNodeTransformer,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryId,
  type QueryResult,
  type RootOperationNode,
  type SelectModifierNode,
  type SelectQueryNode,
  type UnknownRow,
} from 'kysely';
import { someNode } from './node-scan.ts';

const ROW_LOCKS = new Set<SelectModifierNode['modifier']>(['ForUpdate', 'ForNoKeyUpdate', 'ForShare', 'ForKeyShare', 'NoWait', 'SkipLocked']);

class DropRowLocksTransformer extends OperationNodeTransformer {
  protected override transformSelectQuery(node: SelectQueryNode, queryId?: QueryId): SelectQueryNode {
    const out = super.transformSelectQuery(node, queryId);
    if (!out.endModifiers?.some((m) => ROW_LOCKS.has(m.modifier))) return out;
    const kept = out.endModifiers.filter((m) => !ROW_LOCKS.has(m.modifier));
    return { ...out, endModifiers: kept.length > 0 ? kept : undefined };
  }
}

/**
 * SQLite has no row locks and refuses `FOR UPDATE`; it needs none, because the one in-process
 * connection runs transactions one after the other. This plugin drops row-lock clauses on SQLite, so
 * repositories can lock rows for PostgreSQL (`forNoKeyUpdate()`) without knowing which database runs.
 */
export class DropRowLocksPlugin implements KyselyPlugin {
  private readonly transformer = new DropRowLocksTransformer();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    // Only the few locking reads need changing: look before rebuilding the whole tree.
    const locks = someNode(args.node, (n) => n.kind === 'SelectModifierNode' && ROW_LOCKS.has((n as SelectModifierNode).modifier));
    return locks ? this.transformer.transformNode(args.node) : args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}
