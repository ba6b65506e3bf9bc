import { ApiObject, App, Chart, JsonPatch, Names, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import * as fc from 'fast-check';
import {
  CoreDnsRewrite,
  LoopbackSafeIngress,
  LoopbackSafeIngressProps,
  TkeAnnotations,
  tkeconfig,
  TkeServiceConfigBinding,
} from '../src';
import { findManifest, manifestProblems, synthValidated } from './harness/validate';
const ForwardType = tkeconfig.TkeServiceConfigSpecLoadBalancerL7ListenersDomainsRulesForwardType;
const HttpCheckMethod = tkeconfig.TkeServiceConfigSpecLoadBalancerL7ListenersDomainsRulesHealthCheckHttpCheckMethod;
const Scheduler = tkeconfig.TkeServiceConfigSpecLoadBalancerL7ListenersDomainsRulesScheduler;

const HTTP_80 = { protocol: 'HTTP', port: 80, keepaliveEnable: 1 };
const HTTPS_443 = { protocol: 'HTTPS', port: 443, keepaliveEnable: 1 };

/** A chart with two NodePort Services to route to (a CLB Ingress without direct access binds NodePorts). */
function setup(namespace?: string): { app: App; chart: Chart; backend: kplus.IngressBackend; api: kplus.IngressBackend } {
  const app = Testing.app();
  const chart = new Chart(app, 'test', { namespace });
  const svc = new kplus.Service(chart, 'svc', { metadata: { name: 'shop' }, type: kplus.ServiceType.NODE_PORT, ports: [{ port: 80 }], selector: kplus.Pods.select(chart, 'sel', { labels: { app: 'shop' } }) });
  const apiSvc = new kplus.Service(chart, 'api', { metadata: { name: 'api' }, type: kplus.ServiceType.NODE_PORT, ports: [{ port: 8080 }], selector: kplus.Pods.select(chart, 'sel2', { labels: { app: 'api' } }) });
  return { app, chart, backend: kplus.IngressBackend.fromService(svc), api: kplus.IngressBackend.fromService(apiSvc) };
}

function web(chart: Chart, backend: kplus.IngressBackend, props: Partial<LoopbackSafeIngressProps> = {}): LoopbackSafeIngress {
  return new LoopbackSafeIngress(chart, 'web', {
    metadata: { name: 'web' },
    rules: [{ host: 'shop.example.com', path: '/', backend }],
    ...props,
  });
}

describe('LoopbackSafeIngress: EXPLICIT binding (default)', () => {
  test('an Ingress of class qcloud bound to <name>-loopback with keepalive on HTTP 80', () => {
    // GIVEN
    const { chart, backend } = setup('prod'); // the backends live in the Ingress's namespace
    // WHEN
    new LoopbackSafeIngress(chart, 'web', {
      metadata: { name: 'web', namespace: 'prod' },
      internalSubnetId: 'subnet-abcd1234',
      rules: [{ host: 'shop.example.com', path: '/', backend }],
    });
    // THEN
    const manifests = synthValidated(chart);
    const ingress = findManifest(manifests, 'Ingress', 'web', 'prod');
    expect(ingress.metadata.annotations).toEqual({
      'kubernetes.io/ingress.class': 'qcloud',
      'kubernetes.io/ingress.subnetId': 'subnet-abcd1234',
      'ingress.cloud.tencent.com/pass-to-target': 'true',
      'ingress.cloud.tencent.com/tke-service-config': 'web-loopback',
    });
    expect(ingress.spec.rules).toEqual([
      { host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'shop', port: { number: 80 } } } }] } },
    ]);
    expect(findManifest(manifests, 'TkeServiceConfig', 'web-loopback', 'prod')).toEqual({
      apiVersion: 'cloud.tencent.com/v1alpha1',
      kind: 'TkeServiceConfig',
      metadata: { name: 'web-loopback', namespace: 'prod' },
      spec: { loadBalancer: { l7Listeners: [HTTP_80] } },
    });
  });

  test('the TkeServiceConfig comes before the Ingress in the output', () => {
    const { chart, backend } = setup();
    web(chart, backend);
    const kinds = synthValidated(chart).map((m) => m.kind);
    expect(kinds.indexOf('TkeServiceConfig')).toBeLessThan(kinds.indexOf('Ingress'));
  });

  test('without metadata.name, the config name is derived from the name cdk8s generates', () => {
    // GIVEN
    const { chart, backend } = setup();
    // WHEN
    const ing = new LoopbackSafeIngress(chart, 'web', { rules: [{ path: '/', backend }] });
    // THEN
    const manifests = synthValidated(chart);
    const name = ing.name;
    // cdk8s names the Ingress's API object (test/web/Resource): the readable part leaves out "Resource",
    // the hash is that of the API object's path.
    expect(name).toMatch(/^test-web-c8[0-9a-f]+$/);
    expect(name).toEqual(Names.toDnsLabel(ApiObject.of(ing)));
    expect(ing.serviceConfig.name).toEqual(`${name}-loopback`);
    expect(findManifest(manifests, 'Ingress', name).metadata.annotations[TkeAnnotations.INGRESS_TKE_SERVICE_CONFIG]).toEqual(`${name}-loopback`);
    findManifest(manifests, 'TkeServiceConfig', `${name}-loopback`);
  });

  test('the config takes the chart namespace when the Ingress does', () => {
    const { chart, backend } = setup('shop');
    web(chart, backend);
    const manifests = synthValidated(chart);
    expect(findManifest(manifests, 'TkeServiceConfig', 'web-loopback').metadata.namespace).toEqual('shop');
    expect(findManifest(manifests, 'Ingress', 'web').metadata.namespace).toEqual('shop');
  });

  test('serviceConfigName overrides the derived name', () => {
    const { chart, backend } = setup();
    const ing = web(chart, backend, { serviceConfigName: 'shop-keepalive' });
    const manifests = synthValidated(chart);
    expect(ing.serviceConfig.name).toEqual('shop-keepalive');
    expect(findManifest(manifests, 'Ingress', 'web').metadata.annotations[TkeAnnotations.INGRESS_TKE_SERVICE_CONFIG]).toEqual('shop-keepalive');
    expect(findManifest(manifests, 'TkeServiceConfig', 'shop-keepalive').spec).toEqual({ loadBalancer: { l7Listeners: [HTTP_80] } });
  });

  test('existingLoadBalancerId, passToTarget false, and user annotations are kept', () => {
    const { chart, backend } = setup();
    web(chart, backend, {
      metadata: { name: 'web', annotations: { 'example.com/team': 'shop', [TkeAnnotations.INGRESS_CLASS]: 'qcloud' } },
      existingLoadBalancerId: 'lb-abcd1234',
      passToTarget: false,
    });
    expect(findManifest(synthValidated(chart), 'Ingress', 'web').metadata.annotations).toEqual({
      'example.com/team': 'shop',
      'kubernetes.io/ingress.class': 'qcloud',
      'kubernetes.io/ingress.existLbId': 'lb-abcd1234',
      'ingress.cloud.tencent.com/tke-service-config': 'web-loopback',
    });
  });

  test('defaultBackend is passed to the Ingress', () => {
    const { chart, backend } = setup();
    web(chart, backend, { defaultBackend: backend });
    expect(findManifest(synthValidated(chart), 'Ingress', 'web').spec.defaultBackend).toEqual({ service: { name: 'shop', port: { number: 80 } } });
  });
});

