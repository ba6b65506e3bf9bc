import { Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { InClusterRoute } from './in-cluster-route';
import { produceListeners } from './produce-listeners';
import { LoopbackSafeIngressProps, LoopbackSafeIngressRule, LoopbackSafeIngressRuleOptions, RouteInClusterOptions } from './props';
import { checkIngressProps } from './props-check';
import { CheckedRule, checkRoute, duplicateRoute, RULE_BACKEND_PROPS, RULE_PROPS, rulePropAt } from './rule-checks';
import { forEachRoute, hasAnyRoute, hasRoute, ingressDefaultBackend, ingressTls, IngressState, RuleEntry } from './state';
import { TkeServiceConfigBinding } from './tke-service-config-binding';
import { checkBinding, ingressProblems } from './validation';
import { appChecksOf } from '../private/app-checks';
import { constructorArgumentProblem, errorOf, futurePathError, withConstructPath } from '../private/construct-errors';
import { isValidHost, validateHost } from '../private/ingress-validation';
import { describeValue, dns1123LabelProblem, throwIf } from '../private/k8s-names';
import { metadataProblem } from '../private/metadata';
import { ingressBackendOf } from '../private/plus-compat';
import { TkeServiceConfig } from '../tke/imports/cloud.tencent.com';

/**
 * The construct id of the TkeServiceConfig. cdk8s emits a chart's objects in construct-tree order, and
 * the Ingress's own API object (`Resource`) was made by cdk8s-plus before the config; but constructs
 * lists children by id as JavaScript orders object keys, array indices first. With id `0` the config
 * is emitted before the Ingress (the order kubectl applies them) without a dependency edge, which
 * costs cdk8s about a tenth of the synth time of an Ingress (docs/performance.md). The examples'
 * golden output (test/examples-golden.test.ts) and test/loopback-safe-ingress.test.ts pin the order.
 */
const SERVICE_CONFIG_ID = '0';

/** The settings of a rule without per-rule CLB settings, shared. */
const NO_SETTINGS: LoopbackSafeIngressRuleOptions = Object.freeze({});

/** The per-rule CLB settings, which a cdk8s-plus `IngressRule` does not carry. */
const SETTINGS = ['healthCheck', 'session', 'scheduler', 'forwardType'] as const;

/**
 * A TKE CLB Ingress (class `qcloud`) with the layer-7 loopback fix: a TkeServiceConfig bound to it that
 * turns on keepalive (`keepaliveEnable: 1`) on every layer-7 listener: HTTP 80 always and HTTPS 443
 * when the Ingress has TLS, or exactly the listeners of `ingress.cloud.tencent.com/listen-ports` when
 * it is set (`listenPorts`).
 *
 * Keepalive alone is not enough: CLB layer-7 SNAT must be enabled on the CLB by a Tencent ticket, which
 * no manifest can do. With SNAT the client IP is only in `X-Forwarded-For`.
 *
 * Keepalive itself is a beta CLB feature that Tencent enables per account by ticket (a whitelist).
 * Tencent tells users without the whitelist not to declare it: a listener-level configuration error can
 * fail the whole CLB sync. So open the ticket for both (layer-7 SNAT and keepalive) before deploying
 * this construct, as the loopback page's own steps do.
 *
 * With a reused CLB (`existingLoadBalancerId`) no `pass-to-target` annotation is written, because
 * Tencent ignores it there: allow 100.127.0.0/16 in the CVM security group, or turn on the CLB's own
 * "allow by default" setting.
 *
 * The construct is a cdk8s-plus-27 `Ingress`: `ApiObject.of(ing)` is the Ingress's API object, and its
 * TkeServiceConfig is its child (`serviceConfig`), emitted before it. Listeners and per-rule settings are
 * computed at synth time from the Ingress's own rules and TLS, so whatever is added after construction,
 * with the cdk8s-plus methods (`addHostRule()`, `addRule()`, `addRules()`, `addDefaultBackend()`,
 * `addHostDefaultBackend()`, `addTls()`) or with `addRulesWithSettings()`, is checked and reaches the
 * TkeServiceConfig (and the `routeInCluster()` mirror). Per-rule CLB settings, and backends of
 * cdk8s-plus-28 to -33, go through the `rules` prop or `addRulesWithSettings()`.
 *
 * Which listener a rule's settings go on: TKE puts the rules of an Ingress without TLS on HTTP 80, and
 * those of an Ingress with TLS on HTTPS 443 (HTTP 80 too when the Ingress mixes protocols). A
 * TkeServiceConfig entry only matches an existing listener, domain and URL, so the construct lists a
 * rule with settings under HTTP 80 always and, when there is any TLS, under HTTPS 443 as well.
 *
 * @see https://www.tencentcloud.com/document/product/457/42976
 * @see https://www.tencentcloud.com/document/product/457/37015
 * @see https://cloud.tencent.com/document/product/214/54821
 */
export class LoopbackSafeIngress extends kplus.Ingress {
  /**
   * The TkeServiceConfig bound to the Ingress, in the Ingress's namespace: `<ingress-name>-loopback`
   * (or `serviceConfigName`) for the `EXPLICIT` binding, `<ingress-name>-auto-ingress-config` for
   * `AUTO`. It is this construct's child with id `0`, which cdk8s emits before the Ingress.
   */
  public readonly serviceConfig: TkeServiceConfig;

  /**
   * How the Ingress is bound to `serviceConfig`.
   */
  public readonly binding: TkeServiceConfigBinding;

  /**
   * What this construct knows beyond the cdk8s-plus Ingress (./state.ts), read by the synth-time checks
   * and the listener rendering: above all, what the cdk8s-plus Ingress does not hold of each rule, its
   * CLB settings and where it came from. The routing itself and the TLS entries are read from the
   * cdk8s-plus Ingress. One record, kept up to date, so that a synth reads it without copying it.
   */
  private readonly _state: IngressState;
  /** The in-cluster mirror, once `routeInCluster()` was called. */
  private _inCluster?: InClusterRoute;

  /**
   * @param scope the parent construct
   * @param id the construct id
   * @param props the Ingress, its rules and its TkeServiceConfig binding
   */
  constructor(scope: Construct, id: string, props: LoopbackSafeIngressProps = {}) {
    // Only the metadata goes to cdk8s-plus, checked first so that cdk8s never sees a malformed one; the
    // rest is checked and added below, through this construct's own checks. The construct is not built
    // yet, so errors name its future path.
    const type = new.target.name;
    const problem = constructorArgumentProblem(scope, id) ??
      (props === null || typeof props !== 'object' ? `props must be an object, got ${describeValue(props)}` : metadataProblem(props.metadata));
    if (problem !== undefined) throw futurePathError(type, scope, id, new Error(problem));
    try {
      super(scope, id, { metadata: props.metadata });
    } catch (e) {
      // cdk8s and constructs fail here for a scope in no Chart, a duplicate or an empty id. What was added
      // to the tree before the failure is taken out again: a construct of this class whose constructor
      // never finished (it has no state), not one that had the id already.
      const added = scope.node.tryFindChild(id);
      if (added instanceof LoopbackSafeIngress && added._state === undefined) scope.node.tryRemoveChild(added.node.id);
      throw futurePathError(type, scope, id, e);
    }
    try {
      this.binding = checkBinding(props.binding);
      const { configName, required } = checkIngressProps(props, this.binding, this.name);
      const metadata = this.metadata;
      for (let i = 0; i < required.length; i++) metadata.addAnnotation(required[i].key, required[i].value);
      // The namespace cdk8s copied from the chart, when 'metadata.namespace' (checked above) is unset.
      const namespace = metadata.namespace;
      if (props.metadata?.namespace === undefined && namespace !== undefined) throwIf(dns1123LabelProblem(namespace, "the chart's namespace"));

      const state: IngressState = {
        ingress: this,
        ingressObject: this.apiObject,
        serviceConfigName: configName,
        binding: this.binding,
        rules: [],
        required,
        mirrored: false,
        hasSettings: false,
        tlsCount: 0,
        produce: produceListeners,
      };
      this._state = state;
      this.serviceConfig = new TkeServiceConfig(this, SERVICE_CONFIG_ID, {
        metadata: props.metadata?.namespace !== undefined ? { name: configName, namespace: props.metadata.namespace } : { name: configName },
        // The state renders the listeners at synth (produceListeners).
        spec: { loadBalancer: { l7Listeners: Lazy.any(state) as any } },
      });

      if (props.defaultBackend !== undefined) this.setDefaultBackend(props.defaultBackend, 'defaultBackend', "'defaultBackend'");
      if (props.rules !== undefined) this.addPropRules(props.rules);
      if (props.tls !== undefined) this.addTlsEntries(props.tls);
      // Every synth-time check of this Ingress runs in the one app-wide pass (src/private/app-checks.ts),
      // not in a validation of its own: one walk of the tree per synth, whatever the number of Ingresses.
      // Registered last, so that a constructor that fails registers nothing.
      const checks = appChecksOf(this);
      checks.own(this.apiObject);
      checks.own(this.serviceConfig);
      checks.add(this, ingressProblems, state);
    } catch (e) {
      const error = errorOf(this, e);
      // The caller may catch the error and synthesize anyway: leave no half-built Ingress (nor its
      // TkeServiceConfig) behind.
      scope.node.tryRemoveChild(this.node.id);
      throw error;
    }
  }

  /**
   * Routes requests for `host` + `path` to `backend`, checked (cdk8s-plus `Ingress.addHostRule()`). For
   * per-rule CLB settings, use `addRulesWithSettings()`.
   *
   * @param host an RFC 1123 host name, with a wildcard only as the whole leftmost label (`*.example.com`)
   * @param path the path, starting with `/`
   * @param backend where matching requests go (at run time, an `IngressBackend` of any of cdk8s-plus-27 to -33)
   * @param pathType how the path is matched against request paths (default `Prefix`)
   */
  public addHostRule(host: string, path: string, backend: kplus.IngressBackend, pathType?: kplus.HttpIngressPathType): void {
    withConstructPath(this, () => {
      const call = `addHostRule(${JSON.stringify(host)}, ${JSON.stringify(path)})`;
      this.addRoute({ host: this.checkHostArgument(host, 'addRule()'), path, backend, pathType }, '', `the backend of ${call}`, call, 'addHostRule');
    });
  }

  /**
   * Routes requests for `path` on any host to `backend`, checked (cdk8s-plus `Ingress.addRule()`). On
   * the CLB the rule belongs to the VIP, which the TkeServiceConfig addresses as domain `""`.
   *
   * @param path the path, starting with `/`
   * @param backend where matching requests go (at run time, an `IngressBackend` of any of cdk8s-plus-27 to -33)
   * @param pathType how the path is matched against request paths (default `Prefix`)
   */
  public addRule(path: string, backend: kplus.IngressBackend, pathType?: kplus.HttpIngressPathType): void {
    withConstructPath(this, () => {
      const call = `addRule(${JSON.stringify(path)})`;
      this.addRoute({ host: undefined, path, backend, pathType }, '', `the backend of ${call}`, call, 'addRule');
    });
  }

  /**
   * Adds cdk8s-plus routing rules, checked (cdk8s-plus `Ingress.addRules()`): a rule without host and
   * path sets the default backend, one with a host and no path routes `/`. For per-rule CLB settings,
   * use `addRulesWithSettings()`.
   *
   * @param rules the rules to add
   */
  public addRules(...rules: kplus.IngressRule[]): void {
    // cdk8s-plus's own constructor calls this (with no rules) before this construct is initialized.
    if (rules.length === 0) return;
    withConstructPath(this, () => rules.forEach((rule, i) => {
      const prop = `rules[${i}]`;
      const source = `'${prop}.backend' of addRules()`;
      if (rule === null || typeof rule !== 'object') return this.addRoute(rule as any, prop, source);
      for (const setting of SETTINGS) {
        if ((rule as LoopbackSafeIngressRule)[setting] !== undefined) {
          throw new Error(`'${prop}.${setting}' is a per-rule CLB setting, which addRules() does not take (a cdk8s-plus IngressRule): use addRulesWithSettings()`);
        }
      }
      if (rule.host === undefined && rule.path === undefined) return this.setDefaultBackend(rule.backend, `${prop}.backend`, source);
      return this.addRoute({ ...rule, path: rule.path ?? '/' }, prop, source);
    }));
  }

  /**
   * Adds routing rules with their per-rule CLB settings (health check, session persistence, scheduler,
   * forward type), which go to the TkeServiceConfig, like the `rules` prop. A rule's backend may be an
   * `IngressBackend` of any of cdk8s-plus-27 to -33.
   *
   * @param rules the rules to add
   */
  public addRulesWithSettings(...rules: LoopbackSafeIngressRule[]): void {
    withConstructPath(this, () => rules.forEach((rule, i) => this.addRoute(rule, `rules[${i}]`, `'rules[${i}].backend' of addRulesWithSettings()`)));
  }

  /**
   * Sets the backend for requests that match no rule, checked (cdk8s-plus `Ingress.addDefaultBackend()`).
   * An Ingress has one default backend at most.
   *
   * @param backend the backend (at run time, an `IngressBackend` of any of cdk8s-plus-27 to -33)
   */
  public addDefaultBackend(backend: kplus.IngressBackend): void {
    withConstructPath(this, () => this.setDefaultBackend(backend, 'backend', 'the backend of addDefaultBackend()'));
  }

  /**
   * Routes every request for `host` that matches no other rule of it to `backend`: a rule for `host` +
   * `/` (cdk8s-plus `Ingress.addHostDefaultBackend()`).
   *
   * @param host an RFC 1123 host name, with a wildcard only as the whole leftmost label (`*.example.com`)
   * @param backend the backend (at run time, an `IngressBackend` of any of cdk8s-plus-27 to -33)
   */
  public addHostDefaultBackend(host: string, backend: kplus.IngressBackend): void {
    withConstructPath(this, () => {
      const call = `addHostDefaultBackend(${JSON.stringify(host)})`;
      this.addRoute({ host: this.checkHostArgument(host, 'addDefaultBackend()'), path: '/', backend }, '', `the backend of ${call}`, call, 'addHostDefaultBackend');
    });
  }

  /**
   * Adds TLS settings, checked (cdk8s-plus `Ingress.addTls()`). The first TLS entry adds the HTTPS 443
   * listener to the TkeServiceConfig; every host listed must be served by a rule by synth time.
   *
   * @param tls the TLS entries
   */
  public addTls(tls: kplus.IngressTls[]): void {
    withConstructPath(this, () => this.addTlsEntries(tls));
  }

  /**
   * The in-cluster mirror Ingress made by `routeInCluster()`, or `undefined` before it is called.
   */
  public get inClusterIngress(): kplus.Ingress | undefined {
    return this._inCluster?.ingress;
  }

  /**
   * Keeps clients inside the cluster off the CLB when several Services share a domain: they reach your
   * own ingress controller (for example ingress-nginx) instead, which routes by host and path.
   *
   * - Emits an Ingress of the given class (`<ingress-name>-in-cluster`, in the same namespace) that
   *   mirrors every rule of this Ingress to the same backends, plus its default backend and TLS
   *   entries; rules, default backend and TLS added later are mirrored too.
   * - Rewrites each host, with `options.dns`, to the controller Service's in-cluster name (by default
   *   `ingress-nginx-controller.ingress-nginx.svc.cluster.local`). A wildcard host `*.example.com`
   *   becomes a regex rule matching one label. Rules without a host get no rewrite.
   *
   * May be called once. Throws when a host cannot be rewritten (for example, `dns` already rewrites
   * it elsewhere), naming the host; such a call leaves no mirror and no rewrite behind.
   *
   * @param options the controller and the CoreDnsRewrite
   * @returns the mirror Ingress
   * @see https://www.tencentcloud.com/document/product/457/42976
   */
  public routeInCluster(options: RouteInClusterOptions): kplus.Ingress {
    return withConstructPath(this, () => {
      if (this._inCluster) throw new Error(`routeInCluster() was already called on ${this.node.path}`);
      const route = InClusterRoute.create(this, 'InCluster', this.name, this.metadata.namespace, options);
      try {
        // All or nothing in the CoreDnsRewrite too: a host that fails takes back the rewrites of the hosts before it.
        options.dns._allOrNothing(() => forEachRoute(this, (host, path, backend, pathType) => route.addRoute({ host, path, pathType, backend })));
      } catch (e) {
        // The caller may catch the error and synthesize anyway (or call again with another CoreDnsRewrite):
        // leave no half-filled mirror behind.
        this.node.tryRemoveChild(route.ingress.node.id);
        throw e;
      }
      const defaultBackend = ingressDefaultBackend(this);
      if (defaultBackend) route.ingress.addDefaultBackend(defaultBackend);
      const tls = ingressTls(this);
      if (tls.length > 0) route.ingress.addTls([...tls]);
      this._inCluster = route;
      this._state.mirrored = true;
      return route.ingress;
    });
  }

  /** `host` as an argument of `addHostRule()` / `addHostDefaultBackend()`: not empty (`instead` has no host). */
  private checkHostArgument(host: string, instead: string): string {
    if (typeof host !== 'string' || host === '') {
      throw new Error(`'host' must be a host name (use ${instead} for a rule without a host), got ${describeValue(host)}`);
    }
    return host;
  }

  /**
   * Checks a rule and adds it to the Ingress (and the mirror); keeps its settings and source.
   *
   * @param rule the rule as given
   * @param prop the prop it came from (`rules[0]`), or `''` for positional arguments
   * @param source how the user gave its backend, for messages about the backend at synth
   * @param optionsProp how the user gave its settings, for messages about them at synth
   * @param caller what names the rule when it routes a host+path twice
   */
  private addRoute(rule: LoopbackSafeIngressRule, prop: string, source: string, optionsProp: string = prop, caller: string = prop): void {
    const checked = checkRoute(rule, prop);
    if (hasRoute(this, checked.host, checked.path)) throw duplicateRoute(caller, checked);
    if (this._inCluster) {
      this._inCluster.addRoute({ host: checked.host, path: checked.path, pathType: checked.pathType, backend: checked.backend._toKube() });
    }
    super.addRules(checked);
    this.keepRule(checked, rule, source, optionsProp);
  }

  /**
   * Adds the `rules` prop: every rule is checked first, then all go to cdk8s-plus in one call (the
   * constructor runs before `routeInCluster()`, so there is no mirror yet).
   */
  private addPropRules(rules: LoopbackSafeIngressRule[]): void {
    if (!Array.isArray(rules)) throw new Error(`'rules' must be a list of rules such as [{ host, path, backend }], got ${describeValue(rules)}`);
    // The Ingress has no rule yet in the constructor (a default backend is not a rule): only a repeat
    // inside the prop can clash, so each rule is not looked up among the Ingress's own.
    const first = !hasAnyRoute(this);
    // The list and each rule are read once: cdk8s-plus gets the checked copies, not the caller's objects,
    // which a getter or a Proxy could make return something else on a second read.
    const count = rules.length;
    const checked = new Array<CheckedRule>(count);
    // The prop's entries, in a list of their exact length (kept for the life of the Ingress, not grown by push()).
    const entries = new Array<RuleEntry>(count);
    for (let i = 0; i < count; i++) {
      const prop = rulePropAt(i);
      const given = rules[i];
      const rule = checkRoute(given, prop);
      if (!first && hasRoute(this, rule.host, rule.path)) throw duplicateRoute(prop, rule);
      // A repeat inside the prop itself: compared with the rules before it (a list of rules is short).
      for (let j = 0; j < i; j++) {
        if (checked[j].host === rule.host && checked[j].path === rule.path) throw duplicateRoute(prop, rule);
      }
      checked[i] = rule;
      entries[i] = this.ruleEntry(rule, given, RULE_BACKEND_PROPS[i], RULE_PROPS[i]);
    }
    super.addRules.apply(this, checked);
    const state = this._state;
    if (state.rules.length === 0) state.rules = entries;
    else for (let i = 0; i < count; i++) state.rules.push(entries[i]);
  }

  /** Keeps what cdk8s-plus does not hold of a rule it was given: its settings and where it came from. */
  private keepRule(route: CheckedRule, rule: LoopbackSafeIngressRule, source: string, optionsProp: string): void {
    this._state.rules.push(this.ruleEntry(route, rule, source, optionsProp));
  }

  /**
   * What the construct keeps of a rule (./state.ts `RuleEntry`): where `route`, the checked copy that
   * cdk8s-plus got, routes, and the settings of `rule`. Notes in the state whether it has settings.
   */
  private ruleEntry(route: CheckedRule, rule: LoopbackSafeIngressRule, source: string, optionsProp: string): RuleEntry {
    const { healthCheck, session, scheduler, forwardType } = rule;
    const hasSettings = healthCheck !== undefined || session !== undefined || scheduler !== undefined || forwardType !== undefined;
    if (hasSettings) this._state.hasSettings = true;
    return {
      host: route.host,
      path: route.path,
      options: hasSettings ? { healthCheck, session, scheduler, forwardType } : NO_SETTINGS,
      source,
      optionsProp,
    };
  }

  /** Checks the default backend and sets it on the Ingress (and the mirror). */
  private setDefaultBackend(backend: unknown, prop: string, source: string): void {
    const checked = ingressBackendOf(backend, prop);
    if (ingressDefaultBackend(this) !== undefined) {
      throw new Error(`'${prop}' sets a default backend, but the Ingress already has one (${this._state.defaultBackendSource}): an Ingress has one at most`);
    }
    this._inCluster?.ingress.addDefaultBackend(checked);
    // cdk8s-plus's addRules() takes a rule without host and path for the default backend.
    super.addRules({ backend: checked });
    this._state.defaultBackendSource = source;
  }

  /** Checks TLS entries and adds them to the Ingress (and the mirror). */
  private addTlsEntries(tls: kplus.IngressTls[]): void {
    if (!Array.isArray(tls)) throw new Error(`'tls' must be a list of TLS entries, got ${describeValue(tls)}`);
    const before = ingressTls(this).length;
    // Plain loops, and the prop name spelled out only for a problem: this runs for every Ingress with TLS.
    for (let i = 0; i < tls.length; i++) {
      const t = tls[i];
      if (t === null || typeof t !== 'object') {
        throw new Error(`'tls[${before + i}]' must be a TLS entry such as { hosts: ['a.example.com'], secret }, got ${describeValue(t)}`);
      }
      const hosts = t.hosts;
      if (hosts !== undefined && !Array.isArray(hosts)) throw new Error(`'tls[${before + i}].hosts' must be a list of host names, got ${describeValue(hosts)}`);
      for (let j = 0; hosts !== undefined && j < hosts.length; j++) {
        if (!isValidHost(hosts[j])) validateHost(hosts[j], `tls[${before + i}].hosts[${j}]`);
      }
      // cdk8s-plus writes `secret.name` as the secretName: anything else would silently drop it.
      if (t.secret !== undefined && typeof (t.secret as any)?.name !== 'string') {
        throw new Error(`'tls[${before + i}].secret' must be a cdk8s-plus Secret (Secret.fromSecretName() or new Secret()), got ${describeValue(t.secret)}`);
      }
    }
    super.addTls(tls);
    this._state.tlsCount += tls.length;
    this._inCluster?.ingress.addTls(tls);
  }
}
