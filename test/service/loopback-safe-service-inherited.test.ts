import { ApiObject, Chart, JsonPatch, Lazy, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { CoreDnsRewrite, FindingLevel, LoopbackChecker, LoopbackSafeService, LoopbackSafeServiceProps, LoopbackStrategy, PreventLoopback, RewriteMatch, TkeAnnotations } from '../../src';

/**
 * LoopbackSafeService extends kplus.Service: what the inherited methods (select, selectLabel, bind,
 * exposeViaIngress) and the tree placement can do to it, and what must still work.
 */

const ADDR = 'cdk8s.io/metadata.addr';

interface Fixture {
  readonly chart: Chart;
  readonly server: kplus.Deployment;
  readonly web: kplus.Deployment;
}

function fixture(): Fixture {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'prod' });
  const deployment = (id: string) => new kplus.Deployment(chart, id, {
    metadata: { name: id },
    containers: [{ image: `example/${id}:1`, portNumber: 8080 }],
  });
  return { chart, server: deployment('api'), web: deployment('web') };
}

function props(f: Fixture, more: Partial<LoopbackSafeServiceProps> = {}): LoopbackSafeServiceProps {
  return { metadata: { name: 'api' }, selector: f.server, ports: [{ port: 80, targetPort: 8080 }], ...more };
}

function antiAffinity(f: Fixture): LoopbackStrategy {
  return LoopbackStrategy.directAccessWithAntiAffinity({ server: f.server, clients: [f.web] });
}

function synthError(chart: Chart): string {
  try {
    Testing.synth(chart);
  } catch (e) {
    return (e as Error).message;
  }
  return '';
}

function serviceOf(chart: Chart): any {
  return Testing.synth(chart).find((m: any) => m.kind === 'Service');
}

describe('LoopbackSafeService: errors before the Service exists name the path it would have', () => {
  test('an id with "/" is named as constructs spells it ("--")', () => {
    const f = fixture();
    const made = new LoopbackSafeService(f.chart, 'a/b', props(f, { metadata: { name: 'ok' } }));
    expect(made.node.path).toBe('test/a--b');
    expect(() => new LoopbackSafeService(f.chart, 'c/d', props(f, { ports: [] })))
      .toThrow("LoopbackSafeService test/c--d: 'ports' must list at least one port, got []");
  });

  test('a subclass is named by its own class name before and after the Service exists', () => {
    class ApiService extends LoopbackSafeService {}
    const f = fixture();
    expect(() => new ApiService(f.chart, 'early', props(f, { ports: [] }))).toThrow("ApiService test/early: 'ports' must list at least one port");
    const svc = new ApiService(f.chart, 'late', props(f, { ports: [{ port: 80, name: 'http' }] }));
    expect(() => svc.bind(80, { name: 'again' })).toThrow("ApiService test/late: 'ports[1].port' repeats 80/TCP of ports[0]");
  });

  test('an id that is not a string (JavaScript) fails with the prefix, naming the value', () => {
    const f = fixture();
    expect(() => new LoopbackSafeService(f.chart, 5 as any, props(f))).toThrow("LoopbackSafeService test/5: 'id' must be a string, got 5");
  });

  test('a scope that is not a construct (JavaScript) fails with the prefix, naming the value', () => {
    const f = fixture();
    expect(() => new LoopbackSafeService(undefined as any, 'api', props(f)))
      .toThrow("LoopbackSafeService api: 'scope' must be a construct (an App, a Chart or another construct), got undefined");
  });
});

describe('LoopbackSafeService: errors of cdk8s and constructs while the Service is built carry the prefix', () => {
  test('directly under an App (no Chart): the cdk8s error names the construct', () => {
    const f = fixture();
    const app = f.chart.node.root as any;
    expect(() => new LoopbackSafeService(app, 'api-svc', props(f)))
      .toThrow('LoopbackSafeService api-svc: cannot find a parent chart (directly or indirectly)');
    expect(app.node.tryFindChild('api-svc')).toBeUndefined();
  });

  test('a duplicate id names the construct', () => {
    const f = fixture();
    new LoopbackSafeService(f.chart, 'api-svc', props(f));
    expect(() => new LoopbackSafeService(f.chart, 'api-svc', props(f, { metadata: { name: 'api-2' } })))
      .toThrow("LoopbackSafeService test/api-svc: There is already a Construct with name 'api-svc'");
    expect(serviceOf(f.chart).metadata.name).toBe('api');
  });

  test('a generated name that is not a DNS-1035 label says to set metadata.name', () => {
    const chart = new Chart(Testing.app(), '1st', { namespace: 'prod' });
    const server = new kplus.Deployment(chart, 'api', { containers: [{ image: 'example/api:1', portNumber: 8080 }] });
    expect(() => new LoopbackSafeService(chart, 'api-svc', { selector: server, ports: [{ port: 80 }] }))
      .toThrow(/^LoopbackSafeService 1st\/api-svc: 'metadata.name' must be a DNS-1035 label .*, got "1st-api-svc-c8[0-9a-f]+": cdk8s generated it from the construct path; set 'metadata.name'$/);
  });
});