describe('LoopbackSafeIngress: AUTO binding', () => {
  test('annotates tke-service-config-auto and names the config <name>-auto-ingress-config', () => {
    // GIVEN
    const { chart, backend } = setup('prod'); // the backends live in the Ingress's namespace
    // WHEN
    const ing = web(chart, backend, { metadata: { name: 'web', namespace: 'prod' }, binding: TkeServiceConfigBinding.AUTO, tls: [{ hosts: ['shop.example.com'] }] });
    // THEN
    const manifests = synthValidated(chart);
    expect(ing.binding).toBe(TkeServiceConfigBinding.AUTO);
    expect(findManifest(manifests, 'Ingress', 'web', 'prod').metadata.annotations).toEqual({
      'kubernetes.io/ingress.class': 'qcloud',
      'ingress.cloud.tencent.com/pass-to-target': 'true',
      'ingress.cloud.tencent.com/tke-service-config-auto': 'true',
    });
    expect(findManifest(manifests, 'TkeServiceConfig', 'web-auto-ingress-config', 'prod').spec).toEqual({
      loadBalancer: { l7Listeners: [HTTP_80, HTTPS_443] },
    });
  });

  test('binding modes print their names', () => {
    expect(`${TkeServiceConfigBinding.EXPLICIT}/${TkeServiceConfigBinding.AUTO}`).toEqual('EXPLICIT/AUTO');
  });
});

