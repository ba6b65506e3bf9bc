/**
 * The annotations by which an object reuses an existing CLB, shared by the constructs and the checker.
 * Not exported from the package: `TkeAnnotations` holds the documented keys.
 */

/**
 * The legacy annotation of a Service that reuses an existing CLB, read by older TKE service controllers
 * (before `service.kubernetes.io/tke-existed-lbid`). Manifests in the wild still carry it, so the constructs
 * and the checker treat it as a reused CLB too.
 */
export const LEGACY_SERVICE_LB_ID = 'service.kubernetes.io/loadbalance-id';
