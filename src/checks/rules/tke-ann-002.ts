import { TkeAnnotations } from '../../tke/annotations';
import { TkeIds } from '../../tke/ids';
import { LEGACY_SERVICE_LB_ID } from '../../tke/reused-clb';
import { describeEntry, Entry, ManifestSet, show } from '../private/manifests';
import { ingresses, services } from '../private/tke';
import { FindingLevel } from '../types';
import { LoopbackRule, RuleFinding } from './rule';

interface IdAnnotation {
  readonly key: string;
  readonly test: (v: string) => boolean;
  readonly format: string;
}

const SERVICE_IDS: IdAnnotation[] = [
  { key: TkeAnnotations.SERVICE_INTERNAL_SUBNET_ID, test: TkeIds.isSubnetId, format: 'subnet-xxxxxxxx' },
  { key: TkeAnnotations.SERVICE_EXISTED_LB_ID, test: TkeIds.isLoadBalancerId, format: 'lb-xxxxxxxx' },
  // The legacy key names a reused CLB too (TKE-CLB-001 reads it): its id has the same form.
  { key: LEGACY_SERVICE_LB_ID, test: TkeIds.isLoadBalancerId, format: 'lb-xxxxxxxx' },
];
const INGRESS_IDS: IdAnnotation[] = [
  { key: TkeAnnotations.INGRESS_SUBNET_ID, test: TkeIds.isSubnetId, format: 'subnet-xxxxxxxx' },
  { key: TkeAnnotations.INGRESS_EXIST_LB_ID, test: TkeIds.isLoadBalancerId, format: 'lb-xxxxxxxx' },
];

function check(entry: Entry, ids: readonly IdAnnotation[], out: RuleFinding[]): void {
  for (const id of ids) {
    if (!Object.prototype.hasOwnProperty.call(entry.rawAnnotations, id.key)) continue;
    const value = entry.rawAnnotations[id.key];
    if (typeof value === 'string' && id.test(value)) continue;
    out.push({
      entry,
      message: `${describeEntry(entry)} has ${id.key}: ${show(value)}, which does not look like ${id.format} (8 lowercase letters or digits)`,
      fix: `Set ${id.key} to the id as the Tencent Cloud console shows it (${id.format}).`,
    });
  }
}

/**
 * TKE-ANN-002: a subnet or CLB id annotation with a malformed id.
 */
export const TKE_ANN_002: LoopbackRule = {
  info: {
    id: 'TKE-ANN-002',
    level: FindingLevel.ERROR,
    cause: 'A subnet-id or existing-CLB-id annotation of a Service or Ingress does not hold a well-formed id.',
    explanation:
      'The API server accepts any annotation value; TKE\'s controller fails later, in an event that nobody reads, and ' +
      'the CLB is not created or not reused. Subnet ids are `subnet-` plus 8 lowercase letters or digits, CLB ids ' +
      '`lb-` plus 8. The loopback rules decide that a CLB is private from the subnet annotation, so a wrong value ' +
      'also hides what the CLB will be.',
    fix: 'Copy the id from the Tencent Cloud console.',
  },
  check(set: ManifestSet): RuleFinding[] {
    const out: RuleFinding[] = [];
    for (const svc of services(set)) check(svc, SERVICE_IDS, out);
    for (const ing of ingresses(set)) check(ing, INGRESS_IDS, out);
    return out;
  },
};
