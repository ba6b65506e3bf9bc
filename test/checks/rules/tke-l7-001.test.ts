import { LoopbackChecker } from '../../../src';
import { briefs, ING_CLASS, ingress, keepaliveConfig, messages, privateIngress, serviceConfig } from '../manifests';

const RULE = 'TKE-L7-001';

describe(RULE, () => {
  describe('non-compliant', () => {
    test('a private Ingress bound to no TkeServiceConfig', () => {
      const report = LoopbackChecker.check([privateIngress({ namespace: 'shop', tls: true })]);
      expect(briefs(report.findings, RULE)).toEqual([
        { ruleId: RULE, level: 'error', kind: 'Ingress', name: 'shop', namespace: 'shop', manifestIndex: 0 },
      ]);
      expect(messages(report.findings, RULE)).toEqual([
        'Ingress shop/shop is a private-network TKE Ingress bound to no TkeServiceConfig, so keepalive is off on HTTP:80 and HTTPS:443',
      ]);
    });

    test('TLS but keepalive only on HTTP 80', () => {
      const report = LoopbackChecker.check([keepaliveConfig('cfg', ['HTTP:80']), privateIngress({ config: 'cfg', tls: true })]);
      expect(briefs(report.findings, RULE)).toEqual([{ ruleId: RULE, level: 'error', kind: 'Ingress', name: 'shop', manifestIndex: 1 }]);
      expect(messages(report.findings, RULE)[0]).toMatch(/leaves keepalive off on HTTPS:443 \(no l7Listeners entry\)$/);
    });

    test('an Ingress with no namespace is checked against the config that applies when both land in its namespace', () => {
      const report = LoopbackChecker.check([privateIngress({ config: 'cfg', tls: true }), keepaliveConfig('cfg', ['HTTP:80'], 'prod')]);
      expect(briefs(report.findings, RULE)).toEqual([{ ruleId: RULE, level: 'error', kind: 'Ingress', name: 'shop', manifestIndex: 0 }]);
      expect(messages(report.findings, RULE)[0]).toMatch(/bound to TkeServiceConfig prod\/cfg, which leaves keepalive off on HTTPS:443/);
    });

    test('keepaliveEnable: 0, and an extra listener without keepalive', () => {
      const config = serviceConfig('cfg', {
        l7Listeners: [
          { protocol: 'HTTP', port: 80, keepaliveEnable: 0 },
          { protocol: 'HTTP', port: 8080 },
        ],
      });
      const report = LoopbackChecker.check([config, privateIngress({ config: 'cfg' })]);
      expect(messages(report.findings, RULE)).toEqual([
        'Ingress shop is bound to TkeServiceConfig cfg, which leaves keepalive off on HTTP:80 (keepaliveEnable is 0), l7Listeners[1] HTTP:8080 (keepaliveEnable is null)',
      ]);
    });

    test.each([
      ['the qcloud class annotation', { annotations: { [ING_CLASS]: 'qcloud' } }],
      ['ingressClassName qcloud', { ingressClassName: 'qcloud' }],
      ['no class at all', {}],
    ])('a private Ingress with %s is a TKE Ingress', (_, options) => {
      const report = LoopbackChecker.check([privateIngress(options)]);
      expect(briefs(report.findings, RULE).length).toEqual(1);
    });
  });

  describe('compliant', () => {
    test('keepalive on HTTP 80 and HTTPS 443 with TLS', () => {
      const report = LoopbackChecker.check([keepaliveConfig('cfg', ['HTTP:80', 'HTTPS:443'], 'shop'), privateIngress({ namespace: 'shop', config: 'cfg', tls: true })]);
      expect(briefs(report.findings, RULE)).toEqual([]);
      expect(report.findings).toEqual([]);
    });

    test('keepalive on HTTP 80 without TLS', () => {
      const report = LoopbackChecker.check([keepaliveConfig('cfg', ['HTTP:80']), privateIngress({ config: 'cfg' })]);
      expect(briefs(report.findings, RULE)).toEqual([]);
    });

    test('a public Ingress, and a private Ingress of another class', () => {
      const report = LoopbackChecker.check([
        ingress({ name: 'public', tls: true }),
        privateIngress({ name: 'nginx', annotations: { [ING_CLASS]: 'nginx' } }),
        privateIngress({ name: 'nginx2', ingressClassName: 'nginx' }),
      ]);
      expect(briefs(report.findings, RULE)).toEqual([]);
    });
  });
});