describe('LoopbackSafeService: select() and selectLabel() cannot move the Service off the protected server', () => {
  test('selectLabel() that overrides the server label fails synth with an anti-affinity strategy', () => {
    const f = fixture();
    const svc = new LoopbackSafeService(f.chart, 'api-svc', props(f, { strategy: antiAffinity(f) }));
    svc.selectLabel(ADDR, 'someone-else');
    const message = synthError(f.chart);
    expect(message).toContain(
      "LoopbackSafeService test/api-svc: 'strategy' keeps server test/api apart from its clients, but the Service's selector " +
        `(changed by select() or selectLabel()) does not select its pods (they lack ${ADDR}=someone-else)`,
    );
  });

  test('select() of another workload fails synth with an anti-affinity strategy', () => {
    const f = fixture();
    const svc = new LoopbackSafeService(f.chart, 'api-svc', props(f, { strategy: antiAffinity(f) }));
    svc.select(f.web);
    expect(synthError(f.chart)).toContain(`does not select its pods (they lack ${ADDR}=${f.web.podMetadata.getLabel(ADDR)})`);
  });

  test('a JSON patch that replaces spec.selector fails synth with an anti-affinity strategy', () => {
    const f = fixture();
    const svc = new LoopbackSafeService(f.chart, 'api-svc', props(f, { strategy: antiAffinity(f) }));
    ApiObject.of(svc).addJsonPatch(JsonPatch.replace('/spec/selector', { app: 'other' }));
    expect(synthError(f.chart)).toContain(
      "the Service's selector (changed by a JSON patch) does not select its pods (they lack app=other): do not change the selection with a JSON patch",
    );
  });

  test('a JSON patch that removes spec.selector fails synth with any strategy', () => {
    const f = fixture();
    const svc = new LoopbackSafeService(f.chart, 'api-svc', props(f));
    ApiObject.of(svc).addJsonPatch(JsonPatch.remove('/spec/selector'));
    expect(synthError(f.chart)).toContain(
      "LoopbackSafeService test/api-svc: the Service's selector (changed by a JSON patch) must select pods by labels, got undefined",
    );
  });

  test('selectLabel() with a value that is not a string (JavaScript) fails synth naming it', () => {
    const f = fixture();
    const svc = new LoopbackSafeService(f.chart, 'api-svc', props(f));
    svc.selectLabel('tier', 42 as any);
    expect(synthError(f.chart)).toContain(
      "LoopbackSafeService test/api-svc: the Service's selector (changed by select() or selectLabel()) maps \"tier\" to 42, which is not a label value",
    );
  });

  test.each([
    ['Bad Key!', 'x', 'has the label key "Bad Key!", which is not a label key'],
    ['UPPER.example.com/tier', 'x', 'has the label key "UPPER.example.com/tier", which is not a label key'],
    ['tier', 'my api', 'maps "tier" to "my api", which is not a label value'],
    ['tier', 'x'.repeat(64), `maps "tier" to "${'x'.repeat(64)}", which is not a label value`],
  ])('selectLabel(%j, %j) fails synth: the API server rejects it', (key, value, message) => {
    const f = fixture();
    const svc = new LoopbackSafeService(f.chart, 'api-svc', props(f));
    svc.selectLabel(key, value);
    expect(synthError(f.chart)).toContain(`LoopbackSafeService test/api-svc: the Service's selector (changed by select() or selectLabel()) ${message}`);
  });

  test.each([
    ['example.com/tier', 'Back_end.1'],
    ['tier', ''],
  ])('selectLabel(%j, %j) is a valid label and synthesizes', (key, value) => {
    const f = fixture();
    f.server.podMetadata.addLabel(key, value);
    const svc = new LoopbackSafeService(f.chart, 'api-svc', props(f));
    svc.selectLabel(key, value);
    expect(serviceOf(f.chart).spec.selector[key]).toBe(value);
  });

  test('selectLabel() of a label the selected workload\'s pods lack fails synth with any strategy (no endpoints)', () => {
    const f = fixture();
    const svc = new LoopbackSafeService(f.chart, 'api-svc', props(f));
    svc.selectLabel('tier', 'backend');
    expect(synthError(f.chart)).toContain(
      "LoopbackSafeService test/api-svc: the Service's selector (changed by select() or selectLabel()) does not select the pods of 'selector' test/api " +
        "(they lack tier=backend), so the CLB would have no endpoints: add the label to the workload's pods, or do not change the selection with select() or selectLabel()",
    );
  });

  test('selectLabel() with Pods.select(...) as the selector is left alone (its pods are not known)', () => {
    const f = fixture();
    const svc = new LoopbackSafeService(f.chart, 'api-svc', props(f, { selector: kplus.Pods.select(f.chart, 'pods', { labels: { app: 'api' } }) }));
    svc.selectLabel('tier', 'backend');
    expect(serviceOf(f.chart).spec.selector).toEqual({ app: 'api', tier: 'backend' });
  });

  test('selectLabel() of a label the server pods carry still synthesizes', () => {
    const f = fixture();
    f.server.podMetadata.addLabel('tier', 'backend');
    const svc = new LoopbackSafeService(f.chart, 'api-svc', props(f, { strategy: antiAffinity(f) }));
    svc.selectLabel('tier', 'backend');
    expect(serviceOf(f.chart).spec.selector).toEqual({ [ADDR]: f.server.podMetadata.getLabel(ADDR), tier: 'backend' });
  });
});

