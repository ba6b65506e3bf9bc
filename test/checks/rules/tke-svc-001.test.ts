import { LoopbackChecker } from '../../../src';
import { briefs, messages, service } from '../manifests';

const RULE = 'TKE-SVC-001';

describe(RULE, () => {
  test('non-compliant: externalTrafficPolicy on a ClusterIP Service, and on one with no type', () => {
    const untyped = service({ name: 'untyped', externalTrafficPolicy: 'Local' });
    delete untyped.spec.type;
    const report = LoopbackChecker.check([service({ type: 'ClusterIP', externalTrafficPolicy: 'Local' }), untyped]);
    expect(briefs(report.findings, RULE)).toEqual([
      { ruleId: RULE, level: 'error', kind: 'Service', name: 'web', manifestIndex: 0 },
      { ruleId: RULE, level: 'error', kind: 'Service', name: 'untyped', manifestIndex: 1 },
    ]);
    expect(messages(report.findings, RULE)[0]).toEqual('Service web is of type ClusterIP but sets externalTrafficPolicy: "Local"');
  });

  test('non-compliant: externalTrafficPolicy Cluster on an ExternalName Service', () => {
    const report = LoopbackChecker.check([service({ type: 'ExternalName', externalTrafficPolicy: 'Cluster' })]);
    expect(messages(report.findings, RULE)).toEqual(['Service web is of type ExternalName but sets externalTrafficPolicy: "Cluster"']);
  });

  test('compliant: a ClusterIP Service without externalTrafficPolicy', () => {
    expect(briefs(LoopbackChecker.check([service({ type: 'ClusterIP' })]).findings, RULE)).toEqual([]);
  });

  test.each(['LoadBalancer', 'NodePort'])('compliant: externalTrafficPolicy on a %s Service', (type) => {
    const report = LoopbackChecker.check([service({ type, externalTrafficPolicy: 'Local' })]);
    expect(briefs(report.findings, RULE)).toEqual([]);
  });
});
