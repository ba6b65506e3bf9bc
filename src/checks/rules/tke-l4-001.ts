import { TkeAnnotations } from '../../tke/annotations';
import { nameWorkloads, protectionOf } from '../private/anti-affinity-protection';
import { AntiAffinity, asMap, describeEntry, ManifestSet, stringMap } from '../private/manifests';
import { hasPreventLoopback, isDirectAccess, isPrivateLoadBalancer, isTrafficPolicyLocal, services } from '../private/tke';
import { FindingLevel } from '../types';
import { LoopbackRule, RuleContext, RuleFinding } from './rule';

/**
 * TKE-L4-001: a private LoadBalancer Service with no loopback protection at all.
 */
export const TKE_L4_001: LoopbackRule = {
  info: {
    id: 'TKE-L4-001',
    level: FindingLevel.ERROR,
    cause: 'A private-network LoadBalancer Service has no layer-4 loopback protection.',
    explanation:
      `A Service with \`${TkeAnnotations.SERVICE_INTERNAL_SUBNET_ID}\` gets a private-network CLB, which does not SNAT. ` +
      'In IPVS mode, a pod that calls the CLB VIP reaches the CLB for real; when the CLB forwards back to a real server ' +
      'on the caller\'s node, the packet has a local source IP and is dropped: connections are unstable, or dead on a ' +
      'one-node cluster. The Service is protected only by `prevent-loopback: "true"`, or by ' +
      '`externalTrafficPolicy: Local` or VPC-CNI direct access together with pod anti-affinity that keeps clients off ' +
      'the nodes of every backing workload (matched by the Service selector in its namespace; when none is in the ' +
      'checked set, TKE-L4-002 warns instead). Anti-affinity counts when it is a term on the backing workload whose ' +
      'label selector selects none of the Service\'s own pods, or a term on another workload (a client) whose selector ' +
      'selects the backing pods. A term that selects the server\'s own pods (the usual "spread my replicas" term) ' +
      'keeps replicas apart, not clients away, and does not count. One finding per Service, naming its unprotected ' +
      'workloads. A Service that reuses an existing CLB is judged here only when the CLB is declared private (see ' +
      'TKE-CLB-001). In iptables mode (`--proxy-mode iptables`, or the kube-proxy DaemonSet or ConfigMap in kube-system ' +
      'says so) kube-proxy keeps a pod\'s traffic to the LoadBalancer address inside the node, and the TKE-L4 rules do ' +
      'not run. Upstream Kubernetes deprecates IPVS mode from 1.35 (https://kubernetes.io/docs/reference/networking/virtual-ips/).',
    fix:
      `Annotate the Service with \`${TkeAnnotations.SERVICE_PREVENT_LOOPBACK}: "true"\` (and run a kube-proxy that supports it), ` +
      'or better, make in-cluster clients call `<service>.<namespace>.svc.cluster.local` instead of the CLB.',
  },
  check(set: ManifestSet, context: RuleContext): RuleFinding[] {
    const out: RuleFinding[] = [];
    for (const svc of services(set)) {
      if (!isPrivateLoadBalancer(svc, context.clbs) || hasPreventLoopback(svc)) continue;
      const local = isTrafficPolicyLocal(svc);
      const direct = isDirectAccess(svc);
      if (!local && !direct) {
        const value = svc.annotations.get(TkeAnnotations.SERVICE_PREVENT_LOOPBACK);
        out.push({
          entry: svc,
          message:
            `${describeEntry(svc)} is a private-network LoadBalancer with neither ${TkeAnnotations.SERVICE_PREVENT_LOOPBACK}: "true"` +
            `${value !== undefined ? ` (it is ${JSON.stringify(value)})` : ''} nor externalTrafficPolicy: Local or direct access ` +
            'with pod anti-affinity against its clients',
        });
        continue;
      }
      const pods = set.podsSelectedBy(svc.namespaceOrDefault, stringMap(asMap(svc.obj.spec).selector));
      const unprotected = protectionOf(set, pods).filter((p) => p.level === AntiAffinity.NONE);
      if (unprotected.length === 0) continue;
      const how = local ? 'externalTrafficPolicy: Local' : 'direct access';
      const named = nameWorkloads(unprotected.map((p) => p.pod));
      const verb = unprotected.length > 1 ? 'have' : 'has';
      const selfOnly = unprotected.some((p) => p.selfOnly)
        ? ' (its anti-affinity terms select its own pods: they spread its replicas, they do not keep clients off their nodes)'
        : '';
      out.push({
        entry: svc,
        message:
          `${describeEntry(svc)} relies on ${how}, but its backing ${named.text} ${verb} no pod anti-affinity against its clients` +
          `${selfOnly}, so a client pod can share a node with a server pod and loop back`,
        fix:
          `Give ${describeEntry(named.first)} a required pod anti-affinity (topology kubernetes.io/hostname) whose label selector ` +
          'selects the pods that call the CLB (or give those clients one that selects the server pods), or annotate the ' +
          `Service with ${TkeAnnotations.SERVICE_PREVENT_LOOPBACK}: "true".`,
      });
    }
    return out;
  },
};
