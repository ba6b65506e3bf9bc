import { ApiObject, Lazy, Names } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { InClusterRoute } from './in-cluster-route';
import { ingressListeners, renderL7Listeners } from './listeners';
import { LoopbackSafeIngressProps, LoopbackSafeIngressRule, LoopbackSafeIngressRuleOptions, RouteInClusterOptions } from './props';
import { IngressState, RuleEntry } from './state';
import { TkeServiceConfigBinding } from './tke-service-config-binding';
import { backendProblems, checkBinding, checkServiceConfigName, listenPortsAnnotation, synthProblems } from './validation';
import { annotationConflicts, RequiredAnnotation, throwProblems } from '../private/annotation-conflicts';
import { registerAppCheck } from '../private/app-checks';
import { errorOf, withConstructPath } from '../private/construct-errors';
import { idAnnotationProblems, passToTargetProblems } from '../private/id-annotations';
import {
  validateBoolean,
  validateHealthCheck,
  validateHost,
  validateObjectName,
  validateOneOf,
  validatePath,
  validateSession,
  MAX_NAME_LENGTH,
} from '../private/ingress-validation';
import { describeValue, dns1123LabelProblem, throwIf } from '../private/k8s-names';
import { annotationsOf, hasJsonPatches, metadataProblem } from '../private/metadata';
import { ingressBackendOf } from '../private/plus-compat';
import { TkeAnnotations, TkeNames } from '../tke/annotations';
import { TkeIds } from '../tke/ids';
import { TkeServiceConfig, TkeServiceConfigSpecLoadBalancerL7Listeners } from '../tke/imports/cloud.tencent.com';
import { FORWARD_TYPES, L7_RULE_SCHEDULERS } from '../tke/tke-service-config-limits';

/** The suffix of the TkeServiceConfig name that the `EXPLICIT` binding derives from the Ingress name. */
const EXPLICIT_CONFIG_SUFFIX = '-loopback';

/** The path types an Ingress rule accepts. */
const PATH_TYPES = [kplus.HttpIngressPathType.PREFIX, kplus.HttpIngressPathType.EXACT, kplus.HttpIngressPathType.IMPLEMENTATION_SPECIFIC];

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
 * Listeners and per-rule settings are computed at synth time, so rules and TLS added after
 * construction (with `addHostRule()`, `addRule()`, `addRules()`, `addTls()`) reach the TkeServiceConfig. Add rules
 * through this construct, not through `ingress` directly: rules added to `ingress` are routed but not
 * known to the TkeServiceConfig.
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
export class LoopbackSafeIngress extends Construct {
  /**
   * The Ingress, of class `qcloud` (annotation `kubernetes.io/ingress.class`). It is this construct's
   * default child, so `ApiObject.of(loopbackSafeIngress)` is the Ingress's API object.
   */
  public readonly ingress: kplus.Ingress;

  /**
   * The TkeServiceConfig bound to the Ingress, in the Ingress's namespace: `<ingress-name>-loopback`
   * (or `serviceConfigName`) for the `EXPLICIT` binding, `<ingress-name>-auto-ingress-config` for `AUTO`.
   */
  public readonly serviceConfig: TkeServiceConfig;

  /**
   * How the Ingress is bound to `serviceConfig`.
   */
  public readonly binding: TkeServiceConfigBinding;

  /** Every rule added through this construct, in order. */
  private readonly _rules: RuleEntry[] = [];
  /** Every TLS entry added through this construct, in order (the objects the cdk8s-plus Ingress holds). */
  private readonly _tls: kplus.IngressTls[] = [];
  /** The default backend, for the in-cluster mirror and the backend checks. */
  private _defaultBackend?: kplus.IngressBackend;
  /** The in-cluster mirror, once `routeInCluster()` was called. */
  private _inCluster?: InClusterRoute;
  /** `ApiObject.of(ingress)`, looked up once (the lookup is not free, and the checks need it). */
  private readonly _ingressObject: ApiObject;
  /** The annotations this construct writes on the Ingress, re-checked on the patched manifest at synth. */
  private readonly _required: ReadonlyMap<string, RequiredAnnotation>;

