import * as fc from 'fast-check';
import * as YAML from 'yaml';
import {
  corednsConfigMap, DIRECT, ING_CONFIG_AUTO, keepaliveConfig, kubeProxy, PREVENT, privateIngress, privateService,
  service, serviceConfig, SUPPRESS, workload,
} from './manifests';
import { FindingLevel, LoopbackChecker } from '../../src';
import { runChecks } from '../../src/checks/private/runner';
import { RULES } from '../../src/checks/rules';
import { LoopbackRule } from '../../src/checks/rules/rule';

/** A rule that always throws, injected through the internal runner only. */
const THROWING: LoopbackRule = {
  info: { id: 'TKE-TEST-001', level: FindingLevel.WARNING, cause: 'c', explanation: 'e', fix: 'f' },
  check: () => {
    throw new TypeError('boom');
  },
};

/** A rule that returns something that is not a list. */
const MALFORMED: LoopbackRule = {
  info: { id: 'TKE-TEST-002', level: FindingLevel.WARNING, cause: 'c', explanation: 'e', fix: 'f' },
  check: () => 'nope' as any,
};

/** A varied, valid manifest set that triggers most rules. */
function sample(): any[] {
  return [
    privateService({ name: 'a', namespace: 'shop' }),
    privateService({ name: 'b', namespace: 'shop', externalTrafficPolicy: 'Local', annotations: { [DIRECT]: 'true' } }),
    workload({ namespace: 'shop', antiAffinity: 'preferred' }),
    privateService({ name: 'c', annotations: { [PREVENT]: 'true', [SUPPRESS]: 'TKE-L4-003=kube-proxy upgraded out of band' } }),
    kubeProxy('v1.18.4-tke.1'),
    privateIngress({ name: 'i', tls: true, config: 'cfg' }),
    keepaliveConfig('cfg', ['HTTP:80']),
    privateIngress({ name: 'j', annotations: { [ING_CONFIG_AUTO]: 'yes' } }),
    serviceConfig('bad', { l4Listeners: [{ protocol: 'TCP', port: 0, healthCheck: { enable: true, timeout: 9 } }] }),
    corednsConfigMap('.:53 {\n  rewrite name suffix .a.com .b.com\n  kubernetes cluster.local\n}\n'),
  ];
}

