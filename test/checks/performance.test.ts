import * as YAML from 'yaml';
import { largeSet } from './large-set';
import { privateService } from './manifests';
import { LoopbackChecker } from '../../src';

/** The best of `runs` timings of `fn`, in milliseconds. */
function best(runs: number, fn: () => void): number {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    fn();
    min = Math.min(min, Number(process.hrtime.bigint() - start) / 1e6);
  }
  return min;
}

describe('performance', () => {
  test('10,000 objects check in less time than parsing their YAML takes', () => {
    // GIVEN
    const manifests = largeSet(10_000);
    const text = manifests.map((m) => YAML.stringify(m)).join('---\n');
    // WHEN
    const parse = best(1, () => YAML.parseAllDocuments(text).map((d) => d.toJS()));
    const check = best(3, () => LoopbackChecker.check(manifests));
    // THEN
    const report = LoopbackChecker.check(manifests);
    expect(report.findings.length).toBeGreaterThan(1000);
    expect(check).toBeLessThan(parse);
  });

  test('check time grows about linearly with the set (no quadratic selector scans)', () => {
    const small = largeSet(5_000);
    const large = largeSet(20_000);
    const tSmall = best(3, () => LoopbackChecker.check(small));
    const tLarge = best(3, () => LoopbackChecker.check(large));
    // 4x the objects: linear is ~4x, quadratic ~16x. Allow generous noise.
    expect(tLarge / tSmall).toBeLessThan(8);
  });

  test('anti-affinity on both sides in one namespace does not scan every term for every Service', () => {
    // Every server spreads itself and avoids its client; every client avoids its server. All in one namespace.
    const term = (labels: Record<string, string>) => ({ labelSelector: { matchLabels: labels }, topologyKey: 'kubernetes.io/hostname' });
    const pod = (name: string, labels: Record<string, string>, terms: any[]) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: 'prod' },
      spec: {
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: terms } } } },
      },
    });
    const set = (n: number) => {
      const out: any[] = [];
      for (let i = 0; out.length < n; i++) {
        out.push(
          privateService({ name: `s${i}`, namespace: 'prod', externalTrafficPolicy: 'Local', selector: { app: `s${i}` } }),
          pod(`s${i}`, { app: `s${i}` }, [term({ app: `s${i}` })]),
          pod(`c${i}`, { app: `c${i}` }, [term({ app: `s${i}` })]),
        );
      }
      return out;
    };
    const small = set(3_000);
    const large = set(12_000);
    expect(LoopbackChecker.check(small).findings).toEqual([]);
    const tSmall = best(3, () => LoopbackChecker.check(small));
    const tLarge = best(3, () => LoopbackChecker.check(large));
    expect(tLarge / tSmall).toBeLessThan(8);
  });
});
