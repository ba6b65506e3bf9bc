import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Corefile, CoreDnsRewrite, LoopbackSafeIngress } from '../../src';

/** A chart with a NodePort Service to route to. */
function fixture(): { app: App; chart: Chart; backend: kplus.IngressBackend } {
  const app = Testing.app();
  const chart = new Chart(app, 'test');
  const service = new kplus.Service(chart, 'api', {
    metadata: { name: 'api' },
    type: kplus.ServiceType.NODE_PORT,
    ports: [{ port: 80 }],
    selector: kplus.Pods.select(chart, 'pods', { labels: { app: 'api' } }),
  });
  return { app, chart, backend: kplus.IngressBackend.fromService(service) };
}

/** Runs `fn`, expecting it to throw, and returns the message. */
function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

describe('LoopbackSafeIngress whose constructor fails', () => {
  test('a caught constructor error after a valid rule leaves no Ingress or TkeServiceConfig in the tree', () => {
    // GIVEN
    const { chart, backend } = fixture();
    // WHEN
    const message = errorOf(() => new LoopbackSafeIngress(chart, 'web', {
      rules: [{ host: 'a.example.com', path: '/', backend }, { host: 'b.example.com', path: 'no-slash', backend }],
    }));
    // THEN
    expect(message).toContain("LoopbackSafeIngress test/web: 'rules[1].path'");
    expect(chart.node.tryFindChild('web')).toBeUndefined();
    const kinds = Testing.synth(chart).map((o: any) => o.kind);
    expect(kinds).not.toContain('Ingress');
    expect(kinds).not.toContain('TkeServiceConfig');
  });

  test('the id of a constructor that failed can be used again', () => {
    // GIVEN
    const { chart, backend } = fixture();
    errorOf(() => new LoopbackSafeIngress(chart, 'web', { tls: 'x' as any }));
    // WHEN
    new LoopbackSafeIngress(chart, 'web', { rules: [{ host: 'a.example.com', path: '/', backend }] });
    // THEN
    expect(Testing.synth(chart).filter((o: any) => o.kind === 'Ingress')).toHaveLength(1);
  });

  test('a scope in no Chart fails with the construct type and path, and leaves nothing in the App', () => {
    // GIVEN
    const app = Testing.app();
    // WHEN
    const message = errorOf(() => new LoopbackSafeIngress(app, 'web'));
    // THEN
    expect(message).toMatch(/^LoopbackSafeIngress web: .*parent chart/);
    expect(app.node.tryFindChild('web')).toBeUndefined();
  });

  test("a bad metadata prop under an App names the path with '/' turned into '--'", () => {
    // GIVEN
    const app = Testing.app();
    // WHEN
    const message = errorOf(() => new LoopbackSafeIngress(app, 'a/b', { metadata: { labels: { app: 5 as any } } }));
    // THEN
    expect(message).toMatch(/^LoopbackSafeIngress a--b: 'metadata.labels\["app"\]' must be a string/);
  });

  test('a scope that is not a construct fails naming the scope', () => {
    // WHEN
    const message = errorOf(() => new LoopbackSafeIngress({} as any, 'web'));
    // THEN
    expect(message).toContain("'scope' must be a construct");
  });
});