describe('LoopbackSafeService: the name-collision check resolves Lazy names and namespaces', () => {
  test('a Service whose Lazy name resolves to the name of a LoopbackSafeService fails synth', () => {
    const f = fixture();
    new LoopbackSafeService(f.chart, 'api-svc', props(f));
    new kplus.k8s.KubeService(f.chart, 'other', { metadata: { name: Lazy.any({ produce: () => 'api' }) as any }, spec: {} });
    expect(synthError(f.chart)).toContain('Service prod/api (v1) is emitted twice, by test/api-svc/Resource and by test/other');
  });

  test('a Service with the same name and a Lazy namespace that resolves to the same namespace fails synth', () => {
    const f = fixture();
    new LoopbackSafeService(f.chart, 'api-svc', props(f));
    const other = new Chart(f.chart.node.root as any, 'other-chart');
    new kplus.k8s.KubeService(other, 'other', { metadata: { name: 'api', namespace: Lazy.any({ produce: () => 'prod' }) as any }, spec: {} });
    expect(synthError(f.chart)).toContain('Service prod/api (v1) is emitted twice, by test/api-svc/Resource and by other-chart/other');
  });

  test('a Lazy name that resolves to another name does not collide', () => {
    const f = fixture();
    new LoopbackSafeService(f.chart, 'api-svc', props(f));
    new kplus.k8s.KubeService(f.chart, 'other', { metadata: { name: Lazy.any({ produce: () => 'api-2' }) as any }, spec: { ports: [{ port: 80 }] } });
    expect(Testing.synth(f.chart).filter((m: any) => m.kind === 'Service').map((m: any) => m.metadata.name)).toEqual(['api', 'api-2']);
  });
});

