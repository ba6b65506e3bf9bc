import { LoopbackChecker } from '../../../src';
import { briefs, kubeProxy, messages, PREVENT, privateService, service, workload } from '../manifests';

const RULE = 'TKE-L4-003';

describe(RULE, () => {
  describe('non-compliant', () => {
    test.each([
      ['v1.18.4-tke.19', 'v1.18.4-tke.20'],
      ['v1.20.6-tke.11', 'v1.20.6-tke.12'],
      ['v1.16.2-tke.40', 'v1.16.3-tke.25'],
    ])('kube-proxy %s is older than %s', (tag, minimum) => {
      const report = LoopbackChecker.check([
        kubeProxy(tag),
        privateService({ namespace: 'shop', annotations: { [PREVENT]: 'true' } }),
        workload({ namespace: 'shop' }),
      ]);
      expect(briefs(report.findings, RULE)).toEqual([
        { ruleId: RULE, level: 'error', kind: 'Service', name: 'web', namespace: 'shop', manifestIndex: 1 },
      ]);
      expect(messages(report.findings, RULE)[0]).toContain(`runs ${tag} (image ccr.ccs.tencentyun.com/library/kube-proxy:${tag}), older than ${minimum}`);
    });

    test('an image with a digest is read by its tag', () => {
      const proxy = kubeProxy('v1.18.4-tke.2');
      proxy.spec.template.spec.containers[0].image += '@sha256:0123456789abcdef';
      const report = LoopbackChecker.check([proxy, service({ annotations: { [PREVENT]: 'true' } })]);
      expect(briefs(report.findings, RULE).length).toEqual(1);
    });
  });

  describe('compliant', () => {
    test.each(['v1.18.4-tke.20', 'v1.18.5-tke.1', 'v1.20.6-tke.12', 'v1.22.5-tke.1', 'v1.28.3-tke.3', 'latest'])('kube-proxy %s', (tag) => {
      const report = LoopbackChecker.check([kubeProxy(tag), privateService({ annotations: { [PREVENT]: 'true' } })]);
      expect(briefs(report.findings, RULE)).toEqual([]);
    });

    test('an old kube-proxy outside kube-system is not the cluster\'s', () => {
      const report = LoopbackChecker.check([kubeProxy('v1.18.4-tke.1', 'default'), privateService({ annotations: { [PREVENT]: 'true' } })]);
      expect(briefs(report.findings, RULE)).toEqual([]);
    });

    test('an old kube-proxy with no Service relying on prevent-loopback', () => {
      const report = LoopbackChecker.check([kubeProxy('v1.18.4-tke.1'), service()]);
      expect(briefs(report.findings, RULE)).toEqual([]);
    });
  });
});
