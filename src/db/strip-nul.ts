import {
  OperationNodeTransformer,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type PrimitiveValueListNode,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
  type ValueNode,
} from 'kysely';
import { someString } from './node-scan.ts';

const NUL = /\u0000/g;

/** A bound value as the database gets it: a string without NUL (PostgreSQL text cannot hold it). */
export function withoutNul(value: unknown): unknown {
  return typeof value === 'string' && value.includes('\u0000') ? value.replace(NUL, '') : value;
}

class StripNulTransformer extends OperationNodeTransformer {
  protected override transformValue(node: ValueNode): ValueNode {
    const value = withoutNul(node.value);
    return value === node.value ? node : { ...node, value };
  }

  protected override transformPrimitiveValueList(node: PrimitiveValueListNode): PrimitiveValueListNode {
    return node.values.some((v) => typeof v === 'string' && v.includes('\u0000')) ? { ...node, values: node.values.map(withoutNul) } : node;
  }
}

/**
 * PostgreSQL text cannot hold the NUL character and refuses the whole statement; SQLite stores it.
 * This plugin removes NUL from every bound string, so input behaves the same on both databases and a
 * stray control character never turns a save into a server error.
 */
export class StripNulPlugin implements KyselyPlugin {
  private readonly transformer = new StripNulTransformer();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    // Almost no query carries a NUL: look before rebuilding the whole tree.
    if (!someString(args.node, (value) => value.includes('\u0000'))) return args.node;
    return this.transformer.transformNode(args.node);
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}
