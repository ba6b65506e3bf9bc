import { ApiObject, Chart, JsonPatch, Lazy, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { LoopbackSafeIngress, LoopbackSafeService, PreventLoopback, TkeAnnotations } from '../../src';
import { findManifest, synthValidated } from '../harness/validate';

/** JSON-pointer form of an annotation key. */
const pointer = (key: string) => `/metadata/annotations/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;

function ingressFixture(): { chart: Chart; ing: LoopbackSafeIngress } {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'prod' });
  const server = new kplus.Deployment(chart, 'api', { metadata: { name: 'api' }, containers: [{ image: 'example/api:1', portNumber: 8080 }] });
  const backendService = new kplus.Service(chart, 'api-np', {
    metadata: { name: 'api-np' },
    type: kplus.ServiceType.NODE_PORT,
    selector: server,
    ports: [{ port: 80, targetPort: 8080 }],
  });
  const ing = new LoopbackSafeIngress(chart, 'web', {
    metadata: { name: 'web' },
    internalSubnetId: 'subnet-12345678',
    rules: [{ host: 'a.example.com', path: '/', backend: kplus.IngressBackend.fromService(backendService) }],
  });
  return { chart, ing };
}

describe('LoopbackSafeIngress judges the Ingress after its JSON patches', () => {
  test('a JSON patch that adds a reused CLB next to the default pass-to-target fails synth, naming both annotations', () => {
    // GIVEN
    const { chart, ing } = ingressFixture();
    // WHEN
    ApiObject.of(ing).addJsonPatch(JsonPatch.add(pointer(TkeAnnotations.INGRESS_EXIST_LB_ID), 'lb-12345678'));
    // THEN
    expect(() => Testing.synth(chart)).toThrow(
      `LoopbackSafeIngress test/web: ${TkeAnnotations.INGRESS_PASS_TO_TARGET}: "true" cannot be combined with ${TkeAnnotations.INGRESS_EXIST_LB_ID}: "lb-12345678"`,
    );
  });

  test('a listen-ports annotation added by JSON patch puts keepalive on exactly those listeners', () => {
    // GIVEN
    const { chart, ing } = ingressFixture();
    // WHEN
    ApiObject.of(ing).addJsonPatch(JsonPatch.add(pointer(TkeAnnotations.INGRESS_LISTEN_PORTS), '[{"HTTP": 8080}]'));
    // THEN
    const config = findManifest(synthValidated(chart), 'TkeServiceConfig', 'web-loopback', 'prod');
    expect(config.spec.loadBalancer.l7Listeners.map((l: any) => [l.protocol, l.port, l.keepaliveEnable])).toEqual([['HTTP', 8080, 1]]);
  });

  test('a malformed listen-ports annotation added by JSON patch fails synth, quoting the value', () => {
    const { chart, ing } = ingressFixture();
    ApiObject.of(ing).addJsonPatch(JsonPatch.add(pointer(TkeAnnotations.INGRESS_LISTEN_PORTS), '[{"HTTP": 0}]'));
    expect(() => Testing.synth(chart)).toThrow(`${TkeAnnotations.INGRESS_LISTEN_PORTS} is malformed`);
  });
});

describe('values resolved at synth and wrong types from JavaScript callers', () => {
  test('a Lazy internalSubnetId is described as a value resolved at synth, not {"producer":{}}', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'prod' });
    const server = new kplus.Deployment(chart, 'api', { containers: [{ image: 'example/api:1', portNumber: 8080 }] });
    let message = '';
    try {
      new LoopbackSafeService(chart, 'api-svc', {
        selector: server,
        ports: [{ port: 80, targetPort: 8080 }],
        internalSubnetId: Lazy.any({ produce: () => 'subnet-12345678' }) as any,
      });
    } catch (e: any) {
      message = e.message;
    }
    expect(message).toContain("LoopbackSafeService test/api-svc: 'internalSubnetId'");
    expect(message).toContain('a value resolved at synth');
    expect(message).not.toContain('producer');
  });

  test('a Lazy existingLoadBalancerId on an Ingress is described as a value resolved at synth', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'prod' });
    expect(() => new LoopbackSafeIngress(chart, 'web', { existingLoadBalancerId: Lazy.any({ produce: () => 'lb-12345678' }) as any })).toThrow(
      /LoopbackSafeIngress test\/web: 'existingLoadBalancerId' .*a value resolved at synth/,
    );
  });

  test('PreventLoopback.applyToAll(null) names the argument and quotes the value', () => {
    expect(() => PreventLoopback.applyToAll(null as any)).toThrow("PreventLoopback.applyToAll: 'scope' must be a construct (an App, Chart or construct), got null");
  });
});

describe('LoopbackSafeService: pass-to-target next to the legacy reused-CLB annotation', () => {
  test('a hand-set pass-to-target next to service.kubernetes.io/loadbalance-id fails, as the checker (TKE-CLB-001) reads it as a reused CLB', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'prod' });
    const server = new kplus.Deployment(chart, 'api', { containers: [{ image: 'example/api:1', portNumber: 8080 }] });
    expect(() => new LoopbackSafeService(chart, 'api-svc', {
      metadata: { annotations: { [TkeAnnotations.SERVICE_PASS_TO_TARGET]: 'true', 'service.kubernetes.io/loadbalance-id': 'lb-12345678' } },
      selector: server,
      ports: [{ port: 80, targetPort: 8080 }],
    })).toThrow(`LoopbackSafeService test/api-svc: ${TkeAnnotations.SERVICE_PASS_TO_TARGET}: "true" cannot be combined with service.kubernetes.io/loadbalance-id: "lb-12345678"`);
  });

  test('the legacy annotation added later with addAnnotation fails at synth', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'prod' });
    const server = new kplus.Deployment(chart, 'api', { containers: [{ image: 'example/api:1', portNumber: 8080 }] });
    const svc = new LoopbackSafeService(chart, 'api-svc', {
      metadata: { annotations: { [TkeAnnotations.SERVICE_PASS_TO_TARGET]: 'true' } },
      selector: server,
      ports: [{ port: 80, targetPort: 8080 }],
    });
    svc.metadata.addAnnotation('service.kubernetes.io/loadbalance-id', 'lb-12345678');
    expect(() => Testing.synth(chart)).toThrow('cannot be combined with service.kubernetes.io/loadbalance-id: "lb-12345678"');
  });
});

describe('LoopbackSafeIngress: TLS needs an HTTPS listener among the listen-ports', () => {
  const tlsFixture = (extra: any) => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'prod' });
    const server = new kplus.Deployment(chart, 'api', { containers: [{ image: 'example/api:1', portNumber: 8080 }] });
    const backendService = new kplus.Service(chart, 'api-np', { metadata: { name: 'api-np' }, type: kplus.ServiceType.NODE_PORT, selector: server, ports: [{ port: 80, targetPort: 8080 }] });
    new LoopbackSafeIngress(chart, 'web', {
      metadata: { name: 'web', ...(extra.metadata ?? {}) },
      internalSubnetId: 'subnet-12345678',
      rules: [{ host: 'a.example.com', path: '/', backend: kplus.IngressBackend.fromService(backendService) }],
      tls: [{ hosts: ['a.example.com'] }],
      ...(extra.listenPorts ? { listenPorts: extra.listenPorts } : {}),
    });
    return chart;
  };

  test('tls with listenPorts that declare only HTTP fails synth, naming both and quoting the ports', () => {
    const chart = tlsFixture({ listenPorts: [{ protocol: 'HTTP', port: 8080 }] });
    expect(() => Testing.synth(chart)).toThrow(
      `LoopbackSafeIngress test/web: 'tls' is set, but ${TkeAnnotations.INGRESS_LISTEN_PORTS} "[{\\"HTTP\\":8080}]" declares no HTTPS listener`,
    );
  });

  test('tls with a hand-set listen-ports annotation that declares only HTTP fails the same way', () => {
    const chart = tlsFixture({ metadata: { annotations: { [TkeAnnotations.INGRESS_LISTEN_PORTS]: '[{"HTTP": 8080}]' } } });
    expect(() => Testing.synth(chart)).toThrow(`'tls' is set, but ${TkeAnnotations.INGRESS_LISTEN_PORTS} "[{\\"HTTP\\": 8080}]" declares no HTTPS listener`);
  });

  test('tls with an HTTPS listen-port synthesizes keepalive on exactly the declared listeners', () => {
    const chart = tlsFixture({ listenPorts: [{ protocol: 'HTTP', port: 8080 }, { protocol: 'HTTPS', port: 8443 }] });
    const config = findManifest(synthValidated(chart), 'TkeServiceConfig', 'web-loopback', 'prod');
    expect(config.spec.loadBalancer.l7Listeners.map((l: any) => [l.protocol, l.port, l.keepaliveEnable])).toEqual([['HTTP', 8080, 1], ['HTTPS', 8443, 1]]);
  });
});

describe('metadata of the wrong type from JavaScript callers', () => {
  const serviceWith = (metadata: any) => () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'prod' });
    const server = new kplus.Deployment(chart, 'api', { containers: [{ image: 'example/api:1', portNumber: 8080 }] });
    new LoopbackSafeService(chart, 'api-svc', { metadata, selector: server, ports: [{ port: 80, targetPort: 8080 }] });
  };
  const ingressWith = (metadata: any) => () => new LoopbackSafeIngress(new Chart(Testing.app(), 'test'), 'web', { metadata });

  test("metadata: 'api' fails, naming the prop and quoting the value (the name is not silently dropped)", () => {
    expect(serviceWith('api')).toThrow("LoopbackSafeService test/api-svc: 'metadata' must be an object such as { name: 'api' }, got \"api\"");
    expect(ingressWith('web')).toThrow("LoopbackSafeIngress test/web: 'metadata' must be an object such as { name: 'api' }, got \"web\"");
  });

  test("annotations: 'x' fails instead of writing an annotation named \"0\"", () => {
    expect(serviceWith({ annotations: 'x' })).toThrow("LoopbackSafeService test/api-svc: 'metadata.annotations' must be a map of string values, got \"x\"");
    expect(ingressWith({ labels: ['a'] })).toThrow("LoopbackSafeIngress test/web: 'metadata.labels' must be a map of string values, got [\"a\"]");
  });

  test('a non-string annotation value fails, naming the key', () => {
    expect(serviceWith({ annotations: { 'example.com/replicas': 3 } })).toThrow(
      "LoopbackSafeService test/api-svc: 'metadata.annotations[\"example.com/replicas\"]' must be a string, got 3",
    );
  });

  test('a Lazy annotation value is still accepted', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'prod' });
    const server = new kplus.Deployment(chart, 'api', { metadata: { name: 'api' }, containers: [{ image: 'example/api:1', portNumber: 8080 }] });
    new LoopbackSafeService(chart, 'api-svc', {
      metadata: { name: 'api', annotations: { 'example.com/owner': Lazy.any({ produce: () => 'team-a' }) as any } },
      selector: server,
      ports: [{ port: 80, targetPort: 8080 }],
    });
    expect(findManifest(synthValidated(chart), 'Service', 'api', 'prod').metadata.annotations['example.com/owner']).toEqual('team-a');
  });
});

describe("LoopbackSafeIngress: the chart's namespace", () => {
  test.each(['Prod', 'pr_od', 'a'.repeat(64)])('a chart namespace %j fails at construction, naming it and quoting the value', (namespace) => {
    const chart = new Chart(Testing.app(), 'test', { namespace });
    expect(() => new LoopbackSafeIngress(chart, 'web', { metadata: { name: 'web' } })).toThrow(
      `LoopbackSafeIngress test/web: 'the chart's namespace' must be a DNS-1123 label (at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit), got ${JSON.stringify(namespace)}`,
    );
  });
});

