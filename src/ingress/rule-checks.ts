import * as kplus from 'cdk8s-plus-27';
import { LoopbackSafeIngressRule } from './props';
import { validateHealthCheck, validateHost, validateOneOf, validatePath, validateSession, isValidHost } from '../private/ingress-validation';
import { describeValue, ingressPathProblem } from '../private/k8s-names';
import { ingressBackendOf, isIngressBackend } from '../private/plus-compat';
import { FORWARD_TYPES, L7_RULE_SCHEDULERS } from '../tke/tke-service-config-limits';

/*
 * The checks of one routing rule of a `LoopbackSafeIngress`, and the names of the `rules` prop's entries for
 * its messages. Not exported from the package.
 */

/** The path types an Ingress rule accepts. */
const PATH_TYPES = [kplus.HttpIngressPathType.PREFIX, kplus.HttpIngressPathType.EXACT, kplus.HttpIngressPathType.IMPLEMENTATION_SPECIFIC];

/** The prop `name` of the rule given as `prop` (`rules[0]`), or `name` alone for positional arguments. */
function propAt(prop: string, name: string): string {
  return prop ? `${prop}.${name}` : name;
}

/**
 * The names of the `rules` prop's entries and of their backends (`rules[0]`, `'rules[0].backend'`), built
 * once per index for all Ingresses, not once per rule.
 */
export const RULE_PROPS: string[] = [];
export const RULE_BACKEND_PROPS: string[] = [];
export function rulePropAt(i: number): string {
  if (RULE_PROPS[i] === undefined) {
    for (let j = RULE_PROPS.length; j <= i; j++) {
      RULE_PROPS.push(`rules[${j}]`);
      RULE_BACKEND_PROPS.push(`'rules[${j}].backend'`);
    }
  }
  return RULE_PROPS[i];
}

/** A rule as cdk8s-plus takes it, checked: the path and its type are set. */
export interface CheckedRule extends kplus.IngressRule {
  readonly path: string;
  readonly pathType: kplus.HttpIngressPathType;
}

/**
 * Checks one rule (its host, path, path type, backend and per-rule settings), naming the prop, and returns
 * it as cdk8s-plus takes it.
 *
 * @param rule the rule as given
 * @param prop the prop it came from (`rules[0]`), or `''` for positional arguments
 */
export function checkRoute(rule: LoopbackSafeIngressRule, prop: string): CheckedRule {
  // Prop names are spelled out only for what is set, or fails: this runs for every rule (the synth-overhead budget).
  if (!rule || typeof rule !== 'object') throw new Error(`'${prop || 'rule'}' must be an object, got ${describeValue(rule)}`);
  // Each routing field is read once: the checked copy holds what was checked, whatever a getter returns later.
  const { host, path, pathType: givenPathType, backend } = rule;
  if (host !== undefined && !isValidHost(host)) validateHost(host, propAt(prop, 'host'));
  const pathType = givenPathType === undefined ? kplus.HttpIngressPathType.PREFIX : validateOneOf(givenPathType, PATH_TYPES, propAt(prop, 'pathType'))!;
  if (ingressPathProblem(path, pathType, prop) !== undefined) validatePath(path, propAt(prop, 'path'), pathType);
  if (!isIngressBackend(backend)) ingressBackendOf(backend, propAt(prop, 'backend'));
  if (rule.healthCheck !== undefined) validateHealthCheck(rule.healthCheck, propAt(prop, 'healthCheck'));
  if (rule.session !== undefined) validateSession(rule.session, propAt(prop, 'session'));
  if (rule.scheduler !== undefined) validateOneOf<string>(rule.scheduler, L7_RULE_SCHEDULERS, propAt(prop, 'scheduler'));
  if (rule.forwardType !== undefined) validateOneOf<string>(rule.forwardType, FORWARD_TYPES, propAt(prop, 'forwardType'));
  return { host, path, pathType, backend };
}

/** The error for a rule that routes a host+path that the Ingress routes already; `caller` names the rule. */
export function duplicateRoute(caller: string, rule: { readonly host?: string; readonly path?: string }): Error {
  return new Error(
    `'${caller}' routes host ${rule.host === undefined ? '(none)' : JSON.stringify(rule.host)} path ${JSON.stringify(rule.path)}, ` +
      'which another rule of this Ingress already routes: each host+path may appear once',
  );
}
