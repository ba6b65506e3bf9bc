import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus27 from 'cdk8s-plus-27';
import * as kplus33 from 'cdk8s-plus-33';
import {
  CoreDnsRewrite,
  LoopbackSafeIngress,
  LoopbackSafeService,
  LoopbackStrategy,
} from '../src';
import { synthValidated } from './harness/validate';

/**
 * The objects of one app as a cdk8s-plus-27 or a cdk8s-plus-33 user writes them. Each field is the union
 * of both versions' types, so passing it to the constructs below type-checks only if both versions'
 * objects are accepted without a cast.
 */
interface PlusObjects {
  readonly chart: Chart;
  readonly api: kplus27.Deployment | kplus33.Deployment;
  readonly web: kplus27.Deployment | kplus33.Deployment;
  readonly worker: kplus27.StatefulSet | kplus33.StatefulSet;
  readonly webPods: kplus27.Pods | kplus33.Pods;
  readonly webService: kplus27.Service | kplus33.Service;
  readonly webBackend: kplus27.IngressBackend | kplus33.IngressBackend;
  readonly fallback: kplus27.IngressBackend | kplus33.IngressBackend;
  readonly ingressNginx: kplus27.Service | kplus33.Service;
}

const IMAGE = 'nginxinc/nginx-unprivileged:1.27-alpine';

function with27(): PlusObjects {
  const chart = new Chart(Testing.app(), 'shop', { namespace: 'prod' });
  const api = new kplus27.Deployment(chart, 'api', { containers: [{ image: IMAGE, portNumber: 8080 }] });
  const web = new kplus27.Deployment(chart, 'web', { podMetadata: { labels: { tier: 'web' } }, containers: [{ image: IMAGE, portNumber: 8080 }] });
  const worker = new kplus27.StatefulSet(chart, 'worker', {
    containers: [{ image: IMAGE, portNumber: 8080 }],
    service: new kplus27.Service(chart, 'worker-headless', { clusterIP: 'None', ports: [{ port: 8080 }] }),
  });
  const webPods = kplus27.Pods.select(chart, 'web-pods', { labels: { tier: 'web' } });
  const webService = new kplus27.Service(chart, 'web-svc', {
    metadata: { name: 'web' }, type: kplus27.ServiceType.NODE_PORT, selector: web, ports: [{ port: 80, targetPort: 8080 }],
  });
  const ingressNginx = new kplus27.Service(chart, 'nginx', {
    metadata: { name: 'ingress-nginx-controller', namespace: 'ingress-nginx' }, ports: [{ port: 80 }],
  });
  return {
    chart,
    api,
    web,
    worker,
    webPods,
    webService,
    ingressNginx,
    webBackend: kplus27.IngressBackend.fromService(webService),
    fallback: kplus27.IngressBackend.fromResource(new kplus27.ConfigMap(chart, 'assets', { metadata: { name: 'assets' } })),
  };
}

function with33(): PlusObjects {
  const chart = new Chart(Testing.app(), 'shop', { namespace: 'prod' });
  const api = new kplus33.Deployment(chart, 'api', { containers: [{ image: IMAGE, portNumber: 8080 }] });
  const web = new kplus33.Deployment(chart, 'web', { podMetadata: { labels: { tier: 'web' } }, containers: [{ image: IMAGE, portNumber: 8080 }] });
  const worker = new kplus33.StatefulSet(chart, 'worker', {
    containers: [{ image: IMAGE, portNumber: 8080 }],
    service: new kplus33.Service(chart, 'worker-headless', { clusterIP: 'None', ports: [{ port: 8080 }] }),
  });
  const webPods = kplus33.Pods.select(chart, 'web-pods', { labels: { tier: 'web' } });
  const webService = new kplus33.Service(chart, 'web-svc', {
    metadata: { name: 'web' }, type: kplus33.ServiceType.NODE_PORT, selector: web, ports: [{ port: 80, targetPort: 8080 }],
  });
  const ingressNginx = new kplus33.Service(chart, 'nginx', {
    metadata: { name: 'ingress-nginx-controller', namespace: 'ingress-nginx' }, ports: [{ port: 80 }],
  });
  return {
    chart,
    api,
    web,
    worker,
    webPods,
    webService,
    ingressNginx,
    webBackend: kplus33.IngressBackend.fromService(webService),
    fallback: kplus33.IngressBackend.fromResource(new kplus33.ConfigMap(chart, 'assets', { metadata: { name: 'assets' } })),
  };
}

/** Every construct of this library that takes a cdk8s-plus object, fed the given version's objects. */
function shop(o: PlusObjects): any[] {
  const { chart } = o;
  const dns = new CoreDnsRewrite(chart, 'dns');
  const api = new LoopbackSafeService(chart, 'api-svc', {
    metadata: { name: 'api' },
    selector: o.api,
    ports: [{ port: 80, targetPort: 8080 }],
    internalSubnetId: 'subnet-abcd1234',
    strategy: LoopbackStrategy.localTrafficWithAntiAffinity({ server: o.api, clients: [o.web, o.worker] }),
  });
  new LoopbackSafeService(chart, 'web-direct', {
    metadata: { name: 'web-direct' },
    selector: o.webPods,
    ports: [{ port: 80, targetPort: 8080 }],
    internalSubnetId: 'subnet-abcd1234',
    strategy: LoopbackStrategy.directAccessWithAntiAffinity({ server: o.web, clients: [o.worker], required: false }),
  });
  const ingress = new LoopbackSafeIngress(chart, 'web-ingress', {
    metadata: { name: 'web' },
    internalSubnetId: 'subnet-abcd1234',
    defaultBackend: o.webBackend,
    rules: [{ host: 'shop.example.com', path: '/', backend: o.webBackend }],
  });
  ingress.addRulesWithSettings({ host: 'shop.example.com', path: '/fallback', backend: o.fallback });
  ingress.routeInCluster({ dns, controllerService: o.ingressNginx });
  dns.rewriteToService('api.shop.example.com', api);
  dns.rewriteToService('web.shop.example.com', o.webService);
  return synthValidated(chart);
}

