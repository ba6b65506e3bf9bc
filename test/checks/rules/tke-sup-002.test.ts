import { LoopbackChecker } from '../../../src';
import { briefs, messages, privateService, SUPPRESS } from '../manifests';

describe('TKE-SUP-002', () => {
  const RULE = 'TKE-SUP-002';

  test('non-compliant: an unknown rule id', () => {
    const report = LoopbackChecker.check([privateService({ annotations: { [SUPPRESS]: 'TKE-L4-999=nothing to see here' } })]);
    expect(briefs(report.findings, RULE)).toEqual([{ ruleId: RULE, level: 'warning', kind: 'Service', name: 'web', manifestIndex: 0 }]);
    expect(messages(report.findings, RULE)[0]).toMatch(/names TKE-L4-999, which is not a rule of the checker/);
  });

  test('compliant: a known rule id, in any case', () => {
    const report = LoopbackChecker.check([privateService({ annotations: { [SUPPRESS]: 'tke-l4-001=the CLB is only called from outside' } })]);
    expect(briefs(report.findings, RULE)).toEqual([]);
    expect(report.suppressed.map((s) => s.finding.ruleId)).toEqual(['TKE-L4-001']);
  });
});
