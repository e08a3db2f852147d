/**
 * Read-only searches of a Kysely operation tree. A plugin that changes a query only in rare cases
 * asks these first: Kysely's transformer rebuilds every node of the tree, which on every query cost
 * more than compiling it (bench B), and on a save's multi-row inserts tens of milliseconds (bench C).
 */

/** Whether some string in the tree (a bound value, a name) passes `test`. */
export function someString(node: unknown, test: (value: string) => boolean): boolean {
  if (typeof node === 'string') return test(node);
  if (node === null || typeof node !== 'object' || ArrayBuffer.isView(node)) return false;
  if (Array.isArray(node)) {
    for (const item of node) if (someString(item, test)) return true;
    return false;
  }
  for (const key in node) if (someString((node as Record<string, unknown>)[key], test)) return true;
  return false;
}

/** Whether some node of the tree (an object with a `kind`) passes `test`. */
export function someNode(node: unknown, test: (node: { kind: string }) => boolean): boolean {
  if (node === null || typeof node !== 'object' || ArrayBuffer.isView(node)) return false;
  if (Array.isArray(node)) {
    for (const item of node) if (someNode(item, test)) return true;
    return false;
  }
  if (typeof (node as { kind?: unknown }).kind === 'string' && test(node as { kind: string })) return true;
  for (const key in node) if (someNode((node as Record<string, unknown>)[key], test)) return true;
  return false;
}
