import { IConstruct } from 'constructs';

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
    return fn();
  } catch (e) {
    const path = scope.node.path === '' ? id : `${scope.node.path}/${id}`;
    throw new Error(`${type} ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