describe('runner', () => {
  test('a rule that throws becomes a TKE-INT-001 finding, and the other rules still run', () => {
    // GIVEN
    const manifests = [privateService()];
    // WHEN
    const report = runChecks(manifests, [THROWING, ...RULES, MALFORMED]);
    // THEN
    expect(report.findings.map((f) => [f.ruleId, f.level, f.message])).toEqual([
      ['TKE-L4-001', 'error', expect.stringMatching(/^Service web is a private-network LoadBalancer/)],
      ['TKE-INT-001', 'error', 'rule TKE-TEST-001 failed and its findings are missing: TypeError: boom'],
      ['TKE-INT-001', 'error', 'rule TKE-TEST-002 failed and its findings are missing: Error: returned "nope" instead of an array'],
    ]);
    expect(report.passed).toEqual(false);
  });

  test('findings are in input order, then rule order; passed is false only with an error', () => {
    const report = LoopbackChecker.check(sample());
    const order = report.findings.map((f) => f.manifestIndex ?? -1);
    expect(order).toEqual([...order].sort((x, y) => x - y));
    expect(report.findings.map((f) => f.ruleId)).toEqual([
      'TKE-L4-001', // a
      'TKE-L4-002', // b: preferred anti-affinity
      'TKE-L7-001', // i: HTTPS 443 uncovered
      'TKE-ANN-001', // j: "yes"
      'TKE-L7-001', // j: no binding
      'TKE-CFG-001', // bad: port
      'TKE-CFG-001', // bad: timeout vs interval
      'TKE-DNS-001', // coredns
    ]);
    expect(report.suppressed.map((s) => [s.finding.ruleId, s.finding.name, s.reason])).toEqual([
      ['TKE-L4-003', 'c', 'kube-proxy upgraded out of band'],
    ]);
    expect(report.passed).toEqual(false);

    const warningsOnly = LoopbackChecker.check([sample()[1], sample()[2]]);
    expect(warningsOnly.findings.map((f) => f.level)).toEqual(['warning']);
    expect(warningsOnly.passed).toEqual(true);
  });

  test('the registry is ordered by id, ids are unique, and every rule is documented', () => {
    const rules = LoopbackChecker.rules();
    const ids = rules.map((r) => r.id);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toEqual(ids.length);
    expect(ids).toEqual(expect.arrayContaining([
      'TKE-L4-001', 'TKE-L4-002', 'TKE-L4-003', 'TKE-L7-001', 'TKE-L7-002', 'TKE-L7-003', 'TKE-CFG-001', 'TKE-DNS-001',
      'TKE-SUP-001', 'TKE-INT-001',
    ]));
    for (const r of rules) {
      expect(r.id).toMatch(/^TKE-[A-Z0-9]+-\d{3}$/);
      expect([r.level, r.cause.length > 10, r.explanation.length > 40, r.fix.length > 10]).toEqual([expect.stringMatching(/^(error|warning)$/), true, true, true]);
    }
  });

  test('strange input: null, scalars, arrays, missing metadata, wrong types where maps belong', () => {
    const strange: any[] = [
      null, undefined, 0, 'Service', true, [], [privateService()],
      {}, { kind: 'Service' }, { kind: 'Service', metadata: null, spec: 'x' },
      { kind: 'Service', apiVersion: 'v1', metadata: { name: 7, annotations: [] }, spec: { type: 'LoadBalancer', selector: 'app=web' } },
      { kind: 'Service', apiVersion: 'v1', metadata: { annotations: { [DIRECT]: 'true', 'service.kubernetes.io/qcloud-loadbalancer-internal-subnetid': 'subnet-abcd1234' } }, spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Local', selector: { app: 'x' } } },
      { kind: 'Deployment', apiVersion: 'apps/v1', metadata: { name: 'x' }, spec: { template: { metadata: { labels: { app: 'x' } }, spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: 'yes' } } } } } },
      { kind: 'Ingress', metadata: { annotations: { 'kubernetes.io/ingress.subnetId': 'subnet-abcd1234' } }, spec: { tls: 'yes' } },
      { kind: 'TkeServiceConfig', metadata: { name: 'x' }, spec: { loadBalancer: { l7Listeners: [null, 1, { domains: 'x' }, { domains: [null, { rules: {} }] }] } } },
      { kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' }, data: { Corefile: 'rewrite\nrewrite name\nrewrite stop {\nname regex\n' } },
      { kind: 'DaemonSet', metadata: { name: 'kube-proxy', namespace: 'kube-system' }, spec: { template: { spec: { containers: [null, { image: 5 }] } } } },
      Object.create(null),
    ];
    expect(() => LoopbackChecker.check(strange)).not.toThrow();
    const report = LoopbackChecker.check(strange);
    expect(report.findings.filter((f) => f.ruleId === 'TKE-INT-001')).toEqual([]);
    for (const input of [null, undefined, 42, 'x', {}] as any[]) {
      expect(LoopbackChecker.check(input)).toEqual(expect.objectContaining({ passed: expect.any(Boolean) }));
    }
  });

  const noInternal = (manifests: any) => {
    const report = LoopbackChecker.check(manifests);
    expect(report.findings.filter((f) => f.ruleId === 'TKE-INT-001')).toEqual([]);
    expect(typeof report.passed).toEqual('boolean');
  };

  test('property: random values never make check() throw or a rule fail', () => {
    fc.assert(fc.property(fc.array(fc.anything()), noInternal), { numRuns: 300 });
    fc.assert(fc.property(fc.anything(), noInternal), { numRuns: 300 });
    fc.assert(fc.property(fc.array(fc.jsonValue()), noInternal), { numRuns: 300 });
  });

  test('property: random YAML-ish text, parsed as YAML, never makes check() throw', () => {
    const yamlish = fc.array(
      fc.oneof(
        fc.constantFrom('kind: Service', 'apiVersion: v1', 'metadata:', '  name: web', '  annotations:', 'spec:', '  type: LoadBalancer',
          '  selector: {app: web}', '---', '- a', 'kind: Ingress', 'kind: TkeServiceConfig', '    x: [1, 2', 'data:', '  Corefile: |',
          '    rewrite name a.com b.svc.cluster.local', ': :', '&a *a', '!!binary x'),
        fc.string(),
      ),
      { maxLength: 30 },
    );
    fc.assert(
      fc.property(yamlish, (lines) => {
        let docs: any[];
        try {
          docs = YAML.parseAllDocuments(lines.join('\n'), { logLevel: 'silent' }).map((d) => d.toJS({ maxAliasCount: 100 }));
        } catch {
          return; // not YAML at all: the CLI reports that, not the checker
        }
        noInternal(docs);
      }),
      { numRuns: 300 },
    );
  });

  test('property: mutated valid manifests never make check() throw or a rule fail', () => {
    const paths = (v: any, prefix: string[] = []): string[][] =>
      v && typeof v === 'object' ? [prefix, ...Object.keys(v).flatMap((k) => paths(v[k], [...prefix, k]))] : [prefix];
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.oneof(fc.anything(), fc.jsonValue()), (i, j, replacement) => {
        const manifests = sample();
        const target = manifests[i % manifests.length];
        const all = paths(target).filter((p) => p.length > 0);
        const path = all[j % all.length];
        let parent = target;
        for (const k of path.slice(0, -1)) parent = parent[k];
        parent[path[path.length - 1]] = replacement;
        noInternal(manifests);
      }),
      { numRuns: 500 },
    );
  });
});

