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
});
