import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Corefile, CoreDnsRewrite, LoopbackSafeIngress, LoopbackSafeService } from '../src';
import { findManifest, synthValidated } from './harness/validate';

const CONTROLLER = 'ingress-nginx-controller.ingress-nginx.svc.cluster.local';

/** The rewrite lines of the synthesized Corefile. */
function rewriteLines(chart: Chart): string[] {
  const corefile: string = findManifest(synthValidated(chart), 'ConfigMap', 'coredns', 'kube-system').data.Corefile;
  return corefile.split('\n').filter((l) => l.trim().startsWith('rewrite '));
}

function setup() {
  const app = Testing.app();
  const chart = new Chart(app, 'test', { namespace: 'prod' });
  const pods = kplus.Pods.select(chart, 'pods', { labels: { app: 'shop' } });
  const shop = new kplus.Service(chart, 'shop', { metadata: { name: 'shop' }, type: kplus.ServiceType.NODE_PORT, ports: [{ port: 80 }], selector: pods });
  const api = new kplus.Service(chart, 'api', { metadata: { name: 'api' }, type: kplus.ServiceType.NODE_PORT, ports: [{ port: 8080 }], selector: pods });
  const dns = new CoreDnsRewrite(chart, 'dns', { corefile: Corefile.kubeadmDefault() });
  return { app, chart, pods, dns, shop: kplus.IngressBackend.fromService(shop), api: kplus.IngressBackend.fromService(api) };
}

describe('LoopbackSafeService inClusterDomains', () => {
  test('each domain is rewritten to the Service\'s in-cluster name', () => {
    // GIVEN
    const { chart, pods, dns } = setup();
    // WHEN
    new LoopbackSafeService(chart, 'server', {
      metadata: { name: 'server' },
      selector: pods,
      ports: [{ port: 80 }],
      inClusterDomains: ['roc.oa.com', 'ROC2.oa.com'],
      dns,
    });
    // THEN
    expect(rewriteLines(chart)).toEqual([
      '    rewrite name exact roc.oa.com server.prod.svc.cluster.local',
      '    rewrite name exact roc2.oa.com server.prod.svc.cluster.local',
    ]);
  });

  test('inClusterDomains without dns fails', () => {
    const { chart, pods } = setup();
    expect(() => new LoopbackSafeService(chart, 'server', { selector: pods, ports: [{ port: 80 }], inClusterDomains: ['roc.oa.com'] }))
      .toThrow('\'inClusterDomains\' needs \'dns\', the CoreDnsRewrite that writes the rewrite rules, got inClusterDomains ["roc.oa.com"] and no dns');
  });

  test.each([
    ['a string', 'coredns', '"coredns"'],
    ['a plain object', { rewriteToService: () => undefined }, '{}'],
  ])('inClusterDomains with a dns that is %s fails, naming the prop', (_what, dns, shown) => {
    const { chart, pods } = setup();
    expect(() => new LoopbackSafeService(chart, 'server', { selector: pods, ports: [{ port: 80 }], inClusterDomains: ['roc.oa.com'], dns: dns as any }))
      .toThrow(`'dns' must be a CoreDnsRewrite, got ${shown}`);
    expect(chart.node.tryFindChild('server')).toBeUndefined();
  });

  test('a bad domain fails, naming its index and quoting it', () => {
    const { chart, pods, dns } = setup();
    expect(() => new LoopbackSafeService(chart, 'server', { selector: pods, ports: [{ port: 80 }], inClusterDomains: ['a.oa.com', 'b.oa.com {'], dns }))
      .toThrow(/^LoopbackSafeService test\/server: 'inClusterDomains\[1\]': 'from' must be a DNS name .*got "b.oa.com \{"/);
  });
});