  /**
   * @param scope the parent construct
   * @param id the construct id
   * @param props the Ingress, its rules and its TkeServiceConfig binding
   */
  constructor(scope: Construct, id: string, props: LoopbackSafeIngressProps = {}) {
    super(scope, id);
    if (props === null || typeof props !== 'object') {
      throw new Error(`LoopbackSafeIngress ${this.node.path}: props must be an object, got ${describeValue(props)}`);
    }
    try {
      this.binding = checkBinding(props.binding);
      const { ingressName, configName, required } = this.checkProps(props);

      // The Ingress name is fixed before the TkeServiceConfig is created: cdk8s emits objects in tree
      // order, so the config comes before the Ingress in the output (the order kubectl applies them)
      // without a dependency edge or an extra construct, both of which cost time at synth.
      this.serviceConfig = new TkeServiceConfig(this, 'ServiceConfig', {
        metadata: { name: configName, ...(props.metadata?.namespace !== undefined ? { namespace: props.metadata.namespace } : {}) },
        spec: { loadBalancer: { l7Listeners: Lazy.any({ produce: () => this.renderListeners() }) as any } },
      });
      // 'Default' makes the Ingress this construct's default child, for ApiObject.of().
      this.ingress = new kplus.Ingress(this, 'Default', { metadata: { ...props.metadata, name: ingressName } });
      for (const [key, { value }] of required) this.ingress.metadata.addAnnotation(key, value);
      this._required = required;
      // The namespace cdk8s copied from the chart, when 'metadata.namespace' (checked above) is unset.
      const namespace = this.ingress.metadata.namespace;
      if (props.metadata?.namespace === undefined && namespace !== undefined) throwIf(dns1123LabelProblem(namespace, "the chart's namespace"));

      this._ingressObject = ApiObject.of(this.ingress);
      // Every synth-time check of this Ingress runs in the one app-wide pass (src/private/app-checks.ts),
      // not in a validation of its own: one walk of the tree per synth, whatever the number of Ingresses.
      registerAppCheck(this, [this._ingressObject, this.serviceConfig], (index) => {
        const state = this.state();
        return [...synthProblems(state, index), ...backendProblems(state, index)];
      });

      if (props.defaultBackend !== undefined) {
        this._defaultBackend = ingressBackendOf(props.defaultBackend, 'defaultBackend');
        this.ingress.addDefaultBackend(this._defaultBackend);
      }
      if (props.rules !== undefined && !Array.isArray(props.rules)) {
        throw new Error(`'rules' must be a list of rules such as [{ host, path, backend }], got ${describeValue(props.rules)}`);
      }
      (props.rules ?? []).forEach((rule, i) => this.addRuleFromProp(rule, `rules[${i}]`, `'rules[${i}].backend'`));
      if (props.tls !== undefined) this.addTlsFromProp(props.tls);
    } catch (e) {
      throw errorOf(this, e);
    }
  }

  /**
   * Routes requests for `host` + `path` to `backend` (cdk8s-plus `Ingress.addHostRule()`). Rules added
   * after construction still reach the Ingress and the TkeServiceConfig.
   *
   * @param host an RFC 1123 host name, with a wildcard only as the whole leftmost label (`*.example.com`)
   * @param path the path, starting with `/`
   * @param backend where matching requests go: a cdk8s-plus `IngressBackend` of any of cdk8s-plus-27 to -33
   * @param options path type and per-rule CLB settings
   */
  public addHostRule(host: string, path: string, backend: any, options: LoopbackSafeIngressRuleOptions = {}): void {
    withConstructPath(this, () => {
      if (typeof host !== 'string' || host === '') {
        throw new Error(`'host' must be a host name (use addRule() for a rule without a host), got ${describeValue(host)}`);
      }
      const call = `addHostRule(${JSON.stringify(host)}, ${JSON.stringify(path)})`;
      this.addRuleFromProp({ ...options, host, path, backend }, '', `the backend of ${call}`, `${call} options`);
    });
  }

  /**
   * Routes requests for `path` on any host to `backend` (cdk8s-plus `Ingress.addRule()`). On the CLB the
   * rule belongs to the VIP, which the TkeServiceConfig addresses as domain `""`.
   *
   * @param path the path, starting with `/`
   * @param backend where matching requests go: a cdk8s-plus `IngressBackend` of any of cdk8s-plus-27 to -33
   * @param options path type and per-rule CLB settings
   */
  public addRule(path: string, backend: any, options: LoopbackSafeIngressRuleOptions = {}): void {
    withConstructPath(this, () => {
      const call = `addRule(${JSON.stringify(path)})`;
      this.addRuleFromProp({ ...options, host: undefined, path, backend }, '', `the backend of ${call}`, `${call} options`);
    });
  }