describe('LoopbackSafeService: what worked through .service still works on the construct', () => {
  test('IngressBackend.fromService and exposeViaIngress name the Service and its port', () => {
    const f = fixture();
    const svc = new LoopbackSafeService(f.chart, 'api-svc', props(f));
    new kplus.Ingress(f.chart, 'ing', { defaultBackend: kplus.IngressBackend.fromService(svc) });
    svc.exposeViaIngress('/api');
    const ingresses = Testing.synth(f.chart).filter((m: any) => m.kind === 'Ingress');
    expect(ingresses.map((i: any) => i.spec.defaultBackend?.service ?? i.spec.rules[0].http.paths[0].backend.service))
      .toEqual([{ name: 'api', port: { number: 80 } }, { name: 'api', port: { number: 80 } }]);
  });

  test('PreventLoopback.applyToAll on the app and the chart annotates once and synthesizes', () => {
    const f = fixture();
    new LoopbackSafeService(f.chart, 'api-svc', props(f, { strategy: LoopbackStrategy.localTrafficWithAntiAffinity({ server: f.server, clients: [f.web] }) }));
    PreventLoopback.applyToAll(f.chart.node.root);
    PreventLoopback.applyToAll(f.chart);
    const svc = serviceOf(f.chart);
    expect(svc.metadata.annotations).toEqual({ [TkeAnnotations.SERVICE_PREVENT_LOOPBACK]: 'true' });
    expect(svc.spec.externalTrafficPolicy).toBe('Local');
  });

  test.each(['preventLoopback', 'localTrafficWithAntiAffinity', 'directAccessWithAntiAffinity'])(
    'the checker finds nothing to report on a private-network LoopbackSafeService with %s, and enforce() synthesizes',
    (name) => {
      const f = fixture();
      const strategy = name === 'preventLoopback' ? LoopbackStrategy.preventLoopback()
        : (LoopbackStrategy as any)[name]({ server: f.server, clients: [f.web] });
      new LoopbackSafeService(f.chart, 'api-svc', props(f, { internalSubnetId: 'subnet-abcd1234', strategy }));
      LoopbackChecker.enforce(f.chart, { failOn: FindingLevel.WARNING });
      expect(LoopbackChecker.checkChart(f.chart).findings).toEqual([]);
      expect(serviceOf(f.chart).metadata.annotations[TkeAnnotations.SERVICE_INTERNAL_SUBNET_ID]).toBe('subnet-abcd1234');
    },
  );

  test('a LoopbackSafeService nested in a plain construct is named by its full path', () => {
    const f = fixture();
    const group = new Construct(f.chart, 'group');
    expect(() => new LoopbackSafeService(group, 'api-svc', props(f, { ports: [] })))
      .toThrow("LoopbackSafeService test/group/api-svc: 'ports' must list at least one port, got []");
  });
});

describe('LoopbackSafeService: bind() from JavaScript', () => {
  test('a second port next to an unnamed port of the props says where to name it', () => {
    const f = fixture();
    const svc = new LoopbackSafeService(f.chart, 'api-svc', props(f));
    expect(() => svc.bind(443, { name: 'https' })).toThrow(
      "LoopbackSafeService test/api-svc: 'ports[0].name' is required when a Service has more than one port, got undefined: name it in the 'ports' prop to bind() another port",
    );
  });

  test('options that are not an object fail, naming the argument and the value', () => {
    const f = fixture();
    const svc = new LoopbackSafeService(f.chart, 'api-svc', props(f, { ports: [{ port: 80, name: 'http' }] }));
    expect(() => svc.bind(443, 'https' as any))
      .toThrow("LoopbackSafeService test/api-svc: bind(443, options): 'options' must be an object such as { name: 'https', targetPort: 8443 }, got \"https\"");
    expect(svc.ports).toEqual([{ port: 80, name: 'http' }]);
  });

  test.each([
    [NaN, { name: 'b' }, "'ports[1].port' must be an integer from 1 to 65535, got NaN"],
    ['443', { name: 'b' }, "'ports[1].port' must be an integer from 1 to 65535, got \"443\""],
    [443, { name: 'b', nodePort: 30080 }, "'ports[1].nodePort' repeats the nodePort of ports[0]"],
    [443, { name: 'http' }, "'ports[1].name' repeats the name of ports[0], got \"http\""],
  ])('bind(%j, %j) fails and adds nothing', (port, options, message) => {
    const f = fixture();
    const svc = new LoopbackSafeService(f.chart, 'api-svc', props(f, { ports: [{ port: 80, name: 'http', nodePort: 30080 }] }));
    expect(() => svc.bind(port as any, options)).toThrow(`LoopbackSafeService test/api-svc: ${message}`);
    expect(svc.ports).toHaveLength(1);
  });
});

