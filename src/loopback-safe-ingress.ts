import { ApiObject, ApiObjectMetadata, Lazy, Names } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { DnsName, RewriteMatch } from './coredns';
import { CoreDnsRewrite } from './coredns-rewrite';
import { AppIndex, namespaceOf, registerAppCheck } from './private/app-checks';
import { errorOf, withConstructPath } from './private/construct-errors';
import { idAnnotationProblems, passToTargetProblems } from './private/id-annotations';
import {
  tlsHostCovers,
  validateHealthCheck,
  validateHost,
  validateObjectName,
  validateOneOf,
  validatePath,
  validateSession,
  validateBoolean,
  validateIntRange,
  MAX_NAME_LENGTH,
} from './private/ingress-validation';
import { describeValue, dns1035LabelProblem, dns1123LabelProblem, throwIf } from './private/k8s-names';
import { annotationsOf } from './private/metadata';
import { ingressBackendOf } from './private/plus-compat';
import { TkeAnnotations, TkeNames } from './tke/annotations';
import { TkeIds } from './tke/ids';
import {
  TkeServiceConfig,
  TkeServiceConfigSpecLoadBalancerL7Listeners,
  TkeServiceConfigSpecLoadBalancerL7ListenersDomains,
  TkeServiceConfigSpecLoadBalancerL7ListenersDomainsRules,
  TkeServiceConfigSpecLoadBalancerL7ListenersDomainsRulesForwardType,
  TkeServiceConfigSpecLoadBalancerL7ListenersDomainsRulesHealthCheck,
  TkeServiceConfigSpecLoadBalancerL7ListenersDomainsRulesScheduler,
  TkeServiceConfigSpecLoadBalancerL7ListenersDomainsRulesSession,
  TkeServiceConfigSpecLoadBalancerL7ListenersKeepaliveEnable,
  TkeServiceConfigSpecLoadBalancerL7ListenersProtocol,
} from './tke/imports/cloud.tencent.com';
import { DeclaredListener, parseListenPorts } from './tke/listen-ports';
import { FORWARD_TYPES, L7_PROTOCOLS, L7_RULE_SCHEDULERS } from './tke/tke-service-config-limits';
import { TkeServiceConfigBinding } from './tke-service-config-binding';

/** The suffix of the TkeServiceConfig name that the `EXPLICIT` binding derives from the Ingress name. */
const EXPLICIT_CONFIG_SUFFIX = '-loopback';

/** The HTTP listener that TKE creates for every CLB Ingress. */
const HTTP_PORT = 80;
/** The HTTPS listener that TKE creates for an Ingress with TLS. */
const HTTPS_PORT = 443;

/**
 * Per-rule CLB settings, written to `spec.loadBalancer.l7Listeners[].domains[].rules[]` of the
 * TkeServiceConfig. A rule with none of them set is routed by the Ingress but not listed in the config.
 *
 * @see https://www.tencentcloud.com/document/product/457/37015
 */
export interface LoopbackSafeIngressRuleOptions {
  /**
   * How the path is matched against request paths.
   *
   * @default kplus.HttpIngressPathType.PREFIX
   */
  readonly pathType?: kplus.HttpIngressPathType;

  /**
   * Health check of the real servers behind this rule. Validated against Tencent's ranges:
   * `intervalTime` 5-300, `healthNum` and `unHealthNum` 2-10, `timeout` 2-60 and less than
   * `intervalTime` (Tencent's defaults 2 and 5 count when one is left out), `httpCode` 1-31.
   *
   * @default - the CLB's current health check is left alone
   */
  readonly healthCheck?: TkeServiceConfigSpecLoadBalancerL7ListenersDomainsRulesHealthCheck;

  /**
   * Session persistence for this rule (`sessionExpireTime` 30-3600 seconds).
   *
   * @default - the CLB's current session persistence is left alone
   */
  readonly session?: TkeServiceConfigSpecLoadBalancerL7ListenersDomainsRulesSession;

  /**
   * Balancing method for this rule: WRR, LEAST_CONN or IP_HASH (CLB accepts IP hash on layer-7 rules).
   *
   * @default - the CLB's current method is left alone (Tencent's default is WRR)
   * @see https://cloud.tencent.com/document/product/214/30681
   */
  readonly scheduler?: TkeServiceConfigSpecLoadBalancerL7ListenersDomainsRulesScheduler;

  /**
   * Protocol from the CLB to the real servers for this rule.
   *
   * @default - the CLB's current protocol is left alone (Tencent's default is HTTP)
   */
  readonly forwardType?: TkeServiceConfigSpecLoadBalancerL7ListenersDomainsRulesForwardType;
}

/**
 * A routing rule of a `LoopbackSafeIngress`: requests for `host` + `path` go to `backend`.
 */
export interface LoopbackSafeIngressRule extends LoopbackSafeIngressRuleOptions {
  /**
   * The host name the rule matches: an RFC 1123 name, with a wildcard only as the whole leftmost label
   * (`*.example.com`).
   *
   * @default - the rule matches every host; on the CLB it belongs to the VIP, which the TkeServiceConfig
   * addresses as domain `""`
   */
  readonly host?: string;

  /**
   * The path the rule matches. Must start with `/`.
   */
  readonly path: string;

