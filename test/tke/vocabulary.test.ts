import * as fs from 'fs';
import * as path from 'path';
import { KubeProxyVersion, TkeAnnotations, TkeIds } from '../../src';

describe('TkeAnnotations', () => {
  test('holds every annotation key Tencent documents for loopback, verbatim', () => {
    const values = Object.values(TkeAnnotations).sort();
    expect(values).toEqual([
      'ingress.cloud.tencent.com/direct-access',
      'ingress.cloud.tencent.com/listen-ports',
      'ingress.cloud.tencent.com/pass-to-target',
      'ingress.cloud.tencent.com/tke-service-config',
      'ingress.cloud.tencent.com/tke-service-config-auto',
      'kubernetes.io/ingress.class',
      'kubernetes.io/ingress.existLbId',
      'kubernetes.io/ingress.subnetId',
      'service.cloud.tencent.com/direct-access',
      'service.cloud.tencent.com/pass-to-target',
      'service.cloud.tencent.com/prevent-loopback',
      'service.cloud.tencent.com/security-groups',
      'service.cloud.tencent.com/tke-service-config',
      'service.cloud.tencent.com/tke-service-config-auto',
      'service.kubernetes.io/qcloud-loadbalancer-internal-subnetid',
      'service.kubernetes.io/tke-existed-lbid',
    ]);
  });
});

describe('TkeIds', () => {
  test.each(['subnet-abcd1234', 'subnet-00000000', 'subnet-zzzzzzzz'])('accepts subnet id %s', (id) => {
    expect(TkeIds.isSubnetId(id)).toBe(true);
    expect(TkeIds.validateSubnetId(id)).toEqual(id);
  });

  test.each(['subnet-ABCD1234', 'subnet-abc', 'subnet-abcd12345', 'abc', 'lb-abcd1234', ' subnet-abcd1234', 'subnet-abcd1234\n'])(
    'rejects subnet id %j, quoting it and naming the prop', (id) => {
      expect(TkeIds.isSubnetId(id)).toBe(false);
      expect(() => TkeIds.validateSubnetId(id, 'internalSubnetId')).toThrow(
        `'internalSubnetId' must look like subnet-xxxxxxxx (8 lowercase letters or digits), got ${JSON.stringify(id)}`,
      );
    });

  test.each(['lb-abcd1234', 'lb-0a1b2c3d'])('accepts CLB id %s', (id) => {
    expect(TkeIds.validateLoadBalancerId(id)).toEqual(id);
  });

  test.each(['lb-abc', 'lb-ABCD1234', 'subnet-abcd1234', 'lb_abcd1234', ''])('rejects CLB id %j', (id) => {
    expect(() => TkeIds.validateLoadBalancerId(id, 'existingLoadBalancerId')).toThrow(
      `'existingLoadBalancerId' must look like lb-xxxxxxxx (8 lowercase letters or digits), got ${JSON.stringify(id)}`,
    );
  });
});

