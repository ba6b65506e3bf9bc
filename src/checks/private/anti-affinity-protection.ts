/**
 * Which pod anti-affinity keeps the clients of a Service off the nodes of its server pods.
 *
 * A term protects a server pod template when it separates the server from pods other than its own:
 * - a term on the server whose label selector selects none of the Service's backing pods (a term that
 *   selects the server's own pods, the common "spread my replicas" term, keeps replicas apart but lets
 *   any client share a node with a replica);
 * - a term on another workload (a client) whose label selector selects the server's pods, in a
 *   namespace the term covers (the client is then kept off the server's nodes).
 *
 * A term without a label selector selects no pods and protects nothing. A `namespaceSelector` is taken
 * to cover every namespace (namespace labels are not known to the checker).
 */
import { AntiAffinity, asArray, asMap, asString, describeEntry, Entry, isMap, labelKey, ManifestSet, PodTemplate, podTemplateOf, stringMap, WORKLOAD_GROUPS } from './manifests';

/** One requirement of a label selector's `matchExpressions`. */
interface Requirement {
  readonly key: string;
  readonly operator: string;
  readonly values: ReadonlySet<string>;
}

/** A parsed label selector. */
export interface LabelSelector {
  readonly matchLabels: ReadonlyMap<string, string>;
  readonly expressions: readonly Requirement[];
}

const OPERATORS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

/**
 * A label selector, or undefined when it selects nothing: absent, not a map, or with an operator or a
 * value Kubernetes would reject.
 */
export function parseSelector(v: unknown): LabelSelector | undefined {
  if (!isMap(v)) return undefined;
  const rawLabels = asMap(v.matchLabels);
  const matchLabels = stringMap(rawLabels);
  if (matchLabels.size !== Object.keys(rawLabels).length) return undefined;
  const expressions: Requirement[] = [];
  for (const e of asArray(v.matchExpressions)) {
    if (!isMap(e)) return undefined;
    const key = asString(e.key);
    const operator = asString(e.operator);
    if (key === undefined || operator === undefined || !OPERATORS.has(operator)) return undefined;
    const values = new Set(asArray(e.values).filter((x): x is string => typeof x === 'string'));
    expressions.push({ key, operator, values });
  }
  return { matchLabels, expressions };
}

/** Whether a selector selects pods with these labels. */
export function selects(selector: LabelSelector, labels: ReadonlyMap<string, string>): boolean {
  for (const [k, v] of selector.matchLabels) if (labels.get(k) !== v) return false;
  for (const r of selector.expressions) {
    const value = labels.get(r.key);
    switch (r.operator) {
      case 'In':
        if (value === undefined || !r.values.has(value)) return false;
        break;
      case 'NotIn':
        if (value !== undefined && r.values.has(value)) return false;
        break;
      case 'Exists':
        if (value === undefined) return false;
        break;
      default: // DoesNotExist
        if (value !== undefined) return false;
    }
  }
  return true;
}

/** One pod anti-affinity term of a pod template. */
export interface AntiAffinityTerm {
  /** The pod template it is on. */
  readonly owner: PodTemplate;
  readonly required: boolean;
  readonly selector: LabelSelector;
  /** The namespaces whose pods it selects; undefined for every namespace. */
  readonly namespaces?: ReadonlySet<string>;
}

/** The anti-affinity terms of a pod template that have a label selector. */
export function termsOf(pod: PodTemplate): AntiAffinityTerm[] {
  const anti = asMap(asMap(pod.spec.affinity).podAntiAffinity);
  const out: AntiAffinityTerm[] = [];
  const add = (term: unknown, required: boolean) => {
    if (!isMap(term)) return;
    const selector = parseSelector(term.labelSelector);
    if (!selector) return;
    const listed = asArray(term.namespaces).filter((x): x is string => typeof x === 'string' && x !== '');
    const namespaces = isMap(term.namespaceSelector) ? undefined : new Set(listed.length > 0 ? listed : [pod.entry.namespaceOrDefault]);
    out.push({ owner: pod, required, selector, ...(namespaces ? { namespaces } : {}) });
  };
  for (const t of asArray(anti.requiredDuringSchedulingIgnoredDuringExecution)) add(t, true);
  for (const t of asArray(anti.preferredDuringSchedulingIgnoredDuringExecution)) add(asMap(t).podAffinityTerm, false);
  return out;
}

