import * as kplus from 'cdk8s-plus-27';
import { LoopbackSafeIngressListenPort } from './props';
import { ingressDefaultBackend, ingressHosts, ingressTls, IngressState, PlusPaths, routesHost, rulesPerHost } from './state';
import { TkeServiceConfigBinding } from './tke-service-config-binding';
import { annotationConflicts, patchedAwayProblems } from '../private/annotation-conflicts';
import { AppIndex, namespaceOf } from '../private/app-checks';
import { idAnnotationProblems, passToTargetProblems } from '../private/id-annotations';
import { tlsHostCovers, validateHealthCheck, validateIntRange, validateObjectName, validateOneOf, validateSession } from '../private/ingress-validation';
import { describeValue } from '../private/k8s-names';
import { annotationsOf, hasJsonPatches } from '../private/metadata';
import { TkeAnnotations, TkeNames } from '../tke/annotations';
import { parseListenPorts } from '../tke/listen-ports';
import { L7_PROTOCOLS } from '../tke/tke-service-config-limits';

/** The annotations that make an Ingress reuse a CLB. */
export const REUSE_KEYS = [TkeAnnotations.INGRESS_EXIST_LB_ID];

/**
 * The checks of a `LoopbackSafeIngress`: of its props in the constructor, and at synth of what later
 * calls (or changes to the objects passed in) may have broken. Not exported from the package.
 */

/** `binding`, checked: `EXPLICIT` (the default) or `AUTO`. */
export function checkBinding(binding: TkeServiceConfigBinding | undefined): TkeServiceConfigBinding {
  const checked = binding ?? TkeServiceConfigBinding.EXPLICIT;
  if (checked !== TkeServiceConfigBinding.EXPLICIT && checked !== TkeServiceConfigBinding.AUTO) {
    throw new Error(`'binding' must be TkeServiceConfigBinding.EXPLICIT or TkeServiceConfigBinding.AUTO, got ${JSON.stringify(String(checked))}`);
  }
  return checked;
}

/** `serviceConfigName`, checked: only with `EXPLICIT`, an object name, not a name TKE reserves. */
export function checkServiceConfigName(name: string | undefined, binding: TkeServiceConfigBinding): void {
  if (name === undefined) return;
  if (binding === TkeServiceConfigBinding.AUTO) {
    throw new Error(
      `'serviceConfigName' cannot be used with TkeServiceConfigBinding.AUTO (the controller names the config <ingress-name>${TkeNames.AUTO_INGRESS_CONFIG_SUFFIX}), got ${JSON.stringify(name)}`,
    );
  }
  for (const suffix of [TkeNames.AUTO_INGRESS_CONFIG_SUFFIX, TkeNames.AUTO_SERVICE_CONFIG_SUFFIX]) {
    if (typeof name === 'string' && name.endsWith(suffix)) {
      throw new Error(`'serviceConfigName' must not end in "${suffix}" (TKE reserves it for the configs its controllers create), got ${JSON.stringify(name)}`);
    }
  }
  validateObjectName(name, 'serviceConfigName');
}

/**
 * The `listen-ports` value to write for the `listenPorts` prop, or undefined when the prop is not
 * set. A hand-set annotation must parse; when both are given they must declare the same listeners
 * (the hand-set string is then kept as it is).
 */