describe('LoopbackSafeIngress: what the construct writes cannot be patched away silently', () => {
  test('a JSON patch that removes the default pass-to-target fails synth, naming the annotation', () => {
    const { chart, ing } = ingressFixture();
    ApiObject.of(ing).addJsonPatch(JsonPatch.remove(pointer(TkeAnnotations.INGRESS_PASS_TO_TARGET)));
    expect(() => Testing.synth(chart)).toThrow(
      `LoopbackSafeIngress test/web: the synthesized Ingress has no ${TkeAnnotations.INGRESS_PASS_TO_TARGET}, but`,
    );
  });

  test('a JSON patch that replaces /metadata/annotations fails synth, naming the subnet annotation', () => {
    const { chart, ing } = ingressFixture();
    ApiObject.of(ing).addJsonPatch(JsonPatch.replace('/metadata/annotations', {}));
    expect(() => Testing.synth(chart)).toThrow(`the synthesized Ingress has no ${TkeAnnotations.INGRESS_SUBNET_ID}, but 'internalSubnetId' needs`);
  });

  test('a JSON patch that leaves the written annotations alone still synthesizes', () => {
    const { chart, ing } = ingressFixture();
    ApiObject.of(ing).addJsonPatch(JsonPatch.add(pointer('example.com/owner'), 'team-a'));
    expect(findManifest(synthValidated(chart), 'Ingress', 'web', 'prod').metadata.annotations['example.com/owner']).toEqual('team-a');
  });
});

describe("LoopbackSafeIngress: 'passToTarget: false' next to a hand-set pass-to-target", () => {
  test('fails, naming the prop and quoting the annotation, instead of writing "true"', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'prod' });
    expect(() => new LoopbackSafeIngress(chart, 'web', {
      metadata: { name: 'web', annotations: { [TkeAnnotations.INGRESS_PASS_TO_TARGET]: 'true' } },
      passToTarget: false,
    })).toThrow(`LoopbackSafeIngress test/web: 'passToTarget' is false, but 'metadata.annotations' sets ${TkeAnnotations.INGRESS_PASS_TO_TARGET}: "true": remove one of them`);
  });
});
