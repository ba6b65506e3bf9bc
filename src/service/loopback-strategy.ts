import { IConstruct } from 'constructs';
import { describeValue } from '../private/k8s-names';
import { workloadOf } from '../private/plus-compat';
import { TkeAnnotations } from '../tke/annotations';
import { KubeProxyVersion } from '../tke/kube-proxy-version';

/**
 * Options for `LoopbackStrategy.preventLoopback()`.
 */
export interface PreventLoopbackOptions {
  /**
   * The kube-proxy build of the cluster: the image of the `kube-proxy` DaemonSet in `kube-system`, as
   * `kubectl -n kube-system get ds kube-proxy -o jsonpath='{..image}'` prints it
   * (`ccr.ccs.tencentyun.com/tkeimages/kube-proxy:v1.20.6-tke.12`; newer clusters run
   * `.../hyperkube:v1.30.0-tke.9`), or just its tag (`v1.20.6-tke.12`, `v1.34.1-tke.2-rc3`).
   *
   * When given, it is checked with `KubeProxyVersion.checkPreventLoopback()`, and the strategy fails
   * when the value is in none of those forms, when the build is older than Kubernetes 1.12 (Tencent
   * documents no kube-proxy before 1.12 that supports `service.cloud.tencent.com/prevent-loopback`),
   * or when it is older than the documented minimum of its minor: `v1.12.4-tke.30`, `v1.14.3-tke.24`,
   * `v1.16.3-tke.25`, `v1.18.4-tke.20`, `v1.20.6-tke.12` (Tencent's loopback page) and `v1.28.3-tke.3`
   * (TKE's revision history: "lb vip binding issue fixed (kube-proxy)"). A `-rc<n>` build comes before
   * the release of the same tag. Other minors from 1.12 on have no documented minimum and are accepted.
   *
   * @default - the version is not checked
   * @see https://www.tencentcloud.com/document/product/457/42976
   * @see https://www.tencentcloud.com/document/product/457/9315
   */
  readonly kubeProxyVersion?: string;
}

/**
 * Options for the anti-affinity strategies, `LoopbackStrategy.localTrafficWithAntiAffinity()` and
 * `LoopbackStrategy.directAccessWithAntiAffinity()`.
 */
export interface LoopbackAntiAffinityOptions {
  /**
   * The workload that serves the Service: its pods must be the ones the Service's `selector` selects.
   * A cdk8s-plus workload (`Deployment`, `StatefulSet`, ...) of any of cdk8s-plus-27 to -33, typed
   * `IConstruct` so that every version type-checks; another construct fails.
   */
  readonly server: IConstruct;

  /**
   * Every workload in the cluster that calls the Service through its CLB address. Each gets pod
   * anti-affinity against `server`, and `server` against each of them, on topology
   * `kubernetes.io/hostname`. At least one; the server itself may not be among them. cdk8s-plus
   * workloads of any of cdk8s-plus-27 to -33, like `server`.
   */
  readonly clients: IConstruct[];

  /**
   * Whether the anti-affinity is required (`requiredDuringSchedulingIgnoredDuringExecution`) or only
   * preferred (`preferredDuringSchedulingIgnoredDuringExecution`, weight 100).
   *
   * Required terms guarantee that no client pod shares a node with a server pod, so no request can
   * loop back; the price is that pods stay Pending when no node is free of the other side.
   * With `false` the scheduler may still put a client next to a server pod when nodes are short,
   * and loopback then remains possible for that client.
   *
   * @default true
   */
  readonly required?: boolean;
}

/**
 * How a `LoopbackSafeService` keeps in-cluster callers of its private CLB from looping back to their
 * own node. Build one with a static factory:
 *
 * - `preventLoopback()` (the default): the `service.cloud.tencent.com/prevent-loopback: "true"` annotation;
 * - `localTrafficWithAntiAffinity()`: `externalTrafficPolicy: Local` plus pod anti-affinity between server and clients;
 * - `directAccessWithAntiAffinity()`: `service.cloud.tencent.com/direct-access: "true"` (VPC-CNI, or GlobalRouter with
 *   `GlobalRouteDirectAccess` turned on) plus the same anti-affinity.
 *
 * @see https://www.tencentcloud.com/document/product/457/42976
 */
