import { TkeAnnotations } from '../../tke/annotations';
import { describeEntry, Entry, ManifestSet, show } from '../private/manifests';
import { ingresses, services } from '../private/tke';
import { FindingLevel } from '../types';
import { LoopbackRule, RuleFinding } from './rule';

/** The TKE annotations that the controllers read as the string "true". */
const SERVICE_SWITCHES = [
  TkeAnnotations.SERVICE_PREVENT_LOOPBACK,
  TkeAnnotations.SERVICE_DIRECT_ACCESS,
  TkeAnnotations.SERVICE_TKE_SERVICE_CONFIG_AUTO,
  TkeAnnotations.SERVICE_PASS_TO_TARGET,
];
const INGRESS_SWITCHES = [
  TkeAnnotations.INGRESS_DIRECT_ACCESS,
  TkeAnnotations.INGRESS_TKE_SERVICE_CONFIG_AUTO,
  TkeAnnotations.INGRESS_PASS_TO_TARGET,
];

function check(entry: Entry, keys: readonly string[], out: RuleFinding[]): void {
  for (const key of keys) {
    if (!Object.prototype.hasOwnProperty.call(entry.rawAnnotations, key)) continue;
    const value = entry.rawAnnotations[key];
    if (value === 'true' || value === 'false') continue;
    out.push({
      entry,
      message:
        typeof value === 'string'
          ? `${describeEntry(entry)} has ${key}: ${JSON.stringify(value)}; TKE acts only on the exact string "true"`
          : `${describeEntry(entry)} has ${key}: ${show(value)}, which is not a string; annotation values must be strings, so write "true"`,
      fix: `Set ${key} to "true" (quoted), or remove it.`,
    });
  }
}

/**
 * TKE-ANN-001: an on/off TKE annotation whose value is not "true" or "false".
 */
export const TKE_ANN_001: LoopbackRule = {
  info: {
    id: 'TKE-ANN-001',
    level: FindingLevel.WARNING,
    cause:
      'An on/off TKE annotation (prevent-loopback, direct-access, tke-service-config-auto, pass-to-target) has a ' +
      'value other than the string "true" or "false".',
    explanation:
      'TKE\'s controllers turn these features on only for the exact string "true". "True", "yes", "1" or an unquoted ' +
      'YAML boolean leave the feature off without any error, so a Service that looks protected against loopback is not.',
    fix: 'Write the value as the quoted string "true".',
  },
  check(set: ManifestSet): RuleFinding[] {
    const out: RuleFinding[] = [];
    for (const svc of services(set)) check(svc, SERVICE_SWITCHES, out);
    for (const ing of ingresses(set)) check(ing, INGRESS_SWITCHES, out);
    return out;
  },
};
