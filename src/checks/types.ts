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
  /**
   * For a finding about one line of a multi-line string field of the object (a Corefile): the field's
   * dotted path, for example `data.Corefile`.
   * @default - the finding is about the object as a whole
   */
  readonly field?: string;
  /**
   * The 1-based line within `field` that the finding is about.
   * @default - the finding is about the object as a whole
   */
  readonly fieldLine?: number;
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
  /**
   * What the check left out and why, for example the layer-4 rules when kube-proxy runs in iptables mode.
   */
  readonly notes: string[];
}

/**
 * The kube-proxy mode of the cluster the manifests are for.
 */
export enum KubeProxyMode {
  /** IPVS mode: a pod's traffic to a LoadBalancer address goes to the CLB, so layer-4 loopback can happen. */
  IPVS = 'ipvs',
  /**
   * iptables mode: kube-proxy routes a pod's traffic to a LoadBalancer address inside the node, so it never
   * reaches the CLB and cannot loop back; the layer-4 rules (TKE-L4-*) do not run.
   */
  IPTABLES = 'iptables',
}

/**
 * What the checker cannot read from the manifests and the user can tell it.
 */
export interface LoopbackCheckOptions {
  /**
   * Ids of existing CLBs (`lb-xxxxxxxx`) that are private-network CLBs. A LoadBalancer Service that reuses
   * one (`service.kubernetes.io/tke-existed-lbid`) or a TKE Ingress that does (`kubernetes.io/ingress.existLbId`)
   * is then judged by the private-network rules.
   *
   * @default - none
   */
  readonly privateClbIds?: string[];
  /**
   * Ids of existing CLBs (`lb-xxxxxxxx`) that are public-network CLBs; objects that reuse one are not judged
   * by the private-network rules and TKE-CLB-001 stays silent about them. An id in both lists is refused.
   *
   * @default - none
   */
  readonly publicClbIds?: string[];
  /**
   * The kube-proxy mode of the cluster. In iptables mode the layer-4 rules (TKE-L4-*) do not run.
   *
   * @default - read from the kube-proxy DaemonSet's `--proxy-mode` or the kube-proxy ConfigMap's `mode` in
   * kube-system when the checked set has them, else IPVS (TKE's mode, where loopback happens)
   */
  readonly proxyMode?: KubeProxyMode;
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
