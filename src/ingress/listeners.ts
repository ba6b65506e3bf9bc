import { LoopbackSafeIngressRuleOptions } from './props';
import {
  TkeServiceConfigSpecLoadBalancerL7Listeners,
  TkeServiceConfigSpecLoadBalancerL7ListenersDomains,
  TkeServiceConfigSpecLoadBalancerL7ListenersDomainsRules,
  TkeServiceConfigSpecLoadBalancerL7ListenersKeepaliveEnable,
  TkeServiceConfigSpecLoadBalancerL7ListenersProtocol,
} from '../tke/imports/cloud.tencent.com';
import { DeclaredListener, ListenPortsResult, parseListenPorts } from '../tke/listen-ports';

/**
 * The `l7Listeners` of a `LoopbackSafeIngress`'s TkeServiceConfig, as pure functions of the Ingress's
 * state: no construct, no validation. Not exported from the package.
 *
 * @see https://www.tencentcloud.com/document/product/457/37015
 */

/** The HTTP listener that TKE creates for every CLB Ingress. */
const HTTP_PORT = 80;
/** The HTTPS listener that TKE creates for an Ingress with TLS. */
const HTTPS_PORT = 443;

/** A routing rule as far as the TkeServiceConfig cares: where it matches, and its per-rule CLB settings. */
export interface ListenerRule {
  readonly host?: string;
  readonly path: string;
  readonly options: LoopbackSafeIngressRuleOptions;
}

/**
 * The CLB's layer-7 listeners: those of `ingress.cloud.tencent.com/listen-ports` when the Ingress
 * carries it (or why its value is malformed), else TKE's defaults, HTTP 80 and, with TLS, HTTPS 443.
 *
 * @param listenPorts the value of `ingress.cloud.tencent.com/listen-ports`, if the Ingress carries it
 * @param hasTls whether the Ingress has any TLS entry
 * @see https://www.tencentcloud.com/document/product/457/40675
 */
export function ingressListeners(listenPorts: string | undefined, hasTls: boolean): ListenPortsResult {
  if (listenPorts !== undefined) return parseListenPorts(listenPorts);
  const listeners: DeclaredListener[] = [{ protocol: 'HTTP', port: HTTP_PORT }];
  if (hasTls) listeners.push({ protocol: 'HTTPS', port: HTTPS_PORT });
  return { listeners };
}

/**
 * One listener entry per listener, each with keepalive on and, when any rule carries per-rule settings,
 * the same domains: a TkeServiceConfig entry only matches an existing listener, domain and URL, and TKE
 * may put a rule on any of the Ingress's listeners.
 */
export function renderL7Listeners(
  listeners: readonly DeclaredListener[],
  rules: Iterable<ListenerRule>,
): TkeServiceConfigSpecLoadBalancerL7Listeners[] {
  const domains = renderDomains(rules);
  return listeners.map(({ protocol, port }) => ({
    protocol: protocol === 'HTTPS' ? TkeServiceConfigSpecLoadBalancerL7ListenersProtocol.HTTPS : TkeServiceConfigSpecLoadBalancerL7ListenersProtocol.HTTP,
    port,
    keepaliveEnable: TkeServiceConfigSpecLoadBalancerL7ListenersKeepaliveEnable.VALUE_1,
    ...(domains.length > 0 ? { domains } : {}),
  }));
}

/** TKE's default listeners without per-rule settings: HTTP 80 only, or with HTTPS 443. Rendered once, frozen. */
const DEFAULT_LISTENERS = [false, true].map((hasTls) => deepFreeze(renderL7Listeners(ingressListeners(undefined, hasTls).listeners!, [])));

/**
 * The `l7Listeners` of an Ingress with TKE's default listeners (no `listen-ports`) and no per-rule
 * settings: the same for every such Ingress, so shared (and frozen: cdk8s copies what it renders).
 *
 * @param hasTls whether the Ingress has any TLS entry
 */
export function defaultL7Listeners(hasTls: boolean): TkeServiceConfigSpecLoadBalancerL7Listeners[] {
  return DEFAULT_LISTENERS[hasTls ? 1 : 0];
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/**
 * One domain per host (in order of first appearance; a rule without a host belongs to the VIP, domain
 * `""`) with the rules that carry per-rule settings. A rule with none is routed but not listed.
 */
export function renderDomains(rules: Iterable<ListenerRule>): TkeServiceConfigSpecLoadBalancerL7ListenersDomains[] {
  const byDomain = new Map<string, TkeServiceConfigSpecLoadBalancerL7ListenersDomainsRules[]>();
  for (const rule of rules) {
    const { healthCheck, session, scheduler, forwardType } = rule.options;
    if (healthCheck === undefined && session === undefined && scheduler === undefined && forwardType === undefined) continue;
    const domain = rule.host ?? '';
    const domainRules = byDomain.get(domain) ?? [];
    domainRules.push({
      url: rule.path,
      ...(forwardType !== undefined ? { forwardType } : {}),
      ...(session !== undefined ? { session: { ...session } } : {}),
      ...(healthCheck !== undefined ? { healthCheck: { ...healthCheck } } : {}),
      ...(scheduler !== undefined ? { scheduler } : {}),
    });
    byDomain.set(domain, domainRules);
  }
  return [...byDomain.entries()].map(([domain, domainRules]) => ({ domain, rules: domainRules }));
}
