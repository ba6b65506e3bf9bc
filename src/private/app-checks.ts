import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';

/**
 * App-wide checks at synth, shared by every construct of this library in one construct tree: a single
 * validation on the root walks the tree once per synth, indexes the API objects, and hands the index to
 * every registered check. Never exported from the package.
 */

/** What one walk of the construct tree found, for the checks of one synth. */
export interface AppIndex {
  /** The Service (`v1`/`Service`) named `name` in `namespace`, if this app defines one. */
  service(namespace: string, name: string): ApiObject | undefined;
  /** Every Service named `name`, in any namespace, for a backend that names a Service of another namespace. */
  servicesNamed(name: string): readonly ApiObject[];
  /** The rendered `spec` of a Service, computed once per synth (JSON patches count). */
  serviceSpec(service: ApiObject): any;
  /**
   * The rendered manifest of an API object, after every JSON patch, computed at most once per synth
   * and shared by all checks; `undefined` when it cannot be rendered (rendering then fails with its own
   * error right after validation).
   */
  rendered(obj: ApiObject): any;
}

/**
 * A check of one `subject` (a construct, or its state) against the index: its problems, each naming the
 * prop. A function shared by every construct of a kind, with the subject passed in, so that registering a
 * construct allocates no closure.
 */
export type AppCheck<T> = (subject: T, index: AppIndex) => readonly string[];

/** The app-wide checks of one construct tree: what its constructs registered, run by one validation on its root. */
export class AppChecks {
  /**
   * API objects made by constructs of this library: a name collision involving one of them fails. A list,
   * searched only when two objects share a name (an error), not a set hashed for every object registered.
   */
  private readonly owned: ApiObject[] = [];
  /** The names of the owned objects: only an object with one of them can collide with an owned object. */
  private readonly ownedNames = new Set<string>();
  /** Owned objects whose name is a Lazy: their name is known only at synth. */
  private readonly lazyOwned: ApiObject[] = [];
  /** The checks, with their subjects and the constructs that registered them, as parallel lists (no pair objects). */
  private readonly scopes: IConstruct[] = [];
  private readonly checks: Array<AppCheck<any>> = [];
  private readonly subjects: unknown[] = [];

  /** @param root the root of the tree, which gets the one validation */
  constructor(root: IConstruct) {
    root.node.addValidation({ validate: () => this.run(root) });
  }

  /** Registers an API object made by a construct of this library, for the name-collision check. */
  public own(obj: ApiObject): void {
    this.owned.push(obj);
    const name: unknown = obj.name;
    if (typeof name === 'string') this.ownedNames.add(name);
    else this.lazyOwned.push(obj);
  }

  /**
   * Registers `check` of `subject`, run at each synth. cdk8s reports the root's problems under the root's path
   * (`[]`), so each problem is prefixed with `<ConstructType> <scope path>: `.
   */
  public add<T>(scope: IConstruct, check: AppCheck<T>, subject: T): void {
    this.scopes.push(scope);
    this.checks.push(check);
    this.subjects.push(subject);
  }

