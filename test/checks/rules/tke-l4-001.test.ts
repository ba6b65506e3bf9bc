import { LoopbackChecker } from '../../../src';
import { briefs, DIRECT, messages, PREVENT, privateService, service, workload } from '../manifests';

const RULE = 'TKE-L4-001';

describe(RULE, () => {
  describe('non-compliant', () => {
    test('a private LoadBalancer Service without any protection', () => {
      // GIVEN
      const manifests = [workload(), privateService({ namespace: 'shop' })];
      // WHEN
      const report = LoopbackChecker.check(manifests);
      // THEN
      expect(briefs(report.findings, RULE)).toEqual([
        { ruleId: RULE, level: 'error', kind: 'Service', name: 'web', namespace: 'shop', manifestIndex: 1 },
      ]);
      expect(report.passed).toEqual(false);
    });

    test('prevent-loopback with a value other than "true" is no protection, and the message quotes it', () => {
      const report = LoopbackChecker.check([privateService({ annotations: { [PREVENT]: 'True' } })]);
      expect(briefs(report.findings, RULE)).toEqual([{ ruleId: RULE, level: 'error', kind: 'Service', name: 'web', manifestIndex: 0 }]);
      expect(messages(report.findings, RULE)[0]).toMatch(/\(it is "True"\)/);
    });

    test('externalTrafficPolicy: Local, but the backing Deployment has no anti-affinity', () => {
      const report = LoopbackChecker.check([
        privateService({ externalTrafficPolicy: 'Local' }),
        workload({ name: 'server', antiAffinity: 'none' }),
      ]);
      expect(briefs(report.findings, RULE)).toEqual([{ ruleId: RULE, level: 'error', kind: 'Service', name: 'web', manifestIndex: 0 }]);
      expect(messages(report.findings, RULE)[0]).toMatch(/backing Deployment server has no pod anti-affinity/);
    });

    test('direct access, but one of two backing workloads (a StatefulSet) has no anti-affinity', () => {
      const report = LoopbackChecker.check([
        privateService({ annotations: { [DIRECT]: 'true' } }),
        workload({ name: 'a', antiAffinity: 'required' }),
        workload({ kind: 'StatefulSet', name: 'b', antiAffinity: 'none' }),
      ]);
      expect(messages(report.findings, RULE)).toEqual([
        expect.stringMatching(/relies on direct access, but its backing StatefulSet b has no pod anti-affinity/),
      ]);
    });
  });

  describe('compliant', () => {
    test('prevent-loopback: "true"', () => {
      const report = LoopbackChecker.check([privateService({ annotations: { [PREVENT]: 'true' } }), workload()]);
      expect(briefs(report.findings, RULE)).toEqual([]);
    });

    test('externalTrafficPolicy: Local with a required anti-affinity on every backing workload (Deployment, DaemonSet, ReplicaSet, Pod)', () => {
      const report = LoopbackChecker.check([
        privateService({ externalTrafficPolicy: 'Local' }),
        workload({ name: 'd', antiAffinity: 'required' }),
        workload({ kind: 'DaemonSet', name: 'ds', antiAffinity: 'required' }),
        workload({ kind: 'ReplicaSet', name: 'rs', antiAffinity: 'preferred' }),
        workload({ kind: 'Pod', name: 'p', antiAffinity: 'required' }),
      ]);
      expect(briefs(report.findings, RULE)).toEqual([]);
    });

    test('a workload in another namespace, or with other labels, is not a backing workload', () => {
      const report = LoopbackChecker.check([
        privateService({ externalTrafficPolicy: 'Local', namespace: 'shop' }),
        workload({ name: 'same-ns', namespace: 'shop', antiAffinity: 'required' }),
        workload({ name: 'other-ns', namespace: 'other', antiAffinity: 'none' }),
        workload({ name: 'default-ns', antiAffinity: 'none' }),
        workload({ name: 'other-labels', namespace: 'shop', labels: { app: 'db' }, antiAffinity: 'none' }),
      ]);
      expect(briefs(report.findings, RULE)).toEqual([]);
    });

    test('a public LoadBalancer Service, or a private subnet on a ClusterIP Service, is not at risk', () => {
      const report = LoopbackChecker.check([
        service({ name: 'public' }),
        privateService({ name: 'cluster-ip', type: 'ClusterIP' }),
      ]);
      expect(briefs(report.findings, RULE)).toEqual([]);
    });

    test('a Service whose apiVersion is not core v1 (a Knative Service) is not read', () => {
      const knative = { ...privateService(), apiVersion: 'serving.knative.dev/v1' };
      expect(briefs(LoopbackChecker.check([knative]).findings, RULE)).toEqual([]);
    });
  });
});
