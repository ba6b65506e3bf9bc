import { ApiObject, IAnyProducer } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { ListenerRule } from './listeners';
import { TkeServiceConfigBinding } from './tke-service-config-binding';
import { RequiredAnnotation } from '../private/annotation-conflicts';

/**
 * What a `LoopbackSafeIngress` knows beyond the cdk8s-plus Ingress it is, read by its synth-time checks
 * (./validation.ts), its listener rendering (./listeners.ts) and its in-cluster mirror
 * (./in-cluster-route.ts); and the readers of the routing and TLS that the cdk8s-plus Ingress holds.
 * Not exported from the package.
 */

/**
 * What the construct keeps of a rule, found by its host and path: the per-rule CLB settings and where
 * the rule came from, for error messages. The routing itself (path type, backend) is kept by the
 * cdk8s-plus Ingress only.
 */
export interface RuleEntry extends ListenerRule {
  /** How the user gave the rule's backend, for error messages: `'rules[0].backend'`, `the backend of addHostRule("a.com", "/")`. */
  readonly source: string;
  /** How the user gave the rule's settings, for error messages: `rules[0]`, `addRulesWithSettings() rules[0]`. */
  readonly optionsProp: string;
}

/**
 * The state of one `LoopbackSafeIngress` beyond its cdk8s-plus Ingress, one record that the construct
 * keeps up to date and its synth-time checks read. It is also the producer of the TkeServiceConfig's
 * `l7Listeners` (`Lazy.any(state)`), through a `produce` function shared by every Ingress: no closure
 * is made per Ingress (the synth-overhead budget).
 */
export interface IngressState extends IAnyProducer {
  /** The cdk8s-plus Ingress (the construct itself): routing and TLS are read from it. */
  readonly ingress: kplus.Ingress;
  /** `ApiObject.of(ingress)`. */
  readonly ingressObject: ApiObject;
  readonly serviceConfigName: string;
  readonly binding: TkeServiceConfigBinding;
  /** The settings and sources of the rules, in the order they were added; one per host+path. */
  rules: RuleEntry[];
  /** How the user gave the default backend, for error messages. */
  defaultBackendSource?: string;
  /** The annotations the construct writes on the Ingress, re-checked on the patched manifest. */
  readonly required: readonly RequiredAnnotation[];
  /** Whether `routeInCluster()` made a mirror Ingress, which shares the namespace. */
  mirrored: boolean;
  /** Whether any rule carries a per-rule CLB setting. */
  hasSettings: boolean;
  /**
   * How many TLS entries went through the construct's checks: more in the cdk8s-plus Ingress means some
   * were added behind its back (`kplus.Ingress.prototype.addTls.call(...)`).
   */
  tlsCount: number;
}

/** One routing rule of a cdk8s-plus Ingress, as it holds it: the backend already rendered. */
export interface IngressRoute {
  /** The host, or `undefined` for a rule of every host. */
  readonly host?: string;
  readonly path: string;
  readonly pathType: kplus.HttpIngressPathType;
  readonly backend: kplus.k8s.IngressBackend;
}

/*
 * cdk8s-plus keeps an Ingress's routing and TLS in private fields, which it renders in the API object's
 * spec. They are read here, not copied: a field that is missing (another cdk8s-plus release) fails
 * loudly, naming it, rather than letting the checks and the TkeServiceConfig silently see nothing
 * (test/ingress/plus-ingress-state.test.ts).
 */

function privateField(ingress: kplus.Ingress, field: string, isArray: boolean): any {
  const value = (ingress as any)[field];
  if (value === null || typeof value !== 'object' || Array.isArray(value) !== isArray) {
    throw new Error(`the cdk8s-plus Ingress has no ${field} ${isArray ? 'list' : 'map'} (got ${typeof value}): this cdk8s-plus-27 release is not supported`);
  }
  return value;
}

/** The rules of `ingress` for one host, as cdk8s-plus holds them (`''`: the rules without a host). */
export interface PlusPaths {
  [host: string]: Array<{ path: string; pathType: kplus.HttpIngressPathType; backend: kplus.k8s.IngressBackend }>;
}

/** The rules of `ingress` by host (`''`: the rules without a host), as cdk8s-plus holds them: read, never change. */
export function rulesPerHost(ingress: kplus.Ingress): PlusPaths {
  return privateField(ingress, '_rulesPerHost', false);
}

/** Calls `fn` for each routing rule of `ingress`, host by host (in order of first appearance). */
export function forEachRoute(
  ingress: kplus.Ingress,
  fn: (host: string | undefined, path: string, backend: kplus.k8s.IngressBackend, pathType: kplus.HttpIngressPathType) => void,
): void {
  const perHost = rulesPerHost(ingress);
  for (const host in perHost) {
    for (const route of perHost[host]) fn(host === '' ? undefined : host, route.path, route.backend, route.pathType);
  }
}

/** Whether a rule of `ingress` names `host` itself. */
export function routesHost(ingress: kplus.Ingress, host: string): boolean {
  return rulesPerHost(ingress)[host] !== undefined;
}

/** The hosts that the rules of `ingress` name (not the rules without a host). */
export function ingressHosts(ingress: kplus.Ingress): string[] {
  return Object.keys(rulesPerHost(ingress)).filter((host) => host !== '');
}

/** Whether `ingress` has any routing rule (a default backend is not one). */
export function hasAnyRoute(ingress: kplus.Ingress): boolean {
  for (const _host in rulesPerHost(ingress)) return true;
  return false;
}

/** Whether `ingress` routes `host` (`undefined`: no host) + `path` already. */
export function hasRoute(ingress: kplus.Ingress, host: string | undefined, path: string): boolean {
  const routes = rulesPerHost(ingress)[host ?? ''];
  if (routes === undefined) return false;
  for (let i = 0; i < routes.length; i++) if (routes[i].path === path) return true;
  return false;
}

/** The TLS entries of `ingress`, the objects given to it. */
export function ingressTls(ingress: kplus.Ingress): readonly kplus.IngressTls[] {
  return privateField(ingress, '_tlsConfig', true);
}

/** The default backend of `ingress`, if it has one. */
export function ingressDefaultBackend(ingress: kplus.Ingress): kplus.IngressBackend | undefined {
  // cdk8s-plus sets the field only once there is a default backend (test/ingress/plus-ingress-state.test.ts
  // checks that it still is the field it reads).
  return (ingress as any)._defaultBackend;
}
