import { Construct, IConstruct } from 'constructs';
import { describeValue } from './k8s-names';

/**
 * Runs `fn`, and rethrows any error it throws prefixed with the construct type and path
 * (`LoopbackSafeService chart/api: 'ports[0].port' must be ...`), so that every error names the
 * construct it came from. Never exported from the package.
 */
export function withConstructPath<T>(scope: IConstruct, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw errorOf(scope, e);
  }
}

/** The error `e` as an Error whose message is prefixed with the construct type and path. */
export function errorOf(scope: IConstruct, e: unknown): Error {
  return new Error(prefixed(scope, e instanceof Error ? e.message : String(e)));
}

function prefixed(scope: IConstruct, message: string): string {
  const prefix = `${scope.constructor.name} ${scope.node.path}: `;
  return message.startsWith(prefix) ? message : prefix + message;
}

/**
 * Runs `fn` for a construct that does not exist yet (a subclass checks its props before it calls `super`),
 * and rethrows any error it throws prefixed with `type` and the path the construct will have.
 */
export function withFuturePath<T>(type: string, scope: IConstruct, id: string, fn: () => T): T {
  try {
    const problem = constructorArgumentProblem(scope, id);
    if (problem !== undefined) throw new Error(problem);
    return fn();
  } catch (e) {
    throw futurePathError(type, scope, id, e);
  }
}

/** What is wrong with a constructor's `scope` and `id` as a JavaScript caller may pass them, or `undefined`. */
export function constructorArgumentProblem(scope: unknown, id: unknown): string | undefined {
  if (!Construct.isConstruct(scope)) return `'scope' must be a construct (an App, a Chart or another construct), got ${describeValue(scope)}`;
  if (typeof id !== 'string') return `'id' must be a string, got ${describeValue(id)}`;
  return undefined;
}

/** The error `e` prefixed with `type` and the path a construct `id` under `scope` will have (or would have had). */
export function futurePathError(type: string, scope: IConstruct, id: string, e: unknown): Error {
  const scopePath = scope?.node?.path;
  // The path as `constructs` builds it: it turns each '/' of an id into '--'.
  const ownPath = typeof id === 'string' ? id.replace(/\//g, '--') : String(id);
  const path = scopePath === undefined || scopePath === '' ? ownPath : `${scopePath}/${ownPath}`;
  const message = e instanceof Error ? e.message : String(e);
  const prefix = `${type} ${path}: `;
  return new Error(message.startsWith(prefix) ? message : prefix + message);
}
