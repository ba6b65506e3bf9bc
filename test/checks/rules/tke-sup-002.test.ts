import { LoopbackChecker } from '../../../src';
import { briefs, messages, privateService, SUPPRESS } from '../manifests';

describe('TKE-SUP-002', () => {
  const RULE = 'TKE-SUP-002';

  test('non-compliant: an unknown rule id', () => {
    const report = LoopbackChecker.check([privateService({ annotations: { [SUPPRESS]: 'TKE-L4-999=nothing to see here' } })]);
    expect(briefs(report.findings, RULE)).toEqual([{ ruleId: RULE, level: 'warning', kind: 'Service', name: 'web', manifestIndex: 0 }]);
    expect(messages(report.findings, RULE)[0]).toMatch(/names TKE-L4-999, which is not a rule of the checker/);
  });

  test('non-compliant: a misspelt id next to a known one, and two unknown ids in one annotation', () => {
    const report = LoopbackChecker.check([
      privateService({ name: 'a', annotations: { [SUPPRESS]: 'TKE-L4-001=the CLB is only called from outside,TKE-L40-001=the same reason again' } }),
      privateService({ name: 'b', annotations: { [SUPPRESS]: 'TKE-X-001=not a rule at all,TKE-Y-002=not a rule either' } }),
    ]);
    expect(briefs(report.findings, RULE).map((b) => b.name)).toEqual(['a', 'b', 'b']);
    expect(messages(report.findings, RULE)).toEqual([
      expect.stringMatching(/names TKE-L40-001, which is not a rule/),
      expect.stringMatching(/names TKE-X-001, which is not a rule/),
      expect.stringMatching(/names TKE-Y-002, which is not a rule/),
    ]);
  });

  test('compliant: no suppress annotation at all', () => {
    expect(briefs(LoopbackChecker.check([privateService()]).findings, RULE)).toEqual([]);
  });

  test('compliant: a known rule id, in any case', () => {
    const report = LoopbackChecker.check([privateService({ annotations: { [SUPPRESS]: 'tke-l4-001=the CLB is only called from outside' } })]);
    expect(briefs(report.findings, RULE)).toEqual([]);
    expect(report.suppressed.map((s) => s.finding.ruleId)).toEqual(['TKE-L4-001']);
  });
});
