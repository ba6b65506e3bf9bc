/**
 * Dense selection: N private LoadBalancer Services with externalTrafficPolicy: Local that all select the same N
 * Deployments, each with a required pod anti-affinity. Every Service matches every Deployment, so the work that
 * cannot be avoided grows with the N x N matches: 4x N is 16x the matches. A scan of every pair of backing pods
 * for every Service (N^3) would be 64x.
 */
import { LoopbackChecker } from '../src';
import { compare, ratioFigure, writeResults } from './harness';
import { privateService } from '../test/checks/manifests';

/** N Services selecting `tier: web`, N Deployments with that label, each keeping clients (`role: client`) away. */
export function denseSet(n: number): any[] {
  const out: any[] = [];
  for (let i = 0; i < n; i++) {
    out.push(privateService({ name: `s${i}`, namespace: 'prod', externalTrafficPolicy: 'Local', selector: { tier: 'web' } }));
  }
  for (let i = 0; i < n; i++) {
    const labels = { tier: 'web', app: `d${i}` };
    const term = { labelSelector: { matchLabels: { role: 'client' } }, topologyKey: 'kubernetes.io/hostname' };
    out.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: `d${i}`, namespace: 'prod' },
      spec: {
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } } } },
      },
    });
  }
  return out;
}

const small = denseSet(250);
const large = denseSet(1_000);
const r = compare(() => LoopbackChecker.check(large), () => LoopbackChecker.check(small));

writeResults('dense-selection', [
  ratioFigure('dense selection: N Local Services x the same N Deployments, time(N=1,000) / time(N=250)', r.candidateMs, r.baselineMs, 'ms', 24),
]);