export class LoopbackStrategy {
  /**
   * Annotates the Service with `service.cloud.tencent.com/prevent-loopback: "true"`: kube-proxy binds
   * the CLB VIP to `kube-ipvs0`, so in-cluster calls to the VIP never leave the node, and the service
   * controller moves the CLB health-check source IP into 100.64.0.0/10.
   *
   * Two preconditions cannot be expressed in a manifest: a kube-proxy that supports the annotation
   * (pass `kubeProxyVersion` to have it checked), and the CLB "non-VIP health-check source IP" feature,
   * which Tencent enables through a ticket.
   *
   * Throws when `kubeProxyVersion` is neither a TKE kube-proxy tag nor an image reference carrying one,
   * is older than 1.12, or is older than the documented minimum for its minor (the message names that
   * minimum and the Tencent page).
   *
   * @param options the kube-proxy version to check
   * @see https://www.tencentcloud.com/document/product/457/42976
   */
  public static preventLoopback(options: PreventLoopbackOptions = {}): LoopbackStrategy {
    const version = options.kubeProxyVersion === undefined ? undefined : checkKubeProxyVersion(options.kubeProxyVersion);
    return new LoopbackStrategy({
      name: 'preventLoopback',
      annotations: { [TkeAnnotations.SERVICE_PREVENT_LOOPBACK]: 'true' },
      kubeProxyVersion: version,
    });
  }

  /**
   * Sets `externalTrafficPolicy: Local`, so that the CLB only sends traffic to nodes that run a server
   * pod, and keeps `server` and every client apart with pod anti-affinity on `kubernetes.io/hostname`
   * (both ways). A client then never shares a node with a server pod, so its requests to the CLB never
   * come back to its own node.
   *
   * Anti-affinity is required by default; with `required: false` it is only preferred, and loopback
   * then remains possible when the scheduler co-locates a client with a server pod.
   *
   * Throws when `clients` is empty, repeats a workload, or contains `server`.
   *
   * @param options the server, its clients, and whether separation is required
   * @see https://www.tencentcloud.com/document/product/457/42976
   */
  public static localTrafficWithAntiAffinity(options: LoopbackAntiAffinityOptions): LoopbackStrategy {
    return new LoopbackStrategy({
      name: 'localTrafficWithAntiAffinity',
      annotations: {},
      externalTrafficPolicy: 'Local',
      antiAffinity: checkAntiAffinity(options),
    });
  }

  /**
   * Annotates the Service with `service.cloud.tencent.com/direct-access: "true"`, so that the CLB binds
   * server pods directly as real servers, and keeps `server` and every client apart with pod
   * anti-affinity on `kubernetes.io/hostname` (both ways).
   *
   * Direct access works on VPC-CNI clusters (Kubernetes 1.12 or later, pods with an ENI, no
   * `hostNetwork`) and on GlobalRouter clusters too, once `GlobalRouteDirectAccess: "true"` is set in the
   * ConfigMap `kube-system/tke-service-controller-config` (GlobalRouter also needs CLB SNAT Pro or CCN).
   * Neither can be set from this Service's manifest.
   *
   * Direct access alone does not stop loopback: a client on the same node as a server pod still
   * loops. The anti-affinity is what prevents it; it is required by default, and with
   * `required: false` loopback remains possible when the scheduler co-locates a client with a server pod.
   *
   * Throws when `clients` is empty, repeats a workload, or contains `server`.
   *
   * @param options the server, its clients, and whether separation is required
   * @see https://www.tencentcloud.com/document/product/457/42976
   * @see https://www.tencentcloud.com/document/product/457/36837
   */
  public static directAccessWithAntiAffinity(options: LoopbackAntiAffinityOptions): LoopbackStrategy {
    return new LoopbackStrategy({
      name: 'directAccessWithAntiAffinity',
      annotations: { [TkeAnnotations.SERVICE_DIRECT_ACCESS]: 'true' },
      antiAffinity: checkAntiAffinity(options),
    });
  }

