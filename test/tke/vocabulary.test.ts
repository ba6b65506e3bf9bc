import * as fs from 'fs';
import * as path from 'path';
import { KubeProxyVersion, TkeAnnotations, TkeIds } from '../../src';

describe('TkeAnnotations', () => {
  test('holds every annotation key of tke-facts §2–§4, verbatim', () => {
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

  test('every constant has a doc comment quoting its key and a source link', () => {
    const source = fs.readFileSync(path.join(__dirname, '..', '..', 'src', 'tke', 'annotations.ts'), 'utf8');
    for (const [name, key] of Object.entries(TkeAnnotations)) {
      const decl = source.indexOf(`public static readonly ${name} =`);
      const doc = source.slice(source.lastIndexOf('/**', decl), decl);
      expect(doc).toContain(`\`${key}\``);
      expect(doc).toMatch(/@see https:\/\/www\.tencentcloud\.com\/document\/product\/457\/\d+/);
    }
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

  test.each(['1.20.6-tke.12', 'v1.20.6', 'v1.20-tke.1', 'latest', '', 'v1.20.6-tke.x'])('rejects %j with the expected format', (s) => {
    expect(() => KubeProxyVersion.parse(s)).toThrow(/not in the format v<major>.<minor>.<patch>-tke.<revision>, for example v1.20.6-tke.12/);
    expect(KubeProxyVersion.tryParse(s)).toBeUndefined();
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
  ])('%s supports prevent-loopback: %s', (s, expected) => {
    expect(KubeProxyVersion.parse(s).supportsPreventLoopback()).toBe(expected);
  });

  test('names the documented minimum of the minor', () => {
    expect(KubeProxyVersion.parse('v1.18.2-tke.3').minimumForPreventLoopback()?.toString()).toEqual('v1.18.4-tke.20');
    expect(KubeProxyVersion.parse('v1.24.4-tke.3').minimumForPreventLoopback()).toBeUndefined();
    expect(KubeProxyVersion.documentedMinimums().map(String)).toEqual([
      'v1.12.4-tke.30', 'v1.14.3-tke.24', 'v1.16.3-tke.25', 'v1.18.4-tke.20', 'v1.20.6-tke.12',
    ]);
  });

  test('orders by minor, patch, then revision', () => {
    const p = KubeProxyVersion.parse;
    expect(p('v1.20.6-tke.12').compareTo(p('v1.20.6-tke.12'))).toEqual(0);
    expect(p('v1.20.6-tke.2').compareTo(p('v1.20.6-tke.12'))).toBeLessThan(0);
    expect(p('v1.21.0-tke.1').compareTo(p('v1.20.9-tke.99'))).toBeGreaterThan(0);
  });
});
