/**
 * The manifest set as the rules see it: every input object indexed once, by kind and by
 * kind + namespace + name, with the pod templates of workloads indexed by label for selector
 * matching. Nothing here throws on strange input: non-objects are skipped, and wrong types where
 * maps belong read as empty maps.
 *
 * Namespaces: an object without `metadata.namespace` is in `default` for matching purposes (that is
 * where `kubectl apply` puts it without `-n`).
 *
 * Lists: an input object whose kind ends in `List` and that has an `items` array (`kubectl get -o yaml`
 * output) is replaced by its items; each item's entry keeps the List's input position as `index`, and
 * its position in `items` as `item`.
 *
 * Objects that cannot be read (a property getter that throws, a hostile proxy) are not indexed; they are
 * recorded in `unreadable` and the runner reports each as a finding of its own.
 */

/** The namespace used for matching when an object has none. */
export const DEFAULT_NAMESPACE = 'default';

/** Whether `v` is a plain map (an object that is not an array). */
export function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `v` as a map, or an empty one. */
export function asMap(v: unknown): Record<string, unknown> {
  return isMap(v) ? v : {};
}

/** `v` as an array, or an empty one. */
export function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** `v` when it is a string, else undefined. */
export function asString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** The string-valued entries of a map (labels, annotations, selectors); other values are dropped. */
export function stringMap(v: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (!isMap(v)) return out;
  for (const key of Object.keys(v)) {
    const value = v[key];
    if (typeof value === 'string') out.set(key, value);
  }
  return out;
}

/** A JSON rendering of a value for messages; never throws. */
export function show(v: unknown): string {
  try {
    const s = JSON.stringify(v);
    if (s === undefined) return String(v);
    return s.length > 200 ? `${s.slice(0, 197)}...` : s;
  } catch {
    try {
      return String(v);
    } catch {
      return '<unprintable>';
    }
  }
}

/** One input object, with the fields every rule reads. */
export interface Entry {
  /** Position in the input array (for an item of a List: the List's position). */
  readonly index: number;
  /** For an item of a List: its position in the List's `items`. */
  readonly item?: number;
  /** The object itself. */
  readonly obj: Record<string, unknown>;
  readonly apiVersion: string;
  readonly kind: string;
  /** The API group (`apps` for `apps/v1`, empty for `v1`). */
  readonly group: string;
  readonly name?: string;
  /** `metadata.namespace` as written (undefined when absent). */
  readonly namespace?: string;
  /** The namespace for matching: `metadata.namespace`, or `default`. */
  readonly namespaceOrDefault: string;
  readonly labels: Map<string, string>;
  readonly annotations: Map<string, string>;
  /** The raw annotations map, to tell "absent" from "not a string". */
  readonly rawAnnotations: Record<string, unknown>;
}

/** A workload's pod template (or a Pod itself). */
export interface PodTemplate {
  readonly entry: Entry;
  readonly labels: Map<string, string>;
  readonly spec: Record<string, unknown>;
}

/** The kinds whose pod template a Service selector can match, with the API groups they live in. */
export const WORKLOAD_GROUPS: ReadonlyMap<string, readonly string[]> = new Map([
  ['Deployment', ['apps', 'extensions']],
  ['StatefulSet', ['apps']],
  ['DaemonSet', ['apps', 'extensions']],
  ['ReplicaSet', ['apps', 'extensions']],
  ['Pod', ['']],
]);

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** An input object that could not be read, and why. */
export interface Unreadable {
  /** Position in the input array (for an item of a List: the List's position). */
  readonly index: number;
  /** For an item of a List: its position in the List's `items`. */
  readonly item?: number;
  /** What was thrown while reading it. */
  readonly error: unknown;
}

/** Whether an object is a list whose `items` are the objects (`kind: List`, `ServiceList`, ...). */
function listItems(obj: Record<string, unknown>): unknown[] | undefined {
  const kind = obj.kind;
  if (typeof kind !== 'string' || !kind.endsWith('List')) return undefined;
  const items = obj.items;
  return Array.isArray(items) ? items : undefined;
}

/**
 * The entry of one object. The object is copied one level deep (its own properties read once), so a
 * property that throws when read fails here, where the runner can report it, and not inside a rule.
 */
function entryOf(raw: Record<string, unknown>, index: number, item: number | undefined): Entry {
  const obj: Record<string, unknown> = { ...raw };
  const metadata: Record<string, unknown> = { ...asMap(obj.metadata) };
  const apiVersion = asString(obj.apiVersion) ?? '';
  const namespace = asString(metadata.namespace);
  const annotations = asMap(metadata.annotations);
  return {
    index,
    ...(item !== undefined ? { item } : {}),
    obj,
    apiVersion,
    kind: asString(obj.kind) ?? '',
    group: groupOf(apiVersion),
    name: asString(metadata.name),
    namespace,
    namespaceOrDefault: namespace || DEFAULT_NAMESPACE,
    labels: stringMap(metadata.labels),
    annotations: stringMap(annotations),
    rawAnnotations: annotations,
  };
}

