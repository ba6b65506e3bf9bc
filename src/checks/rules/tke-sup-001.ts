import { describeEntry, ManifestSet } from '../private/manifests';
import { MIN_REASON_LENGTH, parseSuppressions, SUPPRESS_ANNOTATION, UNSUPPRESSIBLE_PREFIXES } from '../private/suppressions';
import { FindingLevel } from '../types';
import { LoopbackRule, RuleFinding } from './rule';

/**
 * TKE-SUP-001: a suppression without a proper reason.
 */
export const TKE_SUP_001: LoopbackRule = {
  info: {
    id: 'TKE-SUP-001',
    level: FindingLevel.ERROR,
    cause:
      `A \`${SUPPRESS_ANNOTATION}\` annotation entry has a reason under ${MIN_REASON_LENGTH} characters, is not ` +
      '`RULE-ID=reason`, or tries to suppress a TKE-SUP or TKE-INT finding.',
    explanation:
      'A suppression hides a loopback risk from every later reader, so it must say why the risk is acceptable. ' +
      `An entry with a reason under ${MIN_REASON_LENGTH} characters does not take effect: the finding it names ` +
      'stays, and this finding is added. Findings about suppressions and about failed rules cannot be suppressed.',
    fix: `Write the annotation as \`${SUPPRESS_ANNOTATION}: "TKE-L4-001=<why this is acceptable, ${MIN_REASON_LENGTH} characters or more>"\`.`,
  },
  check(set: ManifestSet): RuleFinding[] {
    const out: RuleFinding[] = [];
    for (const entry of set.entries) {
      const parsed = parseSuppressions(entry);
      if (!parsed) continue;
      if (parsed.notAString) {
        out.push({ entry, message: `${describeEntry(entry)}: ${SUPPRESS_ANNOTATION} is a ${parsed.notAString}, not a string of RULE-ID=reason entries` });
      }
      for (const bad of parsed.malformed) {
        out.push({ entry, message: `${describeEntry(entry)}: ${SUPPRESS_ANNOTATION} has ${JSON.stringify(bad)}, which is not RULE-ID=reason` });
      }
      for (const s of parsed.entries) {
        if (UNSUPPRESSIBLE_PREFIXES.some((p) => s.ruleId.startsWith(p))) {
          out.push({ entry, message: `${describeEntry(entry)}: ${SUPPRESS_ANNOTATION} tries to suppress ${s.ruleId}, which cannot be suppressed` });
        } else if (s.reason.length < MIN_REASON_LENGTH) {
          out.push({
            entry,
            message:
              `${describeEntry(entry)}: ${SUPPRESS_ANNOTATION} suppresses ${s.ruleId} with the reason ${JSON.stringify(s.reason)}, ` +
              `under ${MIN_REASON_LENGTH} characters, so it does not take effect`,
          });
        }
      }
    }
    return out;
  },
};
