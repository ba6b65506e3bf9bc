import { LoopbackChecker } from '../../../src';
import { briefs, DIRECT, messages, PREVENT, privateService, workload } from '../manifests';

const RULE = 'TKE-L4-002';

describe(RULE, () => {
  describe('non-compliant', () => {
    test('externalTrafficPolicy: Local with only a preferred anti-affinity', () => {
      const report = LoopbackChecker.check([
        privateService({ externalTrafficPolicy: 'Local', namespace: 'shop' }),
        workload({ name: 'server', namespace: 'shop', antiAffinity: 'preferred' }),
      ]);
      expect(briefs(report.findings, RULE)).toEqual([
        { ruleId: RULE, level: 'warning', kind: 'Service', name: 'web', namespace: 'shop', manifestIndex: 0 },
      ]);
      expect(messages(report.findings, RULE)[0]).toMatch(/Deployment shop\/server is only preferred/);
      expect(briefs(report.findings, 'TKE-L4-001')).toEqual([]);
    });

    test('direct access with no backing workload in the set', () => {
      const report = LoopbackChecker.check([privateService({ annotations: { [DIRECT]: 'true' } })]);
      expect(briefs(report.findings, RULE)).toEqual([{ ruleId: RULE, level: 'warning', kind: 'Service', name: 'web', manifestIndex: 0 }]);
      expect(messages(report.findings, RULE)[0]).toMatch(/no Deployment, StatefulSet, DaemonSet, ReplicaSet or Pod in namespace default matches its selector \{"app":"web"\}/);
    });
  });

  describe('compliant', () => {
    test('a required anti-affinity', () => {
      const report = LoopbackChecker.check([
        privateService({ externalTrafficPolicy: 'Local' }),
        workload({ antiAffinity: 'required' }),
      ]);
      expect(briefs(report.findings, RULE)).toEqual([]);
    });

    test('prevent-loopback makes the anti-affinity irrelevant', () => {
      const report = LoopbackChecker.check([
        privateService({ externalTrafficPolicy: 'Local', annotations: { [PREVENT]: 'true' } }),
        workload({ antiAffinity: 'preferred' }),
      ]);
      expect(briefs(report.findings, RULE)).toEqual([]);
    });

    test('externalTrafficPolicy: Cluster does not rely on anti-affinity (TKE-L4-001 reports it instead)', () => {
      const report = LoopbackChecker.check([privateService({ externalTrafficPolicy: 'Cluster' }), workload({ antiAffinity: 'preferred' })]);
      expect(briefs(report.findings, RULE)).toEqual([]);
      expect(briefs(report.findings, 'TKE-L4-001').length).toEqual(1);
    });
  });
});
