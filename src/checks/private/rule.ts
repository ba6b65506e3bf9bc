import { Entry, ManifestSet } from './manifests';
import { ClbDeclarations } from './tke';
import { FindingLevel, LoopbackRuleInfo } from '../types';

/** What a rule returns for one problem; the runner turns it into a `LoopbackFinding`. */
export interface RuleFinding {
  /** The object the finding is about (gives kind, namespace, name and manifestIndex). */
  readonly entry?: Entry;
  /** What is wrong, naming the values involved. */
  readonly message: string;
  /** The fix, when more specific than the rule's. */
  readonly fix?: string;
  /** The level, when lower than the rule's. */
  readonly level?: FindingLevel;
  /** For a finding about one line of a multi-line string field (`data.Corefile`): the field's dotted path. */
  readonly field?: string;
  /** The 1-based line within `field`. */
  readonly fieldLine?: number;
}

/** What the runner tells every rule besides the manifests. */
export interface RuleContext {
  /** The ids of every rule in the registry the check runs with. */
  readonly knownRuleIds: ReadonlySet<string>;
  /** The CLB ids the user declared private or public. */
  readonly clbs: ClbDeclarations;
}

/** A loopback rule: static metadata plus a pure function of the whole manifest set. */
export interface LoopbackRule {
  readonly info: LoopbackRuleInfo;
  check(set: ManifestSet, context: RuleContext): RuleFinding[];
}