describe('cdk8s-plus-27 and cdk8s-plus-33 objects', () => {
  test("give the same manifests: this library's objects in full, the workloads' affinity", () => {
    // cdk8s-plus-33 renders a few more defaults in a workload's spec (revisionHistoryLimit, ...), none
    // of which this library writes; what it writes into a workload is the affinity.
    const ours = (m: any) => (m.spec?.template?.spec ? { affinity: m.spec.template.spec.affinity } : m);
    const key = (m: any) => `${m.kind} ${m.metadata.namespace ?? ''}/${m.metadata.name}`;
    const from27 = shop(with27());
    const from33 = shop(with33());
    expect(from33.map(key)).toEqual(from27.map(key));
    from27.forEach((m, i) => expect({ [key(m)]: ours(from33[i]) }).toEqual({ [key(m)]: ours(m) }));
  });

  test("give the workloads the strategy's anti-affinity, and the Services the workloads' labels", () => {
    const manifests = shop(with33());
    const of = (kind: string, name: string) => manifests.find((m) => m.kind === kind && m.metadata.name.startsWith(name));
    const api = of('Deployment', 'shop-api');
    const worker = of('StatefulSet', 'shop-worker');
    const apiLabels = api.spec.selector.matchLabels;
    expect(of('Service', 'api').spec.selector).toEqual(apiLabels);
    expect(of('Service', 'web-direct').spec.selector).toEqual({ tier: 'web' });
    expect(worker.spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution)
      .toContainEqual({ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: apiLabels }, namespaces: ['prod'] });
    expect(worker.spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution)
      .toEqual([{ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: of('Deployment', 'shop-web').spec.selector.matchLabels }, namespaces: ['prod'] } }]);
    const ingress = manifests.find((m) => m.kind === 'Ingress' && m.metadata.name === 'web');
    expect(ingress.spec.defaultBackend).toEqual({ service: { name: 'web', port: { number: 80 } } });
    expect(ingress.spec.rules[0].http.paths.map((p: any) => p.backend)).toEqual([
      { service: { name: 'web', port: { number: 80 } } },
      { resource: { apiGroup: 'core', kind: 'ConfigMap', name: 'assets' } },
    ]);
  });
});

describe('objects that are not what a prop needs fail, naming the prop', () => {
  test('selector, server and clients', () => {
    const o = with33();
    const cm = new kplus33.ConfigMap(o.chart, 'cm');
    const props = { ports: [{ port: 80 }], selector: o.api };
    expect(() => new LoopbackSafeService(o.chart, 'a', { ...props, selector: cm }))
      .toThrow("'selector' must be a cdk8s-plus workload (Deployment, StatefulSet, ...) or Pods.select(...), got ConfigMap at \"shop/cm\"");
    expect(() => LoopbackStrategy.localTrafficWithAntiAffinity({ server: cm, clients: [o.web] }))
      .toThrow("'server' must be a cdk8s-plus workload (Deployment, StatefulSet, DaemonSet, ...), got ConfigMap at \"shop/cm\"");
    expect(() => LoopbackStrategy.localTrafficWithAntiAffinity({ server: o.api, clients: [o.web, o.webPods] }))
      .toThrow("'clients[1]' must be a cdk8s-plus workload (Deployment, StatefulSet, DaemonSet, ...), got Pods at \"shop/web-pods\"");
  });

  test('backends', () => {
    const o = with33();
    expect(() => new LoopbackSafeIngress(o.chart, 'a', { rules: [{ path: '/', backend: o.webService }] }))
      .toThrow(/'rules\[0\]\.backend' must be a cdk8s-plus IngressBackend \(IngressBackend\.fromService\(\) or fromResource\(\)\), got Service at "shop\/web-svc"$/);
    expect(() => new LoopbackSafeIngress(o.chart, 'b', { defaultBackend: 'web:80' }))
      .toThrow("'defaultBackend' must be a cdk8s-plus IngressBackend (IngressBackend.fromService() or fromResource()), got \"web:80\"");
    const ingress = new LoopbackSafeIngress(o.chart, 'c');
    expect(() => ingress.addHostRule('shop.example.com', '/', { service: { name: 'web' } } as any))
      .toThrow("'backend' must be a cdk8s-plus IngressBackend (IngressBackend.fromService() or fromResource()), got {\"service\":{\"name\":\"web\"}}");
    expect(() => ingress.addRulesWithSettings({ host: 'shop.example.com', path: '/', backend: { service: { name: 'web' } } }))
      .toThrow("'rules[0].backend' must be a cdk8s-plus IngressBackend (IngressBackend.fromService() or fromResource()), got {\"service\":{\"name\":\"web\"}}");
    // The inherited cdk8s-plus methods take a cdk8s-plus-27 IngressBackend in TypeScript; at run time one of -33 works too.
    ingress.addHostRule('shop.example.com', '/', o.webBackend as any);
    expect(ApiObject.of(ingress).toJson().spec.rules[0].http.paths[0].backend).toEqual({ service: { name: 'web', port: { number: 80 } } });
  });
});
