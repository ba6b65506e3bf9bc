import { describeEntry, ManifestSet } from '../private/manifests';
import { bindingOf, findServiceConfig, ingresses, isPrivateTkeIngress, serviceConfigsByApplyNamespace, serviceConfigsNamed, services } from '../private/tke';
import { FindingLevel } from '../types';
import { LoopbackRule, RuleContext, RuleFinding } from './rule';

/**
 * TKE-L7-002: the bound TkeServiceConfig is not in the set, or is in another namespace.
 */
export const TKE_L7_002: LoopbackRule = {
  info: {
    id: 'TKE-L7-002',
    level: FindingLevel.ERROR,
    cause:
      'The TkeServiceConfig that a Service or Ingress is bound to is in another namespace (error), is in the same ' +
      'namespace only if both are applied to the namespace one of them names (warning), or is not in the checked set ' +
      'at all (warning: it may exist in the cluster).',
    explanation:
      'TKE looks the bound TkeServiceConfig up in the namespace of the Service or Ingress only. One in another ' +
      'namespace is ignored, so its settings (keepalive among them) never reach the CLB. When only one of the two ' +
      'sets `metadata.namespace` (Helm output often leaves it unset, and `helm install -n prod` puts the objects ' +
      'without one into prod), whether they meet depends on the namespace they are applied to, so that is a ' +
      'warning; when both set different namespaces it is an error. One that is missing from the set cannot be ' +
      'checked for keepalive. An auto binding on a private Ingress names a config that the controller creates ' +
      'without keepalive. A binding where one side has no namespace and the other says `default` gets the same warning.',
    fix:
      'Create the TkeServiceConfig in the same namespace as the object that binds it, and include it in the checked set.',
  },
  check(set: ManifestSet, context: RuleContext): RuleFinding[] {
    const out: RuleFinding[] = [];
    for (const owner of [...services(set), ...ingresses(set)]) {
      const binding = bindingOf(owner);
      if (!binding) continue;
      // Matched through the `default` namespace that one side only implies: it depends on where they are applied.
      const found = findServiceConfig(set, owner, binding.name);
      if (found && !owner.namespace === !found.namespace) continue;
      const elsewhere = serviceConfigsNamed(set, binding.name);
      const depends = found ? [found] : serviceConfigsByApplyNamespace(set, owner, binding.name);
      if (depends.length > 0) {
        const namespaces = depends.map((c) => c.namespace).filter((ns): ns is string => !!ns);
        const where = owner.namespace
          ? `${describeEntry(depends[0])} has no namespace, so TKE applies it only when it is applied to namespace ${owner.namespace}`
          : `${describeEntry(owner)} has no namespace, so TKE applies the config only when ${describeEntry(owner)} is applied to ` +
            `namespace ${[...new Set(namespaces)].join(' or ')}`;
        out.push({
          entry: owner,
          level: FindingLevel.WARNING,
          message:
            `${describeEntry(owner)} is bound to TkeServiceConfig ${binding.name} (${binding.annotation}), and ${where} ` +
            '(for example with helm install -n or kubectl apply -n)',
          fix:
            'Set the same metadata.namespace on both objects, or make sure both are always applied to the namespace ' +
            `that one of them names (helm install -n ${owner.namespace || namespaces[0]}).`,
        });
      } else if (elsewhere.length > 0) {
        out.push({
          entry: owner,
          message:
            `${describeEntry(owner)} is bound to TkeServiceConfig ${binding.name} (${binding.annotation}), which is in namespace ` +
            `${elsewhere.map((e) => e.namespaceOrDefault).join(', ')} instead of ${owner.namespaceOrDefault}, so TKE never applies it`,
          fix: `Move TkeServiceConfig ${binding.name} to namespace ${owner.namespaceOrDefault}.`,
        });
      } else if (!binding.auto) {
        out.push({
          entry: owner,
          level: FindingLevel.WARNING,
          message:
            `${describeEntry(owner)} is bound to TkeServiceConfig ${binding.name} (${binding.annotation}), which is not in ` +
            `the checked set (namespace ${owner.namespaceOrDefault}); it may exist in the cluster, but it cannot be checked`,
          fix: `Include TkeServiceConfig ${owner.namespaceOrDefault}/${binding.name} in the checked set, or create it.`,
        });
      } else if (owner.kind === 'Ingress' && isPrivateTkeIngress(owner, context.clbs)) {
        out.push({
          entry: owner,
          level: FindingLevel.WARNING,
          message:
            `${describeEntry(owner)} uses ${binding.annotation}: "true", so the controller creates TkeServiceConfig ` +
            `${binding.name} without keepalive, and it is not in the checked set`,
          fix:
            'Bind an explicit TkeServiceConfig that you declare (with keepaliveEnable: 1 on every listener), or add ' +
            `keepaliveEnable: 1 to ${owner.namespaceOrDefault}/${binding.name} after the controller creates it.`,
        });
      }
    }
    return out;
  },
};
