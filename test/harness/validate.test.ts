import { manifestProblems, validateManifest, validateManifests } from './validate';

function service(spec: any): any {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'prod' }, spec };
}

function tkeServiceConfig(spec: any, extra: any = {}): any {
  return { apiVersion: 'cloud.tencent.com/v1alpha1', kind: 'TkeServiceConfig', metadata: { name: 'web-loopback' }, spec, ...extra };
}

const validL7 = { loadBalancer: { l7Listeners: [{ protocol: 'HTTP', port: 80, keepaliveEnable: 1 }] } };

describe('validation harness', () => {
  describe('core kinds (Kubernetes OpenAPI)', () => {
    test('accepts a valid LoadBalancer Service', () => {
      expect(manifestProblems(service({ type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [{ port: 80 }] }))).toEqual([]);
    });

    test('rejects externalTrafficPolicy: Bogus', () => {
      expect(() => validateManifest(service({ type: 'LoadBalancer', externalTrafficPolicy: 'Bogus', ports: [{ port: 80 }] })))
        .toThrow(/externalTrafficPolicy must be equal to one of the allowed values/);
    });

    test('rejects a string port', () => {
      expect(() => validateManifest(service({ ports: [{ port: '80' }] }))).toThrow(/ports\/0\/port must be integer/);
    });

    test('rejects a missing or invalid name', () => {
      expect(() => validateManifest({ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} })).toThrow(/metadata.name/);
      expect(() => validateManifest({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_Name' } })).toThrow(/metadata.name/);
    });

    test('rejects a non-string annotation value', () => {
      expect(() => validateManifest({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', annotations: { x: true } } }))
        .toThrow(/metadata.annotations.x must be a string/);
    });

    test('validates apps/v1 and networking.k8s.io/v1 kinds', () => {
      expect(manifestProblems({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { selector: {}, template: {} } })).toEqual([]);
      expect(manifestProblems({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i' }, spec: { rules: [{ host: 5 }] } }))
        .not.toEqual([]);
    });
  });

  describe('TkeServiceConfig (crds/, ajv strict)', () => {
    test('accepts a valid config', () => {
      expect(manifestProblems(tkeServiceConfig(validL7))).toEqual([]);
    });

    test('rejects keepaliveEnable: 2', () => {
      expect(() => validateManifest(tkeServiceConfig({ loadBalancer: { l7Listeners: [{ protocol: 'HTTP', port: 80, keepaliveEnable: 2 }] } })))
        .toThrow(/keepaliveEnable must be equal to one of the allowed values/);
    });

    test('rejects sessionExpireTime: 10', () => {
      const spec = { loadBalancer: { l4Listeners: [{ protocol: 'TCP', port: 80, session: { enable: true, sessionExpireTime: 10 } }] } };
      expect(() => validateManifest(tkeServiceConfig(spec))).toThrow(/sessionExpireTime must be >= 30/);
    });

    test('rejects an unknown field, at the top and deep inside', () => {
      expect(() => validateManifest(tkeServiceConfig(validL7, { status: {} }))).toThrow(/must NOT have additional properties: status/);
      const deep = { loadBalancer: { l7Listener: [{ protocol: 'HTTP', port: 80, keepaliveEnable: 1 }] } };
      expect(() => validateManifest(tkeServiceConfig(deep))).toThrow(/must NOT have additional properties: l7Listener/);
    });

    test('keeps unknown fields where the CRD says x-kubernetes-preserve-unknown-fields (listeners, domains, rules, health checks)', () => {
      const spec = { loadBalancer: { l7Listeners: [{ protocol: 'HTTP', port: 80, listenerName: 'web', domains: [{ domain: '', http2: true }] }] } };
      expect(manifestProblems(tkeServiceConfig(spec))).toEqual([]);
    });

    test('rejects a health check whose timeout is not less than its interval (the CRD CEL rule)', () => {
      const spec = (healthCheck: any) => ({
        loadBalancer: { l7Listeners: [{ protocol: 'HTTP', port: 80, domains: [{ domain: 'a.com', rules: [{ url: '/', healthCheck }] }] }] },
      });
      expect(() => validateManifest(tkeServiceConfig(spec({ enable: true, intervalTime: 5, timeout: 5 })))).toThrow(/timeout must be less than intervalTime/);
      // Tencent's default interval is 5: a timeout of 10 alone breaks the rule.
      expect(() => validateManifest(tkeServiceConfig(spec({ enable: true, timeout: 10 })))).toThrow(/timeout must be less than intervalTime/);
      expect(manifestProblems(tkeServiceConfig(spec({ enable: true, intervalTime: 10, timeout: 5 })))).toEqual([]);
    });

    test('rejects a missing required field and a wrong enum', () => {
      expect(() => validateManifest(tkeServiceConfig({ loadBalancer: { l7Listeners: [{ port: 80 }] } }))).toThrow(/must have required property 'protocol'/);
      expect(() => validateManifest(tkeServiceConfig({ loadBalancer: { l4Listeners: [{ protocol: 'SCTP', port: 80 }] } }))).toThrow(/protocol must be equal to one of the allowed values/);
    });
  });

  describe('unknown kinds', () => {
    test('fails on a kind it cannot validate instead of passing it', () => {
      expect(() => validateManifest({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }))
        .toThrow(/cannot validate example.com\/v1 Widget/);
      expect(() => validateManifest({ apiVersion: 'v1', kind: 'NoSuchKind', metadata: { name: 'w' } })).toThrow(/cannot validate v1 NoSuchKind/);
    });

    test('fails on something that is not a manifest', () => {
      expect(() => validateManifest(null)).toThrow(/must be an object/);
      expect(() => validateManifest({ kind: 'Service' })).toThrow(/apiVersion and kind must be strings/);
    });
  });

  test('rejects two manifests with the same kind, namespace and name', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } };
    expect(() => validateManifests([cm, { ...cm }])).toThrow(/same kind, namespace and name|two manifests/);
  });
});