/** The kinds whose pod templates can carry client-side anti-affinity, beyond the Service backends. */
export const CLIENT_KINDS: ReadonlyArray<[string, readonly string[]]> = [
  ...WORKLOAD_GROUPS,
  ['Job', ['batch']],
  ['CronJob', ['batch']],
];

function clientTemplateOf(entry: Entry): PodTemplate {
  if (entry.kind !== 'CronJob') return podTemplateOf(entry);
  const template = asMap(asMap(asMap(asMap(entry.obj.spec).jobTemplate).spec).template);
  return { entry, labels: stringMap(asMap(template.metadata).labels), spec: asMap(template.spec) };
}

const TERM_INDEXES = new WeakMap<ManifestSet, TermIndex>();

/**
 * The anti-affinity terms of every workload in a set, indexed by one label pair (or namespace) that a
 * pod must have for the term to select it, so that finding the terms that select a pod does not scan
 * them all.
 */
export class TermIndex {
  /** The index of a set, built once. */
  public static of(set: ManifestSet): TermIndex {
    let index = TERM_INDEXES.get(set);
    if (!index) TERM_INDEXES.set(set, (index = new TermIndex(set)));
    return index;
  }

  /** Terms keyed by namespace (or `*`), label key and value that a selected pod must have. */
  private readonly byLabel = new Map<string, AntiAffinityTerm[]>();
  /** Terms with no such label pair, keyed by namespace (or `*`). */
  private readonly byNamespace = new Map<string, AntiAffinityTerm[]>();

  private constructor(set: ManifestSet) {
    for (const [kind, groups] of CLIENT_KINDS) {
      for (const entry of set.ofKind(kind, groups)) {
        for (const term of termsOf(clientTemplateOf(entry))) this.add(term);
      }
    }
  }

  /** The terms that select pods with `labels` in namespace `ns`. */
  public selecting(ns: string, labels: ReadonlyMap<string, string>): AntiAffinityTerm[] {
    const out: AntiAffinityTerm[] = [];
    const collect = (list: AntiAffinityTerm[] | undefined) => {
      if (!list) return;
      for (const t of list) if (selects(t.selector, labels)) out.push(t);
    };
    for (const scope of [ns, '*']) {
      for (const [k, v] of labels) collect(this.byLabel.get(labelKey(scope, k, v)));
      collect(this.byNamespace.get(scope));
    }
    return out;
  }

  private add(term: AntiAffinityTerm): void {
    const anchors = anchorsOf(term.selector);
    for (const scope of term.namespaces ?? ['*']) {
      if (!anchors) {
        push(this.byNamespace, scope, term);
      } else {
        for (const [k, v] of anchors) push(this.byLabel, labelKey(scope, k, v), term);
      }
    }
  }
}

/**
 * Label pairs one of which every selected pod has: a matchLabels pair, or the values of an `In`
 * expression; undefined when the selector has neither.
 */
function anchorsOf(selector: LabelSelector): Array<[string, string]> | undefined {
  for (const pair of selector.matchLabels) return [pair];
  for (const r of selector.expressions) {
    if (r.operator === 'In') return [...r.values].map((v): [string, string] => [r.key, v]);
  }
  return undefined;
}

function push<K, V>(map: Map<K, V[]>, k: K, v: V): void {
  const list = map.get(k);
  if (list) list.push(v);
  else map.set(k, [v]);
}

/** Kinds in the order a fix should name them: the workload someone edits first, its Pods last. */
const KIND_RANK: ReadonlyMap<string, number> = new Map([['Deployment', 0], ['StatefulSet', 0], ['DaemonSet', 0], ['ReplicaSet', 1], ['Pod', 2]]);

/**
 * The workloads to name in a finding about `pods`: those not owned (through `ownerReferences`) by
 * another of them, a Deployment before its ReplicaSets and Pods; at most three, then "and N more".
 */
