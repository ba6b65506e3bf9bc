/**
 * What a rule is and returns. The types live with the runner in `../private/rule` (so that `private/` never
 * imports `rules/`); the rules import them from here.
 */
export type { LoopbackRule, RuleContext, RuleFinding } from '../private/rule';
