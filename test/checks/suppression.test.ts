import { PREVENT, privateIngress, privateService, SUPPRESS } from './manifests';
import { LoopbackChecker } from '../../src';

describe('suppression', () => {
  test('an entry with a reason moves the finding, with the reason, to report.suppressed', () => {
    // GIVEN
    const manifests = [privateService({ namespace: 'shop', annotations: { [SUPPRESS]: 'TKE-L4-001=only called from outside the VPC' } })];
    // WHEN
    const report = LoopbackChecker.check(manifests);
    // THEN
    expect(report.findings).toEqual([]);
    expect(report.passed).toEqual(true);
    expect(report.suppressed).toEqual([
      {
        reason: 'only called from outside the VPC',
        finding: expect.objectContaining({ ruleId: 'TKE-L4-001', kind: 'Service', name: 'web', namespace: 'shop', manifestIndex: 0 }),
      },
    ]);
  });

  test('several entries, a reason with commas, and spaces around the id', () => {
    const annotations = {
      [SUPPRESS]: ' TKE-L7-001 = keepalive is set by the platform team, in the console , TKE-ANN-002=subnet id from a template',
      'kubernetes.io/ingress.subnetId': '{{ subnet }}',
    };
    const report = LoopbackChecker.check([privateIngress({ annotations })]);
    expect(report.findings).toEqual([]);
    expect(report.suppressed.map((s) => [s.finding.ruleId, s.reason])).toEqual([
      ['TKE-ANN-002', 'subnet id from a template'],
      ['TKE-L7-001', 'keepalive is set by the platform team, in the console'],
    ]);
  });

  test('a suppression on one object does not suppress the same rule on another', () => {
    const report = LoopbackChecker.check([
      privateService({ name: 'a', annotations: { [SUPPRESS]: 'TKE-L4-001=reviewed by the network team' } }),
      privateService({ name: 'b' }),
    ]);
    expect(report.findings.map((f) => [f.ruleId, f.name])).toEqual([['TKE-L4-001', 'b']]);
    expect(report.suppressed.map((s) => [s.finding.ruleId, s.finding.name])).toEqual([['TKE-L4-001', 'a']]);
  });

  test('a suppression of another rule leaves the finding alone', () => {
    const report = LoopbackChecker.check([privateService({ annotations: { [SUPPRESS]: 'TKE-L4-002=reviewed by the network team', [PREVENT]: 'no' } })]);
    expect(report.findings.map((f) => f.ruleId)).toEqual(['TKE-ANN-001', 'TKE-L4-001']);
    expect(report.suppressed).toEqual([]);
  });

  test('a reason of 9 characters is rejected, one of 10 accepted', () => {
    const nine = LoopbackChecker.check([privateService({ annotations: { [SUPPRESS]: 'TKE-L4-001=123456789' } })]);
    expect(nine.findings.map((f) => f.ruleId)).toEqual(['TKE-L4-001', 'TKE-SUP-001']);
    const ten = LoopbackChecker.check([privateService({ annotations: { [SUPPRESS]: 'TKE-L4-001=1234567890' } })]);
    expect(ten.findings).toEqual([]);
  });
});