  /**
   * The factory that built this strategy: `preventLoopback`, `localTrafficWithAntiAffinity` or
   * `directAccessWithAntiAffinity`.
   */
  public readonly name: string;

  /**
   * The annotations this strategy puts on the Service, as raw key/value strings. A user annotation with
   * the same key and another value fails.
   *
   * @internal
   */
  public readonly _annotations: { [key: string]: string };

  /**
   * The `externalTrafficPolicy` this strategy sets, as the raw Kubernetes string (`Local`), or undefined
   * to leave it to Kubernetes (`Cluster`).
   *
   * @internal
   */
  public readonly _externalTrafficPolicy?: string;

  /**
   * The server and clients kept apart, and whether the separation is required.
   * @default - no anti-affinity
   */
  public readonly antiAffinity?: LoopbackAntiAffinityOptions;

  /**
   * The checked kube-proxy version.
   * @default - not checked
   */
  public readonly kubeProxyVersion?: KubeProxyVersion;

  private constructor(props: StrategyProps) {
    this.name = props.name;
    this._annotations = props.annotations;
    this._externalTrafficPolicy = props.externalTrafficPolicy;
    this.antiAffinity = props.antiAffinity;
    this.kubeProxyVersion = props.kubeProxyVersion;
  }
}

interface StrategyProps {
  readonly name: string;
  readonly annotations: { [key: string]: string };
  readonly externalTrafficPolicy?: string;
  readonly antiAffinity?: LoopbackAntiAffinityOptions;
  readonly kubeProxyVersion?: KubeProxyVersion;
}

function checkKubeProxyVersion(value: string): KubeProxyVersion {
  const support = KubeProxyVersion.checkPreventLoopback(value);
  if (support.version === undefined) {
    throw new Error(`'kubeProxyVersion': ${support.reason}`);
  }
  if (!support.supported) {
    throw new Error(
      `'kubeProxyVersion' ${JSON.stringify(value)} cannot honour ${TkeAnnotations.SERVICE_PREVENT_LOOPBACK}: ${support.reason}. ` +
        `Upgrade kube-proxy${support.minimum ? ` to ${support.minimum} or later` : ''}, or use ` +
        'LoopbackStrategy.localTrafficWithAntiAffinity() or directAccessWithAntiAffinity()',
    );
  }
  return support.version;
}

function checkAntiAffinity(options: LoopbackAntiAffinityOptions): LoopbackAntiAffinityOptions {
  if (!options || typeof options !== 'object') {
    throw new Error(`the anti-affinity options must be an object with 'server' and 'clients', got ${describeValue(options)}`);
  }
  const { server, clients } = options;
  workloadOf(server, 'server');
  if (!Array.isArray(clients) || clients.length === 0) {
    throw new Error(
      `'clients' must list at least one workload that calls the Service through its CLB, got ${Array.isArray(clients) ? '[]' : describeValue(clients)}`,
    );
  }
  clients.forEach((client, i) => {
    workloadOf(client, `clients[${i}]`);
    if (client === server) {
      throw new Error(`'clients[${i}]' is the server itself (${server.node.path}): a workload cannot be kept off its own nodes`);
    }
    const first = clients.indexOf(client);
    if (first !== i) {
      throw new Error(`'clients[${i}]' repeats clients[${first}] (${client.node.path})`);
    }
  });
  if (options.required !== undefined && typeof options.required !== 'boolean') {
    throw new Error(`'required' must be true or false, got ${describeValue(options.required)}`);
  }
  return { server, clients: [...clients], required: options.required ?? true };
}