describe('KubeProxyVersion', () => {
  test('parses the TKE image tag format', () => {
    const v = KubeProxyVersion.parse('v1.20.6-tke.12');
    expect([v.major, v.minor, v.patch, v.tkeRevision]).toEqual([1, 20, 6, 12]);
    expect(v.toString()).toEqual('v1.20.6-tke.12');
  });

  test.each([
    ['ccr.ccs.tencentyun.com/tkeimages/kube-proxy:v1.20.6-tke.12', 'v1.20.6-tke.12'],
    ['ccr.ccs.tencentyun.com/tkeimages/hyperkube:v1.30.0-tke.9', 'v1.30.0-tke.9'],
    ['kube-proxy:v1.18.4-tke.20', 'v1.18.4-tke.20'],
    ['registry:5000/a/b/kube-proxy:v1.18.4-tke.20@sha256:0123abcd', 'v1.18.4-tke.20'],
    ['v1.34.1-tke.2-rc3', 'v1.34.1-tke.2-rc3'],
    [' v1.20.6-tke.12 ', 'v1.20.6-tke.12'],
  ])('accepts what users paste: %j is %s', (input, tag) => {
    expect(KubeProxyVersion.parse(input).toString()).toEqual(tag);
  });

  test.each([
    '1.20.6-tke.12', 'v1.20.6', 'v1.20-tke.1', 'latest', '', 'v1.20.6-tke.x', 'v1.20.6-tke.12-beta1',
    'nginx:v1.20.6-tke.12', 'ccr.ccs.tencentyun.com/tkeimages/kube-proxy', 'ccr.ccs.tencentyun.com/tkeimages/kube-proxy:latest',
  ])('rejects %j, quoting it and showing the accepted forms', (s) => {
    expect(() => KubeProxyVersion.parse(s)).toThrow(
      `kube-proxy version ${JSON.stringify(s)} is not a TKE kube-proxy build; expected a TKE build tag such as v1.20.6-tke.12 or v1.34.1-tke.2-rc3, or the full image reference`,
    );
    expect(KubeProxyVersion.tryParse(s)).toBeUndefined();
    expect(KubeProxyVersion.checkPreventLoopback(s)).toEqual({ supported: false, reason: expect.stringContaining(`${JSON.stringify(s)} is not a TKE kube-proxy build`) });
  });

  test('a release candidate comes before its release, and a lower rc before a higher one', () => {
    const p = KubeProxyVersion.parse;
    expect(p('v1.34.1-tke.2-rc3').compareTo(p('v1.34.1-tke.2'))).toBeLessThan(0);
    expect(p('v1.34.1-tke.2').compareTo(p('v1.34.1-tke.2-rc3'))).toBeGreaterThan(0);
    expect(p('v1.34.1-tke.2-rc3').compareTo(p('v1.34.1-tke.2-rc10'))).toBeLessThan(0);
    expect(p('v1.34.1-tke.2-rc3').compareTo(p('v1.34.1-tke.1'))).toBeGreaterThan(0);
    expect(p('v1.34.1-tke.2-rc3').releaseCandidate).toEqual(3);
    expect(p('v1.34.1-tke.2').releaseCandidate).toBeUndefined();
  });

  test('checkPreventLoopback says why: older than the minimum, naming it and the Tencent page', () => {
    const support = KubeProxyVersion.checkPreventLoopback('ccr.ccs.tencentyun.com/tkeimages/hyperkube:v1.28.3-tke.2');
    expect(support.supported).toBe(false);
    expect(support.minimum?.toString()).toEqual('v1.28.3-tke.3');
    expect(support.version?.toString()).toEqual('v1.28.3-tke.2');
    expect(support.reason).toEqual(
      'v1.28.3-tke.2 is older than v1.28.3-tke.3, the first 1.28 build that supports prevent-loopback (https://www.tencentcloud.com/document/product/457/9315)',
    );
  });

  test('checkPreventLoopback: nothing before 1.12 is documented', () => {
    const support = KubeProxyVersion.checkPreventLoopback('v1.10.5-tke.99');
    expect([support.supported, support.minimum]).toEqual([false, undefined]);
    expect(support.reason).toMatch(/^v1.10.5-tke.99 is older than Kubernetes 1.12; Tencent documents no kube-proxy before v1.12.4-tke.30/);
  });

  test.each([
    ['v1.20.6-tke.12', true],
    ['v1.20.6-tke.11', false],
    ['v1.20.7-tke.1', true],
    ['v1.20.5-tke.99', false],
    ['v1.18.4-tke.20', true],
    ['v1.18.4-tke.19', false],
    ['v1.16.3-tke.24', false],
    ['v1.14.3-tke.24', true],
    ['v1.12.4-tke.29', false],
    ['v1.22.5-tke.1', true], // no documented minimum: accepted
    ['v1.19.3-tke.1', true], // odd minor, no documented minimum
    ['v1.28.3-tke.2', false], // revision history: fixed in v1.28.3-tke.3
    ['v1.28.3-tke.3-rc1', false],
    ['v1.28.3-tke.3', true],
    ['v1.28.4-tke.1', true],
    ['v1.10.5-tke.99', false], // before 1.12: nothing documented
    ['v1.11.9-tke.1', false],
    ['v1.34.1-tke.2-rc3', true],
  ])('%s supports prevent-loopback: %s', (s, expected) => {
    expect(KubeProxyVersion.parse(s).supportsPreventLoopback()).toBe(expected);
  });

  test('names the documented minimum of the minor', () => {
    expect(KubeProxyVersion.parse('v1.18.2-tke.3').minimumForPreventLoopback()?.toString()).toEqual('v1.18.4-tke.20');
    expect(KubeProxyVersion.parse('v1.24.4-tke.3').minimumForPreventLoopback()).toBeUndefined();
    expect(KubeProxyVersion.documentedMinimums().map(String)).toEqual([
      'v1.12.4-tke.30', 'v1.14.3-tke.24', 'v1.16.3-tke.25', 'v1.18.4-tke.20', 'v1.20.6-tke.12', 'v1.28.3-tke.3',
    ]);
  });

  test('orders by minor, patch, then revision', () => {
    const p = KubeProxyVersion.parse;
    expect(p('v1.20.6-tke.12').compareTo(p('v1.20.6-tke.12'))).toEqual(0);
    expect(p('v1.20.6-tke.2').compareTo(p('v1.20.6-tke.12'))).toBeLessThan(0);
    expect(p('v1.21.0-tke.1').compareTo(p('v1.20.9-tke.99'))).toBeGreaterThan(0);
  });
});

// What users read in API.md and their IDE: the published jsii assembly's docs of each annotation constant.
// 457/39142 is Tencent's "Service Annotation" page, 457/40675 its "Ingress Annotation" page.
describe('the published docs of TkeAnnotations', () => {
  const assemblyFile = path.join(__dirname, '..', '..', '.jsii');
  const properties: Array<{ name: string; docs?: { summary?: string; see?: string } }> = fs.existsSync(assemblyFile)
    ? JSON.parse(fs.readFileSync(assemblyFile, 'utf8')).types['cdk8s-tke-loopback.TkeAnnotations'].properties
    : [];

  test('exist for every constant (the assembly is written by `npx projen compile`)', () => {
    expect(properties.map((p) => p.name).sort()).toEqual(Object.keys(TkeAnnotations).sort());
  });

  test.each(Object.entries(TkeAnnotations))('%s quotes its key and cites the page that documents it', (name, key) => {
    const docs = properties.find((p) => p.name === name)?.docs;
    expect(docs?.summary).toContain(`\`${key}\``);
    const page = name.startsWith('SERVICE_') ? '457/39142' : name.startsWith('INGRESS_') ? '457/40675' : '457/';
    expect(docs?.see).toMatch(new RegExp(`^https://www\\.tencentcloud\\.com/document/product/${page}`));
  });
});
