import { documentSlices, lineDiff } from './yaml-helpers';
import { InputError } from '../../src/checks/input';
import { FailOn, fixResourceList, fixSources } from '../../src/fix/sources';

const SUBNET = 'service.kubernetes.io/qcloud-loadbalancer-internal-subnetid';

function fixText(text: string, options = {}) {
  const run = fixSources([{ name: 'in.yaml', text }], options);
  return { ...run, text: run.outputs[0].text };
}

const UNPROTECTED = `# Source: chart/templates/svc.yaml
apiVersion: v1
kind: Service
metadata:
  name: web    # the web tier
  labels: &labels
    app: web
  annotations:
    ${SUBNET}: 'subnet-12345678'   # private
spec:
  type: LoadBalancer
  selector: *labels
  ports:
    - port: 80
`;

const CONFIG_MAP = `--- # settings
apiVersion: v1
kind: ConfigMap
metadata: {name: settings,   namespace: default}
data:
    key:    "value"
    other: 'x'
`;

/** A private Ingress bound to TkeServiceConfig shop-cfg (no spec). */
const BOUND_INGRESS = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  annotations:
    kubernetes.io/ingress.subnetId: subnet-12345678
    ingress.cloud.tencent.com/tke-service-config: shop-cfg
`;

/** The start of TkeServiceConfig shop-cfg, up to its loadBalancer. */
const CONFIG_HEAD = `apiVersion: cloud.tencent.com/v1alpha1
kind: TkeServiceConfig
metadata:
  name: shop-cfg
spec:
  loadBalancer:
`;

describe('format-preserving edits', () => {
  test('GIVEN an unprotected Service and an untouched ConfigMap WHEN fixed THEN only one line is added and the ConfigMap keeps its bytes', () => {
    const { text } = fixText(UNPROTECTED + CONFIG_MAP);
    expect(lineDiff(UNPROTECTED + CONFIG_MAP, text)).toEqual({
      removed: [],
      added: ['    service.cloud.tencent.com/prevent-loopback: "true"'],
    });
    expect(documentSlices(text)[1].text).toEqual(CONFIG_MAP);
  });

  test('GIVEN nothing to fix WHEN fixed THEN the output is the input, byte for byte, BOM included', () => {
    const input = `\ufeff${CONFIG_MAP}...\n`;
    const run = fixText(input);
    expect(run.text).toEqual(input);
    expect(run.outputs[0].changed).toBe(false);
  });

  test('GIVEN CRLF line ends WHEN fixed THEN the added lines end in CRLF too', () => {
    const input = (UNPROTECTED + CONFIG_MAP).replace(/\n/g, '\r\n');
    const { text } = fixText(input);
    expect(text).toContain('\r\n    service.cloud.tencent.com/prevent-loopback: "true"\r\nspec:');
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
  });

  test('GIVEN an unquoted boolean WHEN fixed THEN only its value changes and the comment stays', () => {
    const input = UNPROTECTED.replace('\'subnet-12345678\'   # private', '\'subnet-12345678\'   # private\n    service.cloud.tencent.com/prevent-loopback: yes  # on');
    const { text } = fixText(input);
    expect(lineDiff(input, text)).toEqual({
      removed: ['    service.cloud.tencent.com/prevent-loopback: yes  # on'],
      added: ['    service.cloud.tencent.com/prevent-loopback: "true"  # on'],
    });
  });

  test('GIVEN flow-style annotations and 4-space indentation WHEN fixed THEN the flow map grows and the block keeps its indentation', () => {
    const input = [
      'apiVersion: v1\nkind: Service\nmetadata: {name: a, annotations: {' + SUBNET + ': subnet-12345678}}\nspec: {type: LoadBalancer}\n',
      '---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n    name: b\n    annotations:\n        kubernetes.io/ingress.subnetId: subnet-12345678\nspec:\n  tls:\n  - hosts: [b.example.com]\n',
    ].join('');
    const { text } = fixText(input);
    expect(text).toContain(`metadata: {name: a, annotations: {${SUBNET}: subnet-12345678, service.cloud.tencent.com/prevent-loopback: "true"}}`);
    expect(text).toContain('        kubernetes.io/ingress.subnetId: subnet-12345678\n        ingress.cloud.tencent.com/tke-service-config: b-loopback\nspec:');
    const docs = documentSlices(text).map((d) => d.value);
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual(['Service/a', 'Ingress/b', 'TkeServiceConfig/b-loopback']);
  });

  test('GIVEN a bound config with a flow listener and a compact sequence WHEN fixed THEN the listeners are patched in their own style', () => {
    const input = `${BOUND_INGRESS}spec:
  tls: [{hosts: [a.example.com]}]