export function listenPortsAnnotation(
  listenPorts: LoopbackSafeIngressListenPort[] | undefined,
  userAnnotations: { readonly [key: string]: string },
): string | undefined {
  const key = TkeAnnotations.INGRESS_LISTEN_PORTS;
  const handSet = userAnnotations[key];
  const parsedHandSet = handSet === undefined ? undefined : parseListenPorts(handSet);
  if (parsedHandSet?.problem !== undefined) throw new Error(`'metadata.annotations' sets ${key}, which is malformed: ${parsedHandSet.problem}`);
  if (listenPorts === undefined) return undefined;
  if (!Array.isArray(listenPorts) || listenPorts.length === 0) {
    throw new Error(`'listenPorts' must list at least one listener such as { protocol: HTTP, port: 8080 }, got ${describeValue(listenPorts)}`);
  }
  const value = JSON.stringify(listenPorts.map((l, i) => {
    if (l === null || typeof l !== 'object') throw new Error(`'listenPorts[${i}]' must be an object such as { protocol: HTTP, port: 8080 }, got ${describeValue(l)}`);
    validateOneOf<string>(l.protocol, L7_PROTOCOLS, `listenPorts[${i}].protocol`);
    if (l.protocol === undefined) throw new Error(`'listenPorts[${i}].protocol' is required (HTTP or HTTPS), got undefined`);
    validateIntRange(l.port, 1, 65535, `listenPorts[${i}].port`);
    if (l.port === undefined) throw new Error(`'listenPorts[${i}].port' is required (1 to 65535), got undefined`);
    return { [l.protocol]: l.port };
  }));
  const parsed = parseListenPorts(value);
  if (parsed.problem !== undefined) throw new Error(`'listenPorts' ${parsed.problem}`);
  if (parsedHandSet?.listeners !== undefined) {
    const same = (a: ReadonlyArray<{ protocol: string; port: number }>) => a.map((l) => `${l.protocol}:${l.port}`).join(',');
    if (same(parsedHandSet.listeners) !== same(parsed.listeners)) {
      throw new Error(`'metadata.annotations' sets ${key}: ${JSON.stringify(handSet)}, but 'listenPorts' needs ${JSON.stringify(value)}: remove one of them`);
    }
    return handSet;
  }
  return value;
}

/**
 * Every problem of one Ingress at synth: the invariants that later calls can break, judged on the
 * Ingress as it is now, and its backends against the Services of the app. The common case (no JSON
 * patch, no per-rule setting, no problem) allocates little: this runs once per Ingress per synth.
 */
export function ingressProblems(state: IngressState, index: AppIndex): string[] {
  const unpatched = annotationsOf(state.ingress.metadata);
  const patched = hasJsonPatches(state.ingressObject);
  const annotations = patched ? finalAnnotations(state, index) : unpatched;
  // A JSON patch may add or remove `spec.tls`, which decides whether the Ingress needs an HTTPS listener.
  const manifest = patched ? index.rendered(state.ingressObject) : undefined;
  const hasTls = manifest !== undefined ? patchedHasTls(manifest) : ingressTls(state.ingress).length > 0;
  const problems = synthProblems(state, annotations, unpatched, hasTls);
  backendProblems(state, index, annotations, problems);
  return problems;
}

/** The invariants that later calls can break, judged on the Ingress's final `annotations`. */
function synthProblems(
  state: IngressState,
  annotations: { readonly [key: string]: string },
  unpatched: { readonly [key: string]: string },
  hasTls: boolean,
): string[] {
  // Each check appends to the one list: this runs once per Ingress per synth.
  // An annotation the construct set and `metadata.addAnnotation()` changed later (the binding's among them).
  const problems = annotationConflicts(state.required, unpatched);
  const explicit = annotations[TkeAnnotations.INGRESS_TKE_SERVICE_CONFIG];
  const auto = annotations[TkeAnnotations.INGRESS_TKE_SERVICE_CONFIG_AUTO];
  if (explicit !== undefined && auto !== undefined) {
    problems.push(
      `the Ingress carries both ${TkeAnnotations.INGRESS_TKE_SERVICE_CONFIG}: ${JSON.stringify(explicit)} and ` +
        `${TkeAnnotations.INGRESS_TKE_SERVICE_CONFIG_AUTO}: ${JSON.stringify(auto)}; TKE forbids both on one Ingress ('binding' is ${state.binding.mode})`,
    );
  }
  idAnnotationProblems(annotations, TkeAnnotations.INGRESS_SUBNET_ID, TkeAnnotations.INGRESS_EXIST_LB_ID, problems);
  passToTargetProblems(annotations, TkeAnnotations.INGRESS_PASS_TO_TARGET, REUSE_KEYS, problems);
  if (annotations !== unpatched) {
    // Only what a JSON patch removed or changed: what the metadata itself changed is reported above.
    patchedAwayProblems('Ingress', state.required.filter(({ key, value }) => unpatched[key] === value), annotations, problems);
  }
  const tls = ingressTls(state.ingress);
  const listenPorts = annotations[TkeAnnotations.INGRESS_LISTEN_PORTS];
  if (listenPorts !== undefined) {
    const parsed = parseListenPorts(listenPorts);
    if (parsed.problem !== undefined) {
      problems.push(`${TkeAnnotations.INGRESS_LISTEN_PORTS} is malformed: ${parsed.problem}`);
    } else if (hasTls && !parsed.listeners.some((l) => l.protocol === 'HTTPS')) {
      // listen-ports replaces TKE's default 80/443 listeners (https://www.tencentcloud.com/document/product/457/40675):
      // without an HTTPS entry the CLB gets no HTTPS listener, and the TLS hosts are never served over TLS.
      problems.push(
        `'tls' is set, but ${TkeAnnotations.INGRESS_LISTEN_PORTS} ${JSON.stringify(listenPorts)} declares no HTTPS listener: ` +
          'it replaces TKE\'s default 80/443 listeners, so the TLS hosts would get no HTTPS listener. Add one, such as { protocol: HTTPS, port: 443 }',
      );
    }
  }
  if (state.hasSettings) ruleOptionProblems(state, problems);
  if (tls.length > 0) tlsHostProblems(state.ingress, tls, problems);
  return problems;
}

