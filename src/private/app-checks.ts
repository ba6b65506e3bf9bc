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
  readonly owned: WeakSet<ApiObject>;
  readonly checks: AppCheck[];
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
    const created: Registry = { owned: new WeakSet(), checks: [] };
    registry = created;
    registries.set(root, created);
    root.node.addValidation({ validate: () => runAppChecks(root, created) });
  }
  for (const obj of owned) registry.owned.add(obj);
  if (check) {
    // The prefix is built only when there is a problem: reading the path walks the tree.
    registry.checks.push((index) => {
      const problems = check(index);
      if (problems.length === 0) return problems;
      const prefix = `${scope.constructor.name} ${scope.node.path}: `;
      return problems.map((problem) => prefix + problem);
    });
  }
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

/** The key under which two API objects collide: the same apiVersion, kind, namespace and name. */
function objectKey(obj: ApiObject): string {
  return `${obj.apiVersion} ${obj.kind} ${namespaceOf(obj)}/${obj.name}`;
}

function runAppChecks(root: IConstruct, registry: Registry): string[] {
  const problems: string[] = [];
  // By name first: the full key (apiVersion, kind, namespace) is built only for objects that share a name.
  const byName = new Map<string, ApiObject[]>();
  const services = new Map<string, ApiObject>();
  const servicesByName = new Map<string, ApiObject[]>();
  for (const c of root.node.findAll()) {
    if (!ApiObject.isApiObject(c)) continue;
    const named = byName.get(c.name);
    if (named === undefined) {
      byName.set(c.name, [c]);
    } else {
      const key = objectKey(c);
      const first = named.find((o) => objectKey(o) === key);
      if (first === undefined) {
        named.push(c);
      } else if (registry.owned.has(first) || registry.owned.has(c)) {
        problems.push(
          `${c.kind} ${namespaceOf(c)}/${c.name} (${c.apiVersion}) is emitted twice, by ${first.node.path} and by ${c.node.path}: ` +
            'Kubernetes keeps only one object per name, so one would overwrite the other; give them different names',
        );
      }
    }
    if (c.kind === 'Service' && c.apiVersion === 'v1') {
      services.set(`${namespaceOf(c)}/${c.name}`, c);
      const same = servicesByName.get(c.name);
      if (same) same.push(c);
      else servicesByName.set(c.name, [c]);
    }
  }
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
  const index: AppIndex = {
    services,
    servicesByName,
    rendered,
    serviceSpec: (service) => {
      const manifest = rendered(service);
      return manifest === undefined ? undefined : manifest?.spec ?? {};
    },
  };
  for (const check of registry.checks) problems.push(...check(index));
  return problems;
}