export function nameWorkloads(pods: readonly PodTemplate[]): { first: Entry; text: string } {
  const present = new Set(pods.map((p) => `${p.entry.kind}\u0000${p.entry.namespaceOrDefault}\u0000${p.entry.name}`));
  const owned = (e: Entry): boolean =>
    asArray(asMap(e.obj.metadata).ownerReferences).some((r) => {
      const ref = asMap(r);
      return present.has(`${asString(ref.kind)}\u0000${e.namespaceOrDefault}\u0000${asString(ref.name)}`);
    });
  const top = pods.map((p) => p.entry).filter((e) => !owned(e));
  const entries = (top.length > 0 ? top : pods.map((p) => p.entry))
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (KIND_RANK.get(a.e.kind) ?? 3) - (KIND_RANK.get(b.e.kind) ?? 3) || a.i - b.i)
    .map((x) => x.e);
  const shown = entries.slice(0, 3).map(describeEntry).join(', ');
  const more = pods.length - Math.min(3, entries.length);
  return { first: entries[0], text: more > 0 ? `${shown} (and ${more} more)` : shown };
}

/** How well one backing pod template of a Service is kept apart from the Service's clients. */
export interface Protection {
  readonly pod: PodTemplate;
  /** The strongest protecting term: required, preferred, or none. */
  readonly level: AntiAffinity;
  /** Whether the template has anti-affinity terms, but every one of them selects the Service's own pods. */
  readonly selfOnly: boolean;
}

/**
 * The protection of every backing pod template of a Service (`pods`, as selected by its selector).
 * Terms of the backing templates themselves count only when they select none of `pods`; terms of
 * other workloads count when they select the template's pods.
 */
export function protectionOf(set: ManifestSet, pods: readonly PodTemplate[]): Protection[] {
  // Services that select the same backing pods (a dense set: many Services, one group of workloads) share one result.
  let cache = PROTECTIONS.get(set);
  if (!cache) PROTECTIONS.set(set, (cache = new Map()));
  const key = pods.map(podId).join(',');
  const cached = cache.get(key);
  if (cached) return cached;

  const backing = new Set(pods.map((p) => p.entry));
  const namespaces = new Set(pods.map((p) => p.entry.namespaceOrDefault));
  // The distinct label sets of the backing pods (a Deployment, its ReplicaSet and Pods share one), for terms
  // whose selector has no label pair to look pods up by.
  let labelSets: Map<string, PodTemplate> | undefined;
  const selectsBacking = (term: AntiAffinityTerm): boolean => {
    const anchors = anchorsOf(term.selector);
    const scopes = term.namespaces ? [...term.namespaces].filter((ns) => namespaces.has(ns)) : [...namespaces];
    if (anchors) {
      // Only the pods that carry one anchor pair can be selected: look them up, cost grows with the matches.
      for (const ns of scopes) {
        for (const [k, v] of anchors) {
          for (const p of set.podsWithLabel(ns, k, v)) if (backing.has(p.entry) && selects(term.selector, p.labels)) return true;
        }
      }
      return false;
    }
    if (!labelSets) {
      labelSets = new Map();
      for (const p of pods) labelSets.set(`${p.entry.namespaceOrDefault}\u0000${JSON.stringify([...p.labels].sort())}`, p);
    }
    for (const p of labelSets.values()) {
      if ((!term.namespaces || term.namespaces.has(p.entry.namespaceOrDefault)) && selects(term.selector, p.labels)) return true;
    }
    return false;
  };
  const index = TermIndex.of(set);
  const result = pods.map((pod) => {
    let level: AntiAffinity = AntiAffinity.NONE;
    const own = termsOf(pod);
    for (const term of own) if (!selectsBacking(term)) level = stronger(level, term.required);
    if (level !== AntiAffinity.REQUIRED) {
      for (const term of index.selecting(pod.entry.namespaceOrDefault, pod.labels)) {
        if (!backing.has(term.owner.entry)) level = stronger(level, term.required);
      }
    }
    return { pod, level, selfOnly: level === AntiAffinity.NONE && own.length > 0 };
  });
  cache.set(key, result);
  return result;
}

const PROTECTIONS = new WeakMap<ManifestSet, Map<string, Protection[]>>();

/** A key of a pod template unique in its set: its input position (and item position in a List). */
function podId(p: PodTemplate): string {
  return p.entry.item === undefined ? String(p.entry.index) : `${p.entry.index}.${p.entry.item}`;
}

function stronger(level: AntiAffinity, required: boolean): AntiAffinity {
  return required ? AntiAffinity.REQUIRED : level === AntiAffinity.NONE ? AntiAffinity.PREFERRED : level;
}
