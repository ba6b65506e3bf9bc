import { LoopbackChecker } from '../../../src';
import { briefs, CLB_NETWORK, EXIST_LB, ING_CLASS, ingress, keepaliveConfig, LISTEN_PORTS, messages, privateIngress, serviceConfig } from '../manifests';

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

    test('keepaliveEnable: 0 is named; a config entry for a listener the CLB does not have is not', () => {
      const config = serviceConfig('cfg', {
        l7Listeners: [
          { protocol: 'HTTP', port: 80, keepaliveEnable: 0 },
          { protocol: 'HTTP', port: 8080 },
        ],
      });
      const report = LoopbackChecker.check([config, privateIngress({ config: 'cfg' })]);
      expect(messages(report.findings, RULE)).toEqual([
        'Ingress shop is bound to TkeServiceConfig cfg, which leaves keepalive off on HTTP:80 (keepaliveEnable is 0)',
      ]);
    });

    test('listen-ports replaces the default listeners: the declared ones are judged and named', () => {
      const annotations = { [LISTEN_PORTS]: '[{"HTTP": 8080}, {"HTTPS": 8443}]' };
      const unbound = LoopbackChecker.check([privateIngress({ annotations, tls: true })]);
      const partly = LoopbackChecker.check([keepaliveConfig('cfg', ['HTTP:8080', 'HTTP:80', 'HTTPS:443']), privateIngress({ config: 'cfg', annotations, tls: true })]);
      expect(messages(unbound.findings, RULE)).toEqual([
        'Ingress shop is a private-network TKE Ingress bound to no TkeServiceConfig, so keepalive is off on HTTP:8080 and HTTPS:8443',
      ]);
      expect(messages(partly.findings, RULE)).toEqual([
        'Ingress shop is bound to TkeServiceConfig cfg, which leaves keepalive off on HTTPS:8443 (no l7Listeners entry)',
      ]);
    });

    test.each([
      ['not JSON', '[{HTTP: 8080}]', /the value is not valid JSON; got "\[\{HTTP: 8080\}\]"/],
      ['a layer-4 protocol', '[{"TCP": 8080}]', /only HTTP and HTTPS are layer-7 listeners/],
      ['a port out of range', '[{"HTTP": 70000}]', /port 70000/],
    ])('a malformed listen-ports value (%s) is reported, quoting it', (_, value, message) => {
      const report = LoopbackChecker.check([privateIngress({ annotations: { [LISTEN_PORTS]: value } })]);
      expect(briefs(report.findings, RULE).map((b) => b.level)).toEqual(['error']);
      expect(messages(report.findings, RULE)[0]).toMatch(/^Ingress shop has a malformed ingress\.cloud\.tencent\.com\/listen-ports: /);
      expect(messages(report.findings, RULE)[0]).toMatch(message);
    });

    test('an empty ingress class is TKE\'s, as TKE treats it', () => {
      const report = LoopbackChecker.check([privateIngress({ annotations: { [ING_CLASS]: '' } })]);
      expect(briefs(report.findings, RULE)).toEqual([{ ruleId: RULE, level: 'error', kind: 'Ingress', name: 'shop', manifestIndex: 0 }]);
    });

    test('an Ingress reusing a CLB declared private (option or annotation) is judged', () => {
      const reused = ingress({ annotations: { [EXIST_LB]: 'lb-abcd1234' } });
      const byOption = LoopbackChecker.check([reused], { privateClbIds: ['lb-abcd1234'] });
      const byAnnotation = LoopbackChecker.check([ingress({ annotations: { [EXIST_LB]: 'lb-abcd1234', [CLB_NETWORK]: 'private' } })]);
      expect(briefs(byOption.findings, RULE).length).toEqual(1);
      expect(briefs(byAnnotation.findings, RULE).length).toEqual(1);
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

    test('the declared listeners all covered; a reused CLB declared public', () => {
      const annotations = { [LISTEN_PORTS]: '[{"HTTP": 8080}]' };
      const covered = LoopbackChecker.check([keepaliveConfig('cfg', ['HTTP:8080']), privateIngress({ config: 'cfg', annotations })]);
      const reusedPublic = LoopbackChecker.check([ingress({ annotations: { [EXIST_LB]: 'lb-abcd1234' } })], { publicClbIds: ['lb-abcd1234'] });
      expect(briefs(covered.findings, RULE)).toEqual([]);
      expect(reusedPublic.findings).toEqual([]);
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
