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
    test('a required self-spreading term with a preferred term against clients is only preferred protection', () => {
      // GIVEN
      const server = workload({ name: 'api', labels: { app: 'api' } });
      server.spec.template.spec.affinity = {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'api' } }, topologyKey: 'kubernetes.io/hostname' }],
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 100, podAffinityTerm: { labelSelector: { matchLabels: { role: 'client' } }, topologyKey: 'kubernetes.io/hostname' } },
          ],
        },
      };
      // WHEN
      const report = LoopbackChecker.check([privateService({ externalTrafficPolicy: 'Local', selector: { app: 'api' } }), server]);
      // THEN
      expect(briefs(report.findings, RULE)).toEqual([{ ruleId: RULE, level: 'warning', kind: 'Service', name: 'web', manifestIndex: 0 }]);
      expect(briefs(report.findings, 'TKE-L4-001')).toEqual([]);
    });

    test('a Deployment, its ReplicaSet and its Pods with preferred anti-affinity give one warning for the Service', () => {
      const report = LoopbackChecker.check([
        privateService({ externalTrafficPolicy: 'Local' }),
        workload({ name: 'web', antiAffinity: 'preferred' }),
        workload({ kind: 'ReplicaSet', name: 'web-1', antiAffinity: 'preferred' }),
        workload({ kind: 'Pod', name: 'web-1-a', antiAffinity: 'preferred' }),
      ]);
      expect(briefs(report.findings, RULE)).toEqual([{ ruleId: RULE, level: 'warning', kind: 'Service', name: 'web', manifestIndex: 0 }]);
      expect(messages(report.findings, RULE)[0]).toMatch(/its backing Deployment web, ReplicaSet web-1, Pod web-1-a is only preferred/);
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