describe('LoopbackSafeService: a JSON patch cannot rename the Service behind the app\'s back', () => {
  test.each([
    ['/metadata/name', 'web', 'is named "web", but the app knows it as "api"'],
    ['/metadata/namespace', 'staging', 'is in namespace "staging", but the app knows it in "prod"'],
  ])('a patch of %s fails synth, naming both values', (path, value, message) => {
    const f = fixture();
    const svc = new LoopbackSafeService(f.chart, 'api-svc', props(f));
    ApiObject.of(svc).addJsonPatch(JsonPatch.replace(path, value));
    expect(synthError(f.chart)).toContain(`LoopbackSafeService test/api-svc: the synthesized Service ${message}`);
  });
});

describe('LoopbackSafeService: a constructor that fails leaves nothing behind', () => {
  test('an inClusterDomains error caught by the caller emits no unchecked Service and no anti-affinity', () => {
    const f = fixture();
    const dns = new CoreDnsRewrite(f.chart, 'dns');
    expect(() => new LoopbackSafeService(f.chart, 'api-svc', props(f, {
      strategy: antiAffinity(f),
      inClusterDomains: ['api.example.com', 'not a domain'],
      dns,
    }))).toThrow("LoopbackSafeService test/api-svc: 'inClusterDomains[1]'");
    const manifests = Testing.synth(f.chart);
    expect(manifests.filter((m: any) => m.kind === 'Service')).toEqual([]);
    // The rewrite of inClusterDomains[0], added before [1] failed, is taken back: it named the Service that is gone.
    expect(dns.rules).toEqual([]);
    expect(manifests.find((m: any) => m.kind === 'ConfigMap').data.Corefile).not.toContain('api.example.com');
    // The name is free again: it can be rewritten to another target.
    dns.rewriteName('api.example.com', 'other.prod.svc.cluster.local');
    expect(dns.rules.map((r) => `${r.from} -> ${r.to}`)).toEqual(['api.example.com -> other.prod.svc.cluster.local']);
    expect(manifests.find((m: any) => m.kind === 'Deployment' && m.metadata.name === 'web').spec.template.spec.affinity).toBeUndefined();
  });

  test('after an inClusterDomains error, the CoreDnsRewrite keeps its earlier rules and takes the failed call\'s domains again', () => {
    // GIVEN: a rule added before the Service
    const f = fixture();
    const dns = new CoreDnsRewrite(f.chart, 'dns');
    dns.rewriteName('keep.example.com', 'kept.prod.svc.cluster.local');
    // WHEN: a Service whose third domain fails is caught
    expect(() => new LoopbackSafeService(f.chart, 'api-svc', props(f, { inClusterDomains: ['api.example.com', 'www.api.example.com', 'not a domain'], dns })))
      .toThrow("'inClusterDomains[2]'");
    // THEN: only the earlier rule is left, and it is still enforced
    expect(dns.rules.map((r) => r.from)).toEqual(['keep.example.com']);
    expect(() => dns.rewriteName('keep.example.com', 'other.prod.svc.cluster.local')).toThrow('is already rewritten by test/dns');
    expect(() => dns.rewriteName('^keep\\.example\\.com\\.$', 'other.prod.svc.cluster.local', { match: RewriteMatch.REGEX }))
      .toThrow('the earlier rule "rewrite name exact keep.example.com kept.prod.svc.cluster.local" matches it first');
    // AND: the names of the failed call are free again, even for another target
    dns.rewriteName('www.api.example.com', 'www.prod.svc.cluster.local');
    new LoopbackSafeService(f.chart, 'api-svc', props(f, { inClusterDomains: ['api.example.com'], dns }));
    expect(dns.rules.map((r) => `${r.from} -> ${r.to}`)).toEqual([
      'keep.example.com -> kept.prod.svc.cluster.local',
      'www.api.example.com -> www.prod.svc.cluster.local',
      'api.example.com -> api.prod.svc.cluster.local',
    ]);
  });

  test('a bad chart namespace caught by the caller emits no LoadBalancer Service without its annotation', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'Prod' });
    const server = new kplus.Deployment(chart, 'api', { containers: [{ image: 'example/api:1', portNumber: 8080 }] });
    expect(() => new LoopbackSafeService(chart, 'api-svc', { metadata: { name: 'api' }, selector: server, ports: [{ port: 80 }] }))
      .toThrow("LoopbackSafeService test/api-svc: 'the chart's namespace' must be a DNS-1123 label");
    expect(chart.node.tryFindChild('api-svc')).toBeUndefined();
  });
});
