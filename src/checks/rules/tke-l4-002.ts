import { TkeAnnotations } from '../../tke/annotations';
import { AntiAffinity, antiAffinityOf, asMap, describe, ManifestSet, stringMap } from '../private/manifests';
import { hasPreventLoopback, isDirectAccess, isPrivateLoadBalancer, isTrafficPolicyLocal, services } from '../private/tke';
import { FindingLevel } from '../types';
import { LoopbackRule, RuleFinding } from './rule';

/**
 * TKE-L4-002: `externalTrafficPolicy: Local` or direct access whose anti-affinity is weak or unseen.
 */
export const TKE_L4_002: LoopbackRule = {
  info: {
    id: 'TKE-L4-002',
    level: FindingLevel.WARNING,
    cause:
      'A private-network LoadBalancer Service relies on externalTrafficPolicy: Local or direct access, but the pod ' +
      'anti-affinity of its backing workload is only preferred, or no backing workload is in the set.',
    explanation:
      'externalTrafficPolicy: Local (and VPC-CNI direct access) sends CLB traffic only to nodes that run a server pod. ' +
      'That avoids loopback only while the pods that call the CLB never share a node with a server pod, which pod ' +
      'anti-affinity enforces. A preferred anti-affinity can still co-locate pods under pressure, and a workload ' +
      'outside the checked set cannot be verified.',
    fix:
      'Make the anti-affinity required (topology kubernetes.io/hostname), include the backing workload in the ' +
      `checked set, or annotate the Service with \`${TkeAnnotations.SERVICE_PREVENT_LOOPBACK}: "true"\`.`,
  },
  check(set: ManifestSet): RuleFinding[] {
    const out: RuleFinding[] = [];
    for (const svc of services(set)) {
      if (!isPrivateLoadBalancer(svc) || hasPreventLoopback(svc)) continue;
      const local = isTrafficPolicyLocal(svc);
      if (!local && !isDirectAccess(svc)) continue;
      const how = local ? 'externalTrafficPolicy: Local' : 'direct access';
      const selector = stringMap(asMap(svc.obj.spec).selector);
      const pods = set.podsSelectedBy(svc.ns, selector);
      if (pods.length === 0) {
        out.push({
          entry: svc,
          message:
            `${describe(svc)} relies on ${how}, but no Deployment, StatefulSet, DaemonSet, ReplicaSet or Pod in namespace ` +
            `${svc.ns} matches its selector ${JSON.stringify(Object.fromEntries(selector))}, so its pod anti-affinity cannot be checked`,
        });
        continue;
      }
      for (const pod of pods) {
        if (antiAffinityOf(pod.spec) !== AntiAffinity.PREFERRED) continue;
        out.push({
          entry: svc,
          message:
            `${describe(svc)} relies on ${how}, but the pod anti-affinity of its backing ${describe(pod.entry)} is only ` +
            'preferred: the scheduler may still put a client pod next to a server pod',
        });
      }
    }
    return out;
  },
};