/** Whether the Ingress's rendered `manifest` (after its JSON patches) has TLS entries. */
export function patchedHasTls(manifest: any): boolean {
  const tls = manifest?.spec?.tls;
  return Array.isArray(tls) && tls.length > 0;
}

/**
 * The Ingress's annotations as they will be written: after every JSON patch (`ApiObject.of(...).addJsonPatch`),
 * so that a patch cannot add a reused CLB, listen-ports or direct access behind the checks' back. Falls back
 * to the metadata when the Ingress cannot be rendered (rendering then fails with its own error).
 */
export function finalAnnotations(state: IngressState, index: AppIndex): { readonly [key: string]: string } {
  // Without JSON patches the metadata is the manifest: skip rendering (the synth-overhead budget).
  if (!hasJsonPatches(state.ingressObject)) return annotationsOf(state.ingress.metadata);
  const rendered = index.rendered(state.ingressObject);
  if (rendered === undefined) return annotationsOf(state.ingress.metadata);
  return rendered.metadata?.annotations ?? {};
}

/** Per-rule settings are objects the caller may still hold: judge them by their value now. */
function ruleOptionProblems(state: IngressState, problems: string[]): void {
  const check = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      problems.push(`${(e as Error).message} (the object was changed after it was passed in)`);
    }
  };
  for (const rule of state.rules) {
    const { healthCheck, session } = rule.options;
    if (healthCheck !== undefined) check(() => validateHealthCheck(healthCheck, `${rule.optionsProp}.healthCheck`));
    if (session !== undefined) check(() => validateSession(session, `${rule.optionsProp}.session`));
  }
}

/** Every TLS host must be served by a rule. */
function tlsHostProblems(ingress: kplus.Ingress, tls: readonly kplus.IngressTls[], problems: string[]): void {
  let ruleHosts: string[] | undefined;
  for (let i = 0; i < tls.length; i++) {
    const hosts = tls[i].hosts ?? [];
    for (let j = 0; j < hosts.length; j++) {
      const host = hosts[j];
      // Usually a rule names the TLS host itself; else look for a wildcard that covers it, either way.
      if (routesHost(ingress, host)) continue;
      ruleHosts ??= ingressHosts(ingress);
      if (!ruleHosts.some((ruleHost) => tlsHostCovers(host, ruleHost) || tlsHostCovers(ruleHost, host))) {
        problems.push(`'tls[${i}].hosts[${j}]' is ${JSON.stringify(host)}, but no rule serves that host: add a rule for it or remove it from the TLS hosts`);
      }
    }
  }
}

/** How the user gave the backend of the rule for `host` + `path`, for error messages. */
function backendSource(state: IngressState, host: string | undefined, path: string): string {
  return state.rules.find((r) => r.host === host && r.path === path)?.source ?? `the backend of host ${host === undefined ? '(none)' : JSON.stringify(host)} path ${JSON.stringify(path)}`;
}

/**
 * The backends checked against the Services of this app, at synth: a Service must be in the Ingress's
 * namespace (the mirror of `routeInCluster()` shares it), and without direct access it must have a
 * NodePort, which the CLB binds on every node. A Service that this app does not define is not checked.
 */
