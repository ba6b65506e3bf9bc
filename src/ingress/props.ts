import { ApiObjectMetadata } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { CoreDnsRewrite } from '../coredns-rewrite';
import { TkeServiceConfigBinding } from './tke-service-config-binding';
import {
  TkeServiceConfigSpecLoadBalancerL7ListenersDomainsRulesForwardType,
  TkeServiceConfigSpecLoadBalancerL7ListenersDomainsRulesHealthCheck,
  TkeServiceConfigSpecLoadBalancerL7ListenersDomainsRulesScheduler,
  TkeServiceConfigSpecLoadBalancerL7ListenersDomainsRulesSession,
  TkeServiceConfigSpecLoadBalancerL7ListenersProtocol,
} from '../tke/imports/cloud.tencent.com';

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