  private run(root: IConstruct): string[] {
    const problems: string[] = [];
    const renders = new Map<ApiObject, any>();
    const rendered = (obj: ApiObject): any => {
      let manifest = renders.get(obj);
      if (manifest === undefined && !renders.has(obj)) {
        try {
          manifest = obj.toJson();
        } catch {
          // Rendering fails with its own error right after validation.
          manifest = undefined;
        }
        renders.set(obj, manifest);
      }
      return manifest;
    };
    // A name or namespace given as a Lazy is known only once rendered: those objects (rare) are rendered so
    // that they are indexed under the name and namespace they will have.
    const resolvedName = (obj: ApiObject): string => {
      const name: unknown = obj.name;
      return typeof name === 'string' ? name : String(rendered(obj)?.metadata?.name ?? name);
    };
    const resolvedNamespace = (obj: ApiObject): string => {
      const namespace: unknown = obj.metadata.namespace;
      if (namespace === undefined || typeof namespace === 'string') return namespace ?? 'default';
      return String(rendered(obj)?.metadata?.namespace ?? 'default');
    };
    let ownedNames = this.ownedNames;
    if (this.lazyOwned.length > 0) {
      ownedNames = new Set(ownedNames);
      for (const obj of this.lazyOwned) ownedNames.add(resolvedName(obj));
    }
    // The objects with an owned name, by name: the first one alone (no list is made unless a name repeats),
    // then matched on apiVersion, kind and namespace. No key string is built per object (the synth-overhead budget).
    const byName = new Map<string, ApiObject | ApiObject[]>();
    const services = new Map<string, Map<string, ApiObject>>();
    const servicesByName = new Map<string, ApiObject[]>();
    // An indexed loop, not for-of: a cold synth (`cdk8s synth` runs once) interprets this loop over every construct,
    // and for-of's iterator showed in its profile (a small share, below what one benchmark run can resolve).
    const all = root.node.findAll();
    for (let k = 0; k < all.length; k++) {
      const c = all[k];
      if (!ApiObject.isApiObject(c)) continue;
      const name = resolvedName(c);
      // An object's name is fixed when it is created, so a name no owned object has cannot collide with one.
      if (ownedNames.has(name)) {
        const same = byName.get(name);
        if (same === undefined) {
          byName.set(name, c);
        } else {
          const list = Array.isArray(same) ? same : [same];
          if (list !== same) byName.set(name, list);
          const namespace = resolvedNamespace(c);
          const first = list.find((f) => f.kind === c.kind && f.apiVersion === c.apiVersion && resolvedNamespace(f) === namespace);
          if (first === undefined) {
            list.push(c);
          } else if (this.owned.includes(first) || this.owned.includes(c)) {
            problems.push(
              `${c.kind} ${namespace}/${name} (${c.apiVersion}) is emitted twice, by ${first.node.path} and by ${c.node.path}: ` +
                'Kubernetes keeps only one object per name, so one would overwrite the other; give them different names',
            );
          }
        }
      }
      if (c.kind === 'Service' && c.apiVersion === 'v1') {
        const namespace = resolvedNamespace(c);
        const inNamespace = services.get(namespace);
        if (inNamespace === undefined) services.set(namespace, new Map([[name, c]]));
        else inNamespace.set(name, c);
        const same = servicesByName.get(name);
        if (same) same.push(c);
        else servicesByName.set(name, [c]);
      }
    }
    const index: AppIndex = {
      service: (namespace, name) => services.get(namespace)?.get(name),
      servicesNamed: (name) => servicesByName.get(name) ?? [],
      rendered,
      serviceSpec: (service) => {
        const manifest = rendered(service);
        return manifest === undefined ? undefined : manifest?.spec ?? {};
      },
    };
    const { scopes, checks, subjects } = this;
    for (let i = 0; i < checks.length; i++) {
      const found = checks[i](subjects[i], index);
      if (found.length === 0) continue;
      // The prefix is built only when there is a problem: reading the path walks the tree.
      const prefix = `${scopes[i].constructor.name} ${scopes[i].node.path}: `;
      for (const problem of found) problems.push(prefix + problem);
    }
    return problems;
  }
}

/** The app-wide checks of each tree, by its root. */
const registries = new WeakMap<IConstruct, AppChecks>();

/** The namespace an object lands in: its own, else the chart's (cdk8s copies it), else `default`. */
export function namespaceOf(obj: ApiObject): string {
  return obj.metadata.namespace ?? 'default';
}

/**
 * The app-wide checks of `scope`'s tree, where a construct registers the API objects it owns and its
 * checks. The first call for a tree adds the one validation, on its root, that runs them all.
 */
export function appChecksOf(scope: IConstruct): AppChecks {
  const root = rootOf(scope);
  let registry = registries.get(root);
  if (registry === undefined) {
    registry = new AppChecks(root);
    registries.set(root, registry);
  }
  return registry;
}

/** The root of each parent asked about by `rootOf()` (a construct's root never changes). */
const roots = new WeakMap<IConstruct, IConstruct>();

/** `scope.node.root`, which allocates the path of scopes: remembered by parent, as siblings are many. */
function rootOf(scope: IConstruct): IConstruct {
  const parent = scope.node.scope;
  if (parent === undefined) return scope;
  let root = roots.get(parent);
  if (root === undefined) {
    root = parent.node.root;
    roots.set(parent, root);
  }
  return root;
}
