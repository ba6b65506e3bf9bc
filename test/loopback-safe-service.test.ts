import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { KubeProxyVersion, LoopbackSafeService, LoopbackSafeServiceProps, LoopbackStrategy, TkeAnnotations } from '../src';
import { findManifest, synthValidated } from './harness/validate';
import { EXTERNAL_TRAFFIC_POLICY_LOCAL } from '../src/service/service-patches';

const ADDR = 'cdk8s.io/metadata.addr';
const PREVENT = TkeAnnotations.SERVICE_PREVENT_LOOPBACK;
const DIRECT = TkeAnnotations.SERVICE_DIRECT_ACCESS;

interface Fixture {
  readonly chart: Chart;
  readonly server: kplus.Deployment;
  readonly web: kplus.Deployment;
  readonly worker: kplus.Deployment;
}

/** A chart in namespace `prod` with a server (`api`) and two clients (`web`, `worker`). */
function fixture(): Fixture {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'prod' });
  const deployment = (id: string) => new kplus.Deployment(chart, id, {
    metadata: { name: id },
    containers: [{ image: `example/${id}:1`, portNumber: 8080 }],
  });
  return { chart, server: deployment('api'), web: deployment('web'), worker: deployment('worker') };
}

/** The props of the documented example, on top of which each test changes one thing. */
function baseProps(f: Fixture): LoopbackSafeServiceProps {
  return {
    metadata: { name: 'api', namespace: 'prod' },
    selector: f.server,
    ports: [{ port: 80, targetPort: 8080 }],
  };
}

/** The pod-selector label of a workload's pods. */
function addr(w: kplus.Workload): string {
  return w.podMetadata.getLabel(ADDR)!;
}

function affinityOf(manifests: any[], name: string): any {
  return findManifest(manifests, 'Deployment', name).spec.template.spec.affinity;
}

function requiredApart(from: kplus.Workload, namespace = 'prod'): any {
  return {
    labelSelector: { matchLabels: { [ADDR]: addr(from) } },
    namespaces: [namespace],
    topologyKey: 'kubernetes.io/hostname',
  };
}

function preferredApart(from: kplus.Workload, namespace = 'prod'): any {
  return { weight: 100, podAffinityTerm: requiredApart(from, namespace) };
}

