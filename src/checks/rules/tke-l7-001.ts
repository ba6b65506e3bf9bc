import { TkeAnnotations } from '../../tke/annotations';
import { parseListenPorts } from '../../tke/listen-ports';
import { asArray, asMap, describeEntry, isMap, ManifestSet } from '../private/manifests';
import { bindingOf, findServiceConfig, hasTls, ingresses, isPrivateTkeIngress, serviceConfigsByApplyNamespace } from '../private/tke';
import { FindingLevel } from '../types';
import { LoopbackRule, RuleContext, RuleFinding } from './rule';

/** A layer-7 listener, as TkeServiceConfig matches it. */
interface Listener {
  readonly protocol: string;
  readonly port: number;
}

function label(l: Listener): string {
  return `${l.protocol}:${l.port}`;
}

/**
 * TKE-L7-001: a private TKE Ingress with a listener that keepalive does not cover.
 */
export const TKE_L7_001: LoopbackRule = {
  info: {
    id: 'TKE-L7-001',
    level: FindingLevel.ERROR,
    cause:
      'A private-network TKE Ingress has a listener (HTTP 80, or HTTPS 443 with TLS, or those that ' +
      `${TkeAnnotations.INGRESS_LISTEN_PORTS} declares) that is not covered by keepaliveEnable: 1 in its bound ` +
      'TkeServiceConfig, or its listen-ports value is malformed.',
    explanation:
      `An Ingress of class qcloud (or no class) with \`${TkeAnnotations.INGRESS_SUBNET_ID}\` gets a private-network CLB ` +
      'with an HTTP listener on 80 and, with TLS, an HTTPS listener on 443. When a pod calls it and the CLB forwards ' +
      'to the NodePort of the caller\'s own node, the packet loops back: the CLB times out after about 4 seconds and ' +
      'retries another node, or fails on a one-node cluster. Tencent\'s fix is layer-7 SNAT (by ticket) plus ' +
      '`spec.loadBalancer.l7Listeners[].keepaliveEnable: 1` for every listener in a TkeServiceConfig bound to the Ingress. ' +
      `\`${TkeAnnotations.INGRESS_LISTEN_PORTS}\` (for example \`'[{"HTTP": 8080}, {"HTTPS": 8443}]'\`) replaces the ` +
      'default listeners with the ones it declares, and those are judged instead; a value TKE cannot read is reported. ' +
      'Only listeners the CLB has are named: an l7Listeners entry for another port is not judged.',
    fix:
      `Bind a TkeServiceConfig in the Ingress's namespace with \`${TkeAnnotations.INGRESS_TKE_SERVICE_CONFIG}: <name>\` ` +
      'and give it an l7Listeners entry with keepaliveEnable: 1 for each listener of the Ingress: HTTP 80 and, with ' +
      'TLS, HTTPS 443, or those its listen-ports annotation declares.',
  },
  check(set: ManifestSet, context: RuleContext): RuleFinding[] {
    const out: RuleFinding[] = [];
    for (const ing of ingresses(set)) {
      if (!isPrivateTkeIngress(ing, context.clbs)) continue;
      let required: Listener[] = [{ protocol: 'HTTP', port: 80 }];
      if (hasTls(ing)) required.push({ protocol: 'HTTPS', port: 443 });
      if (Object.prototype.hasOwnProperty.call(ing.rawAnnotations, TkeAnnotations.INGRESS_LISTEN_PORTS)) {
        const declared = parseListenPorts(ing.rawAnnotations[TkeAnnotations.INGRESS_LISTEN_PORTS]);
        if (declared.problem !== undefined) {
          out.push({
            entry: ing,
            message: `${describeEntry(ing)} has a malformed ${TkeAnnotations.INGRESS_LISTEN_PORTS}: ${declared.problem}, so its listeners cannot be judged`,
            fix: `Write ${TkeAnnotations.INGRESS_LISTEN_PORTS} as a JSON array of {"HTTP": port} or {"HTTPS": port} objects.`,
          });
          continue;
        }
        required = declared.listeners.map((l) => ({ protocol: l.protocol, port: l.port }));
      }
      const binding = bindingOf(ing);
      if (!binding) {
        out.push({
          entry: ing,
          message:
            `${describeEntry(ing)} is a private-network TKE Ingress bound to no TkeServiceConfig, so keepalive is off on ` +
            `${required.map(label).join(' and ')}`,
          fix:
            `Bind a TkeServiceConfig in namespace ${ing.namespaceOrDefault} with \`${TkeAnnotations.INGRESS_TKE_SERVICE_CONFIG}: <name>\` ` +
            `and give it l7Listeners entries with keepaliveEnable: 1 for ${required.map(label).join(' and ')}.`,
        });
        continue;
      }
      // A config that applies only in the namespace the objects are applied to (TKE-L7-002 warns) is checked
      // too, as it is what the CLB gets when they meet; TKE-L7-002 reports a missing or misplaced one.
      const candidates = serviceConfigsByApplyNamespace(set, ing, binding.name);
      const config = findServiceConfig(set, ing, binding.name) ?? (candidates.length === 1 ? candidates[0] : undefined);
      if (!config) continue;
      const listeners = asArray(asMap(asMap(config.obj.spec).loadBalancer).l7Listeners).filter(isMap);
      const uncovered: string[] = [];
      for (const want of required) {
        const found = listeners.find((l) => l.protocol === want.protocol && Number(l.port) === want.port);
        if (!found) uncovered.push(`${label(want)} (no l7Listeners entry)`);
        else if (found.keepaliveEnable !== 1) uncovered.push(`${label(want)} (keepaliveEnable is ${JSON.stringify(found.keepaliveEnable ?? null)})`);
      }
      if (uncovered.length > 0) {
        out.push({
          entry: ing,
          message: `${describeEntry(ing)} is bound to ${describeEntry(config)}, which leaves keepalive off on ${uncovered.join(', ')}`,
          fix: `Set keepaliveEnable: 1 on an l7Listeners entry of ${describeEntry(config)} for each listed listener.`,
        });
      }
    }
    return out;
  },
};
