import { App, Chart, Lazy, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  LoopbackSafeIngress,
  LoopbackSafeIngressProps,
  TkeAnnotations,
  tkeconfig,
} from '../src';
import { findManifest, synthValidated } from './harness/validate';
const Scheduler = tkeconfig.TkeServiceConfigSpecLoadBalancerL7ListenersDomainsRulesScheduler;
const Protocol = tkeconfig.TkeServiceConfigSpecLoadBalancerL7ListenersProtocol;

const PASS = TkeAnnotations.INGRESS_PASS_TO_TARGET;
const EXIST = TkeAnnotations.INGRESS_EXIST_LB_ID;
const LISTEN = TkeAnnotations.INGRESS_LISTEN_PORTS;

function setup(namespace?: string): { app: App; chart: Chart; backend: kplus.IngressBackend } {
  const app = Testing.app();
  const chart = new Chart(app, 'test', { namespace });
  const svc = new kplus.Service(chart, 'svc', {
    metadata: { name: 'shop' },
    type: kplus.ServiceType.NODE_PORT,
    ports: [{ port: 80 }],
    selector: kplus.Pods.select(chart, 'sel', { labels: { app: 'shop' } }),
  });
  return { app, chart, backend: kplus.IngressBackend.fromService(svc) };
}

function web(chart: Chart, backend: kplus.IngressBackend, props: Partial<LoopbackSafeIngressProps> = {}): LoopbackSafeIngress {
  return new LoopbackSafeIngress(chart, 'web', { metadata: { name: 'web' }, rules: [{ host: 'shop.example.com', path: '/', backend }], ...props });
}

describe('LoopbackSafeIngress: pass-to-target and reused CLBs (Tencent: mutually exclusive)', () => {
  test('with existingLoadBalancerId the default is not to write pass-to-target', () => {
    const { chart, backend } = setup();
    web(chart, backend, { existingLoadBalancerId: 'lb-abcd1234' });
    const annotations = findManifest(synthValidated(chart), 'Ingress', 'web').metadata.annotations;
    expect(annotations[EXIST]).toEqual('lb-abcd1234');
    expect(annotations[PASS]).toBeUndefined();
  });

  test('with a hand-set existLbId annotation the default is not to write it either', () => {
    const { chart, backend } = setup();
    web(chart, backend, { metadata: { name: 'web', annotations: { [EXIST]: 'lb-abcd1234' } } });
    expect(findManifest(synthValidated(chart), 'Ingress', 'web').metadata.annotations[PASS]).toBeUndefined();
  });

  test('a TKE-created CLB keeps pass-to-target: "true" by default', () => {
    const { chart, backend } = setup();
    web(chart, backend);
    expect(findManifest(synthValidated(chart), 'Ingress', 'web').metadata.annotations[PASS]).toEqual('true');
  });

  test('passToTarget: true with existingLoadBalancerId fails, naming both props', () => {
    const { chart, backend } = setup();
    expect(() => web(chart, backend, { existingLoadBalancerId: 'lb-abcd1234', passToTarget: true })).toThrow(
      /^LoopbackSafeIngress test\/web: 'passToTarget' is true, but 'existingLoadBalancerId' reuses CLB "lb-abcd1234": pass-to-target works only on CLBs that TKE creates.*100\.127\.0\.0\/16/,
    );
  });

  test('a hand-set pass-to-target next to existingLoadBalancerId fails', () => {
    const { chart, backend } = setup();
    expect(() => web(chart, backend, { existingLoadBalancerId: 'lb-abcd1234', metadata: { name: 'web', annotations: { [PASS]: 'true' } } }))
      .toThrow(`${PASS}: "true" cannot be combined with ${EXIST}: "lb-abcd1234"`);
  });

  test('a pass-to-target annotation added later next to a reused CLB fails at synth', () => {
    const { chart, backend } = setup();
    const ing = web(chart, backend, { existingLoadBalancerId: 'lb-abcd1234' });
    ing.metadata.addAnnotation(PASS, 'true');
    expect(() => Testing.synth(chart)).toThrow(`${PASS}: "true" cannot be combined with ${EXIST}: "lb-abcd1234"`);
  });
});

