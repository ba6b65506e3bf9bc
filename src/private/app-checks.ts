import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';

/**
 * App-wide checks at synth, shared by every construct of this library in one construct tree: a single
 * validation on the root walks the tree once per synth, indexes the API objects, and hands the index to
 * every registered check. Never exported from the package.
 */

/** What one walk of the construct tree found, for the checks of one synth. */
export interface AppIndex {
  /** Services (`v1`/`Service`) by `<namespace>/<name>`. */
  readonly services: ReadonlyMap<string, ApiObject>;
  /** Services by name alone, for a backend that names a Service of another namespace. */
  readonly servicesByName: ReadonlyMap<string, ApiObject[]>;
  /** The rendered `spec` of a Service, computed once per synth (JSON patches count). */
  serviceSpec(service: ApiObject): any;
  /**
   * The rendered manifest of an API object, after every JSON patch, computed at most once per synth
   * and shared by all checks; `undefined` when it cannot be rendered (rendering then fails with its own
   * error right after validation).
   */
  rendered(obj: ApiObject): any;
}

/** A check that reads the index and returns problems (each naming the construct and prop). */
export type AppCheck = (index: AppIndex) => string[];

interface Registry {
  /** API objects made by constructs of this library: a name collision involving one of them fails. */
  readonly owned: Set<ApiObject>;
  /** The names of the owned objects: only an object with one of them can collide with an owned object. */
  readonly ownedNames: Set<string>;
  /** Owned objects whose name is a Lazy: their name is known only at synth. */
  readonly lazyOwned: ApiObject[];
  /** The checks, each with the construct that registered it (its problems are prefixed with its type and path). */
  readonly checks: RegisteredCheck[];
}

/** A check and the construct that registered it: a pair, not a wrapping closure per construct. */
interface RegisteredCheck {
  readonly scope: IConstruct;
  readonly check: AppCheck;
}

const registries = new WeakMap<IConstruct, Registry>();

/** The namespace an object lands in: its own, else the chart's (cdk8s copies it), else `default`. */
export function namespaceOf(obj: ApiObject): string {
  return obj.metadata.namespace ?? 'default';
}

/**
 * Registers `owned` API objects for the name-collision check, and `check` (if any), with the root of
 * `scope`'s tree. The first registration in a tree adds the one validation that runs them all. cdk8s
 * reports the root's problems under the root's path (`[]`), so each problem of `check` is prefixed
 * with `<ConstructType> <scope path>: `.
 */
export function registerAppCheck(scope: IConstruct, owned: ApiObject[], check?: AppCheck): void {
  const root = rootOf(scope);
  let registry = registries.get(root);
  if (!registry) {
    const created: Registry = { owned: new Set(), ownedNames: new Set(), lazyOwned: [], checks: [] };
    registry = created;
    registries.set(root, created);
    root.node.addValidation({ validate: () => runAppChecks(root, created) });
  }
  for (let i = 0; i < owned.length; i++) {
    const obj = owned[i];
    registry.owned.add(obj);
    const name: unknown = obj.name;
    if (typeof name === 'string') registry.ownedNames.add(name);
    else registry.lazyOwned.push(obj);
  }
  if (check) registry.checks.push({ scope, check });
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

function runAppChecks(root: IConstruct, registry: Registry): string[] {
  const problems: string[] = [];
  const renders = new Map<ApiObject, any>();
  const rendered = (obj: ApiObject): any => {
    if (!renders.has(obj)) {
      let manifest: any;
      try {
        manifest = obj.toJson();
      } catch {
        // Rendering fails with its own error right after validation.
        manifest = undefined;
      }
      renders.set(obj, manifest);
    }
    return renders.get(obj);
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
  const ownedNames = registry.lazyOwned.length === 0 ? registry.ownedNames : new Set(registry.ownedNames);
  for (const obj of registry.lazyOwned) ownedNames.add(resolvedName(obj));
  // The first object of each name (among the owned names), then matched on apiVersion, kind and namespace:
  // no key string is built per object (the synth-overhead budget).
  const byName = new Map<string, Array<{ readonly obj: ApiObject; readonly namespace: string }>>();
  const services = new Map<string, ApiObject>();
  const servicesByName = new Map<string, ApiObject[]>();
  for (const c of root.node.findAll()) {
    if (!ApiObject.isApiObject(c)) continue;
    const name = resolvedName(c);
    // An object's name is fixed when it is created, so a name no owned object has cannot collide with one.
    if (ownedNames.has(name)) {
      const namespace = resolvedNamespace(c);
      const same = byName.get(name);
      const first = same?.find((f) => f.namespace === namespace && f.obj.kind === c.kind && f.obj.apiVersion === c.apiVersion)?.obj;
      if (first === undefined) {
        if (same) same.push({ obj: c, namespace });
        else byName.set(name, [{ obj: c, namespace }]);
      } else if (registry.owned.has(first) || registry.owned.has(c)) {
        problems.push(
          `${c.kind} ${namespace}/${name} (${c.apiVersion}) is emitted twice, by ${first.node.path} and by ${c.node.path}: ` +
            'Kubernetes keeps only one object per name, so one would overwrite the other; give them different names',
        );
      }
    }
    if (c.kind === 'Service' && c.apiVersion === 'v1') {
      services.set(`${resolvedNamespace(c)}/${name}`, c);
      const same = servicesByName.get(name);
      if (same) same.push(c);
      else servicesByName.set(name, [c]);
    }
  }
  const index: AppIndex = {
    services,
    servicesByName,
    rendered,
    serviceSpec: (service) => {
      const manifest = rendered(service);
      return manifest === undefined ? undefined : manifest?.spec ?? {};
    },
  };
  for (const { scope, check } of registry.checks) {
    const found = check(index);
    if (found.length === 0) continue;
    // The prefix is built only when there is a problem: reading the path walks the tree.
    const prefix = `${scope.constructor.name} ${scope.node.path}: `;
    for (const problem of found) problems.push(prefix + problem);
  }
  return problems;
}
