import { LoopbackRule, RuleFinding } from './rule';
import { INTERNAL_RULE_ID } from '../private/runner';
import { FindingLevel } from '../types';

/**
 * TKE-INT-001: a rule failed. The runner produces these findings; this entry documents them.
 */
export const TKE_INT_001: LoopbackRule = {
  info: {
    id: INTERNAL_RULE_ID,
    level: FindingLevel.ERROR,
    cause: 'A rule of the checker failed on the input, or an input object could not be read, so findings are missing.',
    explanation:
      'The checker never crashes on strange input: when a rule throws, the runner records the rule and the error ' +
      'as this finding and runs the other rules; an object that throws when read (a property getter, a proxy) ' +
      'becomes this finding, about that object, and the other objects are still checked. The check does not pass, ' +
      'because a risk may have gone unreported. It cannot be suppressed.',
    fix: 'Report it as a bug of cdk8s-tke-loopback, with the manifest that triggers it.',
  },
  check(): RuleFinding[] {
    return [];
  },
};
