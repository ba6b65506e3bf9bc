import { KubeProxyMode, KubeProxyVersion, L4FixMode, LoopbackChecker, LoopbackFixer } from '../../src';
import {
  CLB_NETWORK, EXIST_LB, EXISTED_LB, ING_CONFIG, ING_CONFIG_AUTO, ingress, keepaliveConfig, kubeProxy, PREVENT, privateIngress,
  privateService, service, serviceConfig, SUPPRESS, workload,
} from '../checks/manifests';

const LISTEN_PORTS = 'ingress.cloud.tencent.com/listen-ports';
const SVC_PASS = 'service.cloud.tencent.com/pass-to-target';
const ING_PASS = 'ingress.cloud.tencent.com/pass-to-target';

/** The fixed object of a kind and name. */
function find(manifests: any[], kind: string, name: string): any {
  return manifests.find((m) => m.kind === kind && m.metadata?.name === name);
}

function annotations(manifests: any[], kind: string, name: string): Record<string, unknown> {
  return find(manifests, kind, name)?.metadata?.annotations ?? {};
}

describe('TKE-L4-001', () => {
  test('GIVEN a private LoadBalancer Service with no protection WHEN fixed THEN it gets prevent-loopback: "true"', () => {
    const r = LoopbackFixer.fix([privateService({ name: 'web', namespace: 'shop' })]);
    expect(annotations(r.manifests, 'Service', 'web')[PREVENT]).toEqual('true');
    expect(r.changes).toEqual([expect.objectContaining({ ruleId: 'TKE-L4-001', kind: 'Service', namespace: 'shop', name: 'web', manifestIndex: 0, added: false })]);
    expect(r.unfixed).toEqual([]);
    expect(r.fixed).toBe(true);
  });

  test('GIVEN a kube-proxy too old for prevent-loopback WHEN fixed THEN nothing is added and the reason names the version', () => {
    const r = LoopbackFixer.fix([privateService(), kubeProxy('v1.20.6-tke.11')]);
    expect(annotations(r.manifests, 'Service', 'web')[PREVENT]).toBeUndefined();
    expect(r.changes).toEqual([]);
    expect(r.unfixed).toHaveLength(1);
    expect(r.unfixed[0].finding.ruleId).toEqual('TKE-L4-001');
    expect(r.unfixed[0].reason).toMatch(/would have no effect.*kube-proxy:v1\.20\.6-tke\.11.*update .* to v1\.20\.6-tke\.12 or later/);
  });

  test.each([
    ['v1.20.6-tke.11'], ['v1.20.6-tke.12'], ['v1.18.4-tke.19'], ['v1.10.5-tke.99'], ['v1.28.3-tke.3-rc1'], ['v1.30.0-tke.1'], ['latest'],
  ])('GIVEN kube-proxy %s THEN fix adds prevent-loopback exactly when the one table (KubeProxyVersion) supports it', (tag) => {
    const supported = KubeProxyVersion.checkPreventLoopback(`ccr.ccs.tencentyun.com/library/kube-proxy:${tag}`).supported;
    const r = LoopbackFixer.fix([privateService(), kubeProxy(tag)]);
    expect(annotations(r.manifests, 'Service', 'web')[PREVENT]).toEqual(supported ? 'true' : undefined);
    expect(r.unfixed.map((u) => u.finding.ruleId)).toEqual(supported ? [] : ['TKE-L4-001']);
    // And the checker agrees: after fix, TKE-L4-003 (the same table) never fires on what fix added.
    expect(LoopbackChecker.check(r.manifests).findings.filter((f) => f.ruleId === 'TKE-L4-003')).toEqual([]);
  });

  test('GIVEN a kube-proxy DaemonSet outside kube-system THEN it does not block the fix (as TKE-L4-003 ignores it)', () => {
    const r = LoopbackFixer.fix([privateService(), kubeProxy('v1.20.6-tke.11', 'default')]);
    expect(annotations(r.manifests, 'Service', 'web')[PREVENT]).toEqual('true');
  });

  test('GIVEN iptables proxy mode (option, or the DaemonSet args) THEN there is nothing to fix at layer 4 and the note says why', () => {
    const byOption = LoopbackFixer.fix([privateService()], { proxyMode: KubeProxyMode.IPTABLES });
    expect(byOption.changes).toEqual([]);
    expect(byOption.unfixed).toEqual([]);
    expect(byOption.fixed).toBe(true);
    expect(byOption.manifests[0]).toEqual(privateService());
    expect(byOption.notes.join('\n')).toMatch(/layer-4 rules .* did not run: kube-proxy is in iptables mode/);

    const proxy = kubeProxy('v1.20.6-tke.11');
    proxy.spec.template.spec.containers[0].args = ['--proxy-mode=iptables'];
    const bySet = LoopbackFixer.fix([privateService(), proxy]);
    expect(bySet.changes).toEqual([]);
    expect(bySet.unfixed).toEqual([]);
    // IPVS said explicitly: fixed as usual.
    expect(LoopbackFixer.fix([privateService()], { proxyMode: KubeProxyMode.IPVS }).changes).toHaveLength(1);
  });

  test('GIVEN a Service reusing a CLB THEN it is fixed only when declared private (option or annotation), else TKE-CLB-001 is reported', () => {
    const reusing = service({ annotations: { [EXISTED_LB]: 'lb-abcd1234' } });
    const undeclared = LoopbackFixer.fix([reusing]);
    expect(undeclared.changes).toEqual([]);
    expect(undeclared.unfixed.map((u) => u.finding.ruleId)).toEqual(['TKE-CLB-001']);
    expect(undeclared.unfixed[0].reason).toMatch(/only the CLB console shows .*--private-clb/);

    const declared = LoopbackFixer.fix([reusing], { privateClbIds: ['lb-abcd1234'] });
    expect(declared.changes.map((c) => c.ruleId)).toEqual(['TKE-L4-001']);
    expect(annotations(declared.manifests, 'Service', 'web')[PREVENT]).toEqual('true');
    expect(LoopbackChecker.check(declared.manifests, { privateClbIds: ['lb-abcd1234'] }).findings).toEqual([]);

    const annotated = service({ annotations: { [EXISTED_LB]: 'lb-abcd1234', [CLB_NETWORK]: 'private' } });
    expect(LoopbackFixer.fix([annotated]).changes.map((c) => c.ruleId)).toEqual(['TKE-L4-001']);
    const pub = LoopbackFixer.fix([reusing], { publicClbIds: ['lb-abcd1234'] });
    expect([pub.changes, pub.unfixed]).toEqual([[], []]);
  });

  test('GIVEN a malformed CLB option THEN fix throws naming it, as the checker does', () => {
    expect(() => LoopbackFixer.fix([], { privateClbIds: 'lb-1' as any })).toThrow(/'privateClbIds' must be a list of CLB ids.*"lb-1"/);
    expect(() => LoopbackFixer.fix([], { proxyMode: 'userspace' as any })).toThrow(/'proxyMode' must be "ipvs" or "iptables", got "userspace"/);
  });

  test('GIVEN a kube-proxy at the documented minimum WHEN fixed THEN prevent-loopback is added', () => {
    const r = LoopbackFixer.fix([privateService(), kubeProxy('v1.20.6-tke.12')]);
    expect(annotations(r.manifests, 'Service', 'web')[PREVENT]).toEqual('true');
  });

  test('GIVEN --l4 none WHEN fixed THEN the finding is reported, not fixed', () => {
    const r = LoopbackFixer.fix([privateService()], { l4: L4FixMode.NONE });
    expect(r.changes).toEqual([]);
    expect(r.unfixed.map((u) => [u.finding.ruleId, u.reason])).toEqual([['TKE-L4-001', 'the layer-4 fix is off (--l4 none)']]);
  });

  test('GIVEN prevent-loopback: "false" on purpose WHEN fixed THEN it is left alone and reported', () => {
    const r = LoopbackFixer.fix([privateService({ annotations: { [PREVENT]: 'false' } })]);
    expect(annotations(r.manifests, 'Service', 'web')[PREVENT]).toEqual('false');
    expect(r.unfixed[0].reason).toMatch(/"false" on purpose/);
  });

  test('GIVEN externalTrafficPolicy: Local without anti-affinity WHEN fixed THEN no anti-affinity is invented', () => {
    const r = LoopbackFixer.fix([privateService({ externalTrafficPolicy: 'Local' }), workload()]);
    expect(r.changes).toEqual([]);
    expect(r.unfixed[0].reason).toMatch(/never adds anti-affinity/);
    expect(find(r.manifests, 'Deployment', 'web')).toEqual(workload());
  });
});

