import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { tkeconfig } from '../../src';
import { findManifest, synthValidated, validateManifests } from '../harness/validate';

const TkeServiceConfig = tkeconfig.TkeServiceConfig;
const TkeServiceConfigSpecLoadBalancerL4ListenersProtocol = tkeconfig.TkeServiceConfigSpecLoadBalancerL4ListenersProtocol;
const TkeServiceConfigSpecLoadBalancerL7ListenersDomainsRulesScheduler = tkeconfig.TkeServiceConfigSpecLoadBalancerL7ListenersDomainsRulesScheduler;
const TkeServiceConfigSpecLoadBalancerL7ListenersProtocol = tkeconfig.TkeServiceConfigSpecLoadBalancerL7ListenersProtocol;

const ROOT = path.join(__dirname, '..', '..');

describe('TkeServiceConfig (generated L1)', () => {
  test('synthesizes apiVersion cloud.tencent.com/v1alpha1, kind TkeServiceConfig', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new TkeServiceConfig(chart, 'c', {
      metadata: { name: 'x' },
      spec: {
        loadBalancer: {
          l7Listeners: [{ protocol: TkeServiceConfigSpecLoadBalancerL7ListenersProtocol.HTTP, port: 80, keepaliveEnable: 1 }],
        },
      },
    });
    // THEN
    const manifests = synthValidated(chart);
    expect(findManifest(manifests, 'TkeServiceConfig', 'x')).toEqual({
      apiVersion: 'cloud.tencent.com/v1alpha1',
      kind: 'TkeServiceConfig',
      metadata: { name: 'x' },
      spec: { loadBalancer: { l7Listeners: [{ protocol: 'HTTP', port: 80, keepaliveEnable: 1 }] } },
    });
  });

  test('carries every schema field through to the manifest', () => {
    const chart = Testing.chart();
    new TkeServiceConfig(chart, 'c', {
      metadata: { name: 'full', namespace: 'prod' },
      spec: {
        loadBalancer: {
          internetMaxBandwidthOut: 100,
          l4Listeners: [{
            protocol: TkeServiceConfigSpecLoadBalancerL4ListenersProtocol.TCP,
            port: 443,
            session: { enable: true, sessionExpireTime: 3600 },
            healthCheck: { enable: true, intervalTime: 10, healthNum: 2, unHealthNum: 10, timeout: 5 },
          }],
        },
      },
    });
    const m = findManifest(synthValidated(chart), 'TkeServiceConfig', 'full', 'prod');
    expect(m.spec.loadBalancer.l4Listeners).toEqual([{
      protocol: 'TCP',
      port: 443,
      session: { enable: true, sessionExpireTime: 3600 },
      healthCheck: { enable: true, intervalTime: 10, healthNum: 2, unHealthNum: 10, timeout: 5 },
    }]);
    expect(m.spec.loadBalancer.internetMaxBandwidthOut).toEqual(100);
  });

  test('the committed L1 is exactly what `cdk8s import` generates from crds/', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tke-import-'));
    execFileSync(
      path.join(ROOT, 'node_modules', '.bin', 'cdk8s'),
      ['import', path.join(ROOT, 'crds', 'tkeserviceconfig.yaml'), '--language', 'typescript', '--output', out, '--no-check-upgrade'],
      { cwd: ROOT, stdio: 'pipe' },
    );
    const generated = fs.readdirSync(out).sort();
    const committed = fs.readdirSync(path.join(ROOT, 'src', 'tke', 'imports')).sort();
    expect(committed).toEqual(generated);
    for (const file of generated) {
      expect(fs.readFileSync(path.join(ROOT, 'src', 'tke', 'imports', file), 'utf8')).toEqual(fs.readFileSync(path.join(out, file), 'utf8'));
    }
  });
});

describe('TkeServiceConfig schema (crds/) and what TKE controllers accept', () => {
  test('a layer-7 rule may use scheduler IP_HASH (CLB API 214/30681), through the L1 enum', () => {
    const chart = Testing.chart();
    new TkeServiceConfig(chart, 'c', {
      metadata: { name: 'ip-hash' },
      spec: {
        loadBalancer: {
          l7Listeners: [{
            protocol: TkeServiceConfigSpecLoadBalancerL7ListenersProtocol.HTTP,
            port: 80,
            domains: [{ domain: '', rules: [{ url: '/', scheduler: TkeServiceConfigSpecLoadBalancerL7ListenersDomainsRulesScheduler.IP_UNDERSCORE_HASH }] }],
          }],
        },
      },
    });
    const m = findManifest(synthValidated(chart), 'TkeServiceConfig', 'ip-hash');
    expect(m.spec.loadBalancer.l7Listeners[0].domains[0].rules[0].scheduler).toEqual('IP_HASH');
  });

  test('a real config with fields newer controllers read (unconfirmed, not typed) does not fail the schema', () => {
    expect(() => validateManifests([{
      apiVersion: 'cloud.tencent.com/v1alpha1',
      kind: 'TkeServiceConfig',
      metadata: { name: 'real', namespace: 'prod' },
      spec: {
        loadBalancer: {
          l4Listeners: [{ protocol: 'TCP', port: 80, snatEnable: true, healthCheck: { enable: true, checkType: 'HTTP', checkPort: 8080 } }],
          l7Listeners: [{
            protocol: 'HTTPS',
            port: 443,
            keepaliveEnable: 1,
            listenerName: 'web',
            domains: [{ domain: 'a.example.com', http2: true, rules: [{ url: '/', healthCheck: { enable: true, checkType: 'HTTP' } }] }],
          }],
        },
      },
    }])).not.toThrow();
  });

  test('a typo in a typed field is still caught (the schema is not opened wholesale)', () => {
    expect(() => validateManifests([{
      apiVersion: 'cloud.tencent.com/v1alpha1',
      kind: 'TkeServiceConfig',
      metadata: { name: 'typo' },
      spec: { loadBalancer: { l7Listeners: [{ protocol: 'HTTP', port: 80, keepaliveEnable: 2 }], internetMaxBandwidthOutt: 1 } },
    }])).toThrow();
  });

  test('the CRD lists the unconfirmed fields in a comment and types none of them', () => {
    const crd = fs.readFileSync(path.join(ROOT, 'crds', 'tkeserviceconfig.yaml'), 'utf8');
    const comments = crd.split('\n').filter((l) => l.startsWith('#')).join('\n');
    for (const field of ['snatEnable', 'checkType', 'checkPort', 'http2', 'listenerName']) {
      expect(comments).toContain(field);
      expect(crd).not.toMatch(new RegExp(`^\\s+${field}:`, 'm'));
    }
  });
});
