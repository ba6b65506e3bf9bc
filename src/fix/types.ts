import { LoopbackCheckOptions, LoopbackFinding, SuppressedFinding } from '../checks/types';

/**
 * The layer-4 fix that fix mode applies to a private LoadBalancer Service without protection (TKE-L4-001).
 */
export enum L4FixMode {
  /**
   * Annotate the Service with `service.cloud.tencent.com/prevent-loopback: "true"`, unless the set shows a
   * kube-proxy too old for it.
   *
   * @see https://www.tencentcloud.com/document/product/457/42976
   */
  PREVENT_LOOPBACK = 'prevent-loopback',
  /** Apply no layer-4 fix: TKE-L4-001 findings are reported as not fixed. */
  NONE = 'none',
}

/**
 * What `LoopbackFixer.fix()` may change, and what the manifests cannot tell it. The options it shares
 * with the checker (`privateClbIds`, `publicClbIds`, `proxyMode`) change what is a risk, and so what is
 * fixed: a Service that reuses a CLB declared private is judged (and fixed) as private; in iptables mode the
 * layer-4 rules do not run, so there is nothing to fix at layer 4.
 */
export interface LoopbackFixOptions extends LoopbackCheckOptions {
  /**
   * The checker rule ids whose findings to fix, for example `['TKE-L4-001']`. Findings of other rules are
   * reported as not fixed. Every id must be one of `LoopbackFixer.fixableRules()`.
   *
   * @default - every fixable rule
   */
  readonly rules?: string[];

  /**
   * The layer-4 fix.
   *
   * @default L4FixMode.PREVENT_LOOPBACK
   */
  readonly l4?: L4FixMode;

  /**
   * Add `pass-to-target: "true"` to private LoadBalancer Services and private TKE Ingresses whose CLB TKE
   * creates (never to one that reuses a CLB through `service.kubernetes.io/tke-existed-lbid` or
   * `kubernetes.io/ingress.existLbId`, where TKE rejects it). The CLB then lets its traffic through to the
   * backends without the security group of the nodes: a security trade-off only the user can make.
   *
   * @default false
   * @see https://www.tencentcloud.com/document/product/457/39142
   */
  readonly passToTarget?: boolean;
}

/**
 * One change fix mode made.
 */
export interface LoopbackFixChange {
  /**
   * The checker rule whose finding the change fixes, for example `TKE-L4-001`.
   * @default - not the fix of a checker finding (`pass-to-target`, which the user asks for)
   */
  readonly ruleId?: string;
  /** The kind of the object changed or added. */
  readonly kind: string;
  /**
   * The namespace of the object changed or added.
   * @default - none in the manifest
   */
  readonly namespace?: string;
  /**
   * The name of the object changed or added.
   * @default - the object has no name
   */
  readonly name?: string;
  /** What was changed, naming the values. */
  readonly message: string;
  /** Whether the object was added (a TkeServiceConfig), not changed. */
  readonly added: boolean;
  /**
   * The position in the input of the object changed; for an added object, of the object it was added for.
   */
  readonly manifestIndex: number;
  /**
   * When the input object at `manifestIndex` is a list, the position in its `items`.
   * @default - the input object is not a list
   */
  readonly itemIndex?: number;
}

/**
 * A risk that fix mode found and did not fix.
 */
export interface LoopbackUnfixedRisk {
  /** The checker's finding, as `LoopbackChecker.check()` reports it on the input. */
  readonly finding: LoopbackFinding;
  /** Why it was not fixed, and how to proceed. */
  readonly reason: string;
}

/**
 * The result of `LoopbackFixer.fix()`.
 */
export interface LoopbackFixResult {
  /**
   * The fixed manifests: the input in input order, changed objects replaced by fixed copies, and each added
   * object right after the object it was added for (inside the list, for an item of a list). Objects that
   * were not changed are the input objects themselves; the input is never modified.
   */
  readonly manifests: any[];
  /** Every change, in input order. */
  readonly changes: LoopbackFixChange[];
  /** Every finding that was not fixed, with the reason, in input order. */
  readonly unfixed: LoopbackUnfixedRisk[];
  /** Findings that a `cdk8s-tke-loopback/suppress` annotation suppressed: never fixed. */
  readonly suppressed: SuppressedFinding[];
  /** True when no finding is left unfixed. */
  readonly fixed: boolean;
  /**
   * What the check left out and why (the checker's `LoopbackReport.notes`), for example the layer-4 rules
   * when kube-proxy runs in iptables mode.
   */
  readonly notes: string[];
}
