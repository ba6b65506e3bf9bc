import {
  CHECKER_INTERVAL_RANGE,
  DEFAULT_HEALTH_CHECK_INTERVAL,
  DEFAULT_HEALTH_CHECK_TIMEOUT,
  FORWARD_TYPES,
  HEALTH_CHECK_RANGES,
  HTTP_CHECK_METHODS,
  KEEPALIVE_VALUES,
  L4_PROTOCOLS,
  L4_SCHEDULERS,
  L7_PROTOCOLS,
  L7_RULE_SCHEDULERS,
  SESSION_EXPIRE_RANGE,
  SOURCE_IP_TYPES,
} from '../../tke/tke-service-config-limits';
import { describeEntry, Entry, isMap, ManifestSet, show } from '../private/manifests';
import { serviceConfigs } from '../private/tke';
import { FindingLevel } from '../types';
import { LoopbackRule, RuleFinding } from './rule';


/** Collects the problems of one TkeServiceConfig, each naming the field path and value. */
class Problems {
  public readonly messages: string[] = [];

  public add(path: string, value: unknown, must: string): void {
    this.messages.push(`${path} is ${show(value)}: ${must}`);
  }

  /** A map, or undefined after reporting a wrong type. Absent is fine. */
  public map(path: string, value: unknown): Record<string, unknown> | undefined {
    if (value === undefined) return undefined;
    if (!isMap(value)) {
      this.add(path, value, 'must be an object');
      return undefined;
    }
    return value;
  }

  public array(path: string, value: unknown): unknown[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      this.add(path, value, 'must be a list');
      return [];
    }
    return value;
  }

  public int(path: string, value: unknown, min: number, max: number, required = false): void {
    if (value === undefined) {
      if (required) this.messages.push(`${path} is missing: it is required (${min} to ${max})`);
      return;
    }
    if (typeof value !== 'number' || !Number.isInteger(value)) this.add(path, value, `must be an integer from ${min} to ${max}`);
    else if (value < min || value > max) this.add(path, value, `must be from ${min} to ${max}`);
  }

  public oneOf(path: string, value: unknown, allowed: readonly unknown[], required = false): void {
    if (value === undefined) {
      if (required) this.messages.push(`${path} is missing: it is required (one of ${allowed.map((a) => show(a)).join(', ')})`);
      return;
    }
    if (!allowed.includes(value)) this.add(path, value, `must be one of ${allowed.map((a) => show(a)).join(', ')}`);
  }

  public bool(path: string, value: unknown, required = false): void {
    if (value === undefined) {
      if (required) this.messages.push(`${path} is missing: it is required (true or false)`);
      return;
    }
    if (typeof value !== 'boolean') this.add(path, value, 'must be true or false');
  }

  public str(path: string, value: unknown): void {
    if (value !== undefined && typeof value !== 'string') this.add(path, value, 'must be a string');
  }
}

function checkSession(p: Problems, path: string, value: unknown): void {
  const session = p.map(path, value);
  if (!session) return;
  p.bool(`${path}.enable`, session.enable, true);
  p.int(`${path}.sessionExpireTime`, session.sessionExpireTime, SESSION_EXPIRE_RANGE.min, SESSION_EXPIRE_RANGE.max);
}

function checkHealthCheck(p: Problems, path: string, value: unknown, http: boolean): void {
  const hc = p.map(path, value);
  if (!hc) return;
  p.bool(`${path}.enable`, hc.enable, true);
  p.int(`${path}.intervalTime`, hc.intervalTime, CHECKER_INTERVAL_RANGE.min, CHECKER_INTERVAL_RANGE.max);
  for (const field of ['healthNum', 'unHealthNum', 'timeout'] as const) {
    p.int(`${path}.${field}`, hc[field], HEALTH_CHECK_RANGES[field].min, HEALTH_CHECK_RANGES[field].max);
  }
  const timeout = hc.timeout === undefined ? DEFAULT_HEALTH_CHECK_TIMEOUT : hc.timeout;
  const interval = hc.intervalTime === undefined ? DEFAULT_HEALTH_CHECK_INTERVAL : hc.intervalTime;
  if (typeof timeout === 'number' && typeof interval === 'number' && !(timeout < interval)) {
    p.messages.push(
      `${path}.timeout is ${timeout}${hc.timeout === undefined ? ' (default)' : ''} and ${path}.intervalTime is ` +
      `${interval}${hc.intervalTime === undefined ? ' (default)' : ''}: timeout must be less than intervalTime`,
    );
  }
  if (!http) return;
  p.str(`${path}.httpCheckPath`, hc.httpCheckPath);
  p.str(`${path}.httpCheckDomain`, hc.httpCheckDomain);
  p.oneOf(`${path}.httpCheckMethod`, hc.httpCheckMethod, HTTP_CHECK_METHODS);
  p.int(`${path}.httpCode`, hc.httpCode, HEALTH_CHECK_RANGES.httpCode.min, HEALTH_CHECK_RANGES.httpCode.max);
  p.oneOf(`${path}.sourceIpType`, hc.sourceIpType, SOURCE_IP_TYPES);
}

