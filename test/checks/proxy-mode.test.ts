import { kubeProxy, privateService, PREVENT, workload } from './manifests';
import { KubeProxyMode, LoopbackChecker } from '../../src';

/** The kube-proxy DaemonSet of kube-system, started with `args`. */
function proxyWithArgs(args: string[]): any {
  const ds = kubeProxy('v1.20.6-tke.12');
  ds.spec.template.spec.containers[0].args = args;
  return ds;
}

/** The kube-proxy ConfigMap of kube-system with a KubeProxyConfiguration of this mode. */
function proxyConfigMap(mode: string, namespace = 'kube-system'): any {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'kube-proxy', namespace },
    data: { 'config.conf': `apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: ${JSON.stringify(mode)}\n` },
  };
}

const unprotected = privateService({ name: 'web', namespace: 'shop' });

describe('kube-proxy mode', () => {
  test.each([
    ['the DaemonSet args (--proxy-mode=iptables)', [proxyWithArgs(['--proxy-mode=iptables'])], /DaemonSet kube-system\/kube-proxy runs with --proxy-mode=iptables/],
    ['the DaemonSet args (--proxy-mode iptables)', [proxyWithArgs(['--v=2', '--proxy-mode', 'iptables'])], undefined],
    ['a shell command line', [(() => {
      const ds = kubeProxy('v1.20.6-tke.12');
      ds.spec.template.spec.containers[0].command = ['/bin/sh', '-c', 'kube-proxy --kubeconfig=/k --proxy-mode=iptables --v=2'];
      return ds;
    })()], /runs with --proxy-mode=iptables/],
    ['the ConfigMap', [proxyConfigMap('iptables')], /ConfigMap kube-system\/kube-proxy sets mode: iptables in config\.conf/],
  ])('iptables mode read from %s: the layer-4 rules do not fire, and a note says why', (_, proxy, source) => {
    const report = LoopbackChecker.check([unprotected, ...proxy]);

    expect(report.findings.filter((f) => f.ruleId.startsWith('TKE-L4-'))).toEqual([]);
    expect(report.notes).toEqual([expect.stringMatching(/^layer-4 rules TKE-L4-001, TKE-L4-002, TKE-L4-003 did not run: kube-proxy is in iptables mode/)]);
    if (source) expect(report.notes[0]).toMatch(source);
  });

  test('the option decides over the manifests, both ways', () => {
    const byOption = LoopbackChecker.check([unprotected], { proxyMode: KubeProxyMode.IPTABLES });
    const overridden = LoopbackChecker.check([unprotected, proxyConfigMap('iptables')], { proxyMode: KubeProxyMode.IPVS });

    expect(byOption.findings).toEqual([]);
    expect(byOption.notes[0]).toMatch(/iptables mode \(as declared with --proxy-mode or the proxyMode option\)/);
    expect(overridden.findings.map((f) => f.ruleId)).toEqual(['TKE-L4-001']);
    expect(overridden.notes).toEqual([]);
  });

  test.each([
    ['ipvs in the DaemonSet', [proxyWithArgs(['--proxy-mode=ipvs'])]],
    ['ipvs in the ConfigMap', [proxyConfigMap('ipvs')]],
    ['an empty mode', [proxyConfigMap('')]],
    ['iptables in a ConfigMap outside kube-system', [proxyConfigMap('iptables', 'default')]],
    ['nothing about kube-proxy', []],
  ])('%s: the layer-4 rules run', (_, proxy) => {
    const report = LoopbackChecker.check([unprotected, ...proxy]);
    expect(report.findings.map((f) => f.ruleId)).toContain('TKE-L4-001');
    expect(report.notes).toEqual([]);
  });

  test('in iptables mode the other rules still run (a protected Service has no finding either way)', () => {
    const report = LoopbackChecker.check([
      privateService({ name: 'ok', annotations: { [PREVENT]: 'true' } }),
      workload(),
      proxyWithArgs(['--proxy-mode=iptables']),
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x', annotations: { 'cdk8s-tke-loopback/suppress': 'TKE-XX-001=a rule that does not exist' } } },
    ]);
    expect(report.findings.map((f) => f.ruleId)).toEqual(['TKE-SUP-002']);
  });
});