  /**
   * Where matching requests go. A Service that this app defines must be in the Ingress's namespace and,
   * without `directAccess`, of type `NodePort` or `LoadBalancer`: the CLB binds each backend Service's
   * NodePort on every node (checked at synth).
   *
   * A cdk8s-plus `IngressBackend` (`IngressBackend.fromService(svc)` or `fromResource(...)`) of any of
   * cdk8s-plus-27 to -33. It is typed `any` because an `IngressBackend` of one cdk8s-plus version does
   * not type-check as another's (see the README's design notes); anything else fails when the rule is
   * added, naming the prop.
   */
  readonly backend: any;
}

/**
 * One layer-7 listener of `LoopbackSafeIngressProps.listenPorts`.
 */
export interface LoopbackSafeIngressListenPort {
  /**
   * The listener protocol: HTTP or HTTPS.
   */
  readonly protocol: TkeServiceConfigSpecLoadBalancerL7ListenersProtocol;

  /**
   * The listener port, 1 to 65535.
   */
  readonly port: number;
}

/**
 * Properties of a `LoopbackSafeIngress`.
 */
export interface LoopbackSafeIngressProps {
  /**
   * Metadata of the Ingress. The TkeServiceConfig is created in the same namespace, and its name is
   * derived from the Ingress name, which must be a DNS-1123 subdomain. An object of this construct that
   * has the name and namespace of another object of the app fails synth. Annotations set here are kept; one that contradicts what the
   * construct must set (for example `kubernetes.io/ingress.class: nginx`, or the other binding's
   * annotation) is an error.
   *
   * @default - a name generated from this construct's path with cdk8s `Names.toDnsLabel()` (stable as
   * long as the path does not change) and the chart's namespace
   */
  readonly metadata?: ApiObjectMetadata;

  /**
   * Subnet of a private-network CLB, written to `kubernetes.io/ingress.subnetId`. Only private-network
   * CLBs loop back; a public-network CLB is immune.
   *
   * @default - no subnet annotation: TKE creates a public-network CLB
   * @see https://www.tencentcloud.com/document/product/457/40675
   */
  readonly internalSubnetId?: string;

  /**
   * An existing CLB to use, written to `kubernetes.io/ingress.existLbId`.
   *
   * A reused CLB does not get `ingress.cloud.tencent.com/pass-to-target`: Tencent's pass-to-target works
   * only on CLBs that TKE creates and is mutually exclusive with a reused CLB, so it would be ignored.
   * Let the CLB's traffic reach the nodes another way: allow 100.127.0.0/16 in the CVM security group,
   * or turn on the reused CLB's own "allow by default" security-group setting in the CLB console.
   *
   * @default - TKE creates a CLB for the Ingress
   * @see https://www.tencentcloud.com/document/product/457/40675
   */
  readonly existingLoadBalancerId?: string;

  /**
   * Routing rules. More can be added with `addRule()` / `addRules()`.
   *
   * @default - no rules
   */
  readonly rules?: LoopbackSafeIngressRule[];

  /**
   * The backend for requests that match no rule: a cdk8s-plus `IngressBackend` of any of
   * cdk8s-plus-27 to -33, checked like a rule's `backend`.
   *
   * @default - no default backend
   */
  readonly defaultBackend?: any;

  /**
   * TLS settings. Any TLS adds the HTTPS 443 listener to the TkeServiceConfig. Every host listed here
   * must be served by a rule. More can be added with `addTls()`.
   *
   * @default - no TLS: HTTP 80 only
   */
  readonly tls?: kplus.IngressTls[];

  /**
   * How the Ingress is bound to its TkeServiceConfig.
   *
   * @default TkeServiceConfigBinding.EXPLICIT
   */
  readonly binding?: TkeServiceConfigBinding;

  /**
   * The name of the TkeServiceConfig, for the `EXPLICIT` binding only (the `AUTO` binding's name is
   * fixed by the controller). It must not end in `-auto-ingress-config` or `-auto-service-config`,
   * which TKE reserves for the objects it creates.
   *
   * @default - `<ingress-name>-loopback`
   */
  readonly serviceConfigName?: string;

  /**
   * Turn on the CLB "allow by default" security-group setting with
   * `ingress.cloud.tencent.com/pass-to-target: "true"`, so that traffic from a CLB with layer-7 SNAT
   * reaches the nodes. When false the annotation is not set, and the CVM security group must allow
   * 100.127.0.0/16 instead.
   *
   * Tencent's pass-to-target works only on CLBs that TKE creates and is mutually exclusive with a
   * reused CLB (`existingLoadBalancerId`, or `kubernetes.io/ingress.existLbId` in
   * `metadata.annotations`): there the default is false, `true` fails naming both props, and a
   * hand-set `pass-to-target` annotation fails at synth. For a reused CLB, allow 100.127.0.0/16 in the
   * CVM security group, or turn on the CLB's own "allow by default" setting in the CLB console.
   *
   * @default - true for a CLB that TKE creates; false with a reused CLB
   * @see https://www.tencentcloud.com/document/product/457/40675
   */
  readonly passToTarget?: boolean;

