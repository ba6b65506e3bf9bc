import { LoopbackChecker } from '../../../src';
import { briefs, ING_CONFIG, ING_CONFIG_AUTO, ingress, keepaliveConfig, messages, service, SVC_CONFIG, SVC_CONFIG_AUTO } from '../manifests';

const RULE = 'TKE-L7-003';

describe(RULE, () => {
  describe('non-compliant', () => {
    test('both binding annotations on an Ingress', () => {
      const report = LoopbackChecker.check([ingress({ annotations: { [ING_CONFIG]: 'cfg', [ING_CONFIG_AUTO]: 'true' } })]);
      expect(briefs(report.findings, RULE)).toEqual([{ ruleId: RULE, level: 'error', kind: 'Ingress', name: 'shop', manifestIndex: 0 }]);
    });

    test('both binding annotations on a Service', () => {
      const report = LoopbackChecker.check([service({ annotations: { [SVC_CONFIG]: 'cfg', [SVC_CONFIG_AUTO]: 'true' } })]);
      expect(briefs(report.findings, RULE)).toEqual([{ ruleId: RULE, level: 'error', kind: 'Service', name: 'web', manifestIndex: 0 }]);
    });

    test.each(['x-auto-ingress-config', 'x-auto-service-config'])('an explicit name with a reserved suffix: %s', (name) => {
      const report = LoopbackChecker.check([keepaliveConfig(name, ['HTTP:80']), ingress({ annotations: { [ING_CONFIG]: name } })]);
      expect(briefs(report.findings, RULE)).toEqual([{ ruleId: RULE, level: 'error', kind: 'Ingress', name: 'shop', manifestIndex: 1 }]);
      expect(messages(report.findings, RULE)[0]).toContain(`a name with the reserved suffix ${name.slice(1)}`);
    });
  });

  describe('compliant', () => {
    test('one explicit binding', () => {
      const report = LoopbackChecker.check([ingress({ annotations: { [ING_CONFIG]: 'cfg' } })]);
      expect(briefs(report.findings, RULE)).toEqual([]);
    });

    test('an explicit binding with the auto annotation set to "false"', () => {
      const report = LoopbackChecker.check([ingress({ annotations: { [ING_CONFIG]: 'cfg', [ING_CONFIG_AUTO]: 'false' } })]);
      expect(briefs(report.findings, RULE)).toEqual([]);
    });

    test('the auto binding alone', () => {
      const report = LoopbackChecker.check([service({ annotations: { [SVC_CONFIG_AUTO]: 'true' } })]);
      expect(briefs(report.findings, RULE)).toEqual([]);
    });
  });
});