describe('LoopbackSafeIngress: custom listener ports (listen-ports)', () => {
  test('the listenPorts prop writes the annotation and keepalive goes on exactly those listeners, with per-rule settings', () => {
    const { chart, backend } = setup();
    web(chart, backend, {
      rules: [{ host: 'shop.example.com', path: '/', backend, scheduler: Scheduler.IP_UNDERSCORE_HASH }],
      listenPorts: [{ protocol: Protocol.HTTP, port: 8080 }, { protocol: Protocol.HTTPS, port: 8443 }],
    });
    const manifests = synthValidated(chart);
    expect(findManifest(manifests, 'Ingress', 'web').metadata.annotations[LISTEN]).toEqual('[{"HTTP":8080},{"HTTPS":8443}]');
    const domains = [{ domain: 'shop.example.com', rules: [{ url: '/', scheduler: 'IP_HASH' }] }];
    expect(findManifest(manifests, 'TkeServiceConfig', 'web-loopback').spec.loadBalancer.l7Listeners).toEqual([
      { protocol: 'HTTP', port: 8080, keepaliveEnable: 1, domains },
      { protocol: 'HTTPS', port: 8443, keepaliveEnable: 1, domains },
    ]);
  });

  test('a hand-set annotation in metadata.annotations counts the same way (no 80, no 443)', () => {
    const { chart, backend } = setup();
    web(chart, backend, {
      metadata: { name: 'web', annotations: { [LISTEN]: '[{"HTTP": 8080}, {"HTTPS": 8443}]' } },
      tls: [{ hosts: ['shop.example.com'], secret: undefined }],
    });
    const manifests = synthValidated(chart);
    expect(findManifest(manifests, 'Ingress', 'web').metadata.annotations[LISTEN]).toEqual('[{"HTTP": 8080}, {"HTTPS": 8443}]');
    expect(findManifest(manifests, 'TkeServiceConfig', 'web-loopback').spec.loadBalancer.l7Listeners).toEqual([
      { protocol: 'HTTP', port: 8080, keepaliveEnable: 1 },
      { protocol: 'HTTPS', port: 8443, keepaliveEnable: 1 },
    ]);
  });

  test('an annotation added later through ingress counts too', () => {
    const { chart, backend } = setup();
    const ing = web(chart, backend);
    ing.metadata.addAnnotation(LISTEN, '[{"HTTPS": 9443}]');
    expect(findManifest(synthValidated(chart), 'TkeServiceConfig', 'web-loopback').spec.loadBalancer.l7Listeners).toEqual([
      { protocol: 'HTTPS', port: 9443, keepaliveEnable: 1 },
    ]);
  });

  test.each(['80', '[{"TCP": 80}]', '[]', 'not json'])('a malformed hand-set value %j fails, naming the annotation and quoting the value', (value) => {
    const { chart, backend } = setup();
    expect(() => web(chart, backend, { metadata: { name: 'web', annotations: { [LISTEN]: value } } }))
      .toThrow(`'metadata.annotations' sets ${LISTEN}, which is malformed: `);
    expect(() => web(setup().chart, backend, { metadata: { name: 'web', annotations: { [LISTEN]: value } } }))
      .toThrow(JSON.stringify(value));
  });

  test('a malformed value added later fails synth, naming the annotation', () => {
    const { chart, backend } = setup();
    const ing = web(chart, backend);
    ing.metadata.addAnnotation(LISTEN, '[{"HTTP": 0}]');
    expect(() => Testing.synth(chart)).toThrow(`${LISTEN} is malformed: entry 0 has port 0`);
  });

  test('bad listenPorts entries name the prop', () => {
    const { chart, backend } = setup();
    expect(() => web(chart, backend, { listenPorts: [{ protocol: 'TCP' as any, port: 80 }] })).toThrow(/'listenPorts\[0\]\.protocol' must be one of "HTTP", "HTTPS", got "TCP"/);
    expect(() => web(setup().chart, backend, { listenPorts: [{ protocol: Protocol.HTTP, port: NaN }] })).toThrow("'listenPorts[0].port' must be an integer from 1 to 65535, got NaN");
    expect(() => web(setup().chart, backend, { listenPorts: [] })).toThrow("'listenPorts' must list at least one listener");
  });

  test('the prop and a different hand-set annotation conflict', () => {
    const { chart, backend } = setup();
    expect(() => web(chart, backend, {
      metadata: { name: 'web', annotations: { [LISTEN]: '[{"HTTP": 8081}]' } },
      listenPorts: [{ protocol: Protocol.HTTP, port: 8080 }],
    })).toThrow(`'metadata.annotations' sets ${LISTEN}: "[{\\"HTTP\\": 8081}]", but 'listenPorts' needs`);
  });
});

describe('LoopbackSafeIngress: a healthCheck mutated after it was passed in is judged by its final value', () => {
  test('a timeout raised above intervalTime after addRule fails synth', () => {
    const { chart, backend } = setup();
    const ing = web(chart, backend, { rules: [] });
    const healthCheck: any = { enable: true, intervalTime: 10, timeout: 5 };
    ing.addRulesWithSettings({ host: 'shop.example.com', path: '/', backend, healthCheck });
    healthCheck.timeout = 20;
    expect(() => Testing.synth(chart)).toThrow(/'rules\[0\]\.healthCheck\.timeout' must be less than 'rules\[0\]\.healthCheck\.intervalTime'.*changed after it was passed in/);
  });
});