describe('LoopbackSafeIngress.routeInCluster', () => {
  test('mirrors every rule, default backend and TLS, including later ones, and rewrites each host once', () => {
    // GIVEN
    const { chart, dns, shop, api } = setup();
    const ingress = new LoopbackSafeIngress(chart, 'web', {
      metadata: { name: 'web' },
      internalSubnetId: 'subnet-abcd1234',
      rules: [{ host: 'shop.example.com', path: '/', backend: shop }, { path: '/health', backend: shop }],
      defaultBackend: shop,
    });
    // WHEN
    const mirror = ingress.routeInCluster({ dns });
    ingress.addHostRule('shop.example.com', '/api', api);
    ingress.addHostRule('*.api.example.com', '/', api);
    ingress.addTls([{ hosts: ['shop.example.com'] }]);
    // THEN
    const manifests = synthValidated(chart);
    const m = findManifest(manifests, 'Ingress', 'web-in-cluster', 'prod');
    expect(mirror.name).toEqual('web-in-cluster');
    expect(ingress.inClusterIngress).toBe(mirror);
    expect(m.metadata.annotations).toEqual({ 'kubernetes.io/ingress.class': 'nginx' });
    expect(m.spec.ingressClassName).toBeUndefined();
    const original = findManifest(manifests, 'Ingress', 'web', 'prod');
    expect(m.spec.rules).toEqual(original.spec.rules);
    expect(m.spec.defaultBackend).toEqual(original.spec.defaultBackend);
    expect(m.spec.tls).toEqual([{ hosts: ['shop.example.com'] }]);
    expect(m.spec.rules.map((r: any) => [r.host, r.http.paths.map((p: any) => `${p.path}->${p.backend.service.name}`)])).toEqual([
      ['shop.example.com', ['/->shop', '/api->api']],
      [undefined, ['/health->shop']],
      ['*.api.example.com', ['/->api']],
    ]);
    expect(rewriteLines(chart)).toEqual([
      `    rewrite name exact shop.example.com ${CONTROLLER}`,
      `    rewrite name regex ^[a-z0-9-]+\\.api\\.example\\.com\\.$ ${CONTROLLER} answer auto`,
    ]);
  });

  test('a wildcard host and one of its hosts both go to the controller (the later rule is redundant, not shadowed)', () => {
    // GIVEN
    const { chart, dns, shop, api } = setup();
    const ingress = new LoopbackSafeIngress(chart, 'web', { metadata: { name: 'web' }, internalSubnetId: 'subnet-abcd1234', rules: [{ host: '*.example.com', path: '/', backend: shop }] });
    // WHEN
    ingress.routeInCluster({ dns });
    ingress.addHostRule('api.example.com', '/', api);
    // THEN
    expect(rewriteLines(chart)).toEqual([
      `    rewrite name regex ^[a-z0-9-]+\\.example\\.com\\.$ ${CONTROLLER} answer auto`,
      `    rewrite name exact api.example.com ${CONTROLLER}`,
    ]);
  });

  test('the controller can be a Service of the app, or another name and namespace, and another class', () => {
    // GIVEN
    const { chart, dns, shop } = setup();
    const controller = new kplus.Service(chart, 'controller', { metadata: { name: 'edge', namespace: 'edge-system' }, ports: [{ port: 80 }] });
    const one = new LoopbackSafeIngress(chart, 'one', { metadata: { name: 'one' }, rules: [{ host: 'one.example.com', path: '/', backend: shop }] });
    const two = new LoopbackSafeIngress(chart, 'two', { metadata: { name: 'two' }, rules: [{ host: 'two.example.com', path: '/', backend: shop }] });
    // WHEN
    one.routeInCluster({ dns, controllerService: controller, ingressClass: 'edge', name: 'one-internal' });
    two.routeInCluster({ dns, controllerServiceName: 'traefik', controllerServiceNamespace: 'traefik' });
    // THEN
    expect(findManifest(synthValidated(chart), 'Ingress', 'one-internal', 'prod').metadata.annotations).toEqual({ 'kubernetes.io/ingress.class': 'edge' });
    expect(rewriteLines(chart)).toEqual([
      '    rewrite name exact one.example.com edge.edge-system.svc.cluster.local',
      '    rewrite name exact two.example.com traefik.traefik.svc.cluster.local',
    ]);
  });

  test.each([
    [{ ingressClass: 'qcloud' }, /'ingressClass' must name your own controller, got "qcloud"/],
    [{ ingressClass: 'Nginx Class' }, /'ingressClass' must be a DNS-1123 subdomain .*got "Nginx Class"/],
    [{ controllerServiceName: 'a.b' }, /'controllerServiceName' must be a DNS-1035 label .*got "a.b"/],
    [{ controllerServiceNamespace: 'ns\n' }, /'controllerServiceNamespace' must be a DNS-1123 label .*got "ns\\n"/],
  ])('bad options fail: %j', (options, message) => {
    const { chart, dns, shop } = setup();
    const ingress = new LoopbackSafeIngress(chart, 'web', { rules: [{ host: 'shop.example.com', path: '/', backend: shop }] });
    expect(() => ingress.routeInCluster({ dns, ...options })).toThrow(message);
  });

  test('a controller Service together with a name fails, and so does a second call', () => {
    const { chart, dns, shop } = setup();
    const controller = new kplus.Service(chart, 'controller', { ports: [{ port: 80 }] });
    const ingress = new LoopbackSafeIngress(chart, 'web', { rules: [{ host: 'shop.example.com', path: '/', backend: shop }] });
    expect(() => ingress.routeInCluster({ dns, controllerService: controller, controllerServiceName: 'x' }))
      .toThrow("'controllerService' cannot be combined with 'controllerServiceName' or 'controllerServiceNamespace'");
    ingress.routeInCluster({ dns });
    expect(() => ingress.routeInCluster({ dns })).toThrow('routeInCluster() was already called on test/web');
  });

  test('two Ingresses that share a host can both be routed in-cluster through one CoreDnsRewrite (several Services behind one shared domain)', () => {
    // GIVEN
    const { chart, dns, shop } = setup();
    const a = new LoopbackSafeIngress(chart, 'a', { rules: [{ host: 'shop.oa.com', path: '/', backend: shop }] });
    const b = new LoopbackSafeIngress(chart, 'b', { rules: [{ host: 'shop.oa.com', path: '/api', backend: shop }] });
    // WHEN
    a.routeInCluster({ dns });
    b.routeInCluster({ dns });
    // THEN: one rewrite line for the shared host
    expect(rewriteLines(chart)).toEqual([`    rewrite name exact shop.oa.com ${CONTROLLER}`]);
  });

  test('a host that dns already rewrites elsewhere fails, naming the host, now or when the rule is added later', () => {
    // GIVEN
    const { chart, dns, shop } = setup();
    dns.rewriteName('taken.example.com', 'x.prod.svc.cluster.local');
    const ingress = new LoopbackSafeIngress(chart, 'web', { rules: [{ host: 'shop.example.com', path: '/', backend: shop }] });
    ingress.routeInCluster({ dns });
    // THEN
    expect(() => ingress.addHostRule('taken.example.com', '/', shop)).toThrow(
      /^LoopbackSafeIngress test\/web: routeInCluster: host "taken.example.com" of test\/web cannot be rewritten: 'from' "taken.example.com" \(exact\) is already rewritten by test\/dns/);
    const other = new LoopbackSafeIngress(chart, 'other', { rules: [{ host: 'taken.example.com', path: '/', backend: shop }] });
    expect(() => other.routeInCluster({ dns })).toThrow(/^LoopbackSafeIngress test\/other: routeInCluster: host "taken.example.com" of test\/other cannot be rewritten/);
  });
});