  /**
   * Adds routing rules, which may leave out the host.
   *
   * @param rules the rules to add
   */
  public addRules(...rules: LoopbackSafeIngressRule[]): void {
    withConstructPath(this, () => rules.forEach((rule, i) => this.addRuleFromProp(rule, `rules[${i}]`, `'rules[${i}].backend' of addRules()`)));
  }

  /**
   * Adds TLS settings. The first TLS entry adds the HTTPS 443 listener to the TkeServiceConfig; every
   * host listed must be served by a rule by synth time.
   *
   * @param tls the TLS entries
   */
  public addTls(tls: kplus.IngressTls[]): void {
    withConstructPath(this, () => this.addTlsFromProp(tls));
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
   *   entries; rules and TLS added later are mirrored too.
   * - Rewrites each host, with `options.dns`, to the controller Service's in-cluster name (by default
   *   `ingress-nginx-controller.ingress-nginx.svc.cluster.local`). A wildcard host `*.example.com`
   *   becomes a regex rule matching one label. Rules without a host get no rewrite.
   *
   * May be called once. Throws when a host cannot be rewritten (for example, `dns` already rewrites
   * it elsewhere), naming the host.
   *
   * @param options the controller and the CoreDnsRewrite
   * @returns the mirror Ingress
   * @see https://www.tencentcloud.com/document/product/457/42976
   */
  public routeInCluster(options: RouteInClusterOptions): kplus.Ingress {
    return withConstructPath(this, () => {
      if (this._inCluster) throw new Error(`routeInCluster() was already called on ${this.node.path}`);
      const route = InClusterRoute.create(this, 'InCluster', this.ingress.name, this.ingress.metadata.namespace, options);
      for (const rule of this._rules) route.addRule(rule);
      if (this._defaultBackend) route.ingress.addDefaultBackend(this._defaultBackend);
      if (this._tls.length > 0) route.ingress.addTls([...this._tls]);
      this._inCluster = route;
      return route.ingress;
    });
  }

