/**
 * Benchmark: fix mode (`cdk8s-tke-loopback fix` without the process) on a 10,000-object manifest set with
 * risks to fix, against `yaml.parseAllDocuments` of the same text, measured in the same run. Fix mode must
 * read its input, so parsing is its floor; the target is at most twice that.
 *
 * The set is the checker benchmark's, made unsafe: every third Service loses prevent-loopback, every
 * other Ingress loses its binding (so a TkeServiceConfig is added), and the other bound configs have
 * keepalive off on HTTPS.
 */
import * as YAML from 'yaml';
import { compare, ratioFigure, report, writeResults } from './harness';
import { manifestSet } from './manifest-set';
import { fixSources } from '../src/fix/sources';

const OBJECTS = 10_000;
const PREVENT = 'service.cloud.tencent.com/prevent-loopback';
const BINDING = 'ingress.cloud.tencent.com/tke-service-config';

function unsafeSet(count: number): any[] {
  const out: any[] = [];
  let services = 0;
  let ingresses = 0;
  const unbound = new Set<string>();
  // A tenth more than needed, as the configs of unbound Ingresses are dropped.
  for (const m of manifestSet(Math.ceil(count * 1.1))) {
    if (out.length === count) break;
    if (m.kind === 'Service' && services++ % 3 === 0) delete m.metadata.annotations[PREVENT];
    if (m.kind === 'Ingress') {
      if (ingresses++ % 2 === 0) {
        unbound.add(`${m.metadata.namespace}/${m.metadata.annotations[BINDING]}`);
        delete m.metadata.annotations[BINDING];
      }
    }
    if (m.kind === 'TkeServiceConfig') {
      if (unbound.has(`${m.metadata.namespace}/${m.metadata.name}`)) continue;
      m.spec.loadBalancer.l7Listeners[1].keepaliveEnable = 0;
    }
    out.push(m);
  }
  return out;
}

const text = unsafeSet(OBJECTS).map((m) => YAML.stringify(m)).join('---\n');
const fix = () => fixSources([{ name: 'set.yaml', text }], {});
const parseOnly = () => YAML.parseAllDocuments(text);

const r = compare(fix, parseOnly);
const run = fix();

writeResults('fix', [
  ratioFigure(`fix: fix / parse alone, ${run.locations.length} objects (${run.changes.length} changes)`, r.candidateMs, r.baselineMs, 'ms', 2),
  report({ name: 'fix: objects per second', value: run.locations.length / (r.candidateMs / 1000), unit: 'objects/s', ratio: r.ratio }),
]);