  /**
   * The CLB's layer-7 listeners, written to `ingress.cloud.tencent.com/listen-ports` (for example
   * `[{ protocol: HTTP, port: 8080 }, { protocol: HTTPS, port: 8443 }]` gives
   * `'[{"HTTP":8080},{"HTTPS":8443}]'`). They replace TKE's default HTTP 80 / HTTPS 443 listeners, and
   * keepalive (and every per-rule setting) goes on exactly these listeners. The same annotation set by
   * hand in `metadata.annotations` counts the same way; a malformed value fails, naming the annotation.
   *
   * @default - TKE's default listeners: HTTP 80, plus HTTPS 443 when the Ingress has TLS
   * @see https://www.tencentcloud.com/document/product/457/40675
   */
  readonly listenPorts?: LoopbackSafeIngressListenPort[];

  /**
   * Turn on direct access with `ingress.cloud.tencent.com/direct-access: "true"`.
   *
   * The CLB then binds the backend pods as real servers instead of each Service's NodePort on every
   * node. Tencent supports it on VPC-CNI clusters (Kubernetes 1.12 or later, pods with an ENI, no
   * `hostNetwork`) and on GlobalRouter clusters too, once `GlobalRouteDirectAccess: "true"` is set in
   * the ConfigMap `kube-system/tke-service-controller-config` (GlobalRouter also needs CLB SNAT Pro or
   * CCN). Neither cluster setting can be made from this Ingress.
   *
   * Without direct access the CLB binds the NodePort of each backend Service, so every Service a rule
   * (or the default backend) routes to must be of type `NodePort` or `LoadBalancer`: a `ClusterIP` or
   * headless Service of this app fails synth. Setting the annotation to `"true"` in
   * `metadata.annotations` counts as direct access too.
   *
   * @default false
   * @see https://www.tencentcloud.com/document/product/457/40675
   * @see https://www.tencentcloud.com/document/product/457/36837
   */
  readonly directAccess?: boolean;
}

/**
 * Options of `LoopbackSafeIngress.routeInCluster()`: the self-run ingress controller (for example
 * ingress-nginx) that serves the Ingress's hosts to clients inside the cluster.
 */
export interface RouteInClusterOptions {
  /**
   * The `CoreDnsRewrite` that rewrites each host of the Ingress to the controller's Service.
   */
  readonly dns: CoreDnsRewrite;

  /**
   * The ingress class of your controller, written to the `kubernetes.io/ingress.class` annotation of the
   * mirror Ingress. The annotation is used rather than `spec.ingressClassName` because TKE's controller
   * takes an Ingress without that annotation for one of its own (class `qcloud`) and would give it a CLB;
   * Kubernetes rejects an Ingress that sets both.
   *
   * @default 'nginx'
   */
  readonly ingressClass?: string;

  /**
   * The controller's Service (a `kplus.Service` or a `kplus.k8s.KubeService`), when it is defined in
   * this app. Do not combine with `controllerServiceName` / `controllerServiceNamespace`.
   *
   * @default - the Service named by `controllerServiceName` in `controllerServiceNamespace`
   */
  readonly controllerService?: IConstruct;

  /**
   * The name of the controller's Service, when it is installed outside this app (Helm, kubectl).
   *
   * @default 'ingress-nginx-controller' (the ingress-nginx default)
   */
  readonly controllerServiceName?: string;

  /**
   * The namespace of the controller's Service, when it is installed outside this app.
   *
   * @default 'ingress-nginx' (the ingress-nginx default)
   */
  readonly controllerServiceNamespace?: string;

  /**
   * The name of the mirror Ingress, which lives in the namespace of the CLB Ingress.
   *
   * @default - `<ingress-name>-in-cluster`
   */
  readonly name?: string;
}

/** The in-cluster mirror, once `routeInCluster()` was called. */
interface InClusterRoute {
  readonly ingress: kplus.Ingress;
  readonly dns: CoreDnsRewrite;
  readonly target: string;
  readonly hosts: Set<string>;
}

/** A rule as the construct keeps it, for rendering (and for later in-cluster mirroring). */
interface RuleEntry {
  readonly host?: string;
  readonly path: string;
  readonly pathType: kplus.HttpIngressPathType;
  readonly backend: kplus.IngressBackend;
  readonly options: LoopbackSafeIngressRuleOptions;
  /** How the user gave the rule's backend, for error messages: `'rules[0].backend'`, `the backend of addRule("a.com", "/")`. */
  readonly source: string;
  /** The prop the rule came from (`rules[0]`), or `''` for `addRule()`. */
  readonly at: string;
}