  /**
   * Checks the props that the constructor turns into names and annotations, and returns them: the
   * Ingress and TkeServiceConfig names, and the annotations the construct sets (a hand-set annotation
   * that contradicts one of them fails).
   */
  private checkProps(props: LoopbackSafeIngressProps): { ingressName: string; configName: string; required: Map<string, RequiredAnnotation> } {
    const binding = this.binding;
    checkServiceConfigName(props.serviceConfigName, binding);
    if (props.internalSubnetId !== undefined) TkeIds.validateSubnetId(props.internalSubnetId, 'internalSubnetId');
    if (props.existingLoadBalancerId !== undefined) TkeIds.validateLoadBalancerId(props.existingLoadBalancerId, 'existingLoadBalancerId');
    const directAccess = props.directAccess === undefined ? false : validateBoolean(props.directAccess, 'directAccess');
    throwIf(metadataProblem(props.metadata));
    if (props.metadata?.namespace !== undefined) throwIf(dns1123LabelProblem(props.metadata.namespace, 'metadata.namespace'));

    const userAnnotations = { ...(props.metadata?.annotations ?? {}) };
    throwProblems(idAnnotationProblems(userAnnotations, TkeAnnotations.INGRESS_SUBNET_ID, TkeAnnotations.INGRESS_EXIST_LB_ID));
    // pass-to-target works only on CLBs that TKE creates; it is mutually exclusive with a reused CLB.
    const reusedLoadBalancer = props.existingLoadBalancerId ?? userAnnotations[TkeAnnotations.INGRESS_EXIST_LB_ID];
    if (props.passToTarget !== undefined) validateBoolean(props.passToTarget, 'passToTarget');
    if (props.passToTarget === true && reusedLoadBalancer !== undefined) {
      throw new Error(
        `'passToTarget' is true, but ${props.existingLoadBalancerId !== undefined ? "'existingLoadBalancerId'" : `'metadata.annotations' (${TkeAnnotations.INGRESS_EXIST_LB_ID})`} ` +
          `reuses CLB ${JSON.stringify(reusedLoadBalancer)}: pass-to-target works only on CLBs that TKE creates and is ignored on a reused one. ` +
          "Leave 'passToTarget' unset (or false), and allow 100.127.0.0/16 in the CVM security group or turn on the CLB's own " +
          '"allow by default" setting in the CLB console',
      );
    }
    throwProblems(passToTargetProblems(
      { ...userAnnotations, ...(reusedLoadBalancer !== undefined ? { [TkeAnnotations.INGRESS_EXIST_LB_ID]: reusedLoadBalancer } : {}) },
      TkeAnnotations.INGRESS_PASS_TO_TARGET, TkeAnnotations.INGRESS_EXIST_LB_ID,
    ));
    const handPass = userAnnotations[TkeAnnotations.INGRESS_PASS_TO_TARGET];
    if (props.passToTarget === false && handPass !== undefined && handPass !== 'false') {
      throw new Error(
        `'passToTarget' is false, but 'metadata.annotations' sets ${TkeAnnotations.INGRESS_PASS_TO_TARGET}: ${JSON.stringify(handPass)}: remove one of them`,
      );
    }
    const passToTarget = props.passToTarget ?? reusedLoadBalancer === undefined;
    const listenPorts = listenPortsAnnotation(props.listenPorts, userAnnotations);
    const [bindingKey, otherBindingKey] =
      binding === TkeServiceConfigBinding.AUTO
        ? [TkeAnnotations.INGRESS_TKE_SERVICE_CONFIG_AUTO, TkeAnnotations.INGRESS_TKE_SERVICE_CONFIG]
        : [TkeAnnotations.INGRESS_TKE_SERVICE_CONFIG, TkeAnnotations.INGRESS_TKE_SERVICE_CONFIG_AUTO];
    if (userAnnotations[otherBindingKey] !== undefined) {
      throw new Error(
        `'metadata.annotations' sets ${otherBindingKey}: ${JSON.stringify(userAnnotations[otherBindingKey])}, ` +
          `but 'binding' is ${binding.mode}, which sets ${bindingKey}; TKE forbids both on one Ingress`,
      );
    }

    const ingressName = props.metadata?.name ?? Names.toDnsLabel(this);
    validateObjectName(ingressName, 'metadata.name');
    const configName =
      binding === TkeServiceConfigBinding.AUTO
        ? `${ingressName}${TkeNames.AUTO_INGRESS_CONFIG_SUFFIX}`
        : props.serviceConfigName ?? `${ingressName}${EXPLICIT_CONFIG_SUFFIX}`;
    if (configName.length > MAX_NAME_LENGTH) {
      throw new Error(
        `the TkeServiceConfig name derived from 'metadata.name' ${JSON.stringify(ingressName)} is ${configName.length} characters, ` +
          `more than ${MAX_NAME_LENGTH}: shorten the Ingress name${binding === TkeServiceConfigBinding.EXPLICIT ? " or set 'serviceConfigName'" : ''}`,
      );
    }

    const required = new Map<string, RequiredAnnotation>();
    const requireAnnotation = (key: string, value: string, source: string) => required.set(key, { value, source });
    requireAnnotation(TkeAnnotations.INGRESS_CLASS, TkeNames.QCLOUD_INGRESS_CLASS, 'LoopbackSafeIngress (a TKE CLB Ingress)');
    if (props.internalSubnetId !== undefined) requireAnnotation(TkeAnnotations.INGRESS_SUBNET_ID, props.internalSubnetId, "'internalSubnetId'");
    if (props.existingLoadBalancerId !== undefined) requireAnnotation(TkeAnnotations.INGRESS_EXIST_LB_ID, props.existingLoadBalancerId, "'existingLoadBalancerId'");
    if (passToTarget) requireAnnotation(TkeAnnotations.INGRESS_PASS_TO_TARGET, 'true', "'passToTarget'");
    if (directAccess) requireAnnotation(TkeAnnotations.INGRESS_DIRECT_ACCESS, 'true', "'directAccess'");
    if (listenPorts !== undefined) requireAnnotation(TkeAnnotations.INGRESS_LISTEN_PORTS, listenPorts, "'listenPorts'");
    requireAnnotation(bindingKey, binding === TkeServiceConfigBinding.AUTO ? 'true' : configName, "'binding'");
    throwProblems(annotationConflicts(required, userAnnotations));
    return { ingressName, configName, required };
  }