describe('LoopbackSafeIngress: listeners', () => {
  test('TLS at construction adds HTTPS 443', () => {
    const { chart, backend } = setup();
    web(chart, backend, { tls: [{ hosts: ['shop.example.com'] }] });
    const manifests = synthValidated(chart);
    expect(findManifest(manifests, 'TkeServiceConfig', 'web-loopback').spec.loadBalancer.l7Listeners).toEqual([HTTP_80, HTTPS_443]);
    expect(findManifest(manifests, 'Ingress', 'web').spec.tls).toEqual([{ hosts: ['shop.example.com'] }]);
  });

  test('TLS added after construction adds HTTPS 443', () => {
    // GIVEN
    const { chart, backend } = setup();
    const ing = web(chart, backend);
    const secret = new kplus.Secret(chart, 'tls', { metadata: { name: 'shop-tls' } });
    // WHEN
    ing.addTls([{ hosts: ['shop.example.com'], secret }]);
    // THEN
    const manifests = synthValidated(chart);
    expect(findManifest(manifests, 'TkeServiceConfig', 'web-loopback').spec.loadBalancer.l7Listeners).toEqual([HTTP_80, HTTPS_443]);
    expect(findManifest(manifests, 'Ingress', 'web').spec.tls).toEqual([{ hosts: ['shop.example.com'], secretName: 'shop-tls' }]);
  });

  test('TLS without hosts adds HTTPS 443', () => {
    const { chart, backend } = setup();
    web(chart, backend, { tls: [{}] });
    expect(findManifest(synthValidated(chart), 'TkeServiceConfig', 'web-loopback').spec.loadBalancer.l7Listeners).toEqual([HTTP_80, HTTPS_443]);
  });

  test('a rule added after construction reaches the Ingress', () => {
    const { chart, backend, api } = setup();
    const ing = web(chart, backend);
    ing.addHostRule('shop.example.com', '/api', api, kplus.HttpIngressPathType.EXACT);
    expect(findManifest(synthValidated(chart), 'Ingress', 'web').spec.rules).toEqual([
      {
        host: 'shop.example.com',
        http: {
          paths: [
            { path: '/', pathType: 'Prefix', backend: { service: { name: 'shop', port: { number: 80 } } } },
            { path: '/api', pathType: 'Exact', backend: { service: { name: 'api', port: { number: 8080 } } } },
          ],
        },
      },
    ]);
  });

  test('addRulesWithSettings() adds a rule without a host, whose settings go to domain ""', () => {
    const { chart, backend, api } = setup();
    const ing = web(chart, backend);
    ing.addRulesWithSettings({ path: '/api', backend: api, scheduler: Scheduler.IP_UNDERSCORE_HASH });
    const manifests = synthValidated(chart);
    expect(findManifest(manifests, 'Ingress', 'web').spec.rules).toContainEqual({
      http: { paths: [{ path: '/api', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 8080 } } } }] },
    });
    expect(findManifest(manifests, 'TkeServiceConfig', 'web-loopback').spec.loadBalancer.l7Listeners).toEqual([
      { ...HTTP_80, domains: [{ domain: '', rules: [{ url: '/api', scheduler: 'IP_HASH' }] }] },
    ]);
    expect(() => ing.addRule('/api', backend)).toThrow(/'addRule' routes host \(none\) path "\/api"/);
  });

  test('addRule(path, backend, pathType) adds a rule without a host, checked and without settings', () => {
    const { chart, backend, api } = setup();
    const ing = web(chart, backend);
    ing.addRule('/api', api, kplus.HttpIngressPathType.EXACT);
    const manifests = synthValidated(chart);
    expect(findManifest(manifests, 'Ingress', 'web').spec.rules).toContainEqual({
      http: { paths: [{ path: '/api', pathType: 'Exact', backend: { service: { name: 'api', port: { number: 8080 } } } }] },
    });
    expect(findManifest(manifests, 'TkeServiceConfig', 'web-loopback').spec.loadBalancer.l7Listeners).toEqual([HTTP_80]);
    expect(() => ing.addRule('api', api)).toThrow(/^LoopbackSafeIngress test\/web: 'path' must start with "\/" and contain no whitespace, got "api"$/);
    expect(() => ing.addRule('/x', api, 'Fuzzy' as any)).toThrow(/^LoopbackSafeIngress test\/web: 'pathType' must be one of "Prefix", "Exact", "ImplementationSpecific", got "Fuzzy"$/);
  });

  test("cdk8s-plus addRules() rules are checked like the construct's: default backend, host default, duplicates", () => {
    const { chart, backend, api } = setup();
    const ing = new LoopbackSafeIngress(chart, 'web', { metadata: { name: 'web' } });
    ing.addRules({ backend }, { host: 'shop.example.com', backend: api }, { host: 'shop.example.com', path: '/x', backend: api });
    const spec = findManifest(synthValidated(chart), 'Ingress', 'web').spec;
    expect(spec.defaultBackend).toEqual({ service: { name: 'shop', port: { number: 80 } } });
    expect(spec.rules).toEqual([{
      host: 'shop.example.com',
      http: {
        paths: [
          { path: '/', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 8080 } } } },
          { path: '/x', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 8080 } } } },
        ],
      },
    }]);
    expect(() => ing.addRules({ backend })).toThrow(
      /^LoopbackSafeIngress test\/web: 'rules\[0\]\.backend' sets a default backend, but the Ingress already has one \('rules\[0\]\.backend' of addRules\(\)\): an Ingress has one at most$/,
    );
    expect(() => ing.addRules({ host: 'shop.example.com', backend })).toThrow(/'rules\[0\]' routes host "shop\.example\.com" path "\/"/);
    expect(() => ing.addRules({ host: 'Bad Host', path: '/', backend })).toThrow(/'rules\[0\]\.host' must be an RFC 1123 host name/);
    expect(() => ing.addRules({ path: '/y', backend: { service: { name: 'x' } } as any })).toThrow(/'rules\[0\]\.backend' must be a cdk8s-plus IngressBackend/);
    // Per-rule settings are not part of a cdk8s-plus IngressRule: a JavaScript caller is sent to addRulesWithSettings().
    expect(() => ing.addRules({ path: '/z', backend, healthCheck: { enable: true } } as any)).toThrow(
      "'rules[0].healthCheck' is a per-rule CLB setting, which addRules() does not take (a cdk8s-plus IngressRule): use addRulesWithSettings()",
    );
  });

  test('addDefaultBackend() and addHostDefaultBackend() are checked, and reach the Ingress and the backend checks', () => {
    const { chart, backend, api } = setup();
    const ing = new LoopbackSafeIngress(chart, 'web', { metadata: { name: 'web' } });
    ing.addDefaultBackend(backend);
    ing.addHostDefaultBackend('shop.example.com', api);
    const spec = findManifest(synthValidated(chart), 'Ingress', 'web').spec;
    expect(spec.defaultBackend).toEqual({ service: { name: 'shop', port: { number: 80 } } });
    expect(spec.rules).toEqual([{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 8080 } } } }] } }]);
    expect(() => ing.addDefaultBackend(api)).toThrow(
      "LoopbackSafeIngress test/web: 'backend' sets a default backend, but the Ingress already has one (the backend of addDefaultBackend()): an Ingress has one at most",
    );
    expect(() => ing.addHostDefaultBackend('shop.example.com', backend)).toThrow(/'addHostDefaultBackend' routes host "shop\.example\.com" path "\/"/);
    expect(() => ing.addHostDefaultBackend('', backend)).toThrow(/'host' must be a host name \(use addDefaultBackend\(\) for a rule without a host\), got ""/);
    expect(() => ing.addDefaultBackend('web:80' as any)).toThrow("'backend' must be a cdk8s-plus IngressBackend (IngressBackend.fromService() or fromResource()), got \"web:80\"");
  });

  test('ApiObject.of() on the construct is the Ingress (its default child), and a JSON patch through it is applied', () => {
    const { chart, backend } = setup();
    const ing = web(chart, backend);
    expect(ing).toBeInstanceOf(kplus.Ingress);
    expect(ApiObject.of(ing).kind).toEqual('Ingress');
    expect(ApiObject.of(ing).node.path).toEqual('test/web/Resource');
    ApiObject.of(ing).addJsonPatch(JsonPatch.add('/metadata/labels', { team: 'shop' }));
    expect(findManifest(synthValidated(chart), 'Ingress', 'web').metadata.labels).toEqual({ team: 'shop' });
  });
});

