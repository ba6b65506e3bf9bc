import { LoopbackChecker } from '../../../src';
import { briefs, ING_CONFIG_AUTO, keepaliveConfig, messages, privateIngress, service, SVC_CONFIG } from '../manifests';

const RULE = 'TKE-L7-002';

describe(RULE, () => {
  describe('non-compliant', () => {
    test('the bound config is in another namespace (error)', () => {
      const report = LoopbackChecker.check([keepaliveConfig('cfg', ['HTTP:80'], 'other'), privateIngress({ namespace: 'shop', config: 'cfg' })]);
      expect(briefs(report.findings, RULE)).toEqual([
        { ruleId: RULE, level: 'error', kind: 'Ingress', name: 'shop', namespace: 'shop', manifestIndex: 1 },
      ]);
      expect(messages(report.findings, RULE)[0]).toMatch(/which is in namespace other instead of shop/);
    });

    test('a config with no namespace serves an Ingress in shop only when applied to shop (warning)', () => {
      const report = LoopbackChecker.check([keepaliveConfig('cfg', ['HTTP:80']), privateIngress({ namespace: 'shop', config: 'cfg' })]);
      expect(briefs(report.findings, RULE)).toEqual([
        { ruleId: RULE, level: 'warning', kind: 'Ingress', name: 'shop', namespace: 'shop', manifestIndex: 1 },
      ]);
      expect(messages(report.findings, RULE)[0]).toMatch(/TkeServiceConfig cfg has no namespace, so TKE applies it only when it is applied to namespace shop/);
    });

    test('an Ingress with no namespace bound to a config in prod (Helm output) is a warning, not an error', () => {
      // GIVEN: helm template leaves the Ingress without a namespace; helm install -n prod puts it in prod
      const report = LoopbackChecker.check([privateIngress({ config: 'cfg' }), keepaliveConfig('cfg', ['HTTP:80'], 'prod')]);
      // THEN
      expect(briefs(report.findings, RULE)).toEqual([{ ruleId: RULE, level: 'warning', kind: 'Ingress', name: 'shop', manifestIndex: 0 }]);
      expect(messages(report.findings, RULE)[0]).toMatch(/Ingress shop has no namespace, so TKE applies the config only when Ingress shop is applied to namespace prod/);
      expect(report.findings[0].fix).toMatch(/helm install -n prod/);
      expect(report.passed).toEqual(true);
    });

    test.each([
      ['the Ingress has none and the config says default', privateIngress({ config: 'cfg' }), keepaliveConfig('cfg', ['HTTP:80'], 'default'),
        /Ingress shop has no namespace, so TKE applies the config only when Ingress shop is applied to namespace default/],
      ['the Ingress says default and the config has none', privateIngress({ namespace: 'default', config: 'cfg' }), keepaliveConfig('cfg', ['HTTP:80']),
        /TkeServiceConfig cfg has no namespace, so TKE applies it only when it is applied to namespace default/],
    ])('one side without a namespace and the other in default is the same warning (%s)', (_, owner, config, message) => {
      const report = LoopbackChecker.check([owner, config]);
      expect(briefs(report.findings, RULE).map((b) => [b.kind, b.level])).toEqual([['Ingress', 'warning']]);
      expect(messages(report.findings, RULE)[0]).toMatch(message);
    });

    test('an Ingress with an empty namespace ("") is an Ingress with none: the fix names the config\'s namespace', () => {
      const ing = privateIngress({ config: 'cfg' });
      ing.metadata.namespace = '';
      const report = LoopbackChecker.check([ing, keepaliveConfig('cfg', ['HTTP:80'], 'prod')]);
      expect(briefs(report.findings, RULE).map((b) => b.level)).toEqual(['warning']);
      expect(report.findings[0].fix).toMatch(/helm install -n prod\)/);
    });

    test('both namespaces set and different stays an error, also when a Service binds it', () => {
      const report = LoopbackChecker.check([
        service({ namespace: 'shop', annotations: { [SVC_CONFIG]: 'cfg' } }),
        keepaliveConfig('cfg', ['HTTP:80'], 'prod'),
      ]);
      expect(briefs(report.findings, RULE)).toEqual([{ ruleId: RULE, level: 'error', kind: 'Service', name: 'web', namespace: 'shop', manifestIndex: 0 }]);
    });

    test('the bound config is missing from the set (warning), for a Service too', () => {
      const report = LoopbackChecker.check([privateIngress({ config: 'cfg' }), service({ annotations: { [SVC_CONFIG]: 'svc-cfg' } })]);
      expect(briefs(report.findings, RULE)).toEqual([
        { ruleId: RULE, level: 'warning', kind: 'Ingress', name: 'shop', manifestIndex: 0 },
        { ruleId: RULE, level: 'warning', kind: 'Service', name: 'web', manifestIndex: 1 },
      ]);
    });

    test('an auto binding on a private Ingress names a config that is not in the set (warning)', () => {
      const report = LoopbackChecker.check([privateIngress({ annotations: { [ING_CONFIG_AUTO]: 'true' } })]);
      expect(briefs(report.findings, RULE)).toEqual([{ ruleId: RULE, level: 'warning', kind: 'Ingress', name: 'shop', manifestIndex: 0 }]);
      expect(messages(report.findings, RULE)[0]).toMatch(/creates TkeServiceConfig shop-auto-ingress-config without keepalive/);
    });
  });

  describe('compliant', () => {
    test('neither side has a namespace (they are always applied together)', () => {
      const report = LoopbackChecker.check([keepaliveConfig('cfg', ['HTTP:80']), privateIngress({ config: 'cfg' })]);
      expect(briefs(report.findings, RULE)).toEqual([]);
    });

    test('the bound config is in the same namespace', () => {
      const report = LoopbackChecker.check([keepaliveConfig('cfg', ['HTTP:80'], 'shop'), privateIngress({ namespace: 'shop', config: 'cfg' })]);
      expect(briefs(report.findings, RULE)).toEqual([]);
    });

    test('an auto binding whose config is declared in the set', () => {
      const report = LoopbackChecker.check([
        keepaliveConfig('shop-auto-ingress-config', ['HTTP:80']),
        privateIngress({ annotations: { [ING_CONFIG_AUTO]: 'true' } }),
      ]);
      expect(briefs(report.findings, RULE)).toEqual([]);
      expect(report.findings).toEqual([]);
    });

    test('no binding at all', () => {
      expect(briefs(LoopbackChecker.check([service()]).findings, RULE)).toEqual([]);
    });
  });
});
