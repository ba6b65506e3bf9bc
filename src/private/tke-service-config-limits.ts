/**
 * Tencent's limits for TkeServiceConfig fields ("complete configuration reference"; tke-facts §3), shared by the
 * constructs (which throw on bad props) and the checker (TKE-CFG-001), so both enforce the same numbers.
 * `crds/tkeserviceconfig.yaml` carries the same ranges for the schema.
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

/** Range of `session.sessionExpireTime` (seconds). */
export const SESSION_EXPIRE_RANGE: IntRange = { min: 30, max: 3600 };

/** Tencent's default health-check `timeout` (seconds), which counts when the field is left out. */
export const DEFAULT_HEALTH_CHECK_TIMEOUT = 2;
/** Tencent's default health-check `intervalTime` (seconds), which counts when the field is left out. */
export const DEFAULT_HEALTH_CHECK_INTERVAL = 5;

/** Values of `healthCheck.httpCheckMethod`. */
export const HTTP_CHECK_METHODS: readonly string[] = ['HEAD', 'GET'];
/** Values of `healthCheck.sourceIpType`: 0 = the CLB VIP, 1 = an address in 100.64.0.0/10. */
export const SOURCE_IP_TYPES: readonly number[] = [0, 1];
