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

  test('compliant: five security groups, spaces and a trailing comma', () => {
    const report = LoopbackChecker.check([service({ annotations: { [SG]: 'sg-1, sg-2, sg-3, sg-4, sg-5,' } })]);
    expect(briefs(report.findings, RULE)).toEqual([]);
  });
});