/** The indexed manifest set of one check. */
export class ManifestSet {
  /** Every object in the input, in input order (the items of a List in place of the List). */
  public readonly entries: Entry[] = [];
  /** The input objects that could not be read, in input order. */
  public readonly unreadable: Unreadable[] = [];
  /** The raw input. */
  public readonly input: unknown[];
  private readonly byKind = new Map<string, Entry[]>();
  private readonly byId = new Map<string, Entry>();
  private podIndex?: Map<string, PodTemplate[]>;

  constructor(manifests: unknown) {
    this.input = Array.isArray(manifests) ? manifests : manifests === undefined || manifests === null ? [] : [manifests];
    for (let index = 0; index < this.input.length; index++) {
      let items: unknown[] | undefined;
      try {
        const obj = this.input[index];
        if (!isMap(obj)) continue;
        items = listItems(obj);
        if (!items) {
          this.add(entryOf(obj, index, undefined));
          continue;
        }
      } catch (error) {
        this.unreadable.push({ index, error });
        continue;
      }
      for (let item = 0; item < items.length; item++) {
        try {
          const obj = items[item];
          if (isMap(obj)) this.add(entryOf(obj, index, item));
        } catch (error) {
          this.unreadable.push({ index, item, error });
        }
      }
    }
  }

  private add(entry: Entry): void {
    this.entries.push(entry);
    let list = this.byKind.get(entry.kind);
    if (!list) this.byKind.set(entry.kind, (list = []));
    list.push(entry);
    if (entry.name !== undefined) {
      const id = idOf(entry.kind, entry.namespaceOrDefault, entry.name);
      if (!this.byId.has(id)) this.byId.set(id, entry);
    }
  }

  /**
   * The objects of a kind, in input order. When `groups` is given, only objects whose API group is one
   * of them (or that have no apiVersion at all) are returned.
   */
  public ofKind(kind: string, groups?: readonly string[]): Entry[] {
    const list = this.byKind.get(kind) ?? [];
    if (!groups) return list;
    return list.filter((e) => e.apiVersion === '' || groups.includes(e.group));
  }

  /** The first object of a kind with this namespace (for matching) and name. */
  public find(kind: string, ns: string, name: string): Entry | undefined {
    return this.byId.get(idOf(kind, ns, name));
  }

  /**
   * The pod templates (of Deployments, StatefulSets, DaemonSets, ReplicaSets and Pods) in `ns` whose
   * labels include every pair of `selector`. An empty selector selects nothing (a Service without a
   * selector has no backing workload that we can see).
   */
  public podsSelectedBy(ns: string, selector: Map<string, string>): PodTemplate[] {
    if (selector.size === 0) return [];
    const index = this.pods();
    let smallest: PodTemplate[] | undefined;
    for (const [k, v] of selector) {
      const list = index.get(labelKey(ns, k, v));
      if (!list) return [];
      if (!smallest || list.length < smallest.length) smallest = list;
    }
    return (smallest ?? []).filter((p) => {
      for (const [k, v] of selector) if (p.labels.get(k) !== v) return false;
      return true;
    });
  }

  /** The pod templates in `ns` whose labels include `key: value`, in input order. */
  public podsWithLabel(ns: string, key: string, value: string): readonly PodTemplate[] {
    return this.pods().get(labelKey(ns, key, value)) ?? [];
  }

  private pods(): Map<string, PodTemplate[]> {
    if (this.podIndex) return this.podIndex;
    const index = new Map<string, PodTemplate[]>();
    for (const [kind, groups] of WORKLOAD_GROUPS) {
      for (const entry of this.ofKind(kind, groups)) {
        const pod = podTemplateOf(entry);
        for (const [k, v] of pod.labels) {
          const key = labelKey(entry.namespaceOrDefault, k, v);
          let list = index.get(key);
          if (!list) index.set(key, (list = []));
          list.push(pod);
        }
      }
    }
    this.podIndex = index;
    return index;
  }
}

/** The pod template of a workload, or the Pod itself. */
export function podTemplateOf(entry: Entry): PodTemplate {
  if (entry.kind === 'Pod') {
    return { entry, labels: entry.labels, spec: asMap(entry.obj.spec) };
  }
  const template = asMap(asMap(entry.obj.spec).template);
  return { entry, labels: stringMap(asMap(template.metadata).labels), spec: asMap(template.spec) };
}

/** How well a server's pods are kept apart from its clients' pods. */
export enum AntiAffinity {
  NONE = 'none',
  PREFERRED = 'preferred',
  REQUIRED = 'required',
}

/**
 * `Kind ns/name` for messages and reports: the one describer of an object (`<no kind>` and `<unnamed>` stand
 * in for what is missing; no namespace gives `Kind name`).
 */
export function describeObject(kind: string | undefined, namespace: string | undefined, name: string | undefined): string {
  return `${kind || '<no kind>'} ${namespace ? `${namespace}/` : ''}${name ?? '<unnamed>'}`;
}

/** `Kind ns/name` of an entry, for messages. */
export function describeEntry(entry: Entry): string {
  return describeObject(entry.kind, entry.namespace, entry.name);
}

function idOf(kind: string, ns: string, name: string): string {
  return `${kind}\u0000${ns}\u0000${name}`;
}

/** The index key of one label pair in one namespace. */
export function labelKey(ns: string, k: string, v: string): string {
  return `${ns}\u0000${k}\u0000${v}`;
}
