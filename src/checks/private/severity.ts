/**
 * The one place where a fail level (`failOn`) is read and where a finding is judged against it, for
 * `LoopbackChecker.enforce()`, the CLI's `--fail-on` and the cdk8s-cli plugin's `failOn`.
 */
import { FindingLevel } from '../types';

/** The fail levels, from the strictest: `warning` fails on warnings and errors, `error` on errors only. */
export const FAIL_LEVELS: readonly FindingLevel[] = [FindingLevel.WARNING, FindingLevel.ERROR];

/**
 * `value` as a fail level; `undefined` gives `error`.
 *
 * @param name how the caller names the setting in its message (`'failOn'`, `--fail-on`)
 * @throws Error naming the setting and quoting the value when it is neither `error` nor `warning`
 */
export function parseFailOn(value: unknown, name: string): FindingLevel {
  if (value === undefined) return FindingLevel.ERROR;
  if (!(FAIL_LEVELS as unknown[]).includes(value)) {
    throw new Error(`${name} must be "error" or "warning", got ${JSON.stringify(value)}`);
  }
  return value as FindingLevel;
}

/** Whether a finding of `level` fails a run whose fail level is `failOn`. Unknown levels count as errors. */
export function failsAt(level: string, failOn: FindingLevel): boolean {
  if (failOn === FindingLevel.WARNING) return true;
  return level !== FindingLevel.WARNING;
}
