import { LoopbackChecker } from '../../../src';
import { briefs, DIRECT, ING_SUBNET, ingress, messages, PREVENT, privateService, service, SUBNET } from '../manifests';

describe('TKE-ANN-001', () => {
  const RULE = 'TKE-ANN-001';

  test('non-compliant: "True", "yes" and an unquoted boolean', () => {
    const report = LoopbackChecker.check([
      service({ name: 'a', annotations: { [PREVENT]: 'True' } }),
      service({ name: 'b', annotations: { [DIRECT]: 'yes' } }),
      ingress({ annotations: { 'ingress.cloud.tencent.com/pass-to-target': true } }),
    ]);
    expect(briefs(report.findings, RULE)).toEqual([
      { ruleId: RULE, level: 'warning', kind: 'Service', name: 'a', manifestIndex: 0 },
      { ruleId: RULE, level: 'warning', kind: 'Service', name: 'b', manifestIndex: 1 },
      { ruleId: RULE, level: 'warning', kind: 'Ingress', name: 'shop', manifestIndex: 2 },
    ]);
    expect(messages(report.findings, RULE)).toEqual([
      'Service a has service.cloud.tencent.com/prevent-loopback: "True"; TKE acts only on the exact string "true"',
      'Service b has service.cloud.tencent.com/direct-access: "yes"; TKE acts only on the exact string "true"',
      'Ingress shop has ingress.cloud.tencent.com/pass-to-target: true, which is not a string; annotation values must be strings, so write "true"',
    ]);
  });

  test('compliant: "true" and "false"', () => {
    const report = LoopbackChecker.check([service({ annotations: { [PREVENT]: 'true', [DIRECT]: 'false' } })]);
    expect(briefs(report.findings, RULE)).toEqual([]);
  });
});

describe('TKE-ANN-002', () => {
  const RULE = 'TKE-ANN-002';

  test('non-compliant: malformed subnet and CLB ids', () => {
    const report = LoopbackChecker.check([
      privateService({ annotations: { [SUBNET]: 'subnet-ABC', [PREVENT]: 'true' } }),
      ingress({ annotations: { [ING_SUBNET]: 'abcd1234', 'kubernetes.io/ingress.existLbId': 'lb-1' } }),
    ]);
    expect(briefs(report.findings, RULE)).toEqual([
      { ruleId: RULE, level: 'error', kind: 'Service', name: 'web', manifestIndex: 0 },
      { ruleId: RULE, level: 'error', kind: 'Ingress', name: 'shop', manifestIndex: 1 },
      { ruleId: RULE, level: 'error', kind: 'Ingress', name: 'shop', manifestIndex: 1 },
    ]);
    expect(messages(report.findings, RULE)[0]).toEqual(
      'Service web has service.kubernetes.io/qcloud-loadbalancer-internal-subnetid: "subnet-ABC", which does not look like subnet-xxxxxxxx (8 lowercase letters or digits)',
    );
  });

  test('compliant: well-formed ids', () => {
    const report = LoopbackChecker.check([
      privateService({ annotations: { [PREVENT]: 'true', 'service.kubernetes.io/tke-existed-lbid': 'lb-abcd1234' } }),
    ]);
    expect(briefs(report.findings, RULE)).toEqual([]);
  });
});

describe('TKE-ANN-003', () => {
  const RULE = 'TKE-ANN-003';
  const SG = 'service.cloud.tencent.com/security-groups';

  test('non-compliant: six security groups', () => {
    const report = LoopbackChecker.check([service({ annotations: { [SG]: 'sg-1,sg-2,sg-3,sg-4,sg-5,sg-6' } })]);
    expect(briefs(report.findings, RULE)).toEqual([{ ruleId: RULE, level: 'error', kind: 'Service', name: 'web', manifestIndex: 0 }]);
    expect(messages(report.findings, RULE)[0]).toMatch(/lists 6 security groups .* at most 5 are allowed/);
  });

  test('compliant: five security groups, spaces and a trailing comma', () => {
    const report = LoopbackChecker.check([service({ annotations: { [SG]: 'sg-1, sg-2, sg-3, sg-4, sg-5,' } })]);
    expect(briefs(report.findings, RULE)).toEqual([]);
  });
});