describe('lists', () => {
  /** What `kubectl get svc -o yaml` prints: a List around the objects. */
  const list = (kind: string, items: any[], annotations?: Record<string, string>): any => ({
    apiVersion: 'v1',
    kind,
    metadata: { resourceVersion: '', ...(annotations ? { annotations } : {}) },
    items,
  });

  test('a kind: List is checked item by item; manifestIndex is the List, itemIndex the item', () => {
    // GIVEN
    const manifests = [
      workload({ name: 'other', namespace: 'prod' }),
      list('List', [service({ name: 'internal', namespace: 'prod' }), privateService({ name: 'api', namespace: 'prod' })]),
    ];
    // WHEN
    const report = LoopbackChecker.check(manifests);
    // THEN
    expect(report.passed).toEqual(false);
    expect(report.findings.map((f) => [f.ruleId, f.kind, f.namespace, f.name, f.manifestIndex, f.itemIndex])).toEqual([
      ['TKE-L4-001', 'Service', 'prod', 'api', 1, 1],
    ]);
  });

  test('a typed list (ServiceList) is expanded too, and its items match objects outside it', () => {
    const report = LoopbackChecker.check([
      list('ServiceList', [privateService({ name: 'api', namespace: 'prod', externalTrafficPolicy: 'Local', selector: { app: 'api' } })]),
      list('DeploymentList', [workload({ name: 'api', namespace: 'prod', labels: { app: 'api' }, antiAffinity: 'preferred' })]),
    ]);
    expect(report.findings.map((f) => [f.ruleId, f.name, f.manifestIndex, f.itemIndex])).toEqual([
      ['TKE-L4-002', 'api', 0, 0],
    ]);
  });

  test('an item is suppressed by its own annotation, not by its neighbour\'s or the List\'s', () => {
    const reason = 'only called from outside the cluster';
    const report = LoopbackChecker.check([
      list('List', [
        privateService({ name: 'a', annotations: { [SUPPRESS]: `TKE-L4-001=${reason}` } }),
        privateService({ name: 'b' }),
      ], { [SUPPRESS]: `TKE-L4-001=${reason}` }),
    ]);
    expect(report.findings.map((f) => [f.ruleId, f.name, f.itemIndex])).toEqual([['TKE-L4-001', 'b', 1]]);
    expect(report.suppressed.map((s) => [s.finding.name, s.finding.itemIndex, s.reason])).toEqual([['a', 0, reason]]);
  });

  test('a List without items, or with items that are not objects, is not an error', () => {
    const report = LoopbackChecker.check([{ apiVersion: 'v1', kind: 'List' }, list('List', [null, 1, 'x', []])]);
    expect(report.findings).toEqual([]);
    expect(report.passed).toEqual(true);
  });
});

describe('unreadable objects', () => {
  /** An object whose `prop` getter throws. */
  const throwing = (base: any, prop: string): any => {
    const obj = { ...base };
    delete obj[prop];
    Object.defineProperty(obj, prop, { enumerable: true, get: () => { throw new Error(`cannot read ${prop}`); } });
    return obj;
  };

  test.each(['metadata', 'kind', 'spec'])('an object whose %s getter throws is one TKE-INT-001 about it; the others are still checked', (prop) => {
    // GIVEN
    const manifests = [privateService({ name: 'a' }), throwing(privateService({ name: 'b' }), prop), privateService({ name: 'c' })];
    // WHEN
    const report = LoopbackChecker.check(manifests);
    // THEN
    expect(report.findings.map((f) => [f.ruleId, f.name, f.manifestIndex, f.message])).toEqual([
      ['TKE-L4-001', 'a', 0, expect.any(String)],
      ['TKE-INT-001', undefined, 1, `input object 1 could not be read and was not checked: Error: cannot read ${prop}`],
      ['TKE-L4-001', 'c', 2, expect.any(String)],
    ]);
    expect(report.passed).toEqual(false);
  });

  test('an unreadable List item is reported with its itemIndex', () => {
    const report = LoopbackChecker.check([
      { apiVersion: 'v1', kind: 'List', items: [throwing(privateService({ name: 'b' }), 'metadata'), privateService({ name: 'c' })] },
    ]);
    expect(report.findings.map((f) => [f.ruleId, f.name, f.manifestIndex, f.itemIndex])).toEqual([
      ['TKE-INT-001', undefined, 0, 0],
      ['TKE-L4-001', 'c', 0, 1],
    ]);
  });

  test('a proxy that throws on every access is one TKE-INT-001', () => {
    const hostile = new Proxy({}, { get: () => { throw new Error('no'); }, ownKeys: () => { throw new Error('no keys'); } });
    const report = LoopbackChecker.check([hostile, privateService({ name: 'c' })]);
    expect(report.findings.map((f) => [f.ruleId, f.manifestIndex])).toEqual([['TKE-INT-001', 0], ['TKE-L4-001', 1]]);
  });
});
