import { LoopbackChecker } from '../../../src';
import { briefs, kubeProxy, messages, PREVENT, privateService, service, workload } from '../manifests';

const RULE = 'TKE-L4-003';

describe(RULE, () => {
  describe('non-compliant', () => {
    test.each([
      ['v1.18.4-tke.19', 'v1.18.4-tke.20'],
      ['v1.20.6-tke.11', 'v1.20.6-tke.12'],
      ['v1.16.2-tke.40', 'v1.16.3-tke.25'],
      ['v1.28.2-tke.9', 'v1.28.3-tke.3'],
      ['v1.28.3-tke.2', 'v1.28.3-tke.3'],
      ['v1.28.3-tke.3-rc1', 'v1.28.3-tke.3'],
    ])('kube-proxy %s is older than %s', (tag, minimum) => {
      const report = LoopbackChecker.check([
        kubeProxy(tag),
        privateService({ namespace: 'shop', annotations: { [PREVENT]: 'true' } }),
        workload({ namespace: 'shop' }),
      ]);
      expect(briefs(report.findings, RULE)).toEqual([
        { ruleId: RULE, level: 'error', kind: 'Service', name: 'web', namespace: 'shop', manifestIndex: 1 },
      ]);
      expect(messages(report.findings, RULE)[0]).toContain(`runs image ccr.ccs.tencentyun.com/library/kube-proxy:${tag}: ${tag} is older than ${minimum}`);
      expect(report.findings.find((f) => f.ruleId === RULE)?.fix).toEqual(`Update the kube-proxy DaemonSet in kube-system to ${minimum} or later.`);
    });

    test('an image with a digest is read by its tag', () => {
      const proxy = kubeProxy('v1.18.4-tke.2');
      proxy.spec.template.spec.containers[0].image += '@sha256:0123456789abcdef';
      const report = LoopbackChecker.check([proxy, service({ annotations: { [PREVENT]: 'true' } })]);
      expect(briefs(report.findings, RULE).length).toEqual(1);
    });

    test('a build before 1.12 is reported: Tencent documents none that supports prevent-loopback', () => {
      const report = LoopbackChecker.check([kubeProxy('v1.10.5-tke.99'), privateService({ annotations: { [PREVENT]: 'true' } })]);
      expect(briefs(report.findings, RULE).length).toEqual(1);
      expect(messages(report.findings, RULE)[0]).toContain('v1.10.5-tke.99 is older than Kubernetes 1.12');
    });

    test.each(['latest', 'v1.20.6', '1.20.6-tke.12'])('an unparseable tag %s is reported, quoting the image, not skipped', (tag) => {
      const report = LoopbackChecker.check([kubeProxy(tag), privateService({ annotations: { [PREVENT]: 'true' } })]);
      expect(briefs(report.findings, RULE).length).toEqual(1);
      expect(messages(report.findings, RULE)[0]).toContain(`"ccr.ccs.tencentyun.com/library/kube-proxy:${tag}" is not a TKE kube-proxy build`);
    });

    test('a DaemonSet without an image is reported', () => {
      const proxy = kubeProxy('v1.20.6-tke.12');
      delete proxy.spec.template.spec.containers[0].image;
      const report = LoopbackChecker.check([proxy, privateService({ annotations: { [PREVENT]: 'true' } })]);
      expect(messages(report.findings, RULE)[0]).toContain('has no container image');
    });
  });

  describe('compliant', () => {
    test('a hyperkube image of a current build', () => {
      const proxy = kubeProxy('v1.30.0-tke.9');
      proxy.spec.template.spec.containers[0].image = 'ccr.ccs.tencentyun.com/tkeimages/hyperkube:v1.30.0-tke.9';
      const report = LoopbackChecker.check([proxy, privateService({ annotations: { [PREVENT]: 'true' } })]);
      expect(briefs(report.findings, RULE)).toEqual([]);
    });

    test.each(['v1.18.4-tke.20', 'v1.18.5-tke.1', 'v1.20.6-tke.12', 'v1.22.5-tke.1', 'v1.28.3-tke.3', 'v1.28.4-tke.1', 'v1.34.1-tke.2-rc3'])('kube-proxy %s', (tag) => {
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
