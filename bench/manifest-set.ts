/**
 * Builds a large, realistic manifest set for the checker benchmarks: for every app a Deployment, a private
 * LoadBalancer Service with prevent-loopback, and for every fourth app a private Ingress with TLS bound to a
 * TkeServiceConfig; plus one kube-proxy DaemonSet and one coredns ConfigMap with rewrites.
 */
import * as YAML from 'yaml';

function app(i: number): any[] {
  const ns = `team-${i % 50}`;
  const name = `app-${i}`;
  const labels = { 'app.kubernetes.io/name': name };
  const out: any[] = [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: ns, labels },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: { containers: [{ name: 'main', image: `registry.example.com/${name}:1.0.${i}`, ports: [{ containerPort: 8080 }] }] },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name,
        namespace: ns,
        annotations: {
          'service.kubernetes.io/qcloud-loadbalancer-internal-subnetid': 'subnet-abcd1234',
          'service.cloud.tencent.com/prevent-loopback': 'true',
        },
      },
      spec: { type: 'LoadBalancer', selector: labels, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] },
    },
  ];
  if (i % 4 === 0) {
    out.push(
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: {
          name,
          namespace: ns,
          annotations: {
            'kubernetes.io/ingress.class': 'qcloud',
            'kubernetes.io/ingress.subnetId': 'subnet-abcd1234',
            'ingress.cloud.tencent.com/tke-service-config': `${name}-loopback`,
          },
        },
        spec: {
          tls: [{ hosts: [`${name}.example.com`], secretName: `${name}-tls` }],
          rules: [{
            host: `${name}.example.com`,
            http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name, port: { number: 80 } } } }] },
          }],
        },
      },
      {
        apiVersion: 'cloud.tencent.com/v1alpha1',
        kind: 'TkeServiceConfig',
        metadata: { name: `${name}-loopback`, namespace: ns },
        spec: {
          loadBalancer: {
            l7Listeners: [
              { protocol: 'HTTP', port: 80, keepaliveEnable: 1 },
              { protocol: 'HTTPS', port: 443, keepaliveEnable: 1 },
            ],
          },
        },
      },
    );
  }
  return out;
}

const COREFILE = `.:53 {
    errors
    health {
        lameduck 30s
    }
    ready
    rewrite name roc.oa.com app-0.team-0.svc.cluster.local
    rewrite name suffix .shop.example.com .team-1.svc.cluster.local answer auto
    kubernetes cluster.local. in-addr.arpa ip6.arpa {
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
    }
    prometheus :9153
    forward . /etc/resolv.conf
    cache 30
    reload
    loadbalance
}
`;

/** About `count` objects (whole apps only, plus the two cluster objects). */
export function manifestSet(count: number): any[] {
  const out: any[] = [
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'kube-proxy', namespace: 'kube-system', labels: { k8s_app: 'kube-proxy' } },
      spec: {
        selector: { matchLabels: { k8s_app: 'kube-proxy' } },
        template: {
          metadata: { labels: { k8s_app: 'kube-proxy' } },
          spec: { containers: [{ name: 'kube-proxy', image: 'ccr.ccs.tencentyun.com/library/kube-proxy:v1.20.6-tke.12' }] },
        },
      },
    },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' }, data: { Corefile: COREFILE } },
  ];
  for (let i = 0; out.length < count; i++) out.push(...app(i));
  return out;
}

/** The same set as one multi-document YAML text. */
export function manifestYaml(count: number): string {
  return manifestSet(count).map((m) => YAML.stringify(m)).join('---\n');
}