describe('LoopbackSafeIngress and the inherited kplus.Ingress methods called directly', () => {
  test('a rule added with kplus.Ingress.prototype.addRules fails synth, naming host and path', () => {
    // GIVEN
    const { chart, backend } = fixture();
    const ing = new LoopbackSafeIngress(chart, 'web', { rules: [{ host: 'a.example.com', path: '/', backend }] });
    // WHEN
    kplus.Ingress.prototype.addRules.call(ing, { host: 'BAD_HOST', path: '/x', backend });
    // THEN
    expect(() => Testing.synth(chart)).toThrow(/LoopbackSafeIngress test\/web: host "BAD_HOST" path "\/x" was added without this construct's checks/);
  });

  test('kplus.Ingress.prototype.addDefaultBackend and addHostRule reach the checks of the addRules() override', () => {
    // GIVEN
    const { chart, backend } = fixture();
    const ing = new LoopbackSafeIngress(chart, 'web', { rules: [{ host: 'a.example.com', path: '/', backend }] });
    // WHEN
    const badBackend = errorOf(() => kplus.Ingress.prototype.addDefaultBackend.call(ing, {} as any));
    const badHost = errorOf(() => kplus.Ingress.prototype.addHostRule.call(ing, 'BAD_HOST', '/', backend));
    // THEN
    expect(badBackend).toContain("LoopbackSafeIngress test/web: 'rules[0].backend' must be a cdk8s-plus IngressBackend");
    expect(badHost).toContain("LoopbackSafeIngress test/web: 'rules[0].host'");
  });

  test('TLS added with kplus.Ingress.prototype.addTls fails synth', () => {
    // GIVEN
    const { chart, backend } = fixture();
    const ing = new LoopbackSafeIngress(chart, 'web', { rules: [{ host: 'a.example.com', path: '/', backend }] });
    // WHEN
    kplus.Ingress.prototype.addTls.call(ing, [{ hosts: ['a.example.com'] }]);
    // THEN
    expect(() => Testing.synth(chart)).toThrow(/'tls\[0\]' was added without this construct's checks/);
  });

  test('the same calls through the construct synthesize', () => {
    // GIVEN
    const { chart, backend } = fixture();
    const ing = new LoopbackSafeIngress(chart, 'web', { rules: [{ host: 'a.example.com', path: '/', backend }] });
    // WHEN
    ing.addRules({ host: 'b.example.com', path: '/x', backend });
    ing.addDefaultBackend(backend);
    ing.addTls([{ hosts: ['a.example.com'] }]);
    // THEN
    const ingress = Testing.synth(chart).find((o: any) => o.kind === 'Ingress');
    expect(ingress.spec.rules.map((r: any) => r.host)).toEqual(['a.example.com', 'b.example.com']);
    expect(ingress.spec.tls).toEqual([{ hosts: ['a.example.com'] }]);
  });
});

describe('LoopbackSafeIngress.addTls() input from JavaScript', () => {
  test('a secret that is not a Secret fails at the call, quoting it', () => {
    // GIVEN
    const { chart, backend } = fixture();
    const ing = new LoopbackSafeIngress(chart, 'web', { rules: [{ host: 'a.example.com', path: '/', backend }] });
    // WHEN
    const message = errorOf(() => ing.addTls([{ hosts: ['a.example.com'], secret: 'tls-secret' as any }]));
    // THEN
    expect(message).toBe("LoopbackSafeIngress test/web: 'tls[0].secret' must be a cdk8s-plus Secret (Secret.fromSecretName() or new Secret()), got \"tls-secret\"");
  });

  test('a Secret from Secret.fromSecretName() is accepted', () => {
    // GIVEN
    const { chart, backend } = fixture();
    const ing = new LoopbackSafeIngress(chart, 'web', { rules: [{ host: 'a.example.com', path: '/', backend }] });
    // WHEN
    ing.addTls([{ hosts: ['a.example.com'], secret: kplus.Secret.fromSecretName(chart, 's', 'tls-secret') }]);
    // THEN
    const ingress = Testing.synth(chart).find((o: any) => o.kind === 'Ingress');
    expect(ingress.spec.tls).toEqual([{ hosts: ['a.example.com'], secretName: 'tls-secret' }]);
  });
});

describe('LoopbackSafeIngress.routeInCluster() that fails', () => {
  test('a host that cannot be rewritten leaves no half-filled mirror, and a later call can succeed', () => {
    // GIVEN
    const { chart, backend } = fixture();
    const taken = new CoreDnsRewrite(chart, 'dns', { corefile: Corefile.kubeadmDefault() });
    taken.rewriteName('b.example.com', 'x.default.svc.cluster.local');
    const ing = new LoopbackSafeIngress(chart, 'web', {
      metadata: { name: 'web' },
      rules: [{ host: 'a.example.com', path: '/', backend }, { host: 'b.example.com', path: '/', backend }],
    });
    // WHEN
    const message = errorOf(() => ing.routeInCluster({ dns: taken }));
    // THEN
    expect(message).toContain('host "b.example.com" of test/web cannot be rewritten');
    expect(ing.inClusterIngress).toBeUndefined();
    expect(ing.node.tryFindChild('InCluster')).toBeUndefined();
    expect(Testing.synth(chart).filter((o: any) => o.kind === 'Ingress').map((o: any) => o.metadata.name)).toEqual(['web']);
    // AND: no rewrite of the call stays behind (a.example.com was rewritten before b.example.com failed)
    expect(taken.rules.map((r) => r.from)).toEqual(['b.example.com']);
    expect(taken.renderCorefile()).not.toContain('a.example.com');
    // The name is free again in that CoreDnsRewrite, even for another target.
    taken.rewriteName('a.example.com', 'elsewhere.default.svc.cluster.local');
    expect(taken.rules.map((r) => r.from)).toEqual(['b.example.com', 'a.example.com']);
    // WHEN: again, with a CoreDnsRewrite that can rewrite both hosts
    const other = new CoreDnsRewrite(new Chart(chart.node.scope as App, 'dns2'), 'dns', { corefile: Corefile.kubeadmDefault() });
    const mirror = ing.routeInCluster({ dns: other });
    // THEN
    expect(mirrorHosts(mirror)).toEqual(['a.example.com', 'b.example.com']);
  });
});

/** The hosts of the rules of a cdk8s-plus Ingress, as written. */
function mirrorHosts(ingress: kplus.Ingress): string[] {
  return (ApiObject.of(ingress).toJson().spec.rules as any[]).map((r) => r.host);
}

describe('LoopbackSafeIngress TLS added by a JSON patch', () => {
  test('a JSON patch that adds spec.tls gives the TkeServiceConfig the HTTPS 443 listener with keepalive', () => {
    // GIVEN
    const { chart, backend } = fixture();
    const ing = new LoopbackSafeIngress(chart, 'web', { metadata: { name: 'web' }, rules: [{ host: 'a.example.com', path: '/', backend }] });
    // WHEN
    ApiObject.of(ing).addJsonPatch(JsonPatch.add('/spec/tls', [{ hosts: ['a.example.com'], secretName: 'tls' }]));
    // THEN
    const config = Testing.synth(chart).find((o: any) => o.kind === 'TkeServiceConfig');
    expect(config.spec.loadBalancer.l7Listeners).toEqual([
      { protocol: 'HTTP', port: 80, keepaliveEnable: 1 },
      { protocol: 'HTTPS', port: 443, keepaliveEnable: 1 },
    ]);
  });

  test('without a patch, an Ingress without TLS gets the HTTP 80 listener only', () => {
    // GIVEN
    const { chart, backend } = fixture();
    new LoopbackSafeIngress(chart, 'web', { metadata: { name: 'web' }, rules: [{ host: 'a.example.com', path: '/', backend }] });
    // THEN
    const config = Testing.synth(chart).find((o: any) => o.kind === 'TkeServiceConfig');
    expect(config.spec.loadBalancer.l7Listeners).toEqual([{ protocol: 'HTTP', port: 80, keepaliveEnable: 1 }]);
  });
});

describe('LoopbackSafeIngress listen-ports and TLS added by a JSON patch', () => {
  test('listen-ports without HTTPS and spec.tls added by a JSON patch fail synth', () => {
    // GIVEN
    const { chart, backend } = fixture();
    const ing = new LoopbackSafeIngress(chart, 'web', {
      metadata: { name: 'web' },
      listenPorts: [{ protocol: 'HTTP' as any, port: 8080 }],
      rules: [{ host: 'a.example.com', path: '/', backend }],
    });
    // WHEN
    ApiObject.of(ing).addJsonPatch(JsonPatch.add('/spec/tls', [{ hosts: ['a.example.com'], secretName: 'tls' }]));
    // THEN
    expect(() => Testing.synth(chart)).toThrow(/LoopbackSafeIngress test\/web: 'tls' is set, but ingress.cloud.tencent.com\/listen-ports .* declares no HTTPS listener/);
  });
});

describe('LoopbackSafeIngress ids and order', () => {
  test('a duplicate id fails with the prefix and keeps the construct that had the id', () => {
    // GIVEN
    const { chart, backend } = fixture();
    const first = new LoopbackSafeIngress(chart, 'web', { rules: [{ host: 'a.example.com', path: '/', backend }] });
    // WHEN
    const message = errorOf(() => new LoopbackSafeIngress(chart, 'web'));
    // THEN
    expect(message).toMatch(/^LoopbackSafeIngress test\/web: There is already a Construct with name 'web'/);
    expect(chart.node.tryFindChild('web')).toBe(first);
    expect(Testing.synth(chart).filter((o: any) => o.kind === 'Ingress')).toHaveLength(1);
  });

  test("the TkeServiceConfig is emitted first even with the user's own children '1' and 'a' on the Ingress", () => {
    // GIVEN
    const { chart, backend } = fixture();
    const ing = new LoopbackSafeIngress(chart, 'web', { metadata: { name: 'web' }, rules: [{ host: 'a.example.com', path: '/', backend }] });
    // WHEN
    new ApiObject(ing, 'a', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } });
    new ApiObject(ing, '1', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'one' } });
    // THEN
    const order = Testing.synth(chart).filter((o: any) => o.kind !== 'Service').map((o: any) => `${o.kind} ${o.metadata.name}`);
    expect(order.indexOf('TkeServiceConfig web-loopback')).toBe(0);
    expect(order.indexOf('Ingress web')).toBeGreaterThan(0);
  });
});