describe('LoopbackSafeIngress: per-rule options', () => {
  const healthCheck = { enable: true, intervalTime: 10, timeout: 3, healthNum: 2, unHealthNum: 5, httpCheckPath: '/healthz', httpCheckMethod: HttpCheckMethod.GET, httpCode: 2 };

  test('only rules with options are listed, per domain, on HTTP 80', () => {
    // GIVEN
    const { chart, backend, api } = setup();
    // WHEN
    const ing = new LoopbackSafeIngress(chart, 'web', {
      metadata: { name: 'web' },
      rules: [
        { host: 'shop.example.com', path: '/', backend },
        { host: 'shop.example.com', path: '/api', backend: api, healthCheck, scheduler: Scheduler.LEAST_UNDERSCORE_CONN },
        { path: '/status', backend, session: { enable: true, sessionExpireTime: 60 } },
      ],
    });
    ing.addRulesWithSettings({ host: '*.example.com', path: '/', backend, forwardType: ForwardType.HTTPS });
    // THEN
    const manifests = synthValidated(chart);
    expect(findManifest(manifests, 'TkeServiceConfig', 'web-loopback').spec.loadBalancer.l7Listeners).toEqual([
      {
        ...HTTP_80,
        domains: [
          { domain: 'shop.example.com', rules: [{ url: '/api', healthCheck, scheduler: 'LEAST_CONN' }] },
          { domain: '', rules: [{ url: '/status', session: { enable: true, sessionExpireTime: 60 } }] },
          { domain: '*.example.com', rules: [{ url: '/', forwardType: 'HTTPS' }] },
        ],
      },
    ]);
    expect(findManifest(manifests, 'Ingress', 'web').spec.rules.map((r: any) => r.host)).toEqual(['shop.example.com', undefined, '*.example.com']);
  });

  test('with TLS, rules with options are listed on HTTPS 443 as well', () => {
    const { chart, backend, api } = setup();
    const ing = web(chart, backend);
    ing.addRulesWithSettings({ host: 'shop.example.com', path: '/api', backend: api, healthCheck: { enable: false } });
    ing.addTls([{ hosts: ['shop.example.com'] }]);
    const domains = [{ domain: 'shop.example.com', rules: [{ url: '/api', healthCheck: { enable: false } }] }];
    expect(findManifest(synthValidated(chart), 'TkeServiceConfig', 'web-loopback').spec.loadBalancer.l7Listeners).toEqual([
      { ...HTTP_80, domains },
      { ...HTTPS_443, domains },
    ]);
  });

  test('accepts the edges of every range', () => {
    const { chart, backend } = setup();
    web(chart, backend, {
      rules: [
        { host: 'a.example.com', path: '/', backend, healthCheck: { enable: true, intervalTime: 5, timeout: 4, healthNum: 10, unHealthNum: 2, httpCode: 31 }, session: { enable: true, sessionExpireTime: 30 } },
        { host: 'b.example.com', path: '/', backend, healthCheck: { enable: true, intervalTime: 300, timeout: 60, healthNum: 2, unHealthNum: 10, httpCode: 1 }, session: { enable: true, sessionExpireTime: 3600 } },
      ],
    });
    const listeners = findManifest(synthValidated(chart), 'TkeServiceConfig', 'web-loopback').spec.loadBalancer.l7Listeners;
    expect(listeners[0].domains.map((d: any) => d.rules[0].healthCheck.intervalTime)).toEqual([5, 300]);
  });

  test('property: a health check is accepted exactly when the CRD schema (with its CEL rule) accepts it', () => {
    const opt = (arb: fc.Arbitrary<number>) => fc.option(arb, { nil: undefined });
    fc.assert(
      fc.property(
        fc.record({
          enable: fc.boolean(),
          intervalTime: opt(fc.integer({ min: 0, max: 400 })),
          healthNum: opt(fc.integer({ min: 0, max: 12 })),
          unHealthNum: opt(fc.integer({ min: 0, max: 12 })),
          timeout: opt(fc.integer({ min: 0, max: 70 })),
          httpCode: opt(fc.integer({ min: -1, max: 40 })),
        }),
        (hc) => {
          const clean = Object.fromEntries(Object.entries(hc).filter(([, v]) => v !== undefined)) as any;
          const { chart, backend } = setup();
          let accepted = true;
          try {
            web(chart, backend, { rules: [{ host: 'shop.example.com', path: '/', backend, healthCheck: clean }] });
          } catch (e: any) {
            accepted = false;
            expect(e.message).toMatch(/'rules\[0\]\.healthCheck\.\w+'/);
          }
          const schemaValid = manifestProblems({
            apiVersion: 'cloud.tencent.com/v1alpha1',
            kind: 'TkeServiceConfig',
            metadata: { name: 'x' },
            spec: { loadBalancer: { l7Listeners: [{ protocol: 'HTTP', port: 80, domains: [{ domain: 'shop.example.com', rules: [{ url: '/', healthCheck: clean }] }] }] } },
          }).length === 0;
          expect(accepted).toBe(schemaValid);
          if (accepted) synthValidated(chart);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('LoopbackSafeIngress: bad input', () => {
  test.each([
    'Shop.example.com',
    'shop..example.com',
    'a.*.example.com',
    '*',
    '*example.com',
    '**.example.com',
    '-shop.example.com',
    'shop-.example.com',
    'shop_1.example.com',
    '10.0.0.1',
    `${'a'.repeat(64)}.example.com`,
    'shop.example.com.',
    'shop.example.com:80',
  ])('an invalid host %j fails, naming the prop and the value', (host) => {
    const { chart, backend } = setup();
    const quoted = JSON.stringify(host).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    expect(() => web(chart, backend, { rules: [{ host, path: '/', backend }] })).toThrow(new RegExp(`'rules\\[0\\]\\.host' must be an RFC 1123 host name.*got ${quoted}`));
    const ing = web(setup().chart, backend);
    expect(() => ing.addHostRule(host, '/', backend)).toThrow(new RegExp(`'host' must be an RFC 1123 host name.*got ${quoted}`));
  });

  test('an invalid TLS host fails', () => {
    const { chart, backend } = setup();
    expect(() => web(chart, backend, { tls: [{ hosts: ['shop.example.com', 'x.*.com'] }] })).toThrow(/'tls\[0\]\.hosts\[1\]' must be an RFC 1123 host name.*got "x\.\*\.com"/);
  });

  test('addHostRule with an empty host fails', () => {
    const { chart, backend } = setup();
    expect(() => web(chart, backend).addHostRule('', '/', backend)).toThrow(/'host' must be a host name.*got ""/);
  });

  test.each(['api', '', ' /api', '/a b'])('a path %j that does not start with / (or has whitespace) fails', (path) => {
    const { chart, backend } = setup();
    const quoted = JSON.stringify(path);
    expect(() => web(chart, backend, { rules: [{ host: 'shop.example.com', path, backend }] })).toThrow(`'rules[0].path' must start with "/" and contain no whitespace, got ${quoted}`);
    expect(() => web(setup().chart, backend).addHostRule('shop.example.com', path, backend)).toThrow(`'path' must start with "/" and contain no whitespace, got ${quoted}`);
  });

  test('a duplicate host+path fails, at construction and when added later', () => {
    const { chart, backend, api } = setup();
    expect(() => web(chart, backend, { rules: [{ host: 'shop.example.com', path: '/', backend }, { host: 'shop.example.com', path: '/', backend: api }] })).toThrow(
      /'rules\[1\]' routes host "shop\.example\.com" path "\/", which another rule of this Ingress already routes/,
    );
    const ing = web(setup().chart, backend);
    expect(() => ing.addHostRule('shop.example.com', '/', api)).toThrow(/'addHostRule' routes host "shop\.example\.com" path "\/"/);
    ing.addRules({ path: '/', backend });
    expect(() => ing.addRules({ path: '/', backend: api })).toThrow(/'rules\[0\]' routes host \(none\) path "\/"/);
  });

  describe('a TLS host that no rule serves fails at synth', () => {
    test('given at construction (Testing.synth and app.synth)', () => {
      const { app, chart, backend } = setup();
      web(chart, backend, { tls: [{ hosts: ['shop.example.com', 'admin.example.com'] }] });
      expect(() => Testing.synth(chart)).toThrow(/'tls\[0\]\.hosts\[1\]' is "admin\.example\.com", but no rule serves that host/);
      expect(() => app.synth()).toThrow(/'tls\[0\]\.hosts\[1\]' is "admin\.example\.com", but no rule serves that host/);
    });

    test('added later with addTls', () => {
      const { chart, backend } = setup();
      const ing = web(chart, backend, { tls: [{ hosts: ['shop.example.com'] }] });
      ing.addTls([{ hosts: ['admin.example.com'] }]);
      expect(() => Testing.synth(chart)).toThrow(/'tls\[1\]\.hosts\[0\]' is "admin\.example\.com", but no rule serves that host/);
    });

    test('a rule added later serves it; a wildcard rule or TLS host covers one label', () => {
      const { chart, backend } = setup();
      const ing = web(chart, backend, { tls: [{ hosts: ['admin.example.com', '*.shop.example.com', 'x.example.org'] }] });
      ing.addHostRule('admin.example.com', '/', backend);
      ing.addHostRule('eu.shop.example.com', '/', backend);
      ing.addHostRule('*.example.org', '/', backend);
      expect(findManifest(synthValidated(chart), 'TkeServiceConfig', 'web-loopback').spec.loadBalancer.l7Listeners).toEqual([HTTP_80, HTTPS_443]);
    });

    test('a rule without a host does not serve a named TLS host', () => {
      const { chart, backend } = setup();
      new LoopbackSafeIngress(chart, 'web', { metadata: { name: 'web' }, rules: [{ path: '/', backend }], tls: [{ hosts: ['shop.example.com'] }] });
      expect(() => Testing.synth(chart)).toThrow(/no rule serves that host/);
    });
  });

  test.each([
    ['intervalTime', { intervalTime: 4 }, /'rules\[0\]\.healthCheck\.intervalTime' must be an integer from 5 to 300, got 4/],
    ['intervalTime', { intervalTime: 301 }, /'rules\[0\]\.healthCheck\.intervalTime' must be an integer from 5 to 300, got 301/],
    ['intervalTime', { intervalTime: 7.5 }, /'rules\[0\]\.healthCheck\.intervalTime' must be an integer from 5 to 300, got 7\.5/],
    ['healthNum', { healthNum: 1 }, /'rules\[0\]\.healthCheck\.healthNum' must be an integer from 2 to 10, got 1/],
    ['healthNum', { healthNum: 11 }, /'rules\[0\]\.healthCheck\.healthNum' must be an integer from 2 to 10, got 11/],
    ['unHealthNum', { unHealthNum: 1 }, /'rules\[0\]\.healthCheck\.unHealthNum' must be an integer from 2 to 10, got 1/],
    ['unHealthNum', { unHealthNum: 11 }, /'rules\[0\]\.healthCheck\.unHealthNum' must be an integer from 2 to 10, got 11/],
    ['timeout', { timeout: 1 }, /'rules\[0\]\.healthCheck\.timeout' must be an integer from 2 to 60, got 1/],
    ['timeout', { timeout: 61, intervalTime: 100 }, /'rules\[0\]\.healthCheck\.timeout' must be an integer from 2 to 60, got 61/],
    ['timeout vs intervalTime', { timeout: 10, intervalTime: 10 }, /'rules\[0\]\.healthCheck\.timeout' must be less than 'rules\[0\]\.healthCheck\.intervalTime'.*got timeout 10 and intervalTime 10/],
    ['timeout vs default intervalTime', { timeout: 5 }, /must be less than.*got timeout 5 and intervalTime 5 \(default\)/],
    ['default timeout vs intervalTime', { intervalTime: 5, timeout: undefined }, null],
    ['httpCode', { httpCode: 0 }, /'rules\[0\]\.healthCheck\.httpCode' must be an integer from 1 to 31, got 0/],
    ['httpCode', { httpCode: 32 }, /'rules\[0\]\.healthCheck\.httpCode' must be an integer from 1 to 31, got 32/],
    ['httpCheckMethod', { httpCheckMethod: 'POST' }, /'rules\[0\]\.healthCheck\.httpCheckMethod' must be one of "HEAD", "GET", got "POST"/],
    ['sourceIpType', { sourceIpType: 2 }, /'rules\[0\]\.healthCheck\.sourceIpType' must be one of 0, 1, got 2/],
    ['httpCheckPath', { httpCheckPath: 'healthz' }, /'rules\[0\]\.healthCheck\.httpCheckPath' must start with "\/".*got "healthz"/],
    ['httpCheckDomain', { httpCheckDomain: '*.example.com' }, /'rules\[0\]\.healthCheck\.httpCheckDomain' must be a host name without wildcard, got "\*\.example\.com"/],
    ['enable', { enable: 'yes' }, /'rules\[0\]\.healthCheck\.enable' must be true or false, got "yes"/],
  ])('health check %s: %j', (_name, values, error) => {
    const { chart, backend } = setup();
    const make = () => web(chart, backend, { rules: [{ host: 'shop.example.com', path: '/', backend, healthCheck: { enable: true, ...(values as any) } }] });
    if (error === null) {
      make();
      synthValidated(chart);
    } else {
      expect(make).toThrow(error);
    }
  });

  test('health check errors from addRulesWithSettings name the rule and the option', () => {
    const { chart, backend } = setup();
    expect(() => web(chart, backend).addRulesWithSettings({ host: 'shop.example.com', path: '/x', backend, healthCheck: { enable: true, timeout: 6 } })).toThrow(
      /^LoopbackSafeIngress test\/web: 'rules\[0\]\.healthCheck\.timeout' must be less than 'rules\[0\]\.healthCheck\.intervalTime'/,
    );
  });

  test.each([29, 3601])('session.sessionExpireTime %j fails', (sessionExpireTime) => {
    const { chart, backend } = setup();
    expect(() => web(chart, backend, { rules: [{ host: 'shop.example.com', path: '/', backend, session: { enable: true, sessionExpireTime } }] })).toThrow(
      `'rules[0].session.sessionExpireTime' must be an integer from 30 to 3600, got ${sessionExpireTime}`,
    );
  });

  test('an unknown scheduler or forwardType fails', () => {
    const { chart, backend } = setup();
    expect(() => web(chart, backend, { rules: [{ host: 'shop.example.com', path: '/', backend, scheduler: 'RR' as any }] })).toThrow(
      /'rules\[0\]\.scheduler' must be one of "WRR", "LEAST_CONN", "IP_HASH", got "RR"/,
    );
    expect(() => web(setup().chart, backend, { rules: [{ host: 'shop.example.com', path: '/', backend, forwardType: 'TCP' as any }] })).toThrow(
      /'rules\[0\]\.forwardType' must be one of "HTTP", "HTTPS", "GRPC", got "TCP"/,
    );
  });

  test.each(['shop-auto-ingress-config', 'shop-auto-service-config'])('serviceConfigName %j with a reserved suffix fails', (name) => {
    const { chart, backend } = setup();
    expect(() => web(chart, backend, { serviceConfigName: name })).toThrow(new RegExp(`'serviceConfigName' must not end in "-auto-(ingress|service)-config".*got "${name}"`));
  });

  test('serviceConfigName that is not a DNS-1123 subdomain fails', () => {
    const { chart, backend } = setup();
    expect(() => web(chart, backend, { serviceConfigName: 'Shop_Config' })).toThrow(/'serviceConfigName' must be a DNS-1123 subdomain.*got "Shop_Config"/);
  });

  test('serviceConfigName with the AUTO binding fails', () => {
    const { chart, backend } = setup();
    expect(() => web(chart, backend, { binding: TkeServiceConfigBinding.AUTO, serviceConfigName: 'shop' })).toThrow(/'serviceConfigName' cannot be used with TkeServiceConfigBinding\.AUTO.*got "shop"/);
  });

  describe('both binding annotations present fails', () => {
    test('auto hand-set in metadata.annotations with EXPLICIT', () => {
      const { chart, backend } = setup();
      expect(() => web(chart, backend, { metadata: { name: 'web', annotations: { [TkeAnnotations.INGRESS_TKE_SERVICE_CONFIG_AUTO]: 'true' } } })).toThrow(
        /'metadata\.annotations' sets ingress\.cloud\.tencent\.com\/tke-service-config-auto: "true", but 'binding' is EXPLICIT/,
      );
    });

    test('explicit hand-set in metadata.annotations with AUTO', () => {
      const { chart, backend } = setup();
      expect(() =>
        web(chart, backend, { binding: TkeServiceConfigBinding.AUTO, metadata: { name: 'web', annotations: { [TkeAnnotations.INGRESS_TKE_SERVICE_CONFIG]: 'mine' } } }),
      ).toThrow(/'metadata\.annotations' sets ingress\.cloud\.tencent\.com\/tke-service-config: "mine", but 'binding' is AUTO/);
    });

    test('added later with ing.metadata.addAnnotation', () => {
      const { app, chart, backend } = setup();
      const ing = web(chart, backend);
      ing.metadata.addAnnotation(TkeAnnotations.INGRESS_TKE_SERVICE_CONFIG_AUTO, 'true');
      expect(() => Testing.synth(chart)).toThrow(/the Ingress carries both ingress\.cloud\.tencent\.com\/tke-service-config: "web-loopback" and ingress\.cloud\.tencent\.com\/tke-service-config-auto: "true"/);
      expect(() => app.synth()).toThrow(/carries both/);
    });

    test('an annotation the construct set, changed later with addAnnotation, fails at synth naming what needs it', () => {
      const { chart, backend } = setup();
      const ing = web(chart, backend, { internalSubnetId: 'subnet-abcd1234' });
      ing.metadata.addAnnotation(TkeAnnotations.INGRESS_CLASS, 'nginx');
      ing.metadata.addAnnotation(TkeAnnotations.INGRESS_SUBNET_ID, 'subnet-ffff0000');
      ing.metadata.addAnnotation(TkeAnnotations.INGRESS_PASS_TO_TARGET, 'false');
      let message = '';
      try {
        Testing.synth(chart);
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(/LoopbackSafeIngress test\/web: 'metadata\.annotations' sets kubernetes\.io\/ingress\.class to "nginx", but LoopbackSafeIngress \(a TKE CLB Ingress\) needs "qcloud"/);
      expect(message).toMatch(/sets kubernetes\.io\/ingress\.subnetId to "subnet-ffff0000", but 'internalSubnetId' needs "subnet-abcd1234"/);
      expect(message).toMatch(/sets ingress\.cloud\.tencent\.com\/pass-to-target to "false", but 'passToTarget' needs "true"/);
    });

    test('an annotation set again later to the same value is fine', () => {
      const { chart, backend } = setup();
      const ing = web(chart, backend);
      ing.metadata.addAnnotation(TkeAnnotations.INGRESS_CLASS, 'qcloud');
      expect(Testing.synth(chart).find((o) => o.kind === 'Ingress').metadata.annotations[TkeAnnotations.INGRESS_CLASS]).toEqual('qcloud');
    });

    test('the explicit annotation rewritten later fails', () => {
      const { chart, backend } = setup();
      const ing = web(chart, backend);
      ing.metadata.addAnnotation(TkeAnnotations.INGRESS_TKE_SERVICE_CONFIG, 'other');
      expect(() => Testing.synth(chart)).toThrow(/'metadata\.annotations' sets ingress\.cloud\.tencent\.com\/tke-service-config to "other", but 'binding' needs "web-loopback"/);
    });
  });

  test('a derived config name longer than 253 characters fails', () => {
    const { chart, backend } = setup();
    const name = `${'a'.repeat(61)}.`.repeat(3) + 'b'.repeat(60); // 246 characters
    expect(name.length).toEqual(246);
    expect(() => web(chart, backend, { metadata: { name } })).toThrow(
      /the TkeServiceConfig name derived from 'metadata\.name' "a+\.a+\.a+\.b+" is 255 characters, more than 253/,
    );
    expect(() => web(setup().chart, backend, { metadata: { name }, binding: TkeServiceConfigBinding.AUTO })).toThrow(/is 266 characters, more than 253/);
  });

  test('a hand-set annotation the construct must set differently fails', () => {
    const { chart, backend } = setup();
    expect(() => web(chart, backend, { metadata: { name: 'web', annotations: { [TkeAnnotations.INGRESS_CLASS]: 'nginx' } } })).toThrow(
      /'metadata\.annotations' sets kubernetes\.io\/ingress\.class to "nginx", but LoopbackSafeIngress \(a TKE CLB Ingress\) needs "qcloud"/,
    );
    expect(() => web(setup().chart, backend, { internalSubnetId: 'subnet-abcd1234', metadata: { name: 'web', annotations: { [TkeAnnotations.INGRESS_SUBNET_ID]: 'subnet-zzzz9999' } } })).toThrow(
      /sets kubernetes\.io\/ingress\.subnetId to "subnet-zzzz9999", but 'internalSubnetId' needs "subnet-abcd1234"/,
    );
  });

  test('bad subnet and CLB ids fail', () => {
    const { chart, backend } = setup();
    expect(() => web(chart, backend, { internalSubnetId: 'abc' })).toThrow(/'internalSubnetId' must look like subnet-xxxxxxxx.*got "abc"/);
    expect(() => web(setup().chart, backend, { existingLoadBalancerId: 'lb-1' })).toThrow(/'existingLoadBalancerId' must look like lb-xxxxxxxx.*got "lb-1"/);
  });
});

describe('LoopbackSafeIngress: backends, names and collisions', () => {
  /** A Service of the given type in `namespace`, named `name`, with one port. */
  function service(chart: Chart, id: string, name: string, type: kplus.ServiceType, namespace?: string): kplus.IngressBackend {
    const svc = new kplus.Service(chart, id, {
      metadata: { name, namespace },
      type,
      ports: [{ port: 80 }],
      selector: kplus.Pods.select(chart, `${id}-pods`, { labels: { app: name } }),
    });
    return kplus.IngressBackend.fromService(svc);
  }

  test('a backend Service in another namespace fails at synth, naming the rule and both namespaces', () => {
    // GIVEN a Service in the chart namespace `prod` and an Ingress in `web`
    const { chart, backend } = setup('prod');
    web(chart, backend, { metadata: { name: 'web', namespace: 'web' } });
    // THEN
    expect(() => Testing.synth(chart)).toThrow(
      /'rules\[0\]\.backend' routes to Service "shop", which this app defines in namespace "prod" \(test\/svc\/Resource\), but the Ingress is in namespace "web"/,
    );
  });

  test('a Service of another chart namespace, reached through addRule, the default backend or the mirror, fails too', () => {
    // GIVEN the Services in chart `a` (namespace `a`), the Ingress in chart `b` without a namespace (so `default`)
    const app = Testing.app();
    const a = new Chart(app, 'a', { namespace: 'a' });
    const b = new Chart(app, 'b');
    const shop = service(a, 'shop', 'shop', kplus.ServiceType.NODE_PORT);
    const ing = new LoopbackSafeIngress(b, 'web', { metadata: { name: 'web' }, defaultBackend: shop });
    ing.addHostRule('shop.example.com', '/', shop);
    ing.routeInCluster({ dns: new CoreDnsRewrite(b, 'dns') });
    // THEN
    expect(() => Testing.synth(b)).toThrow(/the backend of addHostRule\("shop\.example\.com", "\/"\) routes to Service "shop", which this app defines in namespace "a" \(a\/shop\/Resource\), but the Ingress \(and its routeInCluster\(\) mirror\) is in namespace "default"/);
    expect(() => Testing.synth(b)).toThrow(/'defaultBackend' routes to Service "shop".*namespace "a"/);
  });

  test('a backend Service of the same namespace, or one this app does not define, is accepted', () => {
    const { chart, backend } = setup();
    const other = new Chart(Testing.app(), 'other', { namespace: 'elsewhere' });
    const external = service(other, 'ext', 'external', kplus.ServiceType.CLUSTER_IP);
    web(chart, backend, { rules: [{ host: 'shop.example.com', path: '/', backend }, { host: 'shop.example.com', path: '/ext', backend: external }] });
    expect(() => synthValidated(chart)).not.toThrow();
  });

  test('a ClusterIP or headless backend Service fails at synth without direct access, naming the rule and the Service', () => {
    // GIVEN
    const { chart } = setup('prod');
    const clusterIp = service(chart, 'cip', 'cip', kplus.ServiceType.CLUSTER_IP);
    const headless = kplus.IngressBackend.fromService(new kplus.Service(chart, 'hl', {
      metadata: { name: 'hl' }, clusterIP: 'None', ports: [{ port: 80 }], selector: kplus.Pods.select(chart, 'hl-pods', { labels: { app: 'hl' } }),
    }));
    const ing = new LoopbackSafeIngress(chart, 'web', { metadata: { name: 'web' }, rules: [{ host: 'shop.example.com', path: '/', backend: clusterIp }] });
    ing.addHostRule('shop.example.com', '/hl', headless);
    // THEN
    expect(() => Testing.synth(chart)).toThrow(
      /'rules\[0\]\.backend' routes to Service prod\/cip \(test\/cip\/Resource\), which is of type ClusterIP: without direct access the CLB binds each backend Service's NodePort on every node.*'directAccess: true'/,
    );
    expect(() => Testing.synth(chart)).toThrow(/the backend of addHostRule\("shop\.example\.com", "\/hl"\) routes to Service prod\/hl \(test\/hl\/Resource\), which is headless/);
  });

  test('directAccess: true annotates direct-access and accepts ClusterIP backends; the in-cluster mirror is not checked', () => {
    // GIVEN
    const { chart } = setup('prod');
    const clusterIp = service(chart, 'cip', 'cip', kplus.ServiceType.CLUSTER_IP);
    // WHEN
    const ing = new LoopbackSafeIngress(chart, 'web', { metadata: { name: 'web' }, directAccess: true, rules: [{ host: 'shop.example.com', path: '/', backend: clusterIp }] });
    ing.routeInCluster({ dns: new CoreDnsRewrite(chart, 'dns') });
    // THEN
    const manifests = synthValidated(chart);
    expect(findManifest(manifests, 'Ingress', 'web', 'prod').metadata.annotations[TkeAnnotations.INGRESS_DIRECT_ACCESS]).toEqual('true');
    expect(findManifest(manifests, 'Ingress', 'web-in-cluster', 'prod').spec.rules[0].http.paths[0].backend.service.name).toEqual('cip');
    // the hand-set annotation counts as direct access too
    const g = setup('prod');
    const cip = service(g.chart, 'cip', 'cip', kplus.ServiceType.CLUSTER_IP);
    web(g.chart, cip, { metadata: { name: 'web', annotations: { [TkeAnnotations.INGRESS_DIRECT_ACCESS]: 'true' } } });
    expect(() => synthValidated(g.chart)).not.toThrow();
    // and directAccess must be a boolean
    expect(() => web(setup().chart, cip, { directAccess: 'yes' as any })).toThrow(/'directAccess' must be true or false, got "yes"/);
  });

  test('two TkeServiceConfigs or Ingresses with one name in one namespace fail at synth, naming both construct paths', () => {
    // serviceConfigName shared by two Ingresses
    const s1 = setup('prod');
    web(s1.chart, s1.backend, { metadata: { name: 'w1' }, serviceConfigName: 'shared' });
    new LoopbackSafeIngress(s1.chart, 'other', { metadata: { name: 'w2' }, serviceConfigName: 'shared', rules: [{ host: 'b.example.com', path: '/', backend: s1.backend }] });
    expect(() => Testing.synth(s1.chart)).toThrow(
      /TkeServiceConfig prod\/shared \(cloud\.tencent\.com\/v1alpha1\) is emitted twice, by test\/web\/0 and by test\/other\/0/,
    );
    // a serviceConfigName equal to another Ingress's derived name
    const s2 = setup('prod');
    web(s2.chart, s2.backend, { metadata: { name: 'a' }, serviceConfigName: 'b-loopback' });
    new LoopbackSafeIngress(s2.chart, 'b', { metadata: { name: 'b' }, rules: [{ host: 'b.example.com', path: '/', backend: s2.backend }] });
    expect(() => Testing.synth(s2.chart)).toThrow(/TkeServiceConfig prod\/b-loopback .* is emitted twice, by test\/web\/0 and by test\/b\/0/);
    // a mirror named like its Ingress
    const s3 = setup('prod');
    const a = web(s3.chart, s3.backend, { metadata: { name: 'a' } });
    a.routeInCluster({ dns: new CoreDnsRewrite(s3.chart, 'dns'), name: 'a' });
    expect(() => Testing.synth(s3.chart)).toThrow(/Ingress prod\/a \(networking\.k8s\.io\/v1\) is emitted twice, by test\/web\/Resource and by test\/web\/InCluster\/Resource/);
    // the same names in two namespaces are fine
    const s4 = setup();
    web(s4.chart, s4.backend, { metadata: { name: 'w', namespace: 'default' }, serviceConfigName: 'shared' });
    const staging = service(s4.chart, 'staging-shop', 'shop', kplus.ServiceType.NODE_PORT, 'staging');
    new LoopbackSafeIngress(s4.chart, 'other', { metadata: { name: 'w', namespace: 'staging' }, serviceConfigName: 'shared', defaultBackend: staging });
    expect(() => synthValidated(s4.chart)).not.toThrow();
  });

  test('a metadata.name that is not a DNS-1123 subdomain fails in the constructor', () => {
    const { chart, backend } = setup();
    expect(() => web(chart, backend, { metadata: { name: 'Web_1' } })).toThrow(/'metadata\.name' must be a DNS-1123 subdomain .*got "Web_1"/);
    expect(() => web(setup().chart, backend, { metadata: { name: 'web.' } })).toThrow(/'metadata\.name' must be a DNS-1123 subdomain .*got "web\."/);
    // a label longer than 63 characters is fine in a Kubernetes object name
    const long = setup();
    web(long.chart, long.backend, { metadata: { name: 'a'.repeat(100) } });
    expect(findManifest(synthValidated(long.chart), 'TkeServiceConfig', `${'a'.repeat(100)}-loopback`)).toBeDefined();
  });

  test('hand-set subnet and CLB id annotations are checked at construction and at synth', () => {
    const { chart, backend } = setup();
    expect(() => web(chart, backend, { metadata: { name: 'web', annotations: { [TkeAnnotations.INGRESS_SUBNET_ID]: 'bogus' } } }))
      .toThrow(/'metadata\.annotations\["kubernetes\.io\/ingress\.subnetId"\]' must look like subnet-xxxxxxxx.*got "bogus"/);
    expect(() => web(setup().chart, backend, { metadata: { name: 'web', annotations: { [TkeAnnotations.INGRESS_EXIST_LB_ID]: 'lb-1' } } }))
      .toThrow(/'metadata\.annotations\["kubernetes\.io\/ingress\.existLbId"\]' must look like lb-xxxxxxxx.*got "lb-1"/);
    // valid ids are kept
    const ok = setup();
    web(ok.chart, ok.backend, { metadata: { name: 'web', annotations: { [TkeAnnotations.INGRESS_SUBNET_ID]: 'subnet-abcd1234' } } });
    expect(findManifest(synthValidated(ok.chart), 'Ingress', 'web').metadata.annotations[TkeAnnotations.INGRESS_SUBNET_ID]).toEqual('subnet-abcd1234');
    // added later
    const late = setup();
    const ing = web(late.chart, late.backend);
    ing.metadata.addAnnotation(TkeAnnotations.INGRESS_EXIST_LB_ID, 'bogus');
    expect(() => Testing.synth(late.chart)).toThrow(/'metadata\.annotations\["kubernetes\.io\/ingress\.existLbId"\]' must look like lb-xxxxxxxx.*got "bogus"/);
  });
});