  /**
   * Checks a rule and adds it to the Ingress (and the mirror).
   *
   * @param rule the rule as given
   * @param prop the prop it came from (`rules[0]`), or `''` for `addHostRule()` / `addRule()`
   * @param source how the user gave its backend, for messages about the backend at synth
   * @param optionsProp how the user gave its options, for messages about them at synth
   */
  private addRuleFromProp(rule: LoopbackSafeIngressRule, prop: string, source: string, optionsProp: string = prop): void {
    const at = (name: string) => (prop ? `${prop}.${name}` : name);
    if (!rule || typeof rule !== 'object') throw new Error(`'${prop || 'rule'}' must be an object, got ${describeValue(rule)}`);
    if (rule.host !== undefined) validateHost(rule.host, at('host'));
    const pathType = validateOneOf(rule.pathType, PATH_TYPES, at('pathType')) ?? kplus.HttpIngressPathType.PREFIX;
    validatePath(rule.path, at('path'), pathType);
    const backend = ingressBackendOf(rule.backend, at('backend'));
    if (rule.healthCheck !== undefined) validateHealthCheck(rule.healthCheck, at('healthCheck'));
    if (rule.session !== undefined) validateSession(rule.session, at('session'));
    validateOneOf<string>(rule.scheduler, L7_RULE_SCHEDULERS, at('scheduler'));
    validateOneOf<string>(rule.forwardType, FORWARD_TYPES, at('forwardType'));

    if (this._rules.some((r) => r.host === rule.host && r.path === rule.path)) {
      throw new Error(
        `'${prop || (rule.host === undefined ? 'addRule' : 'addHostRule')}' routes host ${rule.host === undefined ? '(none)' : JSON.stringify(rule.host)} path ${JSON.stringify(rule.path)}, ` +
          'which another rule of this Ingress already routes: each host+path may appear once',
      );
    }
    const entry: RuleEntry = {
      host: rule.host,
      path: rule.path,
      pathType,
      backend,
      options: { healthCheck: rule.healthCheck, session: rule.session, scheduler: rule.scheduler, forwardType: rule.forwardType },
      source,
      optionsProp,
    };
    this._inCluster?.addRule(entry);
    this.ingress.addRules({ host: entry.host, path: entry.path, pathType: entry.pathType, backend: entry.backend });
    this._rules.push(entry);
  }

  /** Checks TLS entries and adds them to the Ingress (and the mirror). */
  private addTlsFromProp(tls: kplus.IngressTls[]): void {
    if (!Array.isArray(tls)) throw new Error(`'tls' must be a list of TLS entries, got ${describeValue(tls)}`);
    tls.forEach((t, i) => {
      const at = `tls[${this._tls.length + i}]`;
      if (t === null || typeof t !== 'object') {
        throw new Error(`'${at}' must be a TLS entry such as { hosts: ['a.example.com'], secret }, got ${describeValue(t)}`);
      }
      const hosts = t.hosts ?? [];
      if (!Array.isArray(hosts)) throw new Error(`'${at}.hosts' must be a list of host names, got ${describeValue(hosts)}`);
      hosts.forEach((h, j) => validateHost(h, `${at}.hosts[${j}]`));
    });
    this.ingress.addTls(tls);
    this._inCluster?.ingress.addTls(tls);
    this._tls.push(...tls);
  }

  /** What the synth-time checks read. */
  private state(): IngressState {
    return {
      ingress: this.ingress,
      ingressObject: this._ingressObject,
      serviceConfigName: this.serviceConfig.name,
      binding: this.binding,
      rules: this._rules,
      tls: this._tls,
      defaultBackend: this._defaultBackend,
      required: this._required,
      mirrored: this._inCluster !== undefined,
    };
  }

  /**
   * The `l7Listeners` of the TkeServiceConfig, rendered from the Ingress as it is at synth. Rendering
   * does not validate (the construct's validation does); it fails only when there is nothing to render
   * from, a malformed `listen-ports` annotation.
   */
  private renderListeners(): TkeServiceConfigSpecLoadBalancerL7Listeners[] {
    // The Ingress as it will be written, after its JSON patches: a patch may add listen-ports too.
    let annotations: { readonly [key: string]: string };
    try {
      annotations = hasJsonPatches(this._ingressObject)
        ? this._ingressObject.toJson().metadata?.annotations ?? {}
        : annotationsOf(this.ingress.metadata);
    } catch {
      // Rendering the Ingress fails with its own error; render from the metadata meanwhile.
      annotations = annotationsOf(this.ingress.metadata);
    }
    const listenPorts = annotations[TkeAnnotations.INGRESS_LISTEN_PORTS];
    const declared = ingressListeners(listenPorts, this._tls.length > 0);
    if (declared.problem !== undefined) {
      throw new Error(`LoopbackSafeIngress ${this.node.path}: ${TkeAnnotations.INGRESS_LISTEN_PORTS} is malformed: ${declared.problem}`);
    }
    return renderL7Listeners(declared.listeners, this._rules);
  }
}
