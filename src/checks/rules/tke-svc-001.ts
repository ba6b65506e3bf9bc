import { asMap, describeEntry, ManifestSet, show } from '../private/manifests';
import { services, serviceType } from '../private/tke';
import { FindingLevel } from '../types';
import { LoopbackRule, RuleFinding } from './rule';

/**
 * TKE-SVC-001: `externalTrafficPolicy` on a Service that is neither LoadBalancer nor NodePort.
 */
export const TKE_SVC_001: LoopbackRule = {
  info: {
    id: 'TKE-SVC-001',
    level: FindingLevel.ERROR,
    cause: 'A Service sets externalTrafficPolicy but is neither of type LoadBalancer nor NodePort.',
    explanation:
      'externalTrafficPolicy is valid only for LoadBalancer and NodePort Services; the API server rejects it on ' +
      'others. Where it was meant as a loopback protection (Local plus anti-affinity), it protects nothing.',
    fix: 'Remove externalTrafficPolicy, or make the Service a LoadBalancer (or NodePort) Service.',
  },
  check(set: ManifestSet): RuleFinding[] {
    const out: RuleFinding[] = [];
    for (const svc of services(set)) {
      const spec = asMap(svc.obj.spec);
      if (spec.externalTrafficPolicy === undefined || spec.externalTrafficPolicy === null) continue;
      const type = serviceType(svc);
      if (type === 'LoadBalancer' || type === 'NodePort') continue;
      out.push({
        entry: svc,
        message: `${describeEntry(svc)} is of type ${type} but sets externalTrafficPolicy: ${show(spec.externalTrafficPolicy)}`,
      });
    }
    return out;
  },
};
