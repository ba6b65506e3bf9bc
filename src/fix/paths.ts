/**
 * Paths into plain objects, shared by the planner and the YAML layer. Not exported from the package barrel.
 */

/** A key of a path into an object: a map key or a sequence position. */
export type PathKey = string | number;

/**
 * Sets `leaf` at `path` in `target`, creating missing maps on the way. With `insertAfter`, the value at
 * `path` is a sequence (created when absent) and `leaf` is inserted after that position (-1: at the end).
 */
export function setInPlain(target: Record<string, any>, path: readonly PathKey[], leaf: unknown, insertAfter?: number): void {
  let node: any = target;
  for (let i = 0; i < path.length - 1; i++) {
    if (node[path[i]] === undefined || node[path[i]] === null) node[path[i]] = {};
    node = node[path[i]];
  }
  const last = path[path.length - 1];
  if (insertAfter === undefined) {
    node[last] = leaf;
    return;
  }
  if (!Array.isArray(node[last])) node[last] = [];
  const seq: unknown[] = node[last];
  seq.splice(insertAfter < 0 ? seq.length : insertAfter + 1, 0, leaf);
}