describe('TKE-L7-001', () => {
  test('GIVEN an unbound private Ingress with TLS WHEN fixed THEN a config with HTTP 80 and HTTPS 443 is added after it and bound', () => {
    const r = LoopbackFixer.fix([privateIngress({ name: 'shop', namespace: 'prod', tls: true }), privateService({ annotations: { [PREVENT]: 'true' } })]);
    expect(r.manifests.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual(['Ingress/shop', 'TkeServiceConfig/shop-loopback', 'Service/web']);
    expect(r.manifests[1]).toEqual({
      apiVersion: 'cloud.tencent.com/v1alpha1',
      kind: 'TkeServiceConfig',
      metadata: { name: 'shop-loopback', namespace: 'prod' },
      spec: { loadBalancer: { l7Listeners: [{ protocol: 'HTTP', port: 80, keepaliveEnable: 1 }, { protocol: 'HTTPS', port: 443, keepaliveEnable: 1 }] } },
    });
    expect(annotations(r.manifests, 'Ingress', 'shop')[ING_CONFIG]).toEqual('shop-loopback');
    expect(r.changes.map((c) => [c.kind, c.name, c.added])).toEqual([['TkeServiceConfig', 'shop-loopback', true], ['Ingress', 'shop', false]]);
  });

  test('GIVEN listen-ports WHEN fixed THEN the added config has exactly those listeners', () => {
    const ing = privateIngress({ tls: true, annotations: { [LISTEN_PORTS]: '[{"HTTP": 8080}, {"HTTPS": 8443}]' } });
    const r = LoopbackFixer.fix([ing]);
    expect(find(r.manifests, 'TkeServiceConfig', 'shop-loopback').spec.loadBalancer.l7Listeners).toEqual([
      { protocol: 'HTTP', port: 8080, keepaliveEnable: 1 },
      { protocol: 'HTTPS', port: 8443, keepaliveEnable: 1 },
    ]);
  });

  test('GIVEN malformed listen-ports WHEN fixed THEN nothing is guessed and the problem quotes the value', () => {
    const r = LoopbackFixer.fix([privateIngress({ annotations: { [LISTEN_PORTS]: '[{"TCP": 1}]' } })]);
    expect(r.changes).toEqual([]);
    expect(r.unfixed[0].reason).toMatch(/listen-ports is malformed.*"TCP"/);
  });

  test('GIVEN a bound config in the set WHEN fixed THEN only missing listeners are added and keepalive turned on', () => {
    const config = serviceConfig('shop-cfg', {
      l7Listeners: [{ protocol: 'HTTP', port: 80, keepaliveEnable: 0, defaultServer: 'a.example.com' }],
      internetMaxBandwidthOut: 10,
    });
    const r = LoopbackFixer.fix([privateIngress({ config: 'shop-cfg', tls: true }), config]);
    expect(find(r.manifests, 'TkeServiceConfig', 'shop-cfg').spec).toEqual({
      loadBalancer: {
        l7Listeners: [
          { protocol: 'HTTP', port: 80, keepaliveEnable: 1, defaultServer: 'a.example.com' },
          { protocol: 'HTTPS', port: 443, keepaliveEnable: 1 },
        ],
        internetMaxBandwidthOut: 10,
      },
    });
    expect(r.manifests).toHaveLength(2);
    expect(config.spec.loadBalancer.l7Listeners[0].keepaliveEnable).toEqual(0); // the input is not changed
  });

  test('GIVEN two Ingresses bound to one config WHEN fixed THEN each listener is added once', () => {
    const r = LoopbackFixer.fix([
      privateIngress({ name: 'a', config: 'shared', tls: true }),
      privateIngress({ name: 'b', config: 'shared', tls: true }),
      keepaliveConfig('shared', []),
    ]);
    expect(find(r.manifests, 'TkeServiceConfig', 'shared').spec.loadBalancer.l7Listeners.map((l: any) => `${l.protocol}:${l.port}`))
      .toEqual(['HTTP:80', 'HTTPS:443']);
  });

  test('GIVEN a binding to a config in another namespace WHEN fixed THEN none is invented or moved, and the reason says so', () => {
    const r = LoopbackFixer.fix([privateIngress({ namespace: 'shop', config: 'elsewhere' }), keepaliveConfig('elsewhere', ['HTTP:80'], 'other-ns')]);
    expect(r.manifests).toHaveLength(2);
    expect(r.changes).toEqual([]);
    expect(r.unfixed.map((u) => u.finding.ruleId)).toEqual(['TKE-L7-002']);
    expect(r.unfixed[0].reason).toMatch(/TkeServiceConfig elsewhere is in namespace other-ns, not shop, and fix mode does not move objects/);
    expect(r.unfixed[0].reason).toMatch(/needs keepaliveEnable: 1 on HTTP:80/);

    // The Ingress without a namespace meets that config when applied to other-ns: a warning, judged for keepalive.
    const depends = LoopbackFixer.fix([privateIngress({ config: 'elsewhere' }), keepaliveConfig('elsewhere', ['HTTP:80'], 'other-ns')]);
    expect(depends.unfixed.map((u) => u.finding.ruleId)).toEqual(['TKE-L7-002']);
    expect(depends.unfixed[0].reason).toMatch(/meet only when both are applied to the same namespace, and fix mode does not choose namespaces/);
  });

  test('GIVEN a binding to a config missing from the set THEN the report (TKE-L7-002) names the config, the listeners and how to proceed', () => {
    const ing = privateIngress({ name: 'shop', namespace: 'prod', tls: true, config: 'shop-cfg' });
    const r = LoopbackFixer.fix([ing]);
    expect(r.manifests).toEqual([ing]);
    expect(r.changes).toEqual([]);
    expect(r.unfixed.map((u) => u.finding.ruleId)).toEqual(['TKE-L7-002']);
    const reason = r.unfixed[0].reason;
    expect(reason).toMatch(/bound to TkeServiceConfig prod\/shop-cfg .* which is not in the manifests/);
    expect(reason).toMatch(/does not invent one/);
    expect(reason).toMatch(/kubectl -n prod get tkeserviceconfig shop-cfg -o yaml/);
    expect(reason).toMatch(/keepaliveEnable: 1 on HTTP:80, HTTPS:443 .*TKE-L7-001 is not judged/);
    // With the config added to the set, fix patches it.
    const withConfig = LoopbackFixer.fix([ing, serviceConfig('shop-cfg', { l7Listeners: [] }, 'prod')]);
    expect(withConfig.unfixed).toEqual([]);
    expect(withConfig.manifests[1].spec.loadBalancer.l7Listeners.map((l: any) => `${l.protocol}:${l.port}:${l.keepaliveEnable}`))
      .toEqual(['HTTP:80:1', 'HTTPS:443:1']);
  });

  test('GIVEN the auto binding WHEN fixed THEN nothing changes and the reason says how to proceed', () => {
    const ing = privateIngress({ annotations: { [ING_CONFIG_AUTO]: 'true' } });
    const config = serviceConfig('shop-auto-ingress-config', { l7Listeners: [{ protocol: 'HTTP', port: 80 }] });
    const r = LoopbackFixer.fix([ing, config]);
    expect(r.changes).toEqual([]);
    expect(r.manifests[1]).toBe(config);
    expect(r.unfixed.find((u) => u.finding.ruleId === 'TKE-L7-001')?.reason).toMatch(/controller owns shop-auto-ingress-config/);
  });

  test('GIVEN a List of objects WHEN fixed THEN the added config goes into the list right after its Ingress', () => {
    const list = { apiVersion: 'v1', kind: 'List', items: [privateIngress(), privateService({ annotations: { [PREVENT]: 'true' } })] };
    const r = LoopbackFixer.fix([list]);
    expect(r.manifests).toHaveLength(1);
    expect(r.manifests[0].items.map((m: any) => m.kind)).toEqual(['Ingress', 'TkeServiceConfig', 'Service']);
    expect(r.changes.map((c) => c.itemIndex)).toEqual([0, 0]);
  });
});

describe('TKE-ANN-001', () => {
  test.each([
    [true, 'true'], ['True', 'true'], ['yes', 'true'], [1, 'true'], ['FALSE', 'false'], [false, 'false'],
  ])('GIVEN prevent-loopback %p WHEN fixed THEN it is written as "%s"', (value, expected) => {
    const r = LoopbackFixer.fix([privateService({ annotations: { [PREVENT]: value } })]);
    expect(annotations(r.manifests, 'Service', 'web')[PREVENT]).toEqual(expected);
    expect(r.changes[0]).toEqual(expect.objectContaining({ ruleId: 'TKE-ANN-001' }));
  });

  test('GIVEN two on/off annotations written loosely on one Service WHEN fixed THEN each is written as TKE reads it', () => {
    const r = LoopbackFixer.fix([privateService({ annotations: { [PREVENT]: 'Yes', [SVC_PASS]: false } })]);
    expect(annotations(r.manifests, 'Service', 'web')).toEqual(expect.objectContaining({ [PREVENT]: 'true', [SVC_PASS]: 'false' }));
    expect(r.changes.map((c) => c.message)).toEqual([
      `${PREVENT}: "Yes" written as "true"`,
      `${SVC_PASS}: false written as "false"`,
    ]);
  });

  test('GIVEN a value whose intent is unclear WHEN fixed THEN it is reported, not guessed', () => {
    const r = LoopbackFixer.fix([privateService({ annotations: { [PREVENT]: 'maybe' } })]);
    expect(annotations(r.manifests, 'Service', 'web')[PREVENT]).toEqual('maybe');
    expect(r.unfixed.find((u) => u.finding.ruleId === 'TKE-ANN-001')?.reason).toMatch(/"maybe" reads as neither/);
  });
});

describe('pass-to-target', () => {
  test('GIVEN no option WHEN fixed THEN pass-to-target is never added', () => {
    const r = LoopbackFixer.fix([privateService(), privateIngress()]);
    expect(annotations(r.manifests, 'Service', 'web')[SVC_PASS]).toBeUndefined();
    expect(annotations(r.manifests, 'Ingress', 'shop')[ING_PASS]).toBeUndefined();
  });

  test('GIVEN passToTarget and reused CLBs declared private THEN pass-to-target is still never added to them', () => {
    const svc = service({ annotations: { [EXISTED_LB]: 'lb-aaaa1111' } });
    const legacy = service({ name: 'old', annotations: { 'service.kubernetes.io/loadbalance-id': 'lb-aaaa1111' } });
    const ing = ingress({ annotations: { [EXIST_LB]: 'lb-aaaa1111' } });
    const r = LoopbackFixer.fix([svc, legacy, ing], { passToTarget: true, privateClbIds: ['lb-aaaa1111'] });
    expect(r.changes.map((c) => c.message).join('\n')).not.toMatch(/pass-to-target/);
    expect(r.changes.map((c) => c.ruleId)).toEqual(['TKE-L4-001', 'TKE-L4-001', 'TKE-L7-001', 'TKE-L7-001']);
  });

  test('GIVEN passToTarget WHEN fixed THEN it is added on CLBs TKE creates, never on a reused one', () => {
    const r = LoopbackFixer.fix([
      privateService({ name: 'new' }),
      privateService({ name: 'reused', annotations: { 'service.kubernetes.io/tke-existed-lbid': 'lb-12345678' } }),
      privateIngress({ name: 'ing' }),
      privateIngress({ name: 'ing-reused', annotations: { 'kubernetes.io/ingress.existLbId': 'lb-12345678' } }),
    ], { passToTarget: true });
    expect(annotations(r.manifests, 'Service', 'new')[SVC_PASS]).toEqual('true');
    expect(annotations(r.manifests, 'Service', 'reused')[SVC_PASS]).toBeUndefined();
    expect(annotations(r.manifests, 'Ingress', 'ing')[ING_PASS]).toEqual('true');
    expect(annotations(r.manifests, 'Ingress', 'ing-reused')[ING_PASS]).toBeUndefined();
    expect(r.changes.filter((c) => c.ruleId === undefined).map((c) => c.name)).toEqual(['new', 'ing']);
  });
});

describe('selection, suppression and results', () => {
  test('GIVEN rules: [TKE-L7-001] WHEN fixed THEN TKE-L4-001 is only reported', () => {
    const r = LoopbackFixer.fix([privateService(), privateIngress()], { rules: ['TKE-L7-001'] });
    expect(annotations(r.manifests, 'Service', 'web')[PREVENT]).toBeUndefined();
    expect(annotations(r.manifests, 'Ingress', 'shop')[ING_CONFIG]).toEqual('shop-loopback');
    expect(r.unfixed.map((u) => [u.finding.ruleId, u.reason])).toEqual([['TKE-L4-001', 'TKE-L4-001 was not selected (--rules)']]);
  });

  test('GIVEN a suppressed finding WHEN fixed THEN it is not fixed and is listed as suppressed', () => {
    const svc = privateService({ annotations: { [SUPPRESS]: 'TKE-L4-001=clients use the cluster DNS name only' } });
    const r = LoopbackFixer.fix([svc]);
    expect(r.manifests[0]).toBe(svc);
    expect(r.suppressed.map((s) => s.finding.ruleId)).toEqual(['TKE-L4-001']);
    expect(r.fixed).toBe(true);
  });

  test.each([
    [{ rules: ['TKE-DNS-001'] }, /'rules' may name only TKE-ANN-001, TKE-L4-001, TKE-L7-001, got "TKE-DNS-001"/],
    [{ l4: 'sometimes' as any }, /'l4' must be one of prevent-loopback, none, got "sometimes"/],
    [{ passToTarget: 'yes' as any }, /'passToTarget' must be true or false, got "yes"/],
  ])('GIVEN bad options %p THEN fix throws naming the option', (options, message) => {
    expect(() => LoopbackFixer.fix([], options)).toThrow(message);
  });

  test('GIVEN a fixed set WHEN fixed again THEN nothing changes and check finds no fixable risk', () => {
    const input = [
      privateService({ name: 'a', annotations: { [PREVENT]: 'True' } }),
      privateService({ name: 'b' }),
      privateIngress({ name: 'c', tls: true }),
      privateIngress({ name: 'd', config: 'd-cfg' }),
      keepaliveConfig('d-cfg', []),
    ];
    const once = LoopbackFixer.fix(input);
    const twice = LoopbackFixer.fix(once.manifests);
    expect(twice.changes).toEqual([]);
    expect(twice.manifests).toEqual(once.manifests);
    const fixable = LoopbackFixer.fixableRules();
    expect(LoopbackChecker.check(once.manifests).findings.filter((f) => fixable.includes(f.ruleId))).toEqual([]);
  });
});