describe('LoopbackSafeService', () => {
  describe('defaults', () => {
    test('a LoadBalancer Service with metadata passed through, annotated prevent-loopback: "true"', () => {
      // GIVEN
      const f = fixture();
      // WHEN
      const svc = new LoopbackSafeService(f.chart, 'api-svc', baseProps(f));
      // THEN
      const manifests = synthValidated(f.chart);
      expect(findManifest(manifests, 'Service', 'api', 'prod')).toEqual({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'api', namespace: 'prod', annotations: { [PREVENT]: 'true' } },
        spec: {
          type: 'LoadBalancer',
          externalIPs: [],
          selector: { [ADDR]: addr(f.server) },
          ports: [{ port: 80, targetPort: 8080 }],
        },
      });
      expect(svc).toBeInstanceOf(kplus.Service);
      expect(svc.type).toEqual(kplus.ServiceType.LOAD_BALANCER);
      expect(ApiObject.of(svc).kind).toEqual('Service');
    });

    test('the default strategy is preventLoopback() and touches no workload', () => {
      const f = fixture();
      const svc = new LoopbackSafeService(f.chart, 'api-svc', baseProps(f));
      expect(svc.strategy.name).toEqual('preventLoopback');
      expect(svc.strategy.kubeProxyVersion).toBeUndefined();
      const manifests = synthValidated(f.chart);
      for (const name of ['api', 'web', 'worker']) expect(affinityOf(manifests, name)).toBeUndefined();
      expect(findManifest(manifests, 'Service', 'api').spec.externalTrafficPolicy).toBeUndefined();
    });

    test('labels and other annotations of metadata are kept', () => {
      const f = fixture();
      new LoopbackSafeService(f.chart, 'api-svc', {
        ...baseProps(f),
        metadata: { name: 'api', labels: { app: 'api' }, annotations: { 'example.com/team': 'payments', [PREVENT]: 'true' } },
      });
      const svc = findManifest(synthValidated(f.chart), 'Service', 'api');
      expect(svc.metadata).toEqual({
        name: 'api',
        namespace: 'prod',
        labels: { app: 'api' },
        annotations: { 'example.com/team': 'payments', [PREVENT]: 'true' },
      });
    });

    test('without a name, cdk8s generates one from the construct path', () => {
      const f = fixture();
      new LoopbackSafeService(f.chart, 'api-svc', { ...baseProps(f), metadata: undefined });
      const services = synthValidated(f.chart).filter((m) => m.kind === 'Service');
      expect(services.map((s) => s.metadata.name)).toEqual([expect.stringMatching(/^test-api-svc-c8[0-9a-f]+$/)]);
    });

    test('several named ports, TCP and UDP on the same number', () => {
      const f = fixture();
      new LoopbackSafeService(f.chart, 'api-svc', {
        ...baseProps(f),
        ports: [
          { name: 'http', port: 80, targetPort: 8080 },
          { name: 'dns-tcp', port: 53, protocol: kplus.Protocol.TCP },
          { name: 'dns-udp', port: 53, protocol: kplus.Protocol.UDP },
        ],
      });
      expect(findManifest(synthValidated(f.chart), 'Service', 'api').spec.ports).toEqual([
        { name: 'http', port: 80, targetPort: 8080 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP' },
        { name: 'dns-udp', port: 53, protocol: 'UDP' },
      ]);
    });
  });

  describe('private and existing CLBs', () => {
    test('internalSubnetId and existingLoadBalancerId become the TKE annotations', () => {
      const f = fixture();
      new LoopbackSafeService(f.chart, 'api-svc', {
        ...baseProps(f),
        internalSubnetId: 'subnet-abcd1234',
        existingLoadBalancerId: 'lb-abcd1234',
      });
      expect(findManifest(synthValidated(f.chart), 'Service', 'api').metadata.annotations).toEqual({
        'service.kubernetes.io/qcloud-loadbalancer-internal-subnetid': 'subnet-abcd1234',
        'service.kubernetes.io/tke-existed-lbid': 'lb-abcd1234',
        [PREVENT]: 'true',
      });
    });

    test('a public CLB (no internalSubnetId) still gets the harmless annotation and does not fail', () => {
      const f = fixture();
      new LoopbackSafeService(f.chart, 'api-svc', baseProps(f));
      const annotations = findManifest(synthValidated(f.chart), 'Service', 'api').metadata.annotations;
      expect(annotations).toEqual({ [PREVENT]: 'true' });
      expect(annotations[TkeAnnotations.SERVICE_INTERNAL_SUBNET_ID]).toBeUndefined();
    });

    test('the same id given as an annotation and as the prop is accepted', () => {
      const f = fixture();
      new LoopbackSafeService(f.chart, 'api-svc', {
        ...baseProps(f),
        metadata: { name: 'api', annotations: { [TkeAnnotations.SERVICE_INTERNAL_SUBNET_ID]: 'subnet-abcd1234' } },
        internalSubnetId: 'subnet-abcd1234',
      });
      expect(findManifest(synthValidated(f.chart), 'Service', 'api').metadata.annotations[TkeAnnotations.SERVICE_INTERNAL_SUBNET_ID])
        .toEqual('subnet-abcd1234');
    });
  });

  describe('LoopbackStrategy.preventLoopback()', () => {
    test.each(['v1.20.6-tke.12', 'v1.20.6-tke.13', 'v1.20.7-tke.1', 'v1.18.4-tke.20', 'v1.12.4-tke.30', 'v1.14.3-tke.24', 'v1.16.3-tke.25', 'v1.28.3-tke.3'])(
      'accepts kube-proxy %s (at or above the documented minimum of its minor)', (version) => {
        const f = fixture();
        const svc = new LoopbackSafeService(f.chart, 'api-svc', {
          ...baseProps(f),
          strategy: LoopbackStrategy.preventLoopback({ kubeProxyVersion: version }),
        });
        expect(svc.strategy.kubeProxyVersion?.toString()).toEqual(version);
        expect(findManifest(synthValidated(f.chart), 'Service', 'api').metadata.annotations).toEqual({ [PREVENT]: 'true' });
      });

    test.each(['v1.22.5-tke.1', 'v1.30.0-tke.1', 'v1.19.0-tke.1', 'v1.34.1-tke.2-rc3'])(
      'accepts kube-proxy %s: its minor has no documented minimum', (version) => {
        expect(KubeProxyVersion.parse(version).minimumForPreventLoopback()).toBeUndefined();
        expect(LoopbackStrategy.preventLoopback({ kubeProxyVersion: version }).kubeProxyVersion?.toString()).toEqual(version);
      });

    test.each([
      ['ccr.ccs.tencentyun.com/tkeimages/kube-proxy:v1.20.6-tke.12', 'v1.20.6-tke.12'],
      ['ccr.ccs.tencentyun.com/tkeimages/hyperkube:v1.32.2-tke.6', 'v1.32.2-tke.6'],
    ])('accepts the image reference that kubectl prints: %s', (image, tag) => {
      expect(LoopbackStrategy.preventLoopback({ kubeProxyVersion: image }).kubeProxyVersion?.toString()).toEqual(tag);
    });

    test.each(KubeProxyVersion.documentedMinimums().map((m) => [m.toString(), `v${m.major}.${m.minor}.${m.patch}-tke.${m.tkeRevision - 1}`]))(
      'rejects a kube-proxy one revision below %s, naming the prop, the value and that minimum', (minimum, tooOld) => {
        expect(() => LoopbackStrategy.preventLoopback({ kubeProxyVersion: tooOld })).toThrow(
          `'kubeProxyVersion' "${tooOld}" cannot honour ${PREVENT}: ${tooOld} is older than ${minimum}, the first`,
        );
      });

    test('rejects an older patch of a documented minor', () => {
      expect(() => LoopbackStrategy.preventLoopback({ kubeProxyVersion: 'v1.20.5-tke.99' }))
        .toThrow(/'kubeProxyVersion' "v1.20.5-tke.99" cannot honour .*: v1.20.5-tke.99 is older than v1.20.6-tke.12, the first 1.20 build/);
    });

    test('rejects a 1.28 build before v1.28.3-tke.3, naming it (revision history 457/9315)', () => {
      expect(() => LoopbackStrategy.preventLoopback({ kubeProxyVersion: 'v1.28.3-tke.1' }))
        .toThrow(/older than v1.28.3-tke.3, the first 1.28 build that supports prevent-loopback \(https:\/\/www.tencentcloud.com\/document\/product\/457\/9315\)\. Upgrade kube-proxy to v1.28.3-tke.3 or later/);
    });

    test.each(['v1.10.5-tke.99', 'v1.10.0-tke.1'])('rejects %s: Tencent documents no support before 1.12', (version) => {
      expect(() => LoopbackStrategy.preventLoopback({ kubeProxyVersion: version }))
        .toThrow(`'kubeProxyVersion' "${version}" cannot honour ${PREVENT}: ${version} is older than Kubernetes 1.12`);
    });

    test.each(['1.20.6-tke.12', 'v1.20.6', 'latest', '', 'v1.20.6-tke.x', 'nginx:v1.20.6-tke.12'])(
      'rejects kube-proxy %j, naming the prop and the value and showing the accepted forms', (version) => {
        expect(() => LoopbackStrategy.preventLoopback({ kubeProxyVersion: version })).toThrow(
          `'kubeProxyVersion': ${JSON.stringify(version)} is not a TKE kube-proxy build, so its support for prevent-loopback is unknown; ` +
            'expected a TKE build tag such as v1.20.6-tke.12 or v1.34.1-tke.2-rc3, or the full image reference',
        );
      });

    test('a user annotation prevent-loopback: "false" fails, naming the prop and the value', () => {
      const f = fixture();
      expect(() => new LoopbackSafeService(f.chart, 'api-svc', {
        ...baseProps(f),
        metadata: { name: 'api', annotations: { [PREVENT]: 'false' } },
        strategy: LoopbackStrategy.preventLoopback(),
      })).toThrow(`'metadata.annotations' sets ${PREVENT} to "false", but the preventLoopback strategy needs "true"`);
    });

    test('the same with the default strategy', () => {
      const f = fixture();
      expect(() => new LoopbackSafeService(f.chart, 'api-svc', {
        ...baseProps(f),
        metadata: { name: 'api', annotations: { [PREVENT]: 'False' } },
      })).toThrow(`'metadata.annotations' sets ${PREVENT} to "False", but the preventLoopback strategy needs "true"`);
    });

    test('prevent-loopback: "false" added later through service fails synth', () => {
      const f = fixture();
      const svc = new LoopbackSafeService(f.chart, 'api-svc', baseProps(f));
      svc.metadata.addAnnotation(PREVENT, 'false');
      expect(() => Testing.synth(f.chart)).toThrow(
        `'metadata.annotations' sets ${PREVENT} to "false", but the preventLoopback strategy needs "true"`,
      );
    });
  });

  describe('LoopbackStrategy.localTrafficWithAntiAffinity()', () => {
    test('sets externalTrafficPolicy: Local and nothing else on the Service', () => {
      const f = fixture();
      new LoopbackSafeService(f.chart, 'api-svc', {
        ...baseProps(f),
        internalSubnetId: 'subnet-abcd1234',
        strategy: LoopbackStrategy.localTrafficWithAntiAffinity({ server: f.server, clients: [f.web, f.worker] }),
      });
      const svc = findManifest(synthValidated(f.chart), 'Service', 'api');
      expect(svc.spec.externalTrafficPolicy).toEqual('Local');
      expect(svc.metadata.annotations).toEqual({ [TkeAnnotations.SERVICE_INTERNAL_SUBNET_ID]: 'subnet-abcd1234' });
    });

    test('the externalTrafficPolicy patch is the named constant, which only adds that field', () => {
      expect(JsonPatch.apply({ spec: { type: 'LoadBalancer' } }, EXTERNAL_TRAFFIC_POLICY_LOCAL)).toEqual({
        spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Local' },
      });
    });

    test('required anti-affinity both ways: exact affinity blocks of server and clients', () => {
      // GIVEN
      const f = fixture();
      // WHEN
      new LoopbackSafeService(f.chart, 'api-svc', {
        ...baseProps(f),
        strategy: LoopbackStrategy.localTrafficWithAntiAffinity({ server: f.server, clients: [f.web, f.worker] }),
      });
      // THEN
      const manifests = synthValidated(f.chart);
      expect(affinityOf(manifests, 'api')).toEqual({
        podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [requiredApart(f.web), requiredApart(f.worker)] },
      });
      expect(affinityOf(manifests, 'web')).toEqual({
        podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [requiredApart(f.server)] },
      });
      expect(affinityOf(manifests, 'worker')).toEqual({
        podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [requiredApart(f.server)] },
      });
    });

    test('required: false uses preferred terms of weight 100, both ways', () => {
      const f = fixture();
      const strategy = LoopbackStrategy.localTrafficWithAntiAffinity({ server: f.server, clients: [f.web], required: false });
      new LoopbackSafeService(f.chart, 'api-svc', { ...baseProps(f), strategy });
      const manifests = synthValidated(f.chart);
      expect(affinityOf(manifests, 'api')).toEqual({
        podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [preferredApart(f.web)] },
      });
      expect(affinityOf(manifests, 'web')).toEqual({
        podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [preferredApart(f.server)] },
      });
      expect(affinityOf(manifests, 'worker')).toBeUndefined();
      expect(strategy.antiAffinity?.required).toBe(false);
    });

    test('required defaults to true', () => {
      const f = fixture();
      expect(LoopbackStrategy.localTrafficWithAntiAffinity({ server: f.server, clients: [f.web] }).antiAffinity?.required).toBe(true);
    });

    test('a client in another namespace gets terms that name both namespaces', () => {
      const f = fixture();
      const other = new Chart(f.chart.node.root as Construct, 'frontend', { namespace: 'frontend' });
      const shop = new kplus.Deployment(other, 'shop', { metadata: { name: 'shop' }, containers: [{ image: 'example/shop:1' }] });
      new LoopbackSafeService(f.chart, 'api-svc', {
        ...baseProps(f),
        strategy: LoopbackStrategy.localTrafficWithAntiAffinity({ server: f.server, clients: [shop] }),
      });
      expect(affinityOf(synthValidated(f.chart), 'api')).toEqual({
        podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [requiredApart(shop, 'frontend')] },
      });
      expect(affinityOf(synthValidated(other), 'shop')).toEqual({
        podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [requiredApart(f.server, 'prod')] },
      });
    });

    test('two Services sharing one strategy do not duplicate the terms', () => {
      const f = fixture();
      const strategy = LoopbackStrategy.localTrafficWithAntiAffinity({ server: f.server, clients: [f.web] });
      new LoopbackSafeService(f.chart, 'api-svc', { ...baseProps(f), strategy });
      new LoopbackSafeService(f.chart, 'api-svc-2', { ...baseProps(f), metadata: { name: 'api-2' }, strategy });
      const manifests = synthValidated(f.chart);
      expect(affinityOf(manifests, 'api')).toEqual({
        podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [requiredApart(f.web)] },
      });
      expect(affinityOf(manifests, 'web')).toEqual({
        podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [requiredApart(f.server)] },
      });
    });

    test('a server that the selector does not select fails synth', () => {
      const f = fixture();
      new LoopbackSafeService(f.chart, 'api-svc', {
        ...baseProps(f),
        selector: f.worker,
        strategy: LoopbackStrategy.localTrafficWithAntiAffinity({ server: f.server, clients: [f.web] }),
      });
      expect(() => Testing.synth(f.chart)).toThrow(
        `'strategy' keeps server test/api apart from its clients, but 'selector' does not select its pods (they lack ${ADDR}=${addr(f.worker)})`,
      );
    });

    test('a selector that matches the server by its own labels is accepted', () => {
      const f = fixture();
      f.server.podMetadata.addLabel('app', 'api');
      new LoopbackSafeService(f.chart, 'api-svc', {
        ...baseProps(f),
        selector: kplus.Pods.select(f.chart, 'api-pods', { labels: { app: 'api' } }),
        strategy: LoopbackStrategy.localTrafficWithAntiAffinity({ server: f.server, clients: [f.web] }),
      });
      expect(findManifest(synthValidated(f.chart), 'Service', 'api').spec.selector).toEqual({ app: 'api' });
    });
  });

  describe('LoopbackStrategy.directAccessWithAntiAffinity()', () => {
    test('annotates direct-access: "true", sets no traffic policy, and separates server and clients', () => {
      const f = fixture();
      new LoopbackSafeService(f.chart, 'api-svc', {
        ...baseProps(f),
        internalSubnetId: 'subnet-abcd1234',
        strategy: LoopbackStrategy.directAccessWithAntiAffinity({ server: f.server, clients: [f.web] }),
      });
      const manifests = synthValidated(f.chart);
      const svc = findManifest(manifests, 'Service', 'api');
      expect(svc.metadata.annotations).toEqual({
        [TkeAnnotations.SERVICE_INTERNAL_SUBNET_ID]: 'subnet-abcd1234',
        [DIRECT]: 'true',
      });
      expect(svc.spec.externalTrafficPolicy).toBeUndefined();
      expect(affinityOf(manifests, 'api')).toEqual({
        podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [requiredApart(f.web)] },
      });
      expect(affinityOf(manifests, 'web')).toEqual({
        podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [requiredApart(f.server)] },
      });
      expect(affinityOf(manifests, 'worker')).toBeUndefined();
    });

    test('required: false uses preferred terms', () => {
      const f = fixture();
      new LoopbackSafeService(f.chart, 'api-svc', {
        ...baseProps(f),
        strategy: LoopbackStrategy.directAccessWithAntiAffinity({ server: f.server, clients: [f.web, f.worker], required: false }),
      });
      const manifests = synthValidated(f.chart);
      expect(affinityOf(manifests, 'api')).toEqual({
        podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [preferredApart(f.web), preferredApart(f.worker)] },
      });
      expect(affinityOf(manifests, 'worker')).toEqual({
        podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [preferredApart(f.server)] },
      });
    });

    test('a user annotation direct-access: "false" fails', () => {
      const f = fixture();
      expect(() => new LoopbackSafeService(f.chart, 'api-svc', {
        ...baseProps(f),
        metadata: { name: 'api', annotations: { [DIRECT]: 'false' } },
        strategy: LoopbackStrategy.directAccessWithAntiAffinity({ server: f.server, clients: [f.web] }),
      })).toThrow(`'metadata.annotations' sets ${DIRECT} to "false", but the directAccessWithAntiAffinity strategy needs "true"`);
    });
  });

  describe('bad input names the prop and the value', () => {
    test.each(['subnet-abc', 'subnet-ABCD1234', 'abc'])('internalSubnetId %j', (id) => {
      const f = fixture();
      expect(() => new LoopbackSafeService(f.chart, 'api-svc', { ...baseProps(f), internalSubnetId: id })).toThrow(
        `'internalSubnetId' must look like subnet-xxxxxxxx (8 lowercase letters or digits), got ${JSON.stringify(id)}`,
      );
    });

    test.each(['lb-abc', 'lb-ABCD1234', 'subnet-abcd1234'])('existingLoadBalancerId %j', (id) => {
      const f = fixture();
      expect(() => new LoopbackSafeService(f.chart, 'api-svc', { ...baseProps(f), existingLoadBalancerId: id })).toThrow(
        `'existingLoadBalancerId' must look like lb-xxxxxxxx (8 lowercase letters or digits), got ${JSON.stringify(id)}`,
      );
    });

    test('a malformed id given as an annotation', () => {
      const f = fixture();
      expect(() => new LoopbackSafeService(f.chart, 'api-svc', {
        ...baseProps(f),
        metadata: { name: 'api', annotations: { [TkeAnnotations.SERVICE_INTERNAL_SUBNET_ID]: 'subnet-1' } },
      })).toThrow(`'metadata.annotations["${TkeAnnotations.SERVICE_INTERNAL_SUBNET_ID}"]' must look like subnet-xxxxxxxx (8 lowercase letters or digits), got "subnet-1"`);
    });

    test('a malformed CLB id given as an annotation', () => {
      const f = fixture();
      expect(() => new LoopbackSafeService(f.chart, 'api-svc', {
        ...baseProps(f),
        metadata: { name: 'api', annotations: { [TkeAnnotations.SERVICE_EXISTED_LB_ID]: 'lb-1' } },
      })).toThrow(`'metadata.annotations["${TkeAnnotations.SERVICE_EXISTED_LB_ID}"]' must look like lb-xxxxxxxx (8 lowercase letters or digits), got "lb-1"`);
    });

    test('an annotation that contradicts internalSubnetId', () => {
      const f = fixture();
      expect(() => new LoopbackSafeService(f.chart, 'api-svc', {
        ...baseProps(f),
        metadata: { name: 'api', annotations: { [TkeAnnotations.SERVICE_INTERNAL_SUBNET_ID]: 'subnet-00000000' } },
        internalSubnetId: 'subnet-abcd1234',
      })).toThrow(`'metadata.annotations' sets ${TkeAnnotations.SERVICE_INTERNAL_SUBNET_ID} to "subnet-00000000", but 'internalSubnetId' needs "subnet-abcd1234"`);
    });

    test('a metadata.name that is not a DNS-1035 label of at most 63 characters', () => {
      expect(() => new LoopbackSafeService(fixture().chart, 's', { ...baseProps(fixture()), metadata: { name: 'My_Api' } }))
        .toThrow(/'metadata\.name' must be a DNS-1035 label .*got "My_Api"/);
      expect(() => new LoopbackSafeService(fixture().chart, 's', { ...baseProps(fixture()), metadata: { name: '1api' } }))
        .toThrow(/'metadata\.name' must be a DNS-1035 label .*got "1api"/);
      const long = 'a'.repeat(70);
      expect(() => new LoopbackSafeService(fixture().chart, 's', { ...baseProps(fixture()), metadata: { name: long } }))
        .toThrow(new RegExp(`^LoopbackSafeService test/s: 'metadata\\.name' must be a DNS-1035 label \\(at most 63 .*got "${long}" \\(70 characters\\)`));
      // 63 characters is fine
      const f = fixture();
      new LoopbackSafeService(f.chart, 's', { ...baseProps(f), metadata: { name: 'a'.repeat(63) } });
      expect(findManifest(synthValidated(f.chart), 'Service', 'a'.repeat(63))).toBeDefined();
    });

    test('a selector without labels (expressions only)', () => {
      const f = fixture();
      const selector = kplus.Pods.select(f.chart, 'sel', { expressions: [kplus.LabelExpression.in('app', ['api'])] });
      expect(() => new LoopbackSafeService(f.chart, 's', { ...baseProps(f), selector }))
        .toThrow(/'selector' must select pods by labels: a Service supports equality selectors only.*got no labels and the expressions \["app In \(api\)"\]/);
    });

    test('a malformed id annotation added later through service fails synth, with or without the prop', () => {
      for (const [key, value, message] of [
        [TkeAnnotations.SERVICE_INTERNAL_SUBNET_ID, 'bogus', /qcloud-loadbalancer-internal-subnetid"\]' must look like subnet-xxxxxxxx.*got "bogus"/],
        [TkeAnnotations.SERVICE_EXISTED_LB_ID, 'lb-1', /tke-existed-lbid"\]' must look like lb-xxxxxxxx.*got "lb-1"/],
      ] as const) {
        const f = fixture();
        const svc = new LoopbackSafeService(f.chart, 's', baseProps(f));
        svc.metadata.addAnnotation(key, value);
        expect(() => Testing.synth(f.chart)).toThrow(message);
      }
    });

    test('two Services with one name in one namespace fail synth, naming both construct paths', () => {
      const f = fixture();
      new LoopbackSafeService(f.chart, 'one', baseProps(f));
      new LoopbackSafeService(f.chart, 'two', baseProps(f));
      expect(() => Testing.synth(f.chart)).toThrow(/Service prod\/api \(v1\) is emitted twice, by test\/one\/Resource and by test\/two\/Resource/);
      // another namespace is another object
      const g = fixture();
      new LoopbackSafeService(g.chart, 'one', baseProps(g));
      new LoopbackSafeService(g.chart, 'two', { ...baseProps(g), metadata: { name: 'api', namespace: 'staging' } });
      expect(() => synthValidated(g.chart)).not.toThrow();
    });

    test('no ports', () => {
      const f = fixture();
      expect(() => new LoopbackSafeService(f.chart, 'api-svc', { ...baseProps(f), ports: [] })).toThrow(
        "'ports' must list at least one port, got []",
      );
    });

    test('a duplicate port', () => {
      const f = fixture();
      expect(() => new LoopbackSafeService(f.chart, 'api-svc', {
        ...baseProps(f),
        ports: [{ name: 'a', port: 80 }, { name: 'b', port: 443 }, { name: 'c', port: 80, targetPort: 9090 }],
      })).toThrow("'ports[2].port' repeats 80/TCP of ports[0]: each port and protocol may appear once, got 80");
    });

    test.each([
      [{ port: 0 }, "'ports[0].port' must be an integer from 1 to 65535, got 0"],
      [{ port: 65536 }, "'ports[0].port' must be an integer from 1 to 65535, got 65536"],
      [{ port: -80 }, "'ports[0].port' must be an integer from 1 to 65535, got -80"],
      [{ port: 80.5 }, "'ports[0].port' must be an integer from 1 to 65535, got 80.5"],
      [{ port: 80, targetPort: 70000 }, "'ports[0].targetPort' must be an integer from 1 to 65535, got 70000"],
      [{ port: 80, nodePort: 0 }, "'ports[0].nodePort' must be an integer from 1 to 65535, got 0"],
    ])('a port outside 1–65535: %j', (port, message) => {
      const f = fixture();
      expect(() => new LoopbackSafeService(f.chart, 'api-svc', { ...baseProps(f), ports: [port] })).toThrow(message);
    });

    test('several ports without names, and a repeated name', () => {
      const f = fixture();
      expect(() => new LoopbackSafeService(f.chart, 'api-svc', { ...baseProps(f), ports: [{ port: 80 }, { port: 443 }] }))
        .toThrow("'ports[0].name' is required when a Service has more than one port, got undefined");
      expect(() => new LoopbackSafeService(f.chart, 'api-svc-2', {
        ...baseProps(f),
        ports: [{ name: 'http', port: 80 }, { name: 'http', port: 443 }],
      })).toThrow("'ports[1].name' repeats the name of ports[0], got \"http\"");
    });

    test('a port bound later is checked against the others when it is added, naming the construct', () => {
      const f = fixture();
      const svc = new LoopbackSafeService(f.chart, 'api-svc', { ...baseProps(f), ports: [{ name: 'http', port: 80 }] });
      expect(() => svc.bind(80, { name: 'again' })).toThrow("LoopbackSafeService test/api-svc: 'ports[1].port' repeats 80/TCP of ports[0]");
      expect(() => svc.bind(0, { name: 'zero' })).toThrow("'ports[1].port' must be");
      expect(() => svc.bind(443)).toThrow("'ports[1].name' is required when a Service has more than one port");
      // a good port is added, and nothing bad was kept
      svc.bind(443, { name: 'https' });
      expect(svc.ports.map((p) => p.port)).toEqual([80, 443]);
      expect(Testing.synth(f.chart).find((o: any) => o.kind === 'Service').spec.ports.map((p: any) => p.port)).toEqual([80, 443]);
    });

    test.each([
      ['localTrafficWithAntiAffinity', LoopbackStrategy.localTrafficWithAntiAffinity],
      ['directAccessWithAntiAffinity', LoopbackStrategy.directAccessWithAntiAffinity],
    ])('%s with no clients', (_, factory) => {
      const f = fixture();
      expect(() => factory({ server: f.server, clients: [] })).toThrow(
        "'clients' must list at least one workload that calls the Service through its CLB, got []",
      );
    });

    test.each([
      ['localTrafficWithAntiAffinity', LoopbackStrategy.localTrafficWithAntiAffinity],
      ['directAccessWithAntiAffinity', LoopbackStrategy.directAccessWithAntiAffinity],
    ])('%s with a client that is the server itself', (_, factory) => {
      const f = fixture();
      expect(() => factory({ server: f.server, clients: [f.web, f.server] })).toThrow(
        "'clients[1]' is the server itself (test/api): a workload cannot be kept off its own nodes",
      );
    });

    test('a missing server (from JavaScript)', () => {
      const f = fixture();
      expect(() => LoopbackStrategy.localTrafficWithAntiAffinity({ server: undefined as any, clients: [f.web] }))
        .toThrow("'server' must be a cdk8s-plus workload (Deployment, StatefulSet, DaemonSet, ...), got undefined");
    });

    test("clients: ['web'] (from JavaScript) names the entry and quotes the value", () => {
      const f = fixture();
      expect(() => LoopbackStrategy.localTrafficWithAntiAffinity({ server: f.server, clients: ['web'] as any }))
        .toThrow('\'clients[0]\' must be a cdk8s-plus workload (Deployment, StatefulSet, DaemonSet, ...), got "web"');
      expect(() => LoopbackStrategy.directAccessWithAntiAffinity({ server: f.server, clients: 'web' as any }))
        .toThrow('\'clients\' must list at least one workload that calls the Service through its CLB, got "web"');
    });

    test('a repeated client', () => {
      const f = fixture();
      expect(() => LoopbackStrategy.localTrafficWithAntiAffinity({ server: f.server, clients: [f.web, f.worker, f.web] }))
        .toThrow("'clients[2]' repeats clients[0] (test/web)");
    });
  });
});