function checkDuplicates(p: Problems, path: string, listeners: unknown[]): void {
  const seen = new Map<string, number>();
  listeners.forEach((l, i) => {
    if (!isMap(l) || l.protocol === undefined || l.port === undefined) return;
    const key = `${show(l.protocol)}:${show(l.port)}`;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else p.messages.push(`${path}[${i}] repeats protocol ${show(l.protocol)} and port ${show(l.port)} of ${path}[${first}]: each listener may appear once`);
  });
}

/** Every schema problem of a TkeServiceConfig. */
export function configProblems(config: Entry): string[] {
  const p = new Problems();
  const spec = p.map('spec', config.obj.spec);
  const lb = spec ? p.map('spec.loadBalancer', spec.loadBalancer) : undefined;
  if (!lb) return p.messages;
  p.int('spec.loadBalancer.internetMaxBandwidthOut', lb.internetMaxBandwidthOut, 0, 2048);

  const l4 = p.array('spec.loadBalancer.l4Listeners', lb.l4Listeners);
  l4.forEach((item, i) => {
    const path = `spec.loadBalancer.l4Listeners[${i}]`;
    const l = p.map(path, item ?? null);
    if (!l) return;
    p.oneOf(`${path}.protocol`, l.protocol, L4_PROTOCOLS, true);
    p.int(`${path}.port`, l.port, 1, 65535, true);
    checkSession(p, `${path}.session`, l.session);
    checkHealthCheck(p, `${path}.healthCheck`, l.healthCheck, false);
    p.oneOf(`${path}.scheduler`, l.scheduler, L4_SCHEDULERS);
  });
  checkDuplicates(p, 'spec.loadBalancer.l4Listeners', l4);

  const l7 = p.array('spec.loadBalancer.l7Listeners', lb.l7Listeners);
  l7.forEach((item, i) => {
    const path = `spec.loadBalancer.l7Listeners[${i}]`;
    const l = p.map(path, item ?? null);
    if (!l) return;
    p.oneOf(`${path}.protocol`, l.protocol, L7_PROTOCOLS, true);
    p.int(`${path}.port`, l.port, 1, 65535, true);
    p.str(`${path}.defaultServer`, l.defaultServer);
    p.oneOf(`${path}.keepaliveEnable`, l.keepaliveEnable, KEEPALIVE_VALUES);
    p.array(`${path}.domains`, l.domains).forEach((d, j) => {
      const dPath = `${path}.domains[${j}]`;
      const domain = p.map(dPath, d ?? null);
      if (!domain) return;
      p.str(`${dPath}.domain`, domain.domain);
      p.array(`${dPath}.rules`, domain.rules).forEach((r, k) => {
        const rPath = `${dPath}.rules[${k}]`;
        const rule = p.map(rPath, r ?? null);
        if (!rule) return;
        p.str(`${rPath}.url`, rule.url);
        p.oneOf(`${rPath}.forwardType`, rule.forwardType, FORWARD_TYPES);
        checkSession(p, `${rPath}.session`, rule.session);
        checkHealthCheck(p, `${rPath}.healthCheck`, rule.healthCheck, true);
        p.oneOf(`${rPath}.scheduler`, rule.scheduler, L7_RULE_SCHEDULERS);
      });
    });
  });
  checkDuplicates(p, 'spec.loadBalancer.l7Listeners', l7);
  return p.messages;
}

/**
 * TKE-CFG-001: a TkeServiceConfig that breaks Tencent's ranges, enums or cross-field rules.
 */
export const TKE_CFG_001: LoopbackRule = {
  info: {
    id: 'TKE-CFG-001',
    level: FindingLevel.ERROR,
    cause: 'A TkeServiceConfig breaks the ranges, enums or cross-field rules of Tencent\'s configuration reference.',
    explanation:
      'TKE\'s controllers reject, or silently skip, a TkeServiceConfig whose values are out of range (ports 1-65535, ' +
      'sessionExpireTime 30-3600, intervalTime 2-300 (the CLB API\'s range for IPv4 CLBs; TKE\'s own page says 5-300, ' +
      'which the constructs keep), healthNum and unHealthNum 2-10, timeout 2-60, httpCode 1-31, ' +
      'internetMaxBandwidthOut 0-2048), not in an enum (protocol, scheduler, httpCheckMethod, forwardType, ' +
      'keepaliveEnable 0|1, sourceIpType 0|1), or whose health-check timeout is not less than its intervalTime ' +
      '(Tencent\'s defaults are 2 and 5). The keepalive that fixes layer-7 loopback then never reaches the CLB.',
    fix: 'Correct each named field to a value the reference allows.',
  },
  check(set: ManifestSet): RuleFinding[] {
    const out: RuleFinding[] = [];
    for (const config of serviceConfigs(set)) {
      for (const problem of configProblems(config)) {
        out.push({ entry: config, message: `${describeEntry(config)}: ${problem}` });
      }
    }
    return out;
  },
};
