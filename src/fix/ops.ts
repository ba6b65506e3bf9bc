/**
 * The edits fix mode plans (operations on paths inside one input object), and how one is applied to a
 * plain object. Not exported from the package barrel.
 */
import { PathKey, setInPlain } from './paths';

/** The input object an operation is about: `index` in the input, and `item` in a list's `items`. */
export interface Target {
  readonly index: number;
  readonly item?: number;
}

/** Set a scalar at a path, creating missing maps on the way. */
export interface SetOp {
  readonly op: 'set';
  readonly target: Target;
  readonly path: PathKey[];
  readonly value: string | number;
}

/** Append a map to the sequence at a path, creating it (and missing maps) when absent. */
export interface AppendOp {
  readonly op: 'append';
  readonly target: Target;
  readonly path: PathKey[];
  readonly value: Record<string, unknown>;
}

/** Add a new object right after the target. */
export interface AddOp {
  readonly op: 'add';
  readonly target: Target;
  readonly object: Record<string, unknown>;
}

/** One edit. */
export type FixOp = SetOp | AppendOp | AddOp;

/** Applies a set or append operation to a plain object (the object is changed). */
export function applyToObject(obj: Record<string, unknown>, op: SetOp | AppendOp): void {
  if (op.op === 'set') setInPlain(obj, op.path, op.value);
  else setInPlain(obj, op.path, structuredCloneJson(op.value), -1);
}

/** A deep copy of a JSON value. */
export function structuredCloneJson<T>(v: T): T {
  return JSON.parse(JSON.stringify(v));
}
