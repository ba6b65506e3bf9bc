import { TkeNames } from '../../tke/annotations';
import { describeEntry, ManifestSet } from '../private/manifests';
import { bindingKeys, ingresses, services } from '../private/tke';
import { FindingLevel } from '../types';
import { LoopbackRule, RuleFinding } from './rule';

/**
 * TKE-L7-003: conflicting or reserved TkeServiceConfig bindings.
 */
export const TKE_L7_003: LoopbackRule = {
  info: {
    id: 'TKE-L7-003',
    level: FindingLevel.ERROR,
    cause:
      'A Service or Ingress carries both the explicit and the auto TkeServiceConfig binding, or its explicit binding ' +
      'names a config with a reserved -auto-ingress-config or -auto-service-config suffix.',
    explanation:
      'The explicit and the auto binding must not be used together: which config TKE applies is then undefined. ' +
      'Names ending in -auto-ingress-config and -auto-service-config belong to configs that the controller creates ' +
      'and owns for the auto binding; naming one explicitly fights the controller over it.',
    fix: 'Keep one binding: the explicit one, naming a config whose name has no -auto-... suffix.',
  },
  check(set: ManifestSet): RuleFinding[] {
    const out: RuleFinding[] = [];
    for (const owner of [...services(set), ...ingresses(set)]) {
      const keys = bindingKeys(owner);
      if (!keys) continue;
      const explicit = owner.annotations.get(keys.explicit);
      const auto = owner.annotations.get(keys.auto);
      if (explicit && auto !== undefined && auto !== 'false') {
        out.push({
          entry: owner,
          message: `${describeEntry(owner)} has both ${keys.explicit}: ${JSON.stringify(explicit)} and ${keys.auto}: ${JSON.stringify(auto)}`,
          fix: `Remove ${keys.auto} and keep ${keys.explicit}.`,
        });
      }
      const suffixes = [TkeNames.AUTO_INGRESS_CONFIG_SUFFIX, TkeNames.AUTO_SERVICE_CONFIG_SUFFIX];
      const reserved = explicit ? suffixes.find((s) => explicit.endsWith(s)) : undefined;
      if (explicit && reserved) {
        out.push({
          entry: owner,
          message: `${describeEntry(owner)} binds ${keys.explicit}: ${JSON.stringify(explicit)}, a name with the reserved suffix ${reserved}`,
          fix: `Rename the TkeServiceConfig so that its name does not end in ${reserved}, and bind that name.`,
        });
      }
    }
    return out;
  },
};
