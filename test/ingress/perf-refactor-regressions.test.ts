import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';

/**
 * Regressions of the performance refactor (36c0d79..): each test fails on the refactored code before its fix.
 * Modules are loaded fresh (jest.isolateModules) where a module-level memo is involved, so that the test does
 * not depend on what earlier tests of this file checked.
 */
describe('LoopbackSafeIngress after the performance refactor', () => {
  test('a TLS host that is undefined is refused even when no host was checked before (the host memo starts empty)', () => {
    jest.isolateModules(() => {
      // GIVEN a fresh module: the host memo has not remembered any host yet
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { LoopbackSafeIngress } = require('../../src');
      const chart = new Chart(Testing.app(), 'test');
      // WHEN / THEN
      expect(() => new LoopbackSafeIngress(chart, 'web', { metadata: { name: 'web' }, tls: [{ hosts: [undefined] }] })).toThrow(
        "LoopbackSafeIngress test/web: 'tls[0].hosts[0]' must be",
      );
    });
  });

  test('a rule host that is a String object is refused after the same host was accepted as a string', () => {
    jest.isolateModules(() => {
      // GIVEN
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { LoopbackSafeIngress } = require('../../src');
      const chart = new Chart(Testing.app(), 'test');
      const service = new kplus.Service(chart, 'api', { metadata: { name: 'api' }, ports: [{ port: 80 }] });
      const backend = kplus.IngressBackend.fromService(service);
      new LoopbackSafeIngress(chart, 'a', { metadata: { name: 'a' }, rules: [{ host: 'a.example.com', path: '/', backend }] });
      // WHEN / THEN
      // eslint-disable-next-line no-new-wrappers
      const boxed = new String('a.example.com');
      expect(() => new LoopbackSafeIngress(chart, 'b', { metadata: { name: 'b' }, rules: [{ host: boxed, path: '/', backend }] })).toThrow(
        "LoopbackSafeIngress test/b: 'rules[0].host' must be",
      );
    });
  });

  test('the rules prop reaches cdk8s-plus as checked, by index, even when its iterator yields other rules', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { LoopbackSafeIngress } = require('../../src');
    const chart = new Chart(Testing.app(), 'test');
    const service = new kplus.Service(chart, 'api', { metadata: { name: 'api' }, type: kplus.ServiceType.NODE_PORT, ports: [{ port: 80 }] });
    const backend = kplus.IngressBackend.fromService(service);
    // GIVEN a list whose iterator yields a rule that was never checked (a bad path)
    const rules: any[] = [{ host: 'a.example.com', path: '/', backend }];
    Object.defineProperty(rules, Symbol.iterator, { value: function* () { yield { host: 'a.example.com', path: 'no-slash', backend }; } });
    // WHEN
    new LoopbackSafeIngress(chart, 'web', { metadata: { name: 'web' }, rules });
    // THEN the Ingress routes the checked rule
    const ingress = Testing.synth(chart).find((o) => o.kind === 'Ingress');
    expect(ingress.spec.rules).toEqual([{ host: 'a.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 80 } } } }] } }]);
  });
  test('a rule whose pathType getter returns another value after the check does not reach the Ingress unchecked', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { LoopbackSafeIngress } = require('../../src');
    const chart = new Chart(Testing.app(), 'test');
    const service = new kplus.Service(chart, 'api', { metadata: { name: 'api' }, type: kplus.ServiceType.NODE_PORT, ports: [{ port: 80 }] });
    const backend = kplus.IngressBackend.fromService(service);
    // GIVEN a rule whose path type is Prefix on the reads of the check, then one that Kubernetes rejects
    let reads = 0;
    const rule = { host: 'a.example.com', path: '/', backend, get pathType() { reads++; return reads <= 2 ? 'Prefix' : 'Bogus'; } };
    // WHEN
    new LoopbackSafeIngress(chart, 'web', { metadata: { name: 'web' }, rules: [rule] });
    // THEN the Ingress renders the path type that was checked, not what the getter returns later
    const ingress = Testing.synth(chart).find((o: any) => o.kind === 'Ingress');
    expect(ingress.spec.rules[0].http.paths[0].pathType).toEqual('Prefix');
    expect(JSON.stringify(ingress)).not.toContain('Bogus');
  });

  test('a checked rule replaced in the rules prop by a later rule\'s getter does not reach the Ingress unchecked', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { LoopbackSafeIngress } = require('../../src');
    const chart = new Chart(Testing.app(), 'test');
    const service = new kplus.Service(chart, 'api', { metadata: { name: 'api' }, type: kplus.ServiceType.NODE_PORT, ports: [{ port: 80 }] });
    const backend = kplus.IngressBackend.fromService(service);
    // GIVEN a second rule whose host getter swaps the first (already checked) rule for one with a bad host
    const rules: any[] = [{ host: 'a.example.com', path: '/', backend }];
    rules.push({ path: '/b', backend, get host() { rules[0] = { host: 'Bad_Host!', path: '/', backend }; return 'b.example.com'; } });
    // WHEN
    new LoopbackSafeIngress(chart, 'web', { metadata: { name: 'web' }, rules });
    // THEN the Ingress routes the two rules that were checked, not the swapped-in one
    const ingress = Testing.synth(chart).find((o: any) => o.kind === 'Ingress');
    expect(ingress.spec.rules.map((r: any) => r.host)).toEqual(['a.example.com', 'b.example.com']);
    expect(JSON.stringify(ingress)).not.toContain('Bad_Host!');
  });

  test('a Proxy rules list that reports more rules later than it showed the check adds only the checked ones', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { LoopbackSafeIngress } = require('../../src');
    const chart = new Chart(Testing.app(), 'test');
    const service = new kplus.Service(chart, 'api', { metadata: { name: 'api' }, type: kplus.ServiceType.NODE_PORT, ports: [{ port: 80 }] });
    const backend = kplus.IngressBackend.fromService(service);
    // GIVEN a list whose length is 1 while it is checked, then 2 (the second rule never checked)
    const target: any[] = [{ host: 'a.example.com', path: '/', backend }, { host: 'a.example.com', path: '/x//y', backend }];
    let lengthReads = 0;
    const rules = new Proxy(target, { get: (t, k, r) => (k === 'length' ? (++lengthReads <= 2 ? 1 : 2) : Reflect.get(t, k, r)) });
    // WHEN
    new LoopbackSafeIngress(chart, 'web', { metadata: { name: 'web' }, rules });
    // THEN the list was read once: the unchecked second rule reaches neither the Ingress nor the construct's record
    const ingress = Testing.synth(chart).find((o: any) => o.kind === 'Ingress');
    expect(ingress.spec.rules).toEqual([{ host: 'a.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 80 } } } }] } }]);
    expect(lengthReads).toEqual(1);
  });

  test('every combination of the optional props yields exactly the annotations they ask for', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { LoopbackSafeIngress, TkeServiceConfigBinding, TkeAnnotations } = require('../../src');
    let n = 0;
    for (let mask = 0; mask < 64; mask++) {
      const on = (bit: number) => Math.floor(mask / bit) % 2 === 1;
      const props: any = { metadata: { name: `web${mask}` } };
      if (on(1)) props.internalSubnetId = 'subnet-12345678';
      if (on(2)) props.existingLoadBalancerId = 'lb-12345678';
      if (on(4)) props.passToTarget = !on(2);
      if (on(8)) props.directAccess = true;
      if (on(16)) props.listenPorts = [{ protocol: 'HTTP', port: 8080 }];
      if (on(32)) props.binding = TkeServiceConfigBinding.AUTO;
      const chart = new Chart(Testing.app(), 'test');
      const service = new kplus.Service(chart, 'api', { metadata: { name: 'api' }, type: kplus.ServiceType.NODE_PORT, ports: [{ port: 80 }] });
      props.rules = [{ host: 'a.example.com', path: '/', backend: kplus.IngressBackend.fromService(service) }];
      const ingress = new LoopbackSafeIngress(chart, 'web', props);
      // THEN the required list has no hole, and each annotation asked for is on the Ingress
      const required = ingress._state.required;
      for (let i = 0; i < required.length; i++) expect(i in required && required[i] !== undefined).toBe(true);
      const annotations = Testing.synth(chart).find((o: any) => o.kind === 'Ingress').metadata.annotations;
      expect(annotations['kubernetes.io/ingress.class']).toBe('qcloud');
      expect(annotations[TkeAnnotations.INGRESS_SUBNET_ID]).toBe(on(1) ? 'subnet-12345678' : undefined);
      expect(annotations[TkeAnnotations.INGRESS_EXIST_LB_ID]).toBe(on(2) ? 'lb-12345678' : undefined);
      expect(annotations[TkeAnnotations.INGRESS_PASS_TO_TARGET]).toBe(on(2) ? undefined : 'true');
      expect(annotations[TkeAnnotations.INGRESS_DIRECT_ACCESS]).toBe(on(8) ? 'true' : undefined);
      expect(annotations[TkeAnnotations.INGRESS_LISTEN_PORTS] !== undefined).toBe(on(16));
      expect(annotations[TkeAnnotations.INGRESS_TKE_SERVICE_CONFIG_AUTO]).toBe(on(32) ? 'true' : undefined);
      expect(annotations[TkeAnnotations.INGRESS_TKE_SERVICE_CONFIG]).toBe(on(32) ? undefined : `web${mask}-loopback`);
      expect(Object.keys(annotations).length).toBe(required.length);
      n++;
    }
    expect(n).toBe(64);
  });
});
