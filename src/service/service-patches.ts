import { JsonPatch } from 'cdk8s';

/**
 * Sets `spec.externalTrafficPolicy: Local` on a Service. cdk8s-plus-27's `ServiceProps` has no
 * `externalTrafficPolicy`, so `LoopbackSafeService` adds it with this one JSON patch on the Service's
 * API object. With `Local`, the CLB only sends traffic to nodes that run a server pod, and the client
 * IP is preserved.
 *
 * @see https://www.tencentcloud.com/document/product/457/42976
 */
export const EXTERNAL_TRAFFIC_POLICY_LOCAL: JsonPatch = JsonPatch.add('/spec/externalTrafficPolicy', 'Local');
