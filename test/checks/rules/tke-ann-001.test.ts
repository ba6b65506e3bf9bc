import { LoopbackChecker } from '../../../src';
import { briefs, DIRECT, ingress, messages, PREVENT, service } from '../manifests';

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

  test('compliant: "true" on an Ingress, and annotations the rule does not own left alone', () => {
    const report = LoopbackChecker.check([
      ingress({ annotations: { 'ingress.cloud.tencent.com/pass-to-target': 'true' } }),
      service({ annotations: { 'example.com/enabled': 'yes' } }),
    ]);
    expect(briefs(report.findings, RULE)).toEqual([]);
  });
});
