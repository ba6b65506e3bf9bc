/**
 * Checker scaling (no quadratic scans): LoopbackChecker.check on 4x the objects against the smaller set, for a
 * mixed set (every rule's kind of object, with findings) and for a namespace where every Service relies on pod
 * anti-affinity set on both sides. Linear is 4; quadratic would be 16.
 */
import { LoopbackChecker } from '../src';
import { compare, ratioFigure, writeResults } from './harness';
import { largeSet } from '../test/checks/large-set';
import { privateService } from '../test/checks/manifests';

const term = (labels: Record<string, string>) => ({ labelSelector: { matchLabels: labels }, topologyKey: 'kubernetes.io/hostname' });
const deployment = (name: string, labels: Record<string, string>, terms: any[]) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'prod' },
  spec: {
    selector: { matchLabels: labels },
    template: { metadata: { labels }, spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: terms } } } },
  },
});
/** Every server spreads itself and avoids its client; every client avoids its server; all in one namespace. */
function antiAffinitySet(n: number): any[] {
  const out: any[] = [];
  for (let i = 0; out.length < n; i++) {
    out.push(
      privateService({ name: `s${i}`, namespace: 'prod', externalTrafficPolicy: 'Local', selector: { app: `s${i}` } }),
      deployment(`s${i}`, { app: `s${i}` }, [term({ app: `s${i}` })]),
      deployment(`c${i}`, { app: `c${i}` }, [term({ app: `s${i}` })]),
    );
  }
  return out;
}

const mixedSmall = largeSet(5_000);
const mixedLarge = largeSet(20_000);
const mixed = compare(() => LoopbackChecker.check(mixedLarge), () => LoopbackChecker.check(mixedSmall));
const affinitySmall = antiAffinitySet(3_000);
const affinityLarge = antiAffinitySet(12_000);
const affinity = compare(() => LoopbackChecker.check(affinityLarge), () => LoopbackChecker.check(affinitySmall));

writeResults('checker-scaling', [
  ratioFigure('checker scaling: mixed set, time(20,000 objects) / time(5,000)', mixed.candidateMs, mixed.baselineMs, 'ms', 8),
  ratioFigure('checker scaling: anti-affinity on both sides in one namespace, time(12,000) / time(3,000)', affinity.candidateMs, affinity.baselineMs, 'ms', 8),
]);
