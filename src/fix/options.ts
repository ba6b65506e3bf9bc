/**
 * The options of fix mode, checked and with their defaults applied. Not exported from the package barrel.
 */
import { L4FixMode, LoopbackFixOptions } from './types';
import { validateCheckOptions } from '../checks/private/runner';
import { ClbDeclarations } from '../checks/private/tke';
import { LoopbackCheckOptions } from '../checks/types';

/** The rules whose findings fix mode can fix. */
export const FIXABLE_RULES: readonly string[] = ['TKE-ANN-001', 'TKE-L4-001', 'TKE-L7-001'];

/** Options with defaults applied and checked. */
export interface Resolved {
  readonly rules: ReadonlySet<string>;
  readonly l4: L4FixMode;
  readonly passToTarget: boolean;
  /** The options passed on to the checker. */
  readonly check: LoopbackCheckOptions;
  /** The CLB ids declared private or public, as the checker's rules read them. */
  readonly clbs: ClbDeclarations;
}

/** Checks the options, naming the option and quoting the value on error. */
export function resolveOptions(options: LoopbackFixOptions = {}): Resolved {
  let rules = new Set(FIXABLE_RULES);
  if (options.rules !== undefined) {
    if (!Array.isArray(options.rules)) throw new Error(`'rules' must be a list of rule ids, got ${JSON.stringify(options.rules)}`);
    rules = new Set();
    for (const id of options.rules) {
      const upper = typeof id === 'string' ? id.trim().toUpperCase() : id;
      if (typeof upper !== 'string' || !FIXABLE_RULES.includes(upper)) {
        throw new Error(`'rules' may name only ${FIXABLE_RULES.join(', ')}, got ${JSON.stringify(id)}`);
      }
      rules.add(upper);
    }
  }
  const l4 = options.l4 ?? L4FixMode.PREVENT_LOOPBACK;
  if (!Object.values(L4FixMode).includes(l4)) {
    throw new Error(`'l4' must be one of ${Object.values(L4FixMode).join(', ')}, got ${JSON.stringify(options.l4)}`);
  }
  if (options.passToTarget !== undefined && typeof options.passToTarget !== 'boolean') {
    throw new Error(`'passToTarget' must be true or false, got ${JSON.stringify(options.passToTarget)}`);
  }
  validateCheckOptions(options);
  const check: LoopbackCheckOptions = {
    ...(options.privateClbIds !== undefined ? { privateClbIds: options.privateClbIds } : {}),
    ...(options.publicClbIds !== undefined ? { publicClbIds: options.publicClbIds } : {}),
    ...(options.proxyMode !== undefined ? { proxyMode: options.proxyMode } : {}),
  };
  const ids = (list?: string[]) => new Set((list ?? []).map((x) => x.trim()).filter((x) => x !== ''));
  return {
    rules,
    l4,
    passToTarget: options.passToTarget ?? false,
    check,
    clbs: { privateIds: ids(options.privateClbIds), publicIds: ids(options.publicClbIds) },
  };
}
