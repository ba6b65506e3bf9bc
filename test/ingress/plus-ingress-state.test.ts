import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { CoreDnsRewrite, LoopbackSafeIngress } from '../../src';
import { forEachRoute, ingressDefaultBackend, ingressTls } from '../../src/ingress/state';
import { findManifest, synthValidated } from '../harness/validate';

/*
 * LoopbackSafeIngress is a cdk8s-plus Ingress: its routing and TLS live in the cdk8s-plus Ingress's own
 * (private) fields, which the construct reads rather than copies. These tests pin what it reads, and
 * that rules reach the TkeServiceConfig, the checks and the mirror however they were added.
 */

function setup() {
  const app = Testing.app();
  const chart = new Chart(app, 'test', { namespace: 'prod' });
  const pods = kplus.Pods.select(chart, 'pods', { labels: { app: 'shop' } });
  const shop = new kplus.Service(chart, 'shop', { metadata: { name: 'shop' }, type: kplus.ServiceType.NODE_PORT, ports: [{ port: 80 }], selector: pods });
  const internal = new kplus.Service(chart, 'internal', { metadata: { name: 'internal' }, ports: [{ port: 80 }], selector: pods });
  return { app, chart, shop: kplus.IngressBackend.fromService(shop), internal: kplus.IngressBackend.fromService(internal) };
}

describe('LoopbackSafeIngress is a cdk8s-plus Ingress', () => {
  test('its TkeServiceConfig is its child, emitted before the Ingress, and the mirror after it', () => {
    const { chart, shop } = setup();
    const ing = new LoopbackSafeIngress(chart, 'web', { metadata: { name: 'web' }, rules: [{ host: 'shop.example.com', path: '/', backend: shop }] });
    ing.routeInCluster({ dns: new CoreDnsRewrite(chart, 'dns') });
    expect(ing).toBeInstanceOf(kplus.Ingress);
    expect(ing.serviceConfig.node.scope).toBe(ing);
    expect(ApiObject.of(ing).node.scope).toBe(ing);
    // No dependency edge orders them (it costs synth time): the config's construct id does.
    expect(ApiObject.of(ing).node.dependencies).toEqual([]);
    const order = synthValidated(chart)
      .filter((m) => m.kind === 'Ingress' || m.kind === 'TkeServiceConfig')
      .map((m) => `${m.kind} ${m.metadata.name}`);
    expect(order).toEqual(['TkeServiceConfig web-loopback', 'Ingress web', 'Ingress web-in-cluster']);
  });

  test('the routing, default backend and TLS read are the ones cdk8s-plus holds and renders', () => {
    const { chart, shop } = setup();
    const ing = new LoopbackSafeIngress(chart, 'web', { metadata: { name: 'web' } });
    const tls = [{ hosts: ['shop.example.com'] }];
    ing.addDefaultBackend(shop);
    ing.addHostRule('shop.example.com', '/api', shop, kplus.HttpIngressPathType.EXACT);
    ing.addRule('/status', shop);
    ing.addTls(tls);
    const routes: string[] = [];
    forEachRoute(ing, (host, path, backend, pathType) => routes.push(`${host} ${path} ${pathType} ${backend.service?.name}`));
    expect(routes).toEqual(['shop.example.com /api Exact shop', 'undefined /status Prefix shop']);
    expect(ingressDefaultBackend(ing)).toBe(shop);
    expect(ingressTls(ing)).toEqual(tls);
    expect(ingressTls(ing)[0]).toBe(tls[0]);
    // ...and what cdk8s-plus renders agrees.
    const spec = ApiObject.of(ing).toJson().spec;
    expect(spec.defaultBackend).toEqual({ service: { name: 'shop', port: { number: 80 } } });
    expect(spec.tls).toEqual([{ hosts: ['shop.example.com'] }]);
    expect(spec.rules.map((r: any) => r.host)).toEqual(['shop.example.com', undefined]);
  });

  test('a cdk8s-plus release without the fields read fails loudly, naming the field', () => {
    const { chart, shop } = setup();
    const ing = new LoopbackSafeIngress(chart, 'web', { metadata: { name: 'web' }, rules: [{ host: 'shop.example.com', path: '/', backend: shop }] });
    (ing as any)._tlsConfig = undefined;
    expect(() => ingressTls(ing)).toThrow('the cdk8s-plus Ingress has no _tlsConfig list (got undefined): this cdk8s-plus-27 release is not supported');
    expect(() => ing.addTls([])).toThrow(/_tlsConfig/);
    (ing as any)._rulesPerHost = undefined;
    expect(() => ing.addRule('/x', shop)).toThrow('LoopbackSafeIngress test/web: the cdk8s-plus Ingress has no _rulesPerHost map (got undefined): this cdk8s-plus-27 release is not supported');
  });

  test('a rule added past the checks (cdk8s-plus addRules() itself) still reaches the synth checks', () => {
    const { chart, shop, internal } = setup();
    const ing = new LoopbackSafeIngress(chart, 'web', { metadata: { name: 'web' }, rules: [{ host: 'shop.example.com', path: '/', backend: shop }], tls: [{ hosts: ['admin.example.com'] }] });
    kplus.Ingress.prototype.addRules.call(ing, { host: 'admin.example.com', path: '/', backend: internal });
    // The TLS host is served by that rule; its ClusterIP backend is caught, named by host and path.
    expect(() => Testing.synth(chart)).toThrow(
      /LoopbackSafeIngress test\/web: the backend of host "admin\.example\.com" path "\/" routes to Service prod\/internal \(test\/internal\/Resource\), which is of type ClusterIP/,
    );
  });

  test('rules added with every cdk8s-plus method reach the routeInCluster() mirror, before or after it', () => {
    const { chart, shop } = setup();
    const dns = new CoreDnsRewrite(chart, 'dns');
    const ing = new LoopbackSafeIngress(chart, 'web', { metadata: { name: 'web' } });
    ing.addRules({ host: 'a.example.com', path: '/', backend: shop });
    ing.addTls([{ hosts: ['a.example.com'] }]);
    const mirror = ing.routeInCluster({ dns });
    ing.addRule('/status', shop);
    ing.addHostDefaultBackend('b.example.com', shop);
    ing.addDefaultBackend(shop);
    ing.addRulesWithSettings({ host: 'c.example.com', path: '/', backend: shop, scheduler: 'WRR' as any });
    const manifests = synthValidated(chart);
    const own = findManifest(manifests, 'Ingress', 'web', 'prod').spec;
    const mirrored = findManifest(manifests, 'Ingress', 'web-in-cluster', 'prod').spec;
    expect(mirror).toBe(ing.inClusterIngress);
    expect(mirrored.rules).toEqual(own.rules);
    expect(mirrored.defaultBackend).toEqual(own.defaultBackend);
    expect(mirrored.tls).toEqual(own.tls);
    expect(own.rules.map((r: any) => r.host)).toEqual(['a.example.com', undefined, 'b.example.com', 'c.example.com']);
  });
});