function backendProblems(state: IngressState, index: AppIndex, annotations: { readonly [key: string]: string }, problems: string[]): void {
  const namespace = namespaceOf(state.ingressObject);
  const directAccess = annotations[TkeAnnotations.INGRESS_DIRECT_ACCESS] === 'true';
  // A plain loop over the routes, not a callback with a closure per route: this runs for every rule at synth.
  const perHost = rulesPerHost(state.ingress);
  let count = 0;
  for (const host in perHost) {
    const routes = perHost[host];
    count += routes.length;
    for (let i = 0; i < routes.length; i++) {
      checkBackend(state, index, namespace, directAccess, routes[i].backend, host === '' ? undefined : host, routes[i].path, problems);
    }
  }
  const defaultBackend = ingressDefaultBackend(state.ingress);
  if (defaultBackend) checkBackend(state, index, namespace, directAccess, defaultBackend._toKube(), undefined, undefined, problems);
  // Counted, not compared rule by rule: the rules are looked up only when the counts differ.
  if (count !== state.rules.length) uncheckedRouteProblems(state, perHost, problems);
  const tls = ingressTls(state.ingress);
  for (let i = state.tlsCount; i < tls.length; i++) {
    problems.push(`'tls[${i}]' was added without this construct's checks (${BYPASS}): add it with addTls()`);
  }
}

/**
 * How routing can reach the cdk8s-plus Ingress without the construct's checks: `kplus.Ingress.prototype`'s
 * `addRules()` and `addTls()` (its other methods call `this.addRules()`, the checked override).
 */
const BYPASS = 'by kplus.Ingress.prototype.addRules/addTls called on it, which neither checks it nor mirrors it to routeInCluster() nor the TkeServiceConfig\'s rules';

/** The routes of the cdk8s-plus Ingress that the construct did not add (and so did not check). */
function uncheckedRouteProblems(state: IngressState, perHost: PlusPaths, problems: string[]): void {
  for (const host in perHost) {
    const h = host === '' ? undefined : host;
    for (const { path } of perHost[host]) {
      if (state.rules.some((r) => r.host === h && r.path === path)) continue;
      problems.push(
        `host ${h === undefined ? '(none)' : JSON.stringify(h)} path ${JSON.stringify(path)} was added without this construct's checks (${BYPASS}): ` +
          'add it with addHostRule(), addRule(), addRules() or addRulesWithSettings()',
      );
    }
  }
}

/**
 * One backend checked against the Services of this app. `path` is `undefined` for the default backend;
 * its source (for the message) is looked up only when there is a problem.
 */
function checkBackend(
  state: IngressState,
  index: AppIndex,
  namespace: string,
  directAccess: boolean,
  backend: kplus.k8s.IngressBackend,
  host: string | undefined,
  path: string | undefined,
  problems: string[],
): void {
  const name = backend.service?.name;
  if (name === undefined) return;
  const service = index.service(namespace, name);
  if (service === undefined) {
    const elsewhere = index.servicesNamed(name);
    if (elsewhere.length > 0) {
      problems.push(
        `${path === undefined ? state.defaultBackendSource ?? 'the default backend' : backendSource(state, host, path)} routes to Service ${JSON.stringify(name)}, which this app defines in namespace ` +
          `${elsewhere.map((s) => `${JSON.stringify(namespaceOf(s))} (${s.node.path})`).join(', ')}, but the Ingress ` +
          `${state.mirrored ? '(and its routeInCluster() mirror) ' : ''}is in namespace ${JSON.stringify(namespace)}: ` +
          'an Ingress only routes to Services of its own namespace; put the Service and the Ingress in one namespace',
      );
    }
    return;
  }
  if (directAccess) return;
  const spec = index.serviceSpec(service);
  if (spec === undefined) return;
  const type = spec.type ?? 'ClusterIP';
  if (type === 'ClusterIP' || spec.clusterIP === 'None') {
    problems.push(
      `${path === undefined ? state.defaultBackendSource ?? 'the default backend' : backendSource(state, host, path)} routes to Service ${namespace}/${name} (${service.node.path}), which is ` +
        `${spec.clusterIP === 'None' ? 'headless' : 'of type ClusterIP'}: without direct access the CLB binds each backend ` +
        "Service's NodePort on every node, so the Service must be of type NodePort (or LoadBalancer), " +
        "or set 'directAccess: true' (VPC-CNI, or GlobalRouter with GlobalRouteDirectAccess: \"true\" in kube-system/tke-service-controller-config)",
    );
  }
}
