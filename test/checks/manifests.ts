/**
 * Builders for the manifests the checker tests feed in. Each returns a plain object, as parsed from
 * YAML, so the tests read like the manifests they stand for.
 */
export const SUBNET = 'service.kubernetes.io/qcloud-loadbalancer-internal-subnetid';
export const PREVENT = 'service.cloud.tencent.com/prevent-loopback';
export const DIRECT = 'service.cloud.tencent.com/direct-access';
export const ING_SUBNET = 'kubernetes.io/ingress.subnetId';
export const ING_CLASS = 'kubernetes.io/ingress.class';
export const ING_CONFIG = 'ingress.cloud.tencent.com/tke-service-config';
export const ING_CONFIG_AUTO = 'ingress.cloud.tencent.com/tke-service-config-auto';
export const SVC_CONFIG = 'service.cloud.tencent.com/tke-service-config';
export const SVC_CONFIG_AUTO = 'service.cloud.tencent.com/tke-service-config-auto';
export const SUPPRESS = 'cdk8s-tke-loopback/suppress';
export const CLB_NETWORK = 'cdk8s-tke-loopback/clb-network';
export const EXISTED_LB = 'service.kubernetes.io/tke-existed-lbid';
export const LEGACY_LB = 'service.kubernetes.io/loadbalance-id';
export const EXIST_LB = 'kubernetes.io/ingress.existLbId';
export const LISTEN_PORTS = 'ingress.cloud.tencent.com/listen-ports';

export interface ServiceOptions {
  name?: string;
  namespace?: string;
  type?: string;
  annotations?: Record<string, any>;
  selector?: Record<string, string>;
  externalTrafficPolicy?: string;
}

export function service(o: ServiceOptions = {}): any {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: o.name ?? 'web',
      ...(o.namespace ? { namespace: o.namespace } : {}),
      ...(o.annotations ? { annotations: o.annotations } : {}),
    },
    spec: {
      type: o.type ?? 'LoadBalancer',
      selector: o.selector ?? { app: 'web' },
      ports: [{ port: 80, targetPort: 8080 }],
      ...(o.externalTrafficPolicy ? { externalTrafficPolicy: o.externalTrafficPolicy } : {}),
    },
  };
}

/** A private-network LoadBalancer Service (the subnet annotation), plus any other annotations. */
export function privateService(o: ServiceOptions = {}): any {
  return service({ ...o, annotations: { [SUBNET]: 'subnet-abcd1234', ...(o.annotations ?? {}) } });
}

export type AntiAffinityKind = 'none' | 'preferred' | 'required';

export function affinity(kind: AntiAffinityKind): any {
  const term = { labelSelector: { matchLabels: { role: 'client' } }, topologyKey: 'kubernetes.io/hostname' };
  if (kind === 'none') return undefined;
  if (kind === 'required') return { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } };
  return { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] } };
}

export interface WorkloadOptions {
  kind?: string;
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  antiAffinity?: AntiAffinityKind;
  image?: string;
}

export function workload(o: WorkloadOptions = {}): any {
  const kind = o.kind ?? 'Deployment';
  const labels = o.labels ?? { app: 'web' };
  const podSpec = {
    containers: [{ name: 'main', image: o.image ?? 'nginx:1.27' }],
    ...(affinity(o.antiAffinity ?? 'none') ? { affinity: affinity(o.antiAffinity ?? 'none') } : {}),
  };
  const metadata = { name: o.name ?? 'web', ...(o.namespace ? { namespace: o.namespace } : {}) };
  if (kind === 'Pod') {
    return { apiVersion: 'v1', kind, metadata: { ...metadata, labels }, spec: podSpec };
  }
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata,
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podSpec } },
  };
}

export interface IngressOptions {
  name?: string;
  namespace?: string;
  annotations?: Record<string, any>;
  tls?: boolean;
  ingressClassName?: string;
  /** The hosts of its rules (and TLS section). */
  hosts?: string[];
}

export function ingress(o: IngressOptions = {}): any {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: o.name ?? 'shop',
      ...(o.namespace ? { namespace: o.namespace } : {}),
      ...(o.annotations ? { annotations: o.annotations } : {}),
    },
    spec: {
      ...(o.ingressClassName ? { ingressClassName: o.ingressClassName } : {}),
      rules: (o.hosts ?? ['shop.example.com']).map((host) => (
        { host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } })),
      ...(o.tls ? { tls: [{ hosts: o.hosts ?? ['shop.example.com'], secretName: 'shop-tls' }] } : {}),
    },
  };
}

/** A private TKE Ingress bound (explicitly) to the TkeServiceConfig `config`. */
export function privateIngress(o: IngressOptions & { config?: string } = {}): any {
  return ingress({
    ...o,
    annotations: { [ING_SUBNET]: 'subnet-abcd1234', ...(o.config ? { [ING_CONFIG]: o.config } : {}), ...(o.annotations ?? {}) },
  });
}

export function serviceConfig(name: string, loadBalancer: any, namespace?: string): any {
  return {
    apiVersion: 'cloud.tencent.com/v1alpha1',
    kind: 'TkeServiceConfig',
    metadata: { name, ...(namespace ? { namespace } : {}) },
    spec: { loadBalancer },
  };
}

/** A TkeServiceConfig with keepalive on for the given listeners (`HTTP:80`, `HTTPS:443`). */
export function keepaliveConfig(name: string, listeners: string[], namespace?: string): any {
  return serviceConfig(
    name,
    {
      l7Listeners: listeners.map((l) => {
        const [protocol, port] = l.split(':');
        return { protocol, port: Number(port), keepaliveEnable: 1 };
      }),
    },
    namespace,
  );
}

export function kubeProxy(tag: string, namespace = 'kube-system'): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'kube-proxy', namespace },
    spec: {
      selector: { matchLabels: { k8sApp: 'kube-proxy' } },
      template: {
        metadata: { labels: { k8sApp: 'kube-proxy' } },
        spec: { containers: [{ name: 'kube-proxy', image: `ccr.ccs.tencentyun.com/library/kube-proxy:${tag}` }] },
      },
    },
  };
}

export function corednsConfigMap(corefile: string, namespace = 'kube-system'): any {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace }, data: { Corefile: corefile } };
}

/** The short form of a finding that rule tests compare with `toEqual`. */
export interface Brief {
  ruleId: string;
  level: string;
  kind: string;
  name?: string;
  namespace?: string;
  manifestIndex?: number;
}

/** The findings of one rule, in brief. */
export function briefs(findings: any[], ruleId: string): Brief[] {
  return findings
    .filter((f) => f.ruleId === ruleId)
    .map((f) => ({
      ruleId: f.ruleId,
      level: f.level,
      kind: f.kind,
      ...(f.name !== undefined ? { name: f.name } : {}),
      ...(f.namespace !== undefined ? { namespace: f.namespace } : {}),
      ...(f.manifestIndex !== undefined ? { manifestIndex: f.manifestIndex } : {}),
    }));
}

/** The messages of one rule's findings. */
export function messages(findings: any[], ruleId: string): string[] {
  return findings.filter((f) => f.ruleId === ruleId).map((f) => f.message);
}
