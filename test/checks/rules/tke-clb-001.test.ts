import { LoopbackChecker } from '../../../src';
import { briefs, CLB_NETWORK, EXIST_LB, EXISTED_LB, ING_CLASS, ingress, LEGACY_LB, messages, service } from '../manifests';

const RULE = 'TKE-CLB-001';

describe(RULE, () => {
  describe('non-compliant', () => {
    test('a LoadBalancer Service reusing a CLB with tke-existed-lbid and no subnet: a warning naming the CLB', () => {
      const report = LoopbackChecker.check([service({ name: 'dubbo', namespace: 'shop', annotations: { [EXISTED_LB]: 'lb-6swtxdba' } })]);
      expect(briefs(report.findings, RULE)).toEqual([
        { ruleId: RULE, level: 'warning', kind: 'Service', name: 'dubbo', namespace: 'shop', manifestIndex: 0 },
      ]);
      expect(messages(report.findings, RULE)).toEqual([
        'Service shop/dubbo is a LoadBalancer Service that reuses the existing CLB lb-6swtxdba (service.kubernetes.io/tke-existed-lbid) ' +
        'and has no subnet annotation, so whether that CLB is private-network, and loops back, cannot be told from the manifests',
      ]);
      expect(report.findings[0].fix).toMatch(/^Check the network type of lb-6swtxdba in the CLB console, then annotate Service shop\/dubbo with cdk8s-tke-loopback\/clb-network: private/);
      expect(report.findings[0].fix).toMatch(/, or pass --private-clb lb-6swtxdba or --public-clb lb-6swtxdba\.$/);
      expect(report.passed).toBe(true);
    });

    test('a malformed CLB id: the fix does not offer --private-clb, which would refuse it', () => {
      const report = LoopbackChecker.check([service({ name: 'dubbo', namespace: 'shop', annotations: { [EXISTED_LB]: 'LB-6SWTXDBA' } })]);
      const finding = report.findings.find((f) => f.ruleId === RULE)!;
      expect(finding.fix).toMatch(/ or public\. "LB-6SWTXDBA" is not a CLB id \(lb-xxxxxxxx\): correct it first\.$/);
      expect(finding.fix).not.toContain('--private-clb');
      expect(report.findings.map((f) => f.ruleId)).toContain('TKE-ANN-002');
    });

    test('the legacy loadbalance-id annotation', () => {
      const report = LoopbackChecker.check([service({ annotations: { [LEGACY_LB]: 'lb-legacy01' } })]);
      expect(messages(report.findings, RULE)).toEqual([expect.stringMatching(/reuses the existing CLB lb-legacy01 \(service\.kubernetes\.io\/loadbalance-id\)/)]);
    });

    test('a TKE Ingress reusing a CLB with kubernetes.io/ingress.existLbId', () => {
      const report = LoopbackChecker.check([ingress({ annotations: { [EXIST_LB]: 'lb-ingress1' } })]);
      expect(briefs(report.findings, RULE)).toEqual([{ ruleId: RULE, level: 'warning', kind: 'Ingress', name: 'shop', manifestIndex: 0 }]);
      expect(messages(report.findings, RULE)[0]).toMatch(/^Ingress shop is a TKE Ingress that reuses the existing CLB lb-ingress1 \(kubernetes\.io\/ingress\.existLbId\)/);
    });

    test('a clb-network value that is neither private nor public is reported and ignored', () => {
      const report = LoopbackChecker.check([service({ annotations: { [EXISTED_LB]: 'lb-abcd1234', [CLB_NETWORK]: 'internal' } })]);
      expect(messages(report.findings, RULE)).toEqual([
        'Service web has cdk8s-tke-loopback/clb-network: "internal", which is neither private nor public, so it is ignored',
        expect.stringMatching(/reuses the existing CLB lb-abcd1234/),
      ]);
    });
  });

  describe('compliant', () => {
    test('declared private or public, by option or annotation: no warning, and the L4 rules judge a private one', () => {
      const reused = service({ annotations: { [EXISTED_LB]: 'lb-abcd1234' } });
      const asPrivate = LoopbackChecker.check([reused], { privateClbIds: ['lb-abcd1234'] });
      const asPublic = LoopbackChecker.check([reused], { publicClbIds: ['lb-abcd1234'] });
      const annotated = LoopbackChecker.check([service({ annotations: { [EXISTED_LB]: 'lb-abcd1234', [CLB_NETWORK]: 'Private' } })]);

      expect(briefs(asPrivate.findings, RULE)).toEqual([]);
      expect(asPrivate.findings.map((f) => f.ruleId)).toEqual(['TKE-L4-001']);
      expect(asPublic.findings).toEqual([]);
      expect(annotated.findings.map((f) => f.ruleId)).toEqual(['TKE-L4-001']);
    });

    test('a reused CLB with a subnet annotation (private), a ClusterIP Service, and an Ingress of another class', () => {
      const report = LoopbackChecker.check([
        service({ name: 'a', annotations: { [EXISTED_LB]: 'lb-abcd1234', 'service.kubernetes.io/qcloud-loadbalancer-internal-subnetid': 'subnet-1' } }),
        service({ name: 'b', type: 'ClusterIP', annotations: { [EXISTED_LB]: 'lb-abcd1234' } }),
        ingress({ annotations: { [EXIST_LB]: 'lb-abcd1234', [ING_CLASS]: 'nginx' } }),
      ]);
      expect(briefs(report.findings, RULE)).toEqual([]);
    });
  });

  test('malformed options are refused, naming the option and quoting the value', () => {
    expect(() => LoopbackChecker.check([], { privateClbIds: 'lb-1' as any })).toThrow(/'privateClbIds' must be a list of CLB ids \(strings\), got "lb-1"/);
    expect(() => LoopbackChecker.check([], { proxyMode: 'nft' as any })).toThrow(/'proxyMode' must be "ipvs" or "iptables", got "nft"/);
  });

  test.each([
    ['privateClbIds', ['lb-abcd1234', 'lb-1'], '"lb-1"'],
    ['publicClbIds', ['LB-ABCD1234'], '"LB-ABCD1234"'],
    ['privateClbIds', ['subnet-abcd1234'], '"subnet-abcd1234"'],
  ])('%s with %j is refused: an id in another form than lb-xxxxxxxx never matches a manifest', (option, ids, quoted) => {
    expect(() => LoopbackChecker.check([], { [option]: ids })).toThrow(`'${option}' must list CLB ids like lb-abcd1234 (lb- and 8 lowercase letters or digits), got ${quoted}`);
  });

  test('ids with surrounding spaces are taken, trimmed', () => {
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'dubbo', namespace: 'shop', annotations: { 'service.kubernetes.io/tke-existed-lbid': 'lb-6swtxdba' } }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } };
    const declared = LoopbackChecker.check([svc], { publicClbIds: [' lb-6swtxdba '] });
    const undeclared = LoopbackChecker.check([svc]);
    expect(undeclared.findings.map((f) => f.ruleId)).toContain('TKE-CLB-001');
    expect(declared.findings.map((f) => f.ruleId)).not.toContain('TKE-CLB-001');
  });
});