---
${CONFIG_HEAD}    l7Listeners:
    - {protocol: HTTP, port: 80}   # plain HTTP
    # more listeners follow
`;
    const { text } = fixText(input);
    expect(lineDiff(input, text)).toEqual({
      removed: ['    - {protocol: HTTP, port: 80}   # plain HTTP'],
      added: [
        '    - {protocol: HTTP, port: 80, keepaliveEnable: 1}   # plain HTTP',
        '    - protocol: HTTPS',
        '      port: 443',
        '      keepaliveEnable: 1',
      ],
    });
  });

  const BOUND = `${BOUND_INGRESS}---\n${CONFIG_HEAD}`;

  test('GIVEN a bound config without l7Listeners WHEN fixed THEN the list is created under loadBalancer', () => {
    const input = `${BOUND}    internetMaxBandwidthOut: 10 # Mbps
`;
    const { text } = fixText(input);
    expect(lineDiff(input, text)).toEqual({
      removed: [],
      added: ['    l7Listeners:', '      - protocol: HTTP', '        port: 80', '        keepaliveEnable: 1'],
    });
  });

  test('GIVEN an empty l7Listeners (null) WHEN fixed THEN the list fills it, the comment stays and the other document keeps its bytes', () => {
    const input = `${BOUND}    l7Listeners:   # none yet
`;
    const { text } = fixText(input);
    const docs = documentSlices(text);
    expect(docs[0].text).toEqual(documentSlices(input)[0].text);
    expect(docs[1].value.spec.loadBalancer.l7Listeners).toEqual([{ protocol: 'HTTP', port: 80, keepaliveEnable: 1 }]);
    expect(text).toContain('# none yet');
  });

  test('GIVEN keepaliveEnable given by an alias WHEN fixed THEN the Document API edits it and the result reads as fixed', () => {
    const input = `${BOUND.replace('spec:\n', 'spec:\n  off: &off 0\n')}    l7Listeners:\n    - {protocol: HTTP, port: 80, keepaliveEnable: *off}\n`;
    const { text } = fixText(input);
    const docs = documentSlices(text);
    expect(docs[0].text).toEqual(documentSlices(input)[0].text);
    expect(docs[1].value.spec).toEqual({ off: 0, loadBalancer: { l7Listeners: [{ protocol: 'HTTP', port: 80, keepaliveEnable: 1 }] } });
    expect(fixText(text).text).toEqual(text);
  });

  test('GIVEN a kind: List WHEN fixed THEN the config is inserted into items after its Ingress', () => {
    const input = `apiVersion: v1
