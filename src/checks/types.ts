/**
 * How serious a loopback finding is.
 */
export enum FindingLevel {
  /** Loopback will happen, or the configuration is rejected: fix before applying. */
  ERROR = 'error',
  /** Loopback may happen, or a protection is weaker than it looks. */
  WARNING = 'warning',
}

/**
 * One loopback risk found in a set of manifests.
 */
export interface LoopbackFinding {
  /** The stable id of the rule that found it, for example `TKE-L4-001`. */
  readonly ruleId: string;
  /** How serious it is. */
  readonly level: FindingLevel;
  /** The kind of the object it is about (empty when the object has none). */
  readonly kind: string;
  /**
   * The namespace of the object it is about.
   * @default - none (cluster-scoped, or not set in the manifest)
   */
  readonly namespace?: string;
  /**
   * The name of the object it is about.
   * @default - none (the object has no name)
   */
  readonly name?: string;
  /** What is wrong, naming the values involved. */
  readonly message: string;
  /** What to change. */
  readonly fix: string;
  /**
   * The position, in the input array, of the object the finding is about.
   * @default - not tied to one input object
   */
  readonly manifestIndex?: number;
  /**
   * When the input object at `manifestIndex` is a list (`kind: List`, `ServiceList`, ...), the position in
   * its `items` of the object the finding is about.
   * @default - the input object is not a list
   */
  readonly itemIndex?: number;
}

/**
 * A finding that an object's `cdk8s-tke-loopback/suppress` annotation suppressed.
 */
export interface SuppressedFinding {
  /** The finding. */
  readonly finding: LoopbackFinding;
  /** The reason given in the annotation. */
  readonly reason: string;
}

/**
 * The result of checking a set of manifests.
 */
export interface LoopbackReport {
  /** True when no finding has level `error`. */
  readonly passed: boolean;
  /** Every finding that was not suppressed, in input order. */
  readonly findings: LoopbackFinding[];
  /** Findings that an annotation suppressed, with the reason. */
  readonly suppressed: SuppressedFinding[];
}

/**
 * What a rule checks, for reports and RULES.md.
 */
export interface LoopbackRuleInfo {
  /** The stable id, for example `TKE-L4-001`. */
  readonly id: string;
  /** The level of its findings (a rule whose findings vary in level gives the highest). */
  readonly level: FindingLevel;
  /** One line: what the rule finds. */
  readonly cause: string;
  /** Why it is a loopback risk. */
  readonly explanation: string;
  /** How to fix it. */
  readonly fix: string;
}
