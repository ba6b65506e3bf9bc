import { describeEntry, ManifestSet } from '../private/manifests';
import { parseSuppressions, SUPPRESS_ANNOTATION } from '../private/suppressions';
import { FindingLevel } from '../types';
import { LoopbackRule, RuleContext, RuleFinding } from './rule';

/**
 * TKE-SUP-002: a suppression of a rule that does not exist.
 */
export const TKE_SUP_002: LoopbackRule = {
  info: {
    id: 'TKE-SUP-002',
    level: FindingLevel.WARNING,
    cause: `A \`${SUPPRESS_ANNOTATION}\` annotation names a rule id that the checker does not have.`,
    explanation:
      'A misspelled rule id suppresses nothing, so the finding its author meant to accept is still reported, and ' +
      'a reader of the manifest is misled about what is suppressed.',
    fix: 'Use a rule id listed in RULES.md (ids are upper case, for example TKE-L4-001).',
  },
  check(set: ManifestSet, context: RuleContext): RuleFinding[] {
    const out: RuleFinding[] = [];
    for (const entry of set.entries) {
      for (const s of parseSuppressions(entry)?.entries ?? []) {
        if (!context.knownRuleIds.has(s.ruleId)) {
          out.push({ entry, message: `${describeEntry(entry)}: ${SUPPRESS_ANNOTATION} names ${s.ruleId}, which is not a rule of the checker` });
        }
      }
    }
    return out;
  },
};