kind: List
items:
- apiVersion: networking.k8s.io/v1
  kind: Ingress
  metadata:
    name: shop
    annotations:
      kubernetes.io/ingress.subnetId: subnet-12345678
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: c}
`;
    const { text } = fixText(input);
    const list = documentSlices(text)[0].value;
    expect(list.items.map((i: any) => `${i.kind}/${i.metadata.name}`)).toEqual(['Ingress/shop', 'TkeServiceConfig/shop-loopback', 'ConfigMap/c']);
    expect(lineDiff(input, text).removed).toEqual([]);
  });
});

describe('bad input', () => {
  test('GIVEN a syntax error in the second file WHEN fixed THEN InputError names the file and line, and nothing is returned', () => {
    expect(() => fixSources([
      { name: 'good.yaml', text: UNPROTECTED },
      { name: 'bad.yaml', text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: [unclosed\n' },
    ], {})).toThrow(InputError);
    try {
      fixSources([{ name: 'bad.yaml', text: 'a: 1\nb: [\n' }], {});
    } catch (e) {
      expect((e as Error).message).toMatch(/^bad\.yaml:\d+(:\d+)?: /);
    }
  });

  test('GIVEN a ResourceList without items THEN the error says so', () => {
    expect(() => fixResourceList('<stdin>', 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n', { failOn: FailOn.WARNING }))
      .toThrow(/<stdin>:1: the ResourceList has no items list \(items is null\)/);
  });

  test('GIVEN an unknown functionConfig option THEN the error names it', () => {
    const text = 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\nfunctionConfig:\n  apiVersion: v1\n  kind: ConfigMap\n  data: {speed: fast}\n';
    expect(() => fixResourceList('<stdin>', text, { failOn: FailOn.WARNING })).toThrow(/unknown option "speed"/);
  });

  test('GIVEN a bad l4 in the functionConfig THEN the error names the option and quotes the value', () => {
    const text = 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\nfunctionConfig:\n  kind: LoopbackFix\n  spec: {l4: sometimes}\n';
    expect(() => fixResourceList('<stdin>', text, { failOn: FailOn.WARNING })).toThrow(/^functionConfig: l4 must be one of prevent-loopback, none, got "sometimes"$/);
  });
});

describe('KRM ResourceList', () => {
  const LIST = `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- apiVersion: networking.k8s.io/v1
  kind: Ingress
  metadata:
    name: shop
    namespace: prod
    annotations:
      kubernetes.io/ingress.subnetId: subnet-12345678
      config.kubernetes.io/path: 'apps/shop/ingress.yaml'
      internal.config.kubernetes.io/path: 'apps/shop/ingress.yaml'
      config.kubernetes.io/index: '0'
      internal.config.kubernetes.io/index: '0'
- apiVersion: v1
  kind: Service
  metadata:
    name: web
    annotations:
      ${SUBNET}: subnet-12345678
      config.kubernetes.io/path: 'apps/shop/svc.yaml'
  spec: {type: LoadBalancer}
functionConfig:
  apiVersion: v1
  kind: ConfigMap
  metadata: {name: fix}
  data:
    rules: TKE-L7-001
`;

  test('GIVEN a ResourceList WHEN fixed THEN items are fixed, KRM annotations kept, the config placed next to its Ingress, and results written', () => {
    const run = fixResourceList('<stdin>', LIST, { failOn: FailOn.WARNING });
    const out = documentSlices(run.outputs[0].text)[0].value;
    expect(out.items.map((i: any) => `${i.kind}/${i.metadata.name}`)).toEqual(['Ingress/shop', 'TkeServiceConfig/shop-loopback', 'Service/web']);
    expect(out.items[0].metadata.annotations).toEqual({
      'kubernetes.io/ingress.subnetId': 'subnet-12345678',
      'config.kubernetes.io/path': 'apps/shop/ingress.yaml',
      'internal.config.kubernetes.io/path': 'apps/shop/ingress.yaml',
      'config.kubernetes.io/index': '0',
      'internal.config.kubernetes.io/index': '0',
      'ingress.cloud.tencent.com/tke-service-config': 'shop-loopback',
    });
    expect(out.items[1].metadata).toEqual({
      name: 'shop-loopback',
      namespace: 'prod',
      annotations: {
        'config.kubernetes.io/path': 'apps/shop/tkeserviceconfig_shop-loopback.yaml',
        'config.kubernetes.io/index': '0',
        'internal.config.kubernetes.io/path': 'apps/shop/tkeserviceconfig_shop-loopback.yaml',
        'internal.config.kubernetes.io/index': '0',
      },
    });
    // functionConfig rules: TKE-L7-001 only, so the Service is reported, not fixed.
    expect(out.items[2].metadata.annotations['service.cloud.tencent.com/prevent-loopback']).toBeUndefined();
    expect(out.results.map((r: any) => [r.severity, r.resourceRef.kind, r.resourceRef.name, r.tags.rule])).toEqual([
      ['info', 'TkeServiceConfig', 'shop-loopback', 'TKE-L7-001'],
      ['info', 'Ingress', 'shop', 'TKE-L7-001'],
      ['error', 'Service', 'web', 'TKE-L4-001'],
    ]);
    expect(out.results[2].message).toMatch(/not fixed: TKE-L4-001 was not selected/);
    expect(out.results[2].file).toEqual({ path: 'apps/shop/svc.yaml' });
    expect(out.functionConfig.data).toEqual({ rules: 'TKE-L7-001' });
  });
});
