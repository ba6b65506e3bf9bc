import { LoopbackChecker } from '../../../src';
import { briefs, messages, privateService, SUPPRESS } from '../manifests';

describe('TKE-SUP-001', () => {
  const RULE = 'TKE-SUP-001';

  test('non-compliant: a short reason does not take effect and is itself a finding', () => {
    const report = LoopbackChecker.check([privateService({ annotations: { [SUPPRESS]: 'TKE-L4-001=ok' } })]);
    expect(briefs(report.findings, RULE)).toEqual([{ ruleId: RULE, level: 'error', kind: 'Service', name: 'web', manifestIndex: 0 }]);
    expect(messages(report.findings, RULE)).toEqual([
      'Service web: cdk8s-tke-loopback/suppress suppresses TKE-L4-001 with the reason "ok", under 10 characters, so it does not take effect',
    ]);
    expect(briefs(report.findings, 'TKE-L4-001').length).toEqual(1);
    expect(report.suppressed).toEqual([]);
  });

  test('non-compliant: a malformed entry, a non-string value, and an unsuppressible rule', () => {
    const report = LoopbackChecker.check([
      privateService({ name: 'a', annotations: { [SUPPRESS]: 'just because' } }),
      privateService({ name: 'b', annotations: { [SUPPRESS]: 42 } }),
      privateService({ name: 'c', annotations: { [SUPPRESS]: 'TKE-SUP-001=a reason long enough' } }),
    ]);
    expect(messages(report.findings, RULE)).toEqual([
      'Service a: cdk8s-tke-loopback/suppress has "just because", which is not RULE-ID=reason',
      'Service b: cdk8s-tke-loopback/suppress is a number, not a string of RULE-ID=reason entries',
      'Service c: cdk8s-tke-loopback/suppress tries to suppress TKE-SUP-001, which cannot be suppressed',
    ]);
  });

  test('compliant: a reason with commas, over two rules', () => {
    const report = LoopbackChecker.check([privateService({ annotations: { [SUPPRESS]: 'TKE-L4-001=called from outside, never in-cluster,TKE-L4-002=same as above, really' } })]);
    expect(briefs(report.findings, RULE)).toEqual([]);
    expect(report.suppressed.map((s) => s.reason)).toEqual(['called from outside, never in-cluster']);
  });

  test('compliant: a reason of 10 characters or more', () => {
    const report = LoopbackChecker.check([privateService({ annotations: { [SUPPRESS]: 'TKE-L4-001=1234567890' } })]);
    expect(briefs(report.findings, RULE)).toEqual([]);
  });
});
