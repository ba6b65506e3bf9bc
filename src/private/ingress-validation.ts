import { dns1123SubdomainProblem, describeValue, ingressHostProblem, ingressPathProblem, isIngressHost, MAX_SUBDOMAIN_LENGTH, throwIf } from './k8s-names';
import { TkeServiceConfigSpecLoadBalancerL7ListenersDomainsRulesHealthCheck } from '../tke/imports/cloud.tencent.com';
import {
  DEFAULT_HEALTH_CHECK_INTERVAL,
  DEFAULT_HEALTH_CHECK_TIMEOUT,
  HEALTH_CHECK_RANGES,
  HTTP_CHECK_METHODS,
  SESSION_EXPIRE_RANGE,
  SOURCE_IP_TYPES,
} from '../tke/tke-service-config-limits';
/**
 * Validators for the values a LoopbackSafeIngress carries: hosts, paths, Kubernetes names and the
 * TkeServiceConfig per-rule options (ranges from Tencent's "complete configuration reference",
 * https://www.tencentcloud.com/document/product/457/37015). Each throws an Error that names the prop and quotes the value. Never exported
 * from the package.
 */

/** The longest DNS-1123 subdomain, the limit on `metadata.name`. */
export const MAX_NAME_LENGTH = MAX_SUBDOMAIN_LENGTH;

/** Whether `host` is an RFC 1123 host name, optionally with a wildcard as its whole leftmost label. */
export function isValidHost(host: string): boolean {
  return isIngressHost(host);
}

/** Throws unless `host` is a valid Ingress host (see `isValidHost`). */
export function validateHost(host: string, prop: string): string {
  throwIf(ingressHostProblem(host, prop));
  return host;
}

/** Throws unless `path` starts with '/', contains no whitespace, and (for `Prefix`/`Exact`) is a path Kubernetes accepts. */
export function validatePath(path: string, prop: string, pathType: string = 'Prefix'): string {
  throwIf(ingressPathProblem(path, pathType, prop));
  return path;
}

/** Throws unless `name` is a DNS-1123 subdomain of at most 253 characters. */
export function validateObjectName(name: string, prop: string): string {
  throwIf(dns1123SubdomainProblem(name, prop));
  return name;
}

/** Throws unless `value` is an integer from `min` to `max`. Returns the value, or undefined when absent. */
export function validateIntRange(value: number | undefined, min: number, max: number, prop: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new Error(`'${prop}' must be an integer from ${min} to ${max}, got ${describeValue(value)}`);
  }
  return value;
}

/** Throws unless `value` is one of `allowed`. */
export function validateOneOf<T>(value: T | undefined, allowed: readonly T[], prop: string): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value)) {
    throw new Error(`'${prop}' must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${describeValue(value)}`);
  }
  return value;
}

/** Throws unless `value` is a boolean. */
export function validateBoolean(value: unknown, prop: string): boolean {
  if (typeof value !== 'boolean') {
    throw new Error(`'${prop}' must be true or false, got ${describeValue(value)}`);
  }
  return value;
}

/**
 * Validates a layer-7 health check against Tencent's ranges: intervalTime 5-300, healthNum and
 * unHealthNum 2-10, timeout 2-60 and less than intervalTime (Tencent's defaults 2 and 5 stand in for a
 * missing value), httpCode 1-31, httpCheckMethod HEAD|GET, sourceIpType 0|1, httpCheckPath starting
 * with '/', httpCheckDomain a host name without wildcard.
 */
export function validateHealthCheck(hc: TkeServiceConfigSpecLoadBalancerL7ListenersDomainsRulesHealthCheck, prop: string): void {
  if (!hc || typeof hc !== 'object') {
    throw new Error(`'${prop}' must be an object, got ${JSON.stringify(hc)}`);
  }
  validateBoolean(hc.enable, `${prop}.enable`);
  for (const field of ['intervalTime', 'healthNum', 'unHealthNum', 'timeout'] as const) {
    validateIntRange(hc[field], HEALTH_CHECK_RANGES[field].min, HEALTH_CHECK_RANGES[field].max, `${prop}.${field}`);
  }
  const timeout = hc.timeout ?? DEFAULT_HEALTH_CHECK_TIMEOUT;
  const interval = hc.intervalTime ?? DEFAULT_HEALTH_CHECK_INTERVAL;
  if (timeout >= interval) {
    throw new Error(
      `'${prop}.timeout' must be less than '${prop}.intervalTime' (Tencent's defaults are 2 and 5), ` +
        `got timeout ${JSON.stringify(hc.timeout ?? DEFAULT_HEALTH_CHECK_TIMEOUT)}${hc.timeout === undefined ? ' (default)' : ''} ` +
        `and intervalTime ${JSON.stringify(interval)}${hc.intervalTime === undefined ? ' (default)' : ''}`,
    );
  }
  validateIntRange(hc.httpCode, HEALTH_CHECK_RANGES.httpCode.min, HEALTH_CHECK_RANGES.httpCode.max, `${prop}.httpCode`);
  validateOneOf(hc.httpCheckMethod, HTTP_CHECK_METHODS, `${prop}.httpCheckMethod`);
  validateOneOf(hc.sourceIpType, SOURCE_IP_TYPES, `${prop}.sourceIpType`);
  if (hc.httpCheckPath !== undefined) validatePath(hc.httpCheckPath, `${prop}.httpCheckPath`);
  if (hc.httpCheckDomain !== undefined) {
    if (hc.httpCheckDomain.startsWith('*')) {
      throw new Error(`'${prop}.httpCheckDomain' must be a host name without wildcard, got ${JSON.stringify(hc.httpCheckDomain)}`);
    }
    validateHost(hc.httpCheckDomain, `${prop}.httpCheckDomain`);
  }
}

/** Validates session persistence: sessionExpireTime 30-3600 seconds. */
export function validateSession(session: { readonly enable: boolean; readonly sessionExpireTime?: number }, prop: string): void {
  if (!session || typeof session !== 'object') {
    throw new Error(`'${prop}' must be an object, got ${JSON.stringify(session)}`);
  }
  validateBoolean(session.enable, `${prop}.enable`);
  validateIntRange(session.sessionExpireTime, SESSION_EXPIRE_RANGE.min, SESSION_EXPIRE_RANGE.max, `${prop}.sessionExpireTime`);
}

/** Whether a TLS host (possibly `*.domain`) covers a rule host: equal, or the wildcard matches one label. */
export function tlsHostCovers(tlsHost: string, ruleHost: string): boolean {
  if (tlsHost === ruleHost) return true;
  if (!tlsHost.startsWith('*.') || ruleHost.startsWith('*.')) return false;
  const dot = ruleHost.indexOf('.');
  return dot > 0 && ruleHost.slice(dot + 1) === tlsHost.slice(2);
}
