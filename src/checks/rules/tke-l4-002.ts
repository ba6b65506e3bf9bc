import { TkeAnnotations } from '../../tke/annotations';
import { nameWorkloads, protectionOf } from '../private/anti-affinity-protection';
import { AntiAffinity, asMap, describeEntry, ManifestSet, stringMap } from '../private/manifests';
import { hasPreventLoopback, isDirectAccess, isPrivateLoadBalancer, isTrafficPolicyLocal, services } from '../private/tke';
import { FindingLevel } from '../types';
import { LoopbackRule, RuleContext, RuleFinding } from './rule';

/**
 * TKE-L4-002: `externalTrafficPolicy: Local` or direct access whose anti-affinity is weak or unseen.
 */
export const TKE_L4_002: LoopbackRule = {
  info: {
    id: 'TKE-L4-002',
    level: FindingLevel.WARNING,
    cause:
      'A private-network LoadBalancer Service relies on externalTrafficPolicy: Local or direct access, but the pod ' +
      'anti-affinity that keeps its clients off its backing workload is only preferred, or no backing workload is in the set.',
    explanation:
      'externalTrafficPolicy: Local (and VPC-CNI direct access) sends CLB traffic only to nodes that run a server pod. ' +
      'That avoids loopback only while the pods that call the CLB never share a node with a server pod, which pod ' +
      'anti-affinity enforces: a term on the server that selects its clients (not its own pods), or a term on a client ' +
      'that selects the server pods. A preferred anti-affinity can still co-locate pods under pressure, and a workload ' +
      'outside the checked set cannot be verified. One finding per Service.',
    fix:
      'Make the anti-affinity required (topology kubernetes.io/hostname), include the backing workload in the ' +
      `checked set, or annotate the Service with \`${TkeAnnotations.SERVICE_PREVENT_LOOPBACK}: "true"\`.`,
  },
  check(set: ManifestSet, context: RuleContext): RuleFinding[] {
    const out: RuleFinding[] = [];
    for (const svc of services(set)) {
      if (!isPrivateLoadBalancer(svc, context.clbs) || hasPreventLoopback(svc)) continue;
      const local = isTrafficPolicyLocal(svc);
      if (!local && !isDirectAccess(svc)) continue;
      const how = local ? 'externalTrafficPolicy: Local' : 'direct access';
      const selector = stringMap(asMap(svc.obj.spec).selector);
      const pods = set.podsSelectedBy(svc.namespaceOrDefault, selector);
      if (pods.length === 0) {
        out.push({
          entry: svc,
          message:
            `${describeEntry(svc)} relies on ${how}, but no Deployment, StatefulSet, DaemonSet, ReplicaSet or Pod in namespace ` +
            `${svc.namespaceOrDefault} matches its selector ${JSON.stringify(Object.fromEntries(selector))}, so its pod anti-affinity cannot be checked`,
        });
        continue;
      }
      const preferred = protectionOf(set, pods).filter((p) => p.level === AntiAffinity.PREFERRED);
      if (preferred.length === 0) continue;
      const named = nameWorkloads(preferred.map((p) => p.pod));
      out.push({
        entry: svc,
        message:
          `${describeEntry(svc)} relies on ${how}, but the pod anti-affinity between its clients and its backing ${named.text} ` +
          'is only preferred: the scheduler may still put a client pod next to a server pod',
      });
    }
    return out;
  },
};
