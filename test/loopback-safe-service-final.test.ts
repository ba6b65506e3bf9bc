import { ApiObject, Chart, JsonPatch, Lazy, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { LoopbackSafeService, LoopbackSafeServiceProps, LoopbackStrategy, TkeAnnotations } from '../src';
import { findManifest, synthValidated } from './harness/validate';

const PREVENT = TkeAnnotations.SERVICE_PREVENT_LOOPBACK;
const PASS = TkeAnnotations.SERVICE_PASS_TO_TARGET;
const LB = TkeAnnotations.SERVICE_EXISTED_LB_ID;

function fixture(): { chart: Chart; server: kplus.Deployment; client: kplus.Deployment } {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'prod' });
  const deployment = (id: string) => new kplus.Deployment(chart, id, { metadata: { name: id }, containers: [{ image: `example/${id}:1`, portNumber: 8080 }] });
  return { chart, server: deployment('api'), client: deployment('web') };
}

function props(server: kplus.Deployment, extra: Partial<LoopbackSafeServiceProps> = {}): LoopbackSafeServiceProps {
  return { metadata: { name: 'api' }, selector: server, ports: [{ port: 80, targetPort: 8080 }], ...extra };
}

describe('LoopbackSafeService: the final, patched manifest keeps what the strategy promised', () => {
  test('a JSON patch that removes prevent-loopback fails synth, naming the annotation and the construct', () => {
    // GIVEN
    const { chart, server } = fixture();
    const svc = new LoopbackSafeService(chart, 'api-svc', props(server));
    // WHEN
    ApiObject.of(svc).addJsonPatch(JsonPatch.remove(`/metadata/annotations/${PREVENT.replace(/\//g, '~1')}`));
    // THEN
    expect(() => Testing.synth(chart)).toThrow(
      `LoopbackSafeService test/api-svc: the synthesized Service has no ${PREVENT}, but the preventLoopback strategy needs ${PREVENT}: "true"`,
    );
  });

  test('a JSON patch that changes prevent-loopback to "false" fails synth', () => {
    const { chart, server } = fixture();
    const svc = new LoopbackSafeService(chart, 'api-svc', props(server));
    ApiObject.of(svc).addJsonPatch(JsonPatch.replace(`/metadata/annotations/${PREVENT.replace(/\//g, '~1')}`, 'false'));
    expect(() => Testing.synth(chart)).toThrow(`the synthesized Service has ${PREVENT}: "false", but the preventLoopback strategy needs`);
  });

  test('a JSON patch that removes externalTrafficPolicy: Local fails synth', () => {
    const { chart, server, client } = fixture();
    const svc = new LoopbackSafeService(chart, 'api-svc', props(server, {
      strategy: LoopbackStrategy.localTrafficWithAntiAffinity({ server, clients: [client] }),
    }));
    ApiObject.of(svc).addJsonPatch(JsonPatch.replace('/spec/externalTrafficPolicy', 'Cluster'));
    expect(() => Testing.synth(chart)).toThrow(
      'LoopbackSafeService test/api-svc: the synthesized Service has externalTrafficPolicy "Cluster", but the localTrafficWithAntiAffinity strategy needs "Local"',
    );
  });

  test('a JSON patch that keeps the promise (another annotation) passes, and the output has both', () => {
    const { chart, server } = fixture();
    const svc = new LoopbackSafeService(chart, 'api-svc', props(server));
    ApiObject.of(svc).addJsonPatch(JsonPatch.add('/metadata/annotations/team', 'shop'));
    expect(findManifest(synthValidated(chart), 'Service', 'api', 'prod').metadata.annotations).toEqual({ [PREVENT]: 'true', team: 'shop' });
  });
});

describe('LoopbackSafeService: pass-to-target and a reused CLB', () => {
  test('a hand-set pass-to-target next to existingLoadBalancerId fails, naming both annotations', () => {
    const { chart, server } = fixture();
    expect(() => new LoopbackSafeService(chart, 'api-svc', props(server, {
      metadata: { name: 'api', annotations: { [PASS]: 'true' } },
      existingLoadBalancerId: 'lb-abcd1234',
    }))).toThrow(`LoopbackSafeService test/api-svc: ${PASS}: "true" cannot be combined with ${LB}: "lb-abcd1234": pass-to-target works only on CLBs that TKE creates`);
  });

  test('pass-to-target added by a JSON patch next to a reused CLB fails synth', () => {
    const { chart, server } = fixture();
    const svc = new LoopbackSafeService(chart, 'api-svc', props(server, { existingLoadBalancerId: 'lb-abcd1234' }));
    ApiObject.of(svc).addJsonPatch(JsonPatch.add(`/metadata/annotations/${PASS.replace(/\//g, '~1')}`, 'true'));
    expect(() => Testing.synth(chart)).toThrow(`LoopbackSafeService test/api-svc: ${PASS}: "true" cannot be combined with ${LB}`);
  });

  test('pass-to-target added later through service next to a reused CLB fails synth', () => {
    const { chart, server } = fixture();
    const svc = new LoopbackSafeService(chart, 'api-svc', props(server, { existingLoadBalancerId: 'lb-abcd1234' }));
    svc.metadata.addAnnotation(PASS, 'true');
    expect(() => Testing.synth(chart)).toThrow(`${PASS}: "true" cannot be combined with ${LB}`);
  });
});

