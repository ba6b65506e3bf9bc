import { TkeAnnotations } from '../../tke/annotations';
import { describeEntry, ManifestSet } from '../private/manifests';
import { services } from '../private/tke';
import { FindingLevel } from '../types';
import { LoopbackRule, RuleFinding } from './rule';

/** The most security groups TKE binds to a Service's CLB. */
const MAX_SECURITY_GROUPS = 5;

/**
 * TKE-ANN-003: more security groups than a CLB takes.
 */
export const TKE_ANN_003: LoopbackRule = {
  info: {
    id: 'TKE-ANN-003',
    level: FindingLevel.ERROR,
    cause: `A Service's \`${TkeAnnotations.SERVICE_SECURITY_GROUPS}\` lists more than ${MAX_SECURITY_GROUPS} security groups.`,
    explanation:
      `TKE binds at most ${MAX_SECURITY_GROUPS} security groups, comma-separated, to a Service's CLB. With more, the ` +
      'binding fails, and the security-group setup that layer-7 SNAT needs (traffic from the CLB allowed) may not apply.',
    fix: `List at most ${MAX_SECURITY_GROUPS} security group ids, or merge the rules into fewer groups.`,
  },
  check(set: ManifestSet): RuleFinding[] {
    const out: RuleFinding[] = [];
    for (const svc of services(set)) {
      const value = svc.annotations.get(TkeAnnotations.SERVICE_SECURITY_GROUPS);
      if (value === undefined) continue;
      const ids = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
      if (ids.length <= MAX_SECURITY_GROUPS) continue;
      out.push({
        entry: svc,
        message: `${describeEntry(svc)} lists ${ids.length} security groups in ${TkeAnnotations.SERVICE_SECURITY_GROUPS} (${ids.join(', ')}); at most ${MAX_SECURITY_GROUPS} are allowed`,
      });
    }
    return out;
  },
};
