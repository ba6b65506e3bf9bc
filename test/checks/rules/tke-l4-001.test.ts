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
    test('a self-spreading anti-affinity (its selector matches the server\'s own pods) is not protection', () => {
      // GIVEN: the common "one replica per node" term, which lets any client share a node with a replica
      const server = workload({ name: 'api', labels: { app: 'api' } });
      server.spec.template.spec.affinity = {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            { labelSelector: { matchLabels: { app: 'api' } }, topologyKey: 'kubernetes.io/hostname' },
            { labelSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['api', 'web'] }] }, topologyKey: 'kubernetes.io/hostname' },
            { labelSelector: { matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, topologyKey: 'kubernetes.io/hostname' },
          ],
        },
      };
      // WHEN
      const report = LoopbackChecker.check([privateService({ externalTrafficPolicy: 'Local', selector: { app: 'api' } }), server]);
      // THEN
      expect(briefs(report.findings, RULE)).toEqual([{ ruleId: RULE, level: 'error', kind: 'Service', name: 'web', manifestIndex: 0 }]);
      expect(messages(report.findings, RULE)[0]).toMatch(
        /backing Deployment api has no pod anti-affinity against its clients \(its anti-affinity terms select its own pods/,
      );
    });

    test('a term without a label selector selects no pods and is not protection', () => {
      const server = workload({ name: 'api' });
      server.spec.template.spec.affinity = {
        podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname' }] },
      };
      const report = LoopbackChecker.check([privateService({ annotations: { [DIRECT]: 'true' } }), server]);
      expect(briefs(report.findings, RULE)).toEqual([{ ruleId: RULE, level: 'error', kind: 'Service', name: 'web', manifestIndex: 0 }]);
    });

    test('a kubectl get all dump (Deployment, its ReplicaSet and Pods) gives one finding per Service, naming the Deployment', () => {
      // GIVEN
      const owned = (o: any, kind: string, name: string) =>
        ({ ...o, metadata: { ...o.metadata, ownerReferences: [{ kind, name, controller: true }] } });
      const manifests = [
        privateService({ name: 'api', namespace: 'prod', externalTrafficPolicy: 'Local', selector: { app: 'api' } }),
        workload({ name: 'api', namespace: 'prod', labels: { app: 'api' } }),
        owned(workload({ kind: 'ReplicaSet', name: 'api-5d4f', namespace: 'prod', labels: { app: 'api' } }), 'Deployment', 'api'),
        owned(workload({ kind: 'Pod', name: 'api-5d4f-a', namespace: 'prod', labels: { app: 'api' } }), 'ReplicaSet', 'api-5d4f'),
        owned(workload({ kind: 'Pod', name: 'api-5d4f-b', namespace: 'prod', labels: { app: 'api' } }), 'ReplicaSet', 'api-5d4f'),
      ];
      // WHEN
      const report = LoopbackChecker.check(manifests);
      // THEN
      expect(briefs(report.findings, RULE)).toEqual([
        { ruleId: RULE, level: 'error', kind: 'Service', name: 'api', namespace: 'prod', manifestIndex: 0 },
      ]);
      expect(messages(report.findings, RULE)[0]).toMatch(/its backing Deployment prod\/api \(and 3 more\) have no pod anti-affinity/);
      expect(report.findings[0].fix).toMatch(/^Give Deployment prod\/api a required pod anti-affinity/);
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

    test('a term on the server that selects its clients, next to a self-spreading term, is protection', () => {
      const server = workload({ name: 'api', labels: { app: 'api', tier: 'backend' } });
      server.spec.template.spec.affinity = {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            { labelSelector: { matchLabels: { app: 'api' } }, topologyKey: 'kubernetes.io/hostname' },
            { labelSelector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['backend'] }, { key: 'app', operator: 'Exists' }] }, topologyKey: 'kubernetes.io/hostname' },
          ],
        },
      };
      const report = LoopbackChecker.check([privateService({ externalTrafficPolicy: 'Local', selector: { app: 'api' } }), server]);
      expect(briefs(report.findings, RULE)).toEqual([]);
    });

    test('a term on a client workload that selects the server pods is protection (as the constructs render it)', () => {
      // GIVEN: the server only spreads itself; the client keeps itself off the server's nodes
      const server = workload({ name: 'api', namespace: 'prod', labels: { app: 'api' } });
      server.spec.template.spec.affinity = {
        podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'api' } }, topologyKey: 'kubernetes.io/hostname' }] },
      };
      const client = workload({ name: 'frontend', namespace: 'prod', labels: { app: 'frontend' } });
      client.spec.template.spec.affinity = {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            { labelSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['api'] }] }, topologyKey: 'kubernetes.io/hostname' },
          ],
        },
      };
      // WHEN
      const report = LoopbackChecker.check([privateService({ namespace: 'prod', externalTrafficPolicy: 'Local', selector: { app: 'api' } }), server, client]);
      // THEN
      expect(briefs(report.findings, RULE)).toEqual([]);
    });

    test('a client term counts only in the namespaces it covers', () => {
      const client = (namespace: string, term: any) => {
        const w = workload({ name: 'frontend', namespace, labels: { app: 'frontend' } });
        w.spec.template.spec.affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', ...term }] } };
        return w;
      };
      const check = (c: any) => briefs(LoopbackChecker.check([
        privateService({ namespace: 'prod', externalTrafficPolicy: 'Local', selector: { app: 'api' } }),
        workload({ name: 'api', namespace: 'prod', labels: { app: 'api' } }),
        c,
      ]).findings, RULE).length;
      expect(check(client('web', { labelSelector: { matchLabels: { app: 'api' } } }))).toEqual(1);
      expect(check(client('web', { labelSelector: { matchLabels: { app: 'api' } }, namespaces: ['prod'] }))).toEqual(0);
      expect(check(client('web', { labelSelector: { matchLabels: { app: 'api' } }, namespaceSelector: {} }))).toEqual(0);
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