describe('LoopbackSafeService: what the API server would reject fails at synth', () => {
  test.each([
    ['Prod', '"Prod"'],
    ['pr_od', '"pr_od"'],
    ['a'.repeat(64), '(64 characters)'],
    ['', '(empty)'],
  ])('metadata.namespace %j is not a DNS-1123 label', (namespace, quoted) => {
    const { chart, server } = fixture();
    expect(() => new LoopbackSafeService(chart, 'api-svc', props(server, { metadata: { name: 'api', namespace } })))
      .toThrow(new RegExp(`^LoopbackSafeService test/api-svc: 'metadata.namespace' must be a DNS-1123 label .*${quoted.replace(/[()]/g, '\\$&')}`));
  });

  test('two ports with the same nodePort', () => {
    const { chart, server } = fixture();
    expect(() => new LoopbackSafeService(chart, 'api-svc', props(server, {
      ports: [{ name: 'a', port: 80, nodePort: 30080 }, { name: 'b', port: 81, nodePort: 30080 }],
    }))).toThrow("'ports[1].nodePort' repeats the nodePort of ports[0]: the API server rejects a duplicate nodePort, got 30080");
  });

  test('a port name that is not a DNS-1123 label', () => {
    const { chart, server } = fixture();
    expect(() => new LoopbackSafeService(chart, 'api-svc', props(server, { ports: [{ name: 'Web_Port', port: 80 }] })))
      .toThrow(/'ports\[0\]\.name' must be a DNS-1123 label .*got "Web_Port"/);
  });

  test('a protocol other than TCP, UDP or SCTP', () => {
    const { chart, server } = fixture();
    expect(() => new LoopbackSafeService(chart, 'api-svc', props(server, { ports: [{ port: 80, protocol: 'HTTP' as any }] })))
      .toThrow("'ports[0].protocol' must be one of \"TCP\", \"UDP\", \"SCTP\", got \"HTTP\"");
  });

  test('SCTP is accepted', () => {
    const { chart, server } = fixture();
    new LoopbackSafeService(chart, 'api-svc', props(server, { ports: [{ port: 80, protocol: kplus.Protocol.SCTP }] }));
    expect(findManifest(synthValidated(chart), 'Service', 'api', 'prod').spec.ports).toEqual([{ port: 80, protocol: 'SCTP' }]);
  });
});

describe('LoopbackSafeService: JavaScript callers get the same clear errors', () => {
  test.each([
    [{ ports: '80' }, "'ports' must be a list of ports such as [{ port: 80 }], got \"80\""],
    [{ ports: [null] }, "'ports[0]' must be a port object such as { port: 80 }, got null"],
    [{ ports: [{ port: NaN }] }, "'ports[0].port' must be an integer from 1 to 65535, got NaN"],
    [{ ports: [{ port: Infinity }] }, "'ports[0].port' must be an integer from 1 to 65535, got Infinity"],
    [{ ports: [{ port: '80' }] }, "'ports[0].port' must be an integer from 1 to 65535, got \"80\""],
  ])('%j', (bad, message) => {
    const { chart, server } = fixture();
    expect(() => new LoopbackSafeService(chart, 'api-svc', props(server, bad as any))).toThrow(`LoopbackSafeService test/api-svc: ${message}`);
  });

  test('a Lazy name shows "a value resolved at synth", not {"producer":{}}', () => {
    const { chart, server } = fixture();
    const name = Lazy.any({ produce: () => 'api' }) as any;
    let message = '';
    try {
      new LoopbackSafeService(chart, 'api-svc', props(server, { metadata: { name } }));
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain("'metadata.name' must be a DNS-1035 label");
    expect(message).toContain('a value resolved at synth');
    expect(message).not.toContain('producer');
  });
});
