import { LoopbackChecker } from '../../../src';
import { briefs, messages, service } from '../manifests';

describe('TKE-ANN-003', () => {
  const RULE = 'TKE-ANN-003';
  const SG = 'service.cloud.tencent.com/security-groups';

  test('non-compliant: six security groups', () => {
    const report = LoopbackChecker.check([service({ annotations: { [SG]: 'sg-1,sg-2,sg-3,sg-4,sg-5,sg-6' } })]);
    expect(briefs(report.findings, RULE)).toEqual([{ ruleId: RULE, level: 'error', kind: 'Service', name: 'web', manifestIndex: 0 }]);
    expect(messages(report.findings, RULE)[0]).toMatch(/lists 6 security groups .* at most 5 are allowed/);
  });

  test.each([
    ['seven, with spaces', 'sg-1, sg-2, sg-3, sg-4, sg-5, sg-6, sg-7', 7],
    ['six with empty entries between them', 'sg-1,,sg-2,sg-3,sg-4,sg-5,sg-6', 6],
  ])('non-compliant: %s', (_, value, count) => {
    const report = LoopbackChecker.check([service({ annotations: { [SG]: value } })]);
    expect(messages(report.findings, RULE)).toEqual([expect.stringMatching(new RegExp(`^Service web lists ${count} security groups`))]);
  });

  test('compliant: no annotation, and one group', () => {
    const report = LoopbackChecker.check([service({ name: 'a' }), service({ name: 'b', annotations: { [SG]: 'sg-1' } })]);
    expect(briefs(report.findings, RULE)).toEqual([]);
  });

  test('compliant: five security groups, spaces and a trailing comma', () => {
    const report = LoopbackChecker.check([service({ annotations: { [SG]: 'sg-1, sg-2, sg-3, sg-4, sg-5,' } })]);
    expect(briefs(report.findings, RULE)).toEqual([]);
  });
});