describe('LoopbackSafeIngress: what the API server would reject fails at synth', () => {
  test.each(['/a//b', '/a/./b', '/a/../b', '/a%2fb', '/a%2Fb', '/a/.', '/a/..'])('path %j of type Prefix', (badPath) => {
    const { chart, backend } = setup();
    expect(() => web(chart, backend, { rules: [{ host: 'shop.example.com', path: badPath, backend }] }))
      .toThrow(new RegExp('^LoopbackSafeIngress test/web: \'rules\\[0\\]\\.path\' (contains|ends in) .* Kubernetes rejects in a path of type Prefix'));
  });

  test('the same path of type Exact fails, and ImplementationSpecific is left to the controller', () => {
    const { chart, backend } = setup();
    expect(() => web(chart, backend, { rules: [{ host: 'shop.example.com', path: '/a//b', pathType: kplus.HttpIngressPathType.EXACT, backend }] }))
      .toThrow(/path of type Exact/);
    const ok = setup();
    web(ok.chart, ok.backend, { rules: [{ host: 'shop.example.com', path: '/a//b', pathType: kplus.HttpIngressPathType.IMPLEMENTATION_SPECIFIC, backend: ok.backend }] });
    expect(findManifest(synthValidated(ok.chart), 'Ingress', 'web').spec.rules[0].http.paths[0].path).toEqual('/a//b');
  });

  test.each(['Prod', 'pr_od', 'a'.repeat(64), ''])('metadata.namespace %j', (namespace) => {
    const { chart, backend } = setup();
    expect(() => web(chart, backend, { metadata: { name: 'web', namespace } }))
      .toThrow(/^LoopbackSafeIngress test\/web: 'metadata.namespace' must be a DNS-1123 label/);
  });
});

describe('LoopbackSafeIngress: JavaScript callers get clear errors', () => {
  test("tls: [{ hosts: 'x' }]", () => {
    const { chart, backend } = setup();
    expect(() => web(chart, backend, { tls: [{ hosts: 'x' as any }] })).toThrow("LoopbackSafeIngress test/web: 'tls[0].hosts' must be a list of host names, got \"x\"");
  });

  test('tls: [null] and rules: "x"', () => {
    const { chart, backend } = setup();
    expect(() => web(chart, backend, { tls: [null as any] })).toThrow("'tls[0]' must be a TLS entry");
    expect(() => web(setup().chart, backend, { rules: 'x' as any })).toThrow("'rules' must be a list of rules such as [{ host, path, backend }], got \"x\"");
  });

  test('a backend that is not an IngressBackend', () => {
    const { chart } = setup();
    expect(() => new LoopbackSafeIngress(chart, 'web', { rules: [{ host: 'a.example.com', path: '/', backend: 'shop' as any }] }))
      .toThrow("'rules[0].backend' must be a cdk8s-plus IngressBackend (IngressBackend.fromService() or fromResource()), got \"shop\"");
  });

  test('a Lazy name shows "a value resolved at synth"', () => {
    const { chart, backend } = setup();
    let message = '';
    try {
      web(chart, backend, { metadata: { name: Lazy.any({ produce: () => 'web' }) as any } });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain("'metadata.name' must be a DNS-1123 subdomain");
    expect(message).toContain('a value resolved at synth');
    expect(message).not.toContain('producer');
  });

  test('addRule errors name the construct path', () => {
    const { chart, backend } = setup();
    const ing = web(chart, backend);
    expect(() => ing.addHostRule('bad host', '/', backend)).toThrow(/^LoopbackSafeIngress test\/web: 'host' must be an RFC 1123 host name/);
  });
});

describe('LoopbackSafeIngress: app-level checks name the construct path', () => {
  test('a ClusterIP backend names the Ingress construct, not []', () => {
    const chart = Testing.chart();
    const svc = new kplus.Service(chart, 'svc', { metadata: { name: 'shop' }, ports: [{ port: 80 }], selector: kplus.Pods.select(chart, 'sel', { labels: { app: 'shop' } }) });
    new LoopbackSafeIngress(chart, 'web', { rules: [{ host: 'a.example.com', path: '/', backend: kplus.IngressBackend.fromService(svc) }] });
    expect(() => Testing.synth(chart)).toThrow(/\[\] LoopbackSafeIngress test\/web: 'rules\[0\]\.backend' routes to Service/);
    // direct access is not VPC-CNI-only (457/36837): the message says how GlobalRouter gets it
    expect(() => Testing.synth(chart)).toThrow(/or GlobalRouter with GlobalRouteDirectAccess: "true" in kube-system\/tke-service-controller-config/);
  });
});
