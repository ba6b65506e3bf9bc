import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { LoopbackSafeService, LoopbackStrategy, PreventLoopback, TkeAnnotations } from '../src';
import { findManifest, readYamlFile, synthValidated, validateManifests } from './harness/validate';

const PREVENT = TkeAnnotations.SERVICE_PREVENT_LOOPBACK;

function chart(app: App = Testing.app(), id = 'test', namespace = 'prod'): Chart {
  return new Chart(app, id, { namespace });
}

function lbService(scope: Construct, name: string, annotations?: { [key: string]: string }): kplus.Service {
  return new kplus.Service(scope, name, {
    metadata: { name, annotations },
    type: kplus.ServiceType.LOAD_BALANCER,
    ports: [{ port: 80, targetPort: 8080 }],
  });
}

function annotationsOf(manifests: any[], name: string): any {
  return findManifest(manifests, 'Service', name).metadata.annotations;
}

describe('PreventLoopback.applyToAll', () => {
  test('annotates kplus LoadBalancer Services created before and after the call', () => {
    // GIVEN
    const c = chart();
    lbService(c, 'before');
    // WHEN
    PreventLoopback.applyToAll(c);
    lbService(c, 'after');
    // THEN
    const manifests = synthValidated(c);
    expect(annotationsOf(manifests, 'before')).toEqual({ [PREVENT]: 'true' });
    expect(annotationsOf(manifests, 'after')).toEqual({ [PREVENT]: 'true' });
  });

  test('annotates a kplus.k8s.KubeService and a plain ApiObject of kind Service', () => {
    const c = chart();
    PreventLoopback.applyToAll(c);
    new kplus.k8s.KubeService(c, 'l1', {
      metadata: { name: 'l1', annotations: { 'example.com/team': 'payments' } },
      spec: { type: 'LoadBalancer', ports: [{ port: 443 }] },
    });
    new ApiObject(c, 'raw', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'raw' },
      spec: { type: 'LoadBalancer', ports: [{ port: 53, protocol: 'UDP' }] },
    });
    const manifests = synthValidated(c);
    expect(annotationsOf(manifests, 'l1')).toEqual({ 'example.com/team': 'payments', [PREVENT]: 'true' });
    expect(annotationsOf(manifests, 'raw')).toEqual({ [PREVENT]: 'true' });
  });

  test('leaves ClusterIP, NodePort and ExternalName Services, and other kinds, alone', () => {
    const c = chart();
    PreventLoopback.applyToAll(c);
    const server = new kplus.Deployment(c, 'api', { metadata: { name: 'api' }, containers: [{ image: 'example/api:1', portNumber: 8080 }] });
    server.exposeViaService({ name: 'internal', ports: [{ port: 80, targetPort: 8080 }] });
    new kplus.Service(c, 'np', { metadata: { name: 'np' }, type: kplus.ServiceType.NODE_PORT, ports: [{ port: 80 }] });
    new kplus.Service(c, 'ext', { metadata: { name: 'ext' }, externalName: 'example.com' });
    new kplus.ConfigMap(c, 'cm', { metadata: { name: 'cm' } });
    const manifests = synthValidated(c);
    for (const name of ['internal', 'np', 'ext']) expect(annotationsOf(manifests, name)).toBeUndefined();
    expect(findManifest(manifests, 'Deployment', 'api').metadata.annotations).toBeUndefined();
    expect(findManifest(manifests, 'ConfigMap', 'cm').metadata.annotations).toBeUndefined();
  });

  test('a user JSON patch that replaces /metadata/annotations does not drop the annotation', () => {
    // GIVEN a KubeService whose own patch replaces every annotation
    const app = Testing.app();
    const c = chart(app);
    PreventLoopback.applyToAll(app);
    const kube = new kplus.k8s.KubeService(c, 'k', { metadata: { name: 'k' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } });
    kube.addJsonPatch(JsonPatch.add('/metadata/annotations', { foo: 'bar' }));
    const annotated = new kplus.k8s.KubeService(c, 'a', {
      metadata: { name: 'a', annotations: { x: 'y' } },
      spec: { type: 'LoadBalancer', ports: [{ port: 80 }] },
    });
    annotated.addJsonPatch(JsonPatch.remove('/metadata/annotations'));
    // WHEN
    const manifests = synthValidated(c);
    // THEN the annotation is applied after the user's patches
    expect(annotationsOf(manifests, 'k')).toEqual({ foo: 'bar', [PREVENT]: 'true' });
    expect(annotationsOf(manifests, 'a')).toEqual({ [PREVENT]: 'true' });
    // and synthesizing again changes nothing
    expect(Testing.synth(c)).toEqual(manifests);
  });

  test('counts a Service made LoadBalancer by a JSON patch', () => {
    const c = chart();
    PreventLoopback.applyToAll(c);
    const svc = new kplus.Service(c, 'patched', { metadata: { name: 'patched' }, ports: [{ port: 80 }] });
    ApiObject.of(svc).addJsonPatch(JsonPatch.replace('/spec/type', 'LoadBalancer'));
    expect(annotationsOf(synthValidated(c), 'patched')).toEqual({ [PREVENT]: 'true' });
  });

  test('a Service that cannot render fails with its own error, not one from applyToAll', () => {
    const c = chart();
    PreventLoopback.applyToAll(c);
    new kplus.Service(c, 'no-ports', { metadata: { name: 'no-ports' }, type: kplus.ServiceType.LOAD_BALANCER });
    expect(() => Testing.synth(c)).toThrow(/A service must be configured with a port/);
  });

  test('leaves an explicit "true" alone', () => {
    const c = chart();
    PreventLoopback.applyToAll(c);
    lbService(c, 'explicit', { [PREVENT]: 'true', 'example.com/team': 'payments' });
    expect(annotationsOf(synthValidated(c), 'explicit')).toEqual({ [PREVENT]: 'true', 'example.com/team': 'payments' });
  });

  test.each(['false', 'True', '', 'yes'])('fails synth on an explicit %j, naming the Service and the value', (value) => {
    const c = chart();
    PreventLoopback.applyToAll(c);
    lbService(c, 'ok');
    lbService(c, 'opted-out', { [PREVENT]: value });
    expect(() => Testing.synth(c)).toThrow(
      `PreventLoopback.applyToAll: Service prod/opted-out (test/opted-out/Resource) sets ${PREVENT} to ${JSON.stringify(value)}; ` +
      'only "true" is left alone',
    );
  });

  test('fails on a value set later through the construct API too', () => {
    const c = chart();
    PreventLoopback.applyToAll(c);
    const svc = lbService(c, 'late');
    svc.metadata.addAnnotation(PREVENT, 'false');
    expect(() => Testing.synth(c)).toThrow(/Service prod\/late .* sets service.cloud.tencent.com\/prevent-loopback to "false"/);
  });

  test('annotates LoopbackSafeServices of the anti-affinity strategies too', () => {
    const c = chart();
    PreventLoopback.applyToAll(c);
    const server = new kplus.Deployment(c, 'api', { metadata: { name: 'api' }, containers: [{ image: 'example/api:1', portNumber: 8080 }] });
    const client = new kplus.Deployment(c, 'web', { metadata: { name: 'web' }, containers: [{ image: 'example/web:1' }] });
    new LoopbackSafeService(c, 'api-svc', {
      metadata: { name: 'api' },
      selector: server,
      ports: [{ port: 80, targetPort: 8080 }],
      strategy: LoopbackStrategy.localTrafficWithAntiAffinity({ server, clients: [client] }),
    });
    const svc = findManifest(synthValidated(c), 'Service', 'api');
    expect(svc.metadata.annotations).toEqual({ [PREVENT]: 'true' });
    expect(svc.spec.externalTrafficPolicy).toEqual('Local');
  });

  test('on an App, reaches every chart; on a Chart, only that chart', () => {
    const app = Testing.app();
    const a = chart(app, 'a', 'team-a');
    const b = chart(app, 'b', 'team-b');
    PreventLoopback.applyToAll(a);
    lbService(a, 'svc-a');
    lbService(b, 'svc-b');
    expect(annotationsOf(synthValidated(a), 'svc-a')).toEqual({ [PREVENT]: 'true' });
    expect(annotationsOf(synthValidated(b), 'svc-b')).toBeUndefined();

    const app2 = Testing.app();
    const c = chart(app2, 'c', 'team-c');
    const d = chart(app2, 'd', 'team-d');
    PreventLoopback.applyToAll(app2);
    lbService(c, 'svc-c');
    lbService(d, 'svc-d');
    expect(annotationsOf(synthValidated(c), 'svc-c')).toEqual({ [PREVENT]: 'true' });
    expect(annotationsOf(synthValidated(d), 'svc-d')).toEqual({ [PREVENT]: 'true' });
  });

  test('calling it twice, and synthesizing twice, gives the same output', () => {
    const c = chart();
    PreventLoopback.applyToAll(c);
    PreventLoopback.applyToAll(c);
    lbService(c, 'svc');
    const first = synthValidated(c);
    expect(synthValidated(c)).toEqual(first);
    expect(annotationsOf(first, 'svc')).toEqual({ [PREVENT]: 'true' });
  });

  test('the files written by app.synth() carry the annotation', () => {
    const app = Testing.app();
    const c = chart(app);
    PreventLoopback.applyToAll(app);
    lbService(c, 'svc');
    app.synth();
    const manifests = fs.readdirSync(app.outdir)
      .filter((f) => f.endsWith('.yaml'))
      .flatMap((f) => readYamlFile(path.join(app.outdir, f)));
    validateManifests(manifests);
    expect(annotationsOf(manifests, 'svc')).toEqual({ [PREVENT]: 'true' });
  });
});