/** A TLS entry as the construct keeps it, with the prop it came from for error messages. */
interface TlsEntry {
  readonly hosts: string[];
  readonly prop: string;
}

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
 * construction (with `addRule()`, `addRules()`, `addTls()`) reach the TkeServiceConfig. Add rules
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
   * The Ingress, of class `qcloud` (annotation `kubernetes.io/ingress.class`).
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
  /** Every TLS entry added through this construct, in order. */
  private readonly _tls: TlsEntry[] = [];
  /** Annotations the user set in `metadata.annotations`, to detect contradictions. */
  private readonly _userAnnotations: { [key: string]: string };
  /** The default backend, for the in-cluster mirror. */
  private _defaultBackend?: kplus.IngressBackend;
  /** The TLS entries as given, for the in-cluster mirror. */
  private readonly _tlsSpecs: kplus.IngressTls[] = [];
  /** True between a validation that found no problem and the rendering that follows it. */
  private _checkedForRender = false;
  /** The in-cluster mirror, once `routeInCluster()` was called. */
  private _inCluster?: InClusterRoute;

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
    const binding = props.binding ?? TkeServiceConfigBinding.EXPLICIT;
    if (binding !== TkeServiceConfigBinding.EXPLICIT && binding !== TkeServiceConfigBinding.AUTO) {
      throw new Error(`'binding' must be TkeServiceConfigBinding.EXPLICIT or TkeServiceConfigBinding.AUTO, got ${JSON.stringify(String(binding))}`);
    }
    this.binding = binding;

    if (props.serviceConfigName !== undefined) {
      if (binding === TkeServiceConfigBinding.AUTO) {
        throw new Error(
          `'serviceConfigName' cannot be used with TkeServiceConfigBinding.AUTO (the controller names the config <ingress-name>${TkeNames.AUTO_INGRESS_CONFIG_SUFFIX}), got ${JSON.stringify(props.serviceConfigName)}`,
        );
      }
      for (const suffix of [TkeNames.AUTO_INGRESS_CONFIG_SUFFIX, TkeNames.AUTO_SERVICE_CONFIG_SUFFIX]) {
        if (typeof props.serviceConfigName === 'string' && props.serviceConfigName.endsWith(suffix)) {
          throw new Error(`'serviceConfigName' must not end in "${suffix}" (TKE reserves it for the configs its controllers create), got ${JSON.stringify(props.serviceConfigName)}`);
        }
      }
      validateObjectName(props.serviceConfigName, 'serviceConfigName');
    }
    if (props.internalSubnetId !== undefined) TkeIds.validateSubnetId(props.internalSubnetId, 'internalSubnetId');
    if (props.existingLoadBalancerId !== undefined) TkeIds.validateLoadBalancerId(props.existingLoadBalancerId, 'existingLoadBalancerId');
    const directAccess = props.directAccess === undefined ? false : validateBoolean(props.directAccess, 'directAccess');
      if (props.metadata?.namespace !== undefined) throwIf(dns1123LabelProblem(props.metadata.namespace, 'metadata.namespace'));

    this._userAnnotations = { ...(props.metadata?.annotations ?? {}) };
    throwProblems(idAnnotationProblems(this._userAnnotations, TkeAnnotations.INGRESS_SUBNET_ID, TkeAnnotations.INGRESS_EXIST_LB_ID));
      // pass-to-target works only on CLBs that TKE creates; it is mutually exclusive with a reused CLB.
      const reusedLoadBalancer = props.existingLoadBalancerId ?? this._userAnnotations[TkeAnnotations.INGRESS_EXIST_LB_ID];
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
        { ...this._userAnnotations, ...(reusedLoadBalancer !== undefined ? { [TkeAnnotations.INGRESS_EXIST_LB_ID]: reusedLoadBalancer } : {}) },
        TkeAnnotations.INGRESS_PASS_TO_TARGET, TkeAnnotations.INGRESS_EXIST_LB_ID,
      ));
      const passToTarget = props.passToTarget ?? reusedLoadBalancer === undefined;
      const listenPorts = this.listenPortsAnnotation(props.listenPorts);
    const [bindingKey, otherBindingKey] =
      binding === TkeServiceConfigBinding.AUTO
        ? [TkeAnnotations.INGRESS_TKE_SERVICE_CONFIG_AUTO, TkeAnnotations.INGRESS_TKE_SERVICE_CONFIG]
        : [TkeAnnotations.INGRESS_TKE_SERVICE_CONFIG, TkeAnnotations.INGRESS_TKE_SERVICE_CONFIG_AUTO];
    if (this._userAnnotations[otherBindingKey] !== undefined) {
      throw new Error(
        `'metadata.annotations' sets ${otherBindingKey}: ${JSON.stringify(this._userAnnotations[otherBindingKey])}, ` +
          `but 'binding' is ${binding.mode}, which sets ${bindingKey}; TKE forbids both on one Ingress`,
      );
    }

    // The Ingress name is fixed here, so that the TkeServiceConfig can be created first: cdk8s emits objects
    // in tree order, so the config comes before the Ingress in the output (the order kubectl applies them)
    // without a dependency edge or an extra construct, both of which cost time at synth.
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

    this.serviceConfig = new TkeServiceConfig(this, 'ServiceConfig', {
      metadata: { name: configName, ...(props.metadata?.namespace !== undefined ? { namespace: props.metadata.namespace } : {}) },
      spec: {
        loadBalancer: {
          l7Listeners: Lazy.any({ produce: () => this.renderListeners() }) as any,
        },
      },
    });
    this.ingress = new kplus.Ingress(this, 'Default', { metadata: { ...props.metadata, name: ingressName } });

    this.annotate(TkeAnnotations.INGRESS_CLASS, TkeNames.QCLOUD_INGRESS_CLASS, 'LoopbackSafeIngress (a TKE CLB Ingress)');
    if (props.internalSubnetId !== undefined) this.annotate(TkeAnnotations.INGRESS_SUBNET_ID, props.internalSubnetId, 'internalSubnetId');
    if (props.existingLoadBalancerId !== undefined) {
      this.annotate(TkeAnnotations.INGRESS_EXIST_LB_ID, props.existingLoadBalancerId, 'existingLoadBalancerId');
    }
    if (passToTarget) this.annotate(TkeAnnotations.INGRESS_PASS_TO_TARGET, 'true', 'passToTarget');
    if (directAccess) this.annotate(TkeAnnotations.INGRESS_DIRECT_ACCESS, 'true', 'directAccess');
      if (listenPorts !== undefined) this.annotate(TkeAnnotations.INGRESS_LISTEN_PORTS, listenPorts, 'listenPorts');
    this.annotate(bindingKey, binding === TkeServiceConfigBinding.AUTO ? 'true' : configName, 'binding');

    this.node.addValidation({
      validate: () => {
        const problems = this.synthProblems();
        // Rendering right after a passed validation need not check again (see renderListeners()).
        this._checkedForRender = problems.length === 0;
        return problems;
      },
    });
    registerAppCheck(this, [ApiObject.of(this.ingress), this.serviceConfig], (index) => this.backendProblems(index));

    if (props.defaultBackend !== undefined) {
      const defaultBackend = ingressBackendOf(props.defaultBackend, 'defaultBackend');
      this.ingress.addDefaultBackend(defaultBackend);
      this._defaultBackend = defaultBackend;
    }
      if (props.rules !== undefined && !Array.isArray(props.rules)) {
        throw new Error(`'rules' must be a list of rules such as [{ host, path, backend }], got ${describeValue(props.rules)}`);
      }
    (props.rules ?? []).forEach((rule, i) => this.addRuleAt(rule, `rules[${i}]`, `'rules[${i}].backend'`));
    if (props.tls !== undefined) this.addTlsAt(props.tls, 'tls');
    } catch (e) {
      throw errorOf(this, e);
    }
  }

  /**
   * Routes requests for `host` + `path` to `backend`. Rules added after construction still reach the
   * Ingress and the TkeServiceConfig.
   *
   * @param host an RFC 1123 host name, with a wildcard only as the whole leftmost label (`*.example.com`)
   * @param path the path, starting with `/`
   * @param backend where matching requests go: a cdk8s-plus `IngressBackend` of any of cdk8s-plus-27 to -33
   * @param options path type and per-rule CLB settings
   */
  public addRule(host: string, path: string, backend: any, options: LoopbackSafeIngressRuleOptions = {}): void {
    withConstructPath(this, () => {
    if (typeof host !== 'string' || host === '') {
        throw new Error(`'host' must be a host name (use addRules() for a rule without a host), got ${describeValue(host)}`);
    }
    this.addRuleAt({ ...options, host, path, backend }, '', `the backend of addRule(${JSON.stringify(host)}, ${JSON.stringify(path)})`);
    });
  }

  /**
   * Adds routing rules, which may leave out the host.
   *
   * @param rules the rules to add
   */
  public addRules(...rules: LoopbackSafeIngressRule[]): void {
    withConstructPath(this, () => rules.forEach((rule, i) => this.addRuleAt(rule, `rules[${i}]`, `'rules[${i}].backend' of addRules()`)));
  }

  /**
   * Adds TLS settings. The first TLS entry adds the HTTPS 443 listener to the TkeServiceConfig; every
   * host listed must be served by a rule by synth time.
   *
   * @param tls the TLS entries
   */
  public addTls(tls: kplus.IngressTls[]): void {
    withConstructPath(this, () => this.addTlsAt(tls, 'tls'));
  }

  private addRuleAt(rule: LoopbackSafeIngressRule, at: string, source: string): void {
    const prop = (name: string) => (at ? `${at}.${name}` : name);
    if (!rule || typeof rule !== 'object') throw new Error(`'${at || 'rule'}' must be an object, got ${describeValue(rule)}`);
    if (rule.host !== undefined) validateHost(rule.host, prop('host'));
    const pathType = validateOneOf(
      rule.pathType,
      [kplus.HttpIngressPathType.PREFIX, kplus.HttpIngressPathType.EXACT, kplus.HttpIngressPathType.IMPLEMENTATION_SPECIFIC],
      prop('pathType'),
    ) ?? kplus.HttpIngressPathType.PREFIX;
    validatePath(rule.path, prop('path'), pathType);
    ingressBackendOf(rule.backend, prop('backend'));
    if (rule.healthCheck !== undefined) validateHealthCheck(rule.healthCheck, prop('healthCheck'));
    if (rule.session !== undefined) validateSession(rule.session, prop('session'));
    validateOneOf<string>(rule.scheduler, L7_RULE_SCHEDULERS, prop('scheduler'));
    validateOneOf<string>(rule.forwardType, FORWARD_TYPES, prop('forwardType'));

    const duplicate = this._rules.find((r) => r.host === rule.host && r.path === rule.path);
    if (duplicate) {
      throw new Error(
        `'${at || 'addRule'}' routes host ${rule.host === undefined ? '(none)' : JSON.stringify(rule.host)} path ${JSON.stringify(rule.path)}, ` +
          'which another rule of this Ingress already routes: each host+path may appear once',
      );
    }

    const entry: RuleEntry = {
      host: rule.host,
      path: rule.path,
      pathType,
      backend: ingressBackendOf(rule.backend, prop('backend')),
      options: {
        healthCheck: rule.healthCheck,
        session: rule.session,
        scheduler: rule.scheduler,
        forwardType: rule.forwardType,
      },
      source,
      at,
    };
    if (this._inCluster) this.mirrorRule(this._inCluster, entry);
    this.ingress.addRules({ host: entry.host, path: entry.path, pathType: entry.pathType, backend: entry.backend });
    this._rules.push(entry);
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
    return withConstructPath(this, () => this.routeInClusterNow(options));
  }

  private routeInClusterNow(options: RouteInClusterOptions): kplus.Ingress {
    if (this._inCluster) throw new Error(`routeInCluster() was already called on ${this.node.path}`);
    if (!options || !(options.dns instanceof CoreDnsRewrite)) {
      throw new Error(`'dns' must be a CoreDnsRewrite, got ${JSON.stringify(options?.dns === undefined ? undefined : String(options.dns))}`);
    }
    const ingressClass = validateObjectName(options.ingressClass ?? 'nginx', 'ingressClass');
    if (ingressClass === TkeNames.QCLOUD_INGRESS_CLASS) {
      throw new Error(`'ingressClass' must name your own controller, got ${JSON.stringify(ingressClass)}, which is TKE's CLB Ingress`);
    }
    const name = validateObjectName(options.name ?? `${this.ingress.name}-in-cluster`, 'name');
    const target = this.controllerTarget(options);

    const mirror = new kplus.Ingress(this, 'InCluster', {
      metadata: {
        name,
        namespace: this.ingress.metadata.namespace,
        annotations: { [TkeAnnotations.INGRESS_CLASS]: ingressClass },
      },
    });
    registerAppCheck(this, [ApiObject.of(mirror)]);
    const route: InClusterRoute = { ingress: mirror, dns: options.dns, target, hosts: new Set() };
    for (const rule of this._rules) this.mirrorRule(route, rule);
    if (this._defaultBackend) mirror.addDefaultBackend(this._defaultBackend);
    if (this._tlsSpecs.length > 0) mirror.addTls(this._tlsSpecs);
    this._inCluster = route;
    return mirror;
  }

  /** The in-cluster name of the ingress controller's Service. */
  private controllerTarget(options: RouteInClusterOptions): string {
    if (options.controllerService !== undefined) {
      if (options.controllerServiceName !== undefined || options.controllerServiceNamespace !== undefined) {
        throw new Error("'controllerService' cannot be combined with 'controllerServiceName' or 'controllerServiceNamespace'");
      }
      return options.dns.serviceFqdn(options.controllerService);
    }
    const serviceName = options.controllerServiceName ?? 'ingress-nginx-controller';
    const namespace = options.controllerServiceNamespace ?? 'ingress-nginx';
    throwIf(dns1035LabelProblem(serviceName, 'controllerServiceName'));
    throwIf(dns1123LabelProblem(namespace, 'controllerServiceNamespace'));
    return DnsName.normalize(`${serviceName}.${namespace}.svc.${options.dns.clusterDomain}`, 'controllerServiceName');
  }

  /** Rewrites the rule's host to the controller (once per host), then adds the rule to the mirror. */
  private mirrorRule(route: InClusterRoute, rule: RuleEntry): void {
    const host = rule.host;
    if (host !== undefined && !route.hosts.has(host)) {
      try {
        if (host.startsWith('*.')) {
          const rest = host.slice(2).toLowerCase().replace(/\./g, '\\.');
          route.dns.rewriteName(`^[a-z0-9-]+\\.${rest}\\.$`, route.target, { match: RewriteMatch.REGEX });
        } else {
          route.dns.rewriteName(host, route.target);
        }
      } catch (e) {
        throw new Error(`routeInCluster: host ${JSON.stringify(host)} of ${this.node.path} cannot be rewritten: ${(e as Error).message}`);
      }
      route.hosts.add(host);
    }
    route.ingress.addRules({ host: rule.host, path: rule.path, pathType: rule.pathType, backend: rule.backend });
  }

  private addTlsAt(tls: kplus.IngressTls[], at: string): void {
    if (!Array.isArray(tls)) throw new Error(`'${at}' must be a list of TLS entries, got ${describeValue(tls)}`);
    const entries: TlsEntry[] = tls.map((t, i) => {
      if (t === null || typeof t !== 'object') {
        throw new Error(`'${at}[${this._tls.length + i}]' must be a TLS entry such as { hosts: ['a.example.com'], secret }, got ${describeValue(t)}`);
      }
      const prop = `${at}[${this._tls.length + i}].hosts`;
      const hosts = t.hosts ?? [];
      if (!Array.isArray(hosts)) throw new Error(`'${prop}' must be a list of host names, got ${describeValue(hosts)}`);
      hosts.forEach((h, j) => validateHost(h, `${prop}[${j}]`));
      return { hosts: [...hosts], prop };
    });
    this.ingress.addTls(tls);
    this._inCluster?.ingress.addTls(tls);
    this._tls.push(...entries);
    this._tlsSpecs.push(...tls);
  }

  /**
   * The `listen-ports` value to write for the `listenPorts` prop, or undefined when the prop is not
   * set. A hand-set annotation must parse; when both are given they must declare the same listeners
   * (the hand-set string is then kept as it is).
   */
  private listenPortsAnnotation(listenPorts: LoopbackSafeIngressListenPort[] | undefined): string | undefined {
    const key = TkeAnnotations.INGRESS_LISTEN_PORTS;
    const handSet = this._userAnnotations[key];
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

  /** Sets an annotation the construct needs, failing when the user set the same key to another value. */
  private annotate(key: string, value: string, prop: string): void {
    const existing = this._userAnnotations[key];
    if (existing !== undefined && existing !== value) {
      throw new Error(
        `'metadata.annotations' sets ${key}: ${JSON.stringify(existing)}, but ${prop} needs ${JSON.stringify(value)}: remove the hand-set annotation`,
      );
    }
    this.ingress.metadata.addAnnotation(key, value);
  }

  /** The invariants that later calls can break; checked at synth. */
  private synthProblems(): string[] {
    const problems: string[] = [];
    const annotations: { [key: string]: string } = annotationsOf(this.ingress.metadata);
    const explicit = annotations[TkeAnnotations.INGRESS_TKE_SERVICE_CONFIG];
    const auto = annotations[TkeAnnotations.INGRESS_TKE_SERVICE_CONFIG_AUTO];
    if (explicit !== undefined && auto !== undefined) {
      problems.push(
        `the Ingress carries both ${TkeAnnotations.INGRESS_TKE_SERVICE_CONFIG}: ${JSON.stringify(explicit)} and ` +
          `${TkeAnnotations.INGRESS_TKE_SERVICE_CONFIG_AUTO}: ${JSON.stringify(auto)}; TKE forbids both on one Ingress ('binding' is ${this.binding.mode})`,
      );
    }
    if (this.binding === TkeServiceConfigBinding.EXPLICIT && explicit !== this.serviceConfig.name) {
      problems.push(
        `${TkeAnnotations.INGRESS_TKE_SERVICE_CONFIG} is ${JSON.stringify(explicit)}, but the TkeServiceConfig is named ${JSON.stringify(this.serviceConfig.name)}`,
      );
    }
    if (this.binding === TkeServiceConfigBinding.AUTO && auto !== 'true') {
      problems.push(`${TkeAnnotations.INGRESS_TKE_SERVICE_CONFIG_AUTO} must be "true" for TkeServiceConfigBinding.AUTO, got ${JSON.stringify(auto)}`);
    }
    problems.push(...idAnnotationProblems(annotations, TkeAnnotations.INGRESS_SUBNET_ID, TkeAnnotations.INGRESS_EXIST_LB_ID));
    problems.push(...passToTargetProblems(annotations, TkeAnnotations.INGRESS_PASS_TO_TARGET, TkeAnnotations.INGRESS_EXIST_LB_ID));
    const listenPorts = annotations[TkeAnnotations.INGRESS_LISTEN_PORTS];
    if (listenPorts !== undefined) {
      const parsed = parseListenPorts(listenPorts);
      if (parsed.problem !== undefined) problems.push(`${TkeAnnotations.INGRESS_LISTEN_PORTS} is malformed: ${parsed.problem}`);
    }
    // Per-rule settings are objects the caller may still hold: judge them by their value now.
    for (const rule of this._rules) {
      const at = rule.at || `addRule(${JSON.stringify(rule.host)}, ${JSON.stringify(rule.path)}) options`;
      for (const check of [
        () => rule.options.healthCheck !== undefined && validateHealthCheck(rule.options.healthCheck, `${at}.healthCheck`),
        () => rule.options.session !== undefined && validateSession(rule.options.session, `${at}.session`),
      ]) {
        try {
          check();
        } catch (e) {
          problems.push(`${(e as Error).message} (the object was changed after it was passed in)`);
        }
      }
    }
    for (const tls of this._tls) {
      tls.hosts.forEach((host, j) => {
        const served = this._rules.some((r) => r.host !== undefined && (tlsHostCovers(host, r.host) || tlsHostCovers(r.host, host)));
        if (!served) {
          problems.push(`'${tls.prop}[${j}]' is ${JSON.stringify(host)}, but no rule serves that host: add a rule for it or remove it from the TLS hosts`);
        }
      });
    }
    return problems;
  }

  /**
   * The backends checked against the Services of this app, at synth: a Service must be in the Ingress's
   * namespace (the mirror of `routeInCluster()` shares it), and without direct access it must have a
   * NodePort, which the CLB binds on every node. A Service that this app does not define is not checked.
   */
  private backendProblems(index: AppIndex): string[] {
    const problems: string[] = [];
    const ingress = ApiObject.of(this.ingress);
    const namespace = namespaceOf(ingress);
    const annotations: { [key: string]: string } = annotationsOf(this.ingress.metadata);
    const directAccess = annotations[TkeAnnotations.INGRESS_DIRECT_ACCESS] === 'true';
    const backends = this._rules.map((r) => ({ backend: r.backend, source: r.source }));
    if (this._defaultBackend) backends.push({ backend: this._defaultBackend, source: "'defaultBackend'" });
    for (const { backend, source } of backends) {
      const name = backend._toKube().service?.name;
      if (name === undefined) continue;
      const service = index.services.get(`${namespace}/${name}`);
      if (service === undefined) {
        const elsewhere = index.servicesByName.get(name) ?? [];
        if (elsewhere.length > 0) {
          problems.push(
            `${source} routes to Service ${JSON.stringify(name)}, which this app defines in namespace ` +
              `${elsewhere.map((s) => `${JSON.stringify(namespaceOf(s))} (${s.node.path})`).join(', ')}, but the Ingress ` +
              `${this._inCluster ? '(and its routeInCluster() mirror) ' : ''}is in namespace ${JSON.stringify(namespace)}: ` +
              'an Ingress only routes to Services of its own namespace; put the Service and the Ingress in one namespace',
          );
        }
        continue;
      }
      if (directAccess) continue;
      const spec = index.serviceSpec(service);
      if (spec === undefined) continue;
      const type = spec.type ?? 'ClusterIP';
      if (type === 'ClusterIP' || spec.clusterIP === 'None') {
        problems.push(
          `${source} routes to Service ${namespace}/${name} (${service.node.path}), which is ` +
            `${spec.clusterIP === 'None' ? 'headless' : 'of type ClusterIP'}: without direct access the CLB binds each backend ` +
            "Service's NodePort on every node, so the Service must be of type NodePort (or LoadBalancer), " +
            "or set 'directAccess: true' (VPC-CNI, or GlobalRouter with GlobalRouteDirectAccess: \"true\" in kube-system/tke-service-controller-config)",
        );
      }
    }
    return problems;
  }

  /** The `l7Listeners` of the TkeServiceConfig, computed at synth. */
  private renderListeners(): TkeServiceConfigSpecLoadBalancerL7Listeners[] {
    // Rendering without a validation first (for example chart.toJson() on a chart with no App) checks here.
    const problems = this._checkedForRender ? [] : this.synthProblems();
    this._checkedForRender = false;
    if (problems.length > 0) {
      throw new Error(`LoopbackSafeIngress ${this.node.path}:\n  - ${problems.join('\n  - ')}`);
    }
    const domains = this.renderDomains();
    const listener = ({ protocol, port }: DeclaredListener): TkeServiceConfigSpecLoadBalancerL7Listeners => ({
      protocol: protocol === 'HTTPS' ? TkeServiceConfigSpecLoadBalancerL7ListenersProtocol.HTTPS : TkeServiceConfigSpecLoadBalancerL7ListenersProtocol.HTTP,
      port,
      keepaliveEnable: TkeServiceConfigSpecLoadBalancerL7ListenersKeepaliveEnable.VALUE_1,
      ...(domains.length > 0 ? { domains } : {}),
    });
    return this.listeners().map(listener);
  }

  /**
   * The CLB's layer-7 listeners: those of `ingress.cloud.tencent.com/listen-ports` when the Ingress
   * carries it (from `listenPorts` or set by hand), else TKE's defaults, HTTP 80 and, with TLS, HTTPS 443.
   */
  private listeners(): DeclaredListener[] {
    const declared = annotationsOf(this.ingress.metadata)[TkeAnnotations.INGRESS_LISTEN_PORTS];
    if (declared !== undefined) {
      const parsed = parseListenPorts(declared);
      if (parsed.problem !== undefined) {
        throw new Error(`LoopbackSafeIngress ${this.node.path}: ${TkeAnnotations.INGRESS_LISTEN_PORTS} is malformed: ${parsed.problem}`);
      }
      return parsed.listeners;
    }
    const listeners: DeclaredListener[] = [{ protocol: 'HTTP', port: HTTP_PORT }];
    if (this._tls.length > 0) listeners.push({ protocol: 'HTTPS', port: HTTPS_PORT });
    return listeners;
  }

  /** One domain per host (in order of first appearance) with the rules that carry per-rule settings. */
  private renderDomains(): TkeServiceConfigSpecLoadBalancerL7ListenersDomains[] {
    const byDomain = new Map<string, TkeServiceConfigSpecLoadBalancerL7ListenersDomainsRules[]>();
    for (const rule of this._rules) {
      const { healthCheck, session, scheduler, forwardType } = rule.options;
      if (healthCheck === undefined && session === undefined && scheduler === undefined && forwardType === undefined) continue;
      const domain = rule.host ?? '';
      const rules = byDomain.get(domain) ?? [];
      rules.push({
        url: rule.path,
        ...(forwardType !== undefined ? { forwardType } : {}),
        ...(session !== undefined ? { session: { ...session } } : {}),
        ...(healthCheck !== undefined ? { healthCheck: { ...healthCheck } } : {}),
        ...(scheduler !== undefined ? { scheduler } : {}),
      });
      byDomain.set(domain, rules);
    }
    return [...byDomain.entries()].map(([domain, rules]) => ({ domain, rules }));
  }
}

function throwProblems(problems: string[]): void {
  if (problems.length > 0) throw new Error(problems.join('\n'));
}
