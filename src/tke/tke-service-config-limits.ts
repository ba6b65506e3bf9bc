import {
  TkeServiceConfigSpecLoadBalancerL4ListenersProtocol,
  TkeServiceConfigSpecLoadBalancerL4ListenersScheduler,
  TkeServiceConfigSpecLoadBalancerL7ListenersDomainsRulesForwardType,
  TkeServiceConfigSpecLoadBalancerL7ListenersDomainsRulesHealthCheckHttpCheckMethod,
  TkeServiceConfigSpecLoadBalancerL7ListenersDomainsRulesHealthCheckSourceIpType,
  TkeServiceConfigSpecLoadBalancerL7ListenersDomainsRulesScheduler,
  TkeServiceConfigSpecLoadBalancerL7ListenersKeepaliveEnable,
  TkeServiceConfigSpecLoadBalancerL7ListenersProtocol,
} from './imports/cloud.tencent.com';

/**
 * Tencent's limits for TkeServiceConfig fields ("complete configuration reference",
 * https://www.tencentcloud.com/document/product/457/36834 and /457/37015), shared by the
 * constructs (which throw on bad props) and the checker (TKE-CFG-001), so both enforce the same numbers.
 * `crds/tkeserviceconfig.yaml` carries the same ranges for the schema; the enums below come from the L1
 * generated from it, so each value is written once, in the CRD. Not exported from the package.
 */

/** An inclusive integer range. */
export interface IntRange {
  readonly min: number;
  readonly max: number;
}

/** Ranges of the health-check fields. */
export const HEALTH_CHECK_RANGES = {
  intervalTime: { min: 5, max: 300 },
  healthNum: { min: 2, max: 10 },
  unHealthNum: { min: 2, max: 10 },
  timeout: { min: 2, max: 60 },
  httpCode: { min: 1, max: 31 },
} as const;

/**
 * The `intervalTime` range that the checker (TKE-CFG-001) accepts: 2-300 s, what the CLB API accepts on
 * IPv4 CLBs (https://cloud.tencent.com/document/product/214/30681; 5-300 on some old CLBs). TKE's own
 * TkeServiceConfig page still says 5-300, which the constructs keep (`HEALTH_CHECK_RANGES.intervalTime`),
 * so the checker does not report a config that a newer CLB accepts.
 */
export const CHECKER_INTERVAL_RANGE: IntRange = { min: 2, max: 300 };

/** Range of `session.sessionExpireTime` (seconds). */
export const SESSION_EXPIRE_RANGE: IntRange = { min: 30, max: 3600 };

/** Tencent's default health-check `timeout` (seconds), which counts when the field is left out. */
export const DEFAULT_HEALTH_CHECK_TIMEOUT = 2;
/** Tencent's default health-check `intervalTime` (seconds), which counts when the field is left out. */
export const DEFAULT_HEALTH_CHECK_INTERVAL = 5;

/** The values of a string enum of the generated L1. */
function stringValues(e: Record<string, string>): readonly string[] {
  return Object.values(e);
}

/** The values of a numeric enum of the generated L1 (TypeScript adds name-by-value entries: skip them). */
function numberValues(e: Record<string, string | number>): readonly number[] {
  return Object.values(e).filter((v): v is number => typeof v === 'number');
}

/** Values of `healthCheck.httpCheckMethod`. */
export const HTTP_CHECK_METHODS = stringValues(TkeServiceConfigSpecLoadBalancerL7ListenersDomainsRulesHealthCheckHttpCheckMethod);
/** Values of `healthCheck.sourceIpType`: 0 = the CLB VIP, 1 = an address in 100.64.0.0/10. */
export const SOURCE_IP_TYPES = numberValues(TkeServiceConfigSpecLoadBalancerL7ListenersDomainsRulesHealthCheckSourceIpType);
/** Values of a layer-4 listener's `protocol`. */
export const L4_PROTOCOLS = stringValues(TkeServiceConfigSpecLoadBalancerL4ListenersProtocol);
/** Values of a layer-7 listener's `protocol`. */
export const L7_PROTOCOLS = stringValues(TkeServiceConfigSpecLoadBalancerL7ListenersProtocol);
/** Values of a layer-7 listener's `keepaliveEnable`. */
export const KEEPALIVE_VALUES = numberValues(TkeServiceConfigSpecLoadBalancerL7ListenersKeepaliveEnable);
/** Values of a layer-7 rule's `forwardType`. */
export const FORWARD_TYPES = stringValues(TkeServiceConfigSpecLoadBalancerL7ListenersDomainsRulesForwardType);

/** Values of a layer-4 listener's `scheduler`, from the generated L1 (crds/ is the source). */
export const L4_SCHEDULERS = stringValues(TkeServiceConfigSpecLoadBalancerL4ListenersScheduler);
/**
 * Values of a layer-7 rule's `scheduler`, from the generated L1: WRR, LEAST_CONN and IP_HASH (CLB API
 * https://cloud.tencent.com/document/product/214/30681; listener doc
 * https://cloud.tencent.com/document/product/214/54821, "WRR、WLC 和 IP Hash").
 */
export const L7_RULE_SCHEDULERS = stringValues(TkeServiceConfigSpecLoadBalancerL7ListenersDomainsRulesScheduler);
