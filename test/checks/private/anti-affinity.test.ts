import { LoopbackChecker } from '../../../src';
import { privateService } from '../manifests';

/** A Deployment in prod with these pod labels and one required anti-affinity term with this label selector. */
function deployment(name: string, labels: Record<string, string>, selector: any, extra: any = {}): any {
  const term = { labelSelector: selector, topologyKey: 'kubernetes.io/hostname', ...extra };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'prod' },
    spec: {
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } } } },
    },
  };
}

const local = (name: string) => privateService({ name, namespace: 'prod', externalTrafficPolicy: 'Local', selector: { tier: 'web' } });

describe('pod anti-affinity with many Services selecting the same workloads (dense selection)', () => {
  test('terms that keep clients away protect every Service; each Service is judged on its own', () => {
    const n = 30;
    const set = [
      ...Array.from({ length: n }, (_, i) => local(`s${i}`)),
      ...Array.from({ length: n }, (_, i) => deployment(`d${i}`, { tier: 'web', app: `d${i}` }, { matchLabels: { role: 'client' } })),
    ];
    expect(LoopbackChecker.check(set).findings).toEqual([]);
  });

  test('terms that select the Service\'s own pods (by label or by expression) protect none of them', () => {
    const n = 30;
    const byLabel = [
      ...Array.from({ length: n }, (_, i) => local(`s${i}`)),
      ...Array.from({ length: n }, (_, i) => deployment(`d${i}`, { tier: 'web', app: `d${i}` }, { matchLabels: { tier: 'web' } })),
    ];
    const byExpression = [
      local('s0'),
      deployment('d0', { tier: 'web', app: 'd0' }, { matchExpressions: [{ key: 'tier', operator: 'Exists' }] }),
      deployment('d1', { tier: 'web', app: 'd1' }, { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['x'] }] }),
    ];

    const dense = LoopbackChecker.check(byLabel).findings;
    expect(dense.map((f) => [f.ruleId, f.name])).toEqual(Array.from({ length: n }, (_, i) => ['TKE-L4-001', `s${i}`]));
    expect(dense[0].message).toMatch(/its anti-affinity terms select its own pods/);
    expect(LoopbackChecker.check(byExpression).findings.map((f) => f.ruleId)).toEqual(['TKE-L4-001']);
  });

  test('a term that selects the backing pods only in another namespace does not count as selecting them', () => {
    const report = LoopbackChecker.check([
      local('s0'),
      deployment('d0', { tier: 'web', app: 'd0' }, { matchLabels: { tier: 'web' } }, { namespaces: ['other'] }),
    ]);
    expect(report.findings).toEqual([]);
  });
});
