/**
 * The planner of fix mode: runs the checker, and for each finding it can fix safely records the edits
 * (operations on paths inside one input object) that fix it. `LoopbackFixer` applies them to plain
 * objects, the YAML layer to the source text. Not exported from the package barrel.
 */
import { applyToObject, FixOp, structuredCloneJson, Target } from './ops';
import { FIXABLE_RULES, Resolved, resolveOptions } from './options';
import { L4FixMode, LoopbackFixChange, LoopbackFixOptions, LoopbackUnfixedRisk } from './types';
import { LoopbackChecker } from '../checks/checker';
import { asArray, asMap, describeEntry, Entry, isMap, ManifestSet } from '../checks/private/manifests';
import {
  Binding, bindingOf, clbOf, findServiceConfig, ingresses, isPrivateLoadBalancer, isPrivateTkeIngress, services,
  serviceConfigsByApplyNamespace, serviceConfigsNamed, hasTls,
} from '../checks/private/tke';
import { kubeProxyOf } from '../checks/rules/tke-l4-003';
import { LoopbackFinding } from '../checks/types';
import { TkeAnnotations } from '../tke/annotations';
import { KubeProxyVersion } from '../tke/kube-proxy-version';
import { parseListenPorts } from '../tke/listen-ports';


/** The suffix of the TkeServiceConfig that fix mode adds for an unbound Ingress. */
export const ADDED_CONFIG_SUFFIX = '-loopback';

/** The apiVersion of TkeServiceConfig. */
export const TKE_SERVICE_CONFIG_API_VERSION = 'cloud.tencent.com/v1alpha1';


/** What the planner decided. */
export interface FixPlan {
  /** The edits, in the order they were decided (apply them in this order). */
  readonly ops: FixOp[];
  readonly changes: LoopbackFixChange[];
  readonly unfixed: LoopbackUnfixedRisk[];
  readonly suppressed: ReturnType<typeof LoopbackChecker.check>['suppressed'];
  /** The checker's notes (what it left out and why). */
  readonly notes: string[];
  /** The fixed copies of the changed input objects (whole list for an item of a list), by input index. */
  readonly fixedObjects: Map<number, Record<string, unknown>>;
}

/** Spellings of the on/off annotations that fix mode rewrites to the quoted string TKE reads. */
const TRUE_SPELLINGS = new Set(['true', 'yes', 'y', 'on', '1']);
const FALSE_SPELLINGS = new Set(['false', 'no', 'n', 'off', '0']);

/** The canonical "true" or "false" for a value TKE-ANN-001 reports, or undefined when the intent is unclear. */
export function canonicalSwitch(value: unknown): 'true' | 'false' | undefined {
  if (value === true || value === 1) return 'true';
  if (value === false || value === 0) return 'false';
  if (typeof value !== 'string') return undefined;
  const v = value.trim().toLowerCase();
  if (TRUE_SPELLINGS.has(v)) return 'true';
  if (FALSE_SPELLINGS.has(v)) return 'false';
  return undefined;
}

/** The on/off annotations TKE-ANN-001 checks, by kind. */
const SERVICE_SWITCHES = [
  TkeAnnotations.SERVICE_PREVENT_LOOPBACK, TkeAnnotations.SERVICE_DIRECT_ACCESS,
  TkeAnnotations.SERVICE_TKE_SERVICE_CONFIG_AUTO, TkeAnnotations.SERVICE_PASS_TO_TARGET,
];
const INGRESS_SWITCHES = [
  TkeAnnotations.INGRESS_DIRECT_ACCESS, TkeAnnotations.INGRESS_TKE_SERVICE_CONFIG_AUTO, TkeAnnotations.INGRESS_PASS_TO_TARGET,
];

/** Why findings of rules that fix mode never fixes are only reported. */
const NEVER_FIXED: Record<string, string> = {
  'TKE-L4-002': 'anti-affinity is never added by fix mode: only you know which pods are the clients',
  'TKE-DNS-001': 'CoreDNS is never fixed by fix mode: the Corefile that runs is the live one in the cluster',
  'TKE-CLB-001': 'only the CLB console shows whether a reused CLB is private-network, so fix mode cannot tell whether it ' +
    'needs a fix: declare it (cdk8s-tke-loopback/clb-network: private or public on the object, or --private-clb / ' +
    '--public-clb) and run fix again, which then fixes it as the checker judges it',
};

/** The objects being fixed: copied on first write, so the input is never changed. */
class Workspace {
  public readonly fixed = new Map<number, Record<string, unknown>>();
  constructor(private readonly manifests: readonly unknown[]) {}

  /** The current state of a target (its fixed copy when it has one). */
  public read(t: Target): Record<string, unknown> {
    const top = this.fixed.get(t.index) ?? (this.manifests[t.index] as Record<string, unknown>);
    return t.item === undefined ? top : asArray(top.items)[t.item] as Record<string, unknown>;
  }

  public write(t: Target): Record<string, unknown> {
    let top = this.fixed.get(t.index);
    if (!top) {
      top = structuredCloneJson(this.manifests[t.index] as Record<string, unknown>);
      this.fixed.set(t.index, top);
    }
    return t.item === undefined ? top : (top.items as any[])[t.item];
  }
}

/** The planner's state for one run. */
class Planner {
  public readonly ops: FixOp[] = [];
  public readonly changes: LoopbackFixChange[] = [];
  public readonly work: Workspace;
  private readonly set: ManifestSet;
  private readonly entries = new Map<string, Entry>();
  private preventLoopbackBlock?: { reason?: string };

  constructor(manifests: unknown[], private readonly options: Resolved, private readonly layout: Layout = {}) {
    this.work = new Workspace(manifests);
    this.set = new ManifestSet(manifests);
    for (const e of this.set.entries) this.entries.set(targetKey(e), e);
  }

  public entryOf(f: LoopbackFinding): Entry | undefined {
    return f.manifestIndex === undefined ? undefined : this.entries.get(targetKey({ index: f.manifestIndex, item: f.itemIndex }));
  }

  private change(ruleId: string | undefined, entry: Entry, message: string, added?: Record<string, unknown>): void {
    const meta = added ? asMap(added.metadata) : undefined;
    this.changes.push({
      ...(ruleId ? { ruleId } : {}),
      kind: added ? String(added.kind) : entry.kind,
      ...((added ? meta!.namespace : entry.namespace) !== undefined ? { namespace: String(added ? meta!.namespace : entry.namespace) } : {}),
      ...((added ? meta!.name : entry.name) !== undefined ? { name: String(added ? meta!.name : entry.name) } : {}),
      message,
      added: !!added,
      manifestIndex: entry.index,
      ...(entry.item !== undefined ? { itemIndex: entry.item } : {}),
    });
  }

  private apply(op: FixOp): void {
    this.ops.push(op);
    if (op.op !== 'add') applyToObject(this.work.write(op.target), op);
  }

  private annotate(ruleId: string | undefined, entry: Entry, annotation: string, value: string, message: string): void {
    this.apply({ op: 'set', target: entry, path: ['metadata', 'annotations', annotation], value });
    this.change(ruleId, entry, message);
  }

  /** Whether an annotation can be added: metadata and its annotations are maps, or absent. */
  private canAnnotate(entry: Entry): boolean {
    const absentOrMap = (v: unknown) => v === undefined || v === null || isMap(v);
    const metadata = this.work.read(entry).metadata;
    return absentOrMap(metadata) && absentOrMap(asMap(metadata).annotations);
  }

  /** The current annotations of an entry (after earlier fixes). */
  private annotations(entry: Entry): Record<string, unknown> {
    return asMap(asMap(this.work.read(entry).metadata).annotations);
  }

  /** TKE-ANN-001: write the value TKE reads. Returns the reason when it cannot. */
  public fixAnnotationValue(f: LoopbackFinding, entry: Entry): string | undefined {
    const annotations = this.annotations(entry);
    const switches = entry.kind === 'Ingress' ? INGRESS_SWITCHES : SERVICE_SWITCHES;
    const has = (k: string) => Object.prototype.hasOwnProperty.call(annotations, k);
    // The key the finding names; when its message does not name one, the only switch left to fix.
    const pending = switches.filter((k) => has(k) && annotations[k] !== 'true' && annotations[k] !== 'false');
    const named = switches.find((k) => f.message.includes(` ${k}: `) && has(k));
    const annotation = named ?? (pending.length === 1 ? pending[0] : undefined);
    if (annotation === undefined) return pending.length === 0 ? undefined : 'the finding names no on/off annotation of the object';
    const value = annotations[annotation];
    if (value === 'true' || value === 'false') return undefined; // an earlier fix wrote it
    const canonical = canonicalSwitch(value);
    if (canonical === undefined) {
      return `${JSON.stringify(value)} reads as neither on nor off, so only you can say which was meant: write "true" or "false"`;
    }
    this.annotate('TKE-ANN-001', entry, annotation, canonical, `${annotation}: ${JSON.stringify(value)} written as "${canonical}"`);
    return undefined;
  }

  /** TKE-L4-001: add prevent-loopback. Returns the reason when it cannot. */
  public fixLayer4(entry: Entry): string | undefined {
    if (this.options.l4 === L4FixMode.NONE) return 'the layer-4 fix is off (--l4 none)';
    const key4 = TkeAnnotations.SERVICE_PREVENT_LOOPBACK;
    const annotations = this.annotations(entry);
    if (annotations[key4] === 'true') return undefined; // quoting it (TKE-ANN-001) fixed it
    const spec = asMap(this.work.read(entry).spec);
    if (spec.externalTrafficPolicy === 'Local' || this.annotations(entry)[TkeAnnotations.SERVICE_DIRECT_ACCESS] === 'true') {
      return 'the Service relies on externalTrafficPolicy: Local or direct access, which needs pod anti-affinity against ' +
        'its clients; fix mode never adds anti-affinity, as only you know which pods are the clients. Add it, or annotate ' +
        `the Service with ${key4}: "true" yourself`;
    }
    if (Object.prototype.hasOwnProperty.call(annotations, key4)) {
      return `${key4} is set to ${JSON.stringify(annotations[key4])} on purpose; change it to "true" yourself`;
    }
    if (!this.canAnnotate(entry)) return 'metadata or metadata.annotations is not a map; fix it by hand';
    const blocked = this.preventLoopbackBlocked();
    if (blocked) return blocked;
    this.annotate('TKE-L4-001', entry, key4, 'true', `added ${key4}: "true"`);
    return undefined;
  }

  /**
   * Why `prevent-loopback` would not work in this set, or undefined: the set's kube-proxy DaemonSet (found
   * as TKE-L4-003 finds it) runs a build that the one table of `KubeProxyVersion` says does not support it,
   * or an image whose build cannot be read. Without a kube-proxy DaemonSet in the set, nothing blocks it.
   */
  private preventLoopbackBlocked(): string | undefined {
    if (!this.preventLoopbackBlock) {
      const proxy = kubeProxyOf(this.set);
      let reason: string | undefined;
      if (proxy) {
        const support = KubeProxyVersion.checkPreventLoopback(proxy.image ?? '');
        if (!support.supported) {
          const runs = proxy.image === undefined ? 'has no container image' : `runs image ${proxy.image}`;
          const upgrade = support.minimum
            ? `update the kube-proxy DaemonSet in kube-system to ${support.minimum} or later`
            : 'run a TKE kube-proxy build that supports it (v1.12.4-tke.30 or later) with a readable image tag';
          reason = `${TkeAnnotations.SERVICE_PREVENT_LOOPBACK} would have no effect: ${describeEntry(proxy.daemonSet)} ${runs}: ` +
            `${support.reason}. To proceed, ${upgrade} and run fix again`;
        }
      }
      this.preventLoopbackBlock = { reason };
    }
    return this.preventLoopbackBlock.reason;
  }

  /** TKE-L7-001: keepalive on every listener of the Ingress. Returns the reason when it cannot. */
  public fixLayer7(ing: Entry): string | undefined {
    const required = requiredListeners(this.annotations(ing), hasTls(ing));
    if (typeof required === 'string') return required;
    const binding = bindingOf(ing);
    if (binding?.auto) return autoBindingReason(binding);
    if (binding) {
      const candidates = serviceConfigsByApplyNamespace(this.set, ing, binding.name);
      const config = findServiceConfig(this.set, ing, binding.name) ?? (candidates.length === 1 ? candidates[0] : undefined);
      // The checker reports this case as TKE-L7-002, not TKE-L7-001; the same explanation either way.
      if (!config) return this.unresolvedBindingReason(ing) ?? `TkeServiceConfig ${binding.name} was not found`;
      return this.patchConfig(ing, config, required);
    }
    if (!ing.name) return 'the Ingress has no name, so no TkeServiceConfig can be named after it';
    if (!this.canAnnotate(ing)) return 'metadata or metadata.annotations is not a map; fix it by hand';
    const name = `${ing.name}${ADDED_CONFIG_SUFFIX}`;
    const cannotAdd = ing.item === undefined ? this.layout.cannotAddAfter?.(ing.index) : undefined;
    if (cannotAdd !== undefined) {
      return `${cannotAdd}, so TkeServiceConfig ${name} cannot be added after it: add it yourself (with keepaliveEnable: 1 on ` +
        `${required.map(label).join(', ')}) and bind it with ${TkeAnnotations.INGRESS_TKE_SERVICE_CONFIG}: ${name}, then run fix again`;
    }
    if (this.set.find('TkeServiceConfig', ing.namespaceOrDefault, name)) {
      return `a TkeServiceConfig named ${name} already exists in ${ing.namespaceOrDefault} and the Ingress is not bound to it; ` +
        `bind it with ${TkeAnnotations.INGRESS_TKE_SERVICE_CONFIG}: ${name} if it is meant for this Ingress, and run fix again`;
    }
    const config = {
      apiVersion: TKE_SERVICE_CONFIG_API_VERSION,
      kind: 'TkeServiceConfig',
      metadata: { name, ...(ing.namespace !== undefined ? { namespace: ing.namespace } : {}) },
      spec: { loadBalancer: { l7Listeners: required.map((l) => ({ protocol: l.protocol, port: l.port, keepaliveEnable: 1 })) } },
    };
    this.apply({ op: 'add', target: ing, object: config });
    this.change('TKE-L7-001', ing, `added TkeServiceConfig ${name} with keepaliveEnable: 1 on ${required.map(label).join(', ')}`, config);
    this.annotate('TKE-L7-001', ing, TkeAnnotations.INGRESS_TKE_SERVICE_CONFIG, name,
      `bound to TkeServiceConfig ${name} with ${TkeAnnotations.INGRESS_TKE_SERVICE_CONFIG}`);
    return undefined;
  }

  /**
   * Why a TKE-L7-002 finding (a binding to a TkeServiceConfig that is missing from the set, in another
   * namespace, or met only through the namespace the objects are applied to) is not fixed, naming the
   * config and, for a private Ingress, the listeners that need keepalive. Fix mode never invents, moves or
   * re-namespaces a config: one it wrote would replace the one in the cluster when applied.
   */
  public unresolvedBindingReason(owner: Entry): string | undefined {
    const binding = bindingOf(owner);
    if (!binding) return undefined;
    if (binding.auto) return autoBindingReason(binding);
    const qualified = `${owner.namespaceOrDefault}/${binding.name}`;
    const private7 = owner.kind === 'Ingress' && isPrivateTkeIngress(owner, this.options.clbs);
    const required = private7 ? requiredListeners(this.annotations(owner), hasTls(owner)) : undefined;
    const keepalive = Array.isArray(required)
      ? `; ${describeEntry(owner)} is a private TKE Ingress, so that config needs keepaliveEnable: 1 on ${required.map(label).join(', ')}` +
        ' (whether it has it cannot be checked, so TKE-L7-001 is not judged)'
      : '';
    const here = findServiceConfig(this.set, owner, binding.name);
    const applied = here ? [here] : serviceConfigsByApplyNamespace(this.set, owner, binding.name);
    if (applied.length > 0) {
      return `${describeEntry(owner)} and ${describeEntry(applied[0])} meet only when both are applied to the same namespace, and fix ` +
        'mode does not choose namespaces: set the same metadata.namespace on both, or always apply them to one namespace' +
        (private7 ? ' (its keepalive is judged, and fixed, as TKE-L7-001)' : '');
    }
    const elsewhere = serviceConfigsNamed(this.set, binding.name);
    if (elsewhere.length > 0) {
      return `TkeServiceConfig ${binding.name} is in namespace ${elsewhere.map((e) => e.namespaceOrDefault).join(', ')}, not ${owner.namespaceOrDefault}, and fix ` +
        `mode does not move objects: move it to ${owner.namespaceOrDefault} (then run fix again, which patches its keepalive if needed)${keepalive}`;
    }
    return `${describeEntry(owner)} is bound to TkeServiceConfig ${qualified} (${binding.annotation}), which is not in the ` +
      'manifests; it may exist in the cluster, and fix mode does not invent one, since a config it wrote would replace that ' +
      `one when applied. Add it to the manifests (kubectl -n ${owner.namespaceOrDefault} get tkeserviceconfig ${binding.name} -o yaml) and run ` +
      `fix again, or fix it in the cluster${keepalive}`;
  }

  /** Adds the missing listeners to a bound config and turns keepalive on, changing nothing else. */
  private patchConfig(ing: Entry, config: Entry, required: Listener[]): string | undefined {
    const current = this.work.read(config);
    const spec = current.spec;
    const lb = asMap(spec).loadBalancer;
    const listeners = asMap(lb).l7Listeners;
    if ((spec !== undefined && spec !== null && !isMap(spec)) || (lb !== undefined && lb !== null && !isMap(lb)) ||
      (listeners !== undefined && listeners !== null && !Array.isArray(listeners))) {
      return `${describeEntry(config)} has a spec.loadBalancer.l7Listeners that is not a list of listeners; fix it by hand`;
    }
    const path = ['spec', 'loadBalancer', 'l7Listeners'];
    const done: string[] = [];
    asArray(listeners).forEach((l, i) => {
      if (!isMap(l) || l.keepaliveEnable === 1) return;
      this.apply({ op: 'set', target: config, path: [...path, i, 'keepaliveEnable'], value: 1 });
      done.push(`set keepaliveEnable: 1 on l7Listeners[${i}] ${String(l.protocol)}:${String(l.port)}`);
    });
    for (const want of required) {
      const has = asArray(asMap(asMap(this.work.read(config).spec).loadBalancer).l7Listeners)
        .some((l) => isMap(l) && l.protocol === want.protocol && Number(l.port) === want.port);
      if (has) continue;
      this.apply({ op: 'append', target: config, path, value: { protocol: want.protocol, port: want.port, keepaliveEnable: 1 } });
      done.push(`added l7Listeners entry ${label(want)} with keepaliveEnable: 1`);
    }
    if (done.length > 0) this.change('TKE-L7-001', config, `for ${describeEntry(ing)}: ${done.join('; ')}`);
    return undefined;
  }

  /** `--pass-to-target`: on private CLBs that TKE creates. */
  public addPassToTarget(): void {
    const targets: Array<[Entry, string]> = [];
    for (const svc of services(this.set)) {
      if (isPrivateLoadBalancer(svc, this.options.clbs)) targets.push([svc, TkeAnnotations.SERVICE_PASS_TO_TARGET]);
    }
    for (const ing of ingresses(this.set)) {
      if (isPrivateTkeIngress(ing, this.options.clbs)) targets.push([ing, TkeAnnotations.INGRESS_PASS_TO_TARGET]);
    }
    targets.sort((a, b) => a[0].index - b[0].index || (a[0].item ?? -1) - (b[0].item ?? -1));
    for (const [entry, annotation] of targets) {
      const annotations = this.annotations(entry);
      // Never on a reused CLB (also one declared private): TKE rejects pass-to-target there.
      if (clbOf(entry, this.options.clbs)?.reused || Object.prototype.hasOwnProperty.call(annotations, annotation)) continue;
      if (!this.canAnnotate(entry)) continue;
      this.annotate(undefined, entry, annotation, 'true', `added ${annotation}: "true" (--pass-to-target)`);
    }
  }
}

function targetKey(t: Target): string {
  return t.item === undefined ? String(t.index) : `${t.index}/${t.item}`;
}

/** A layer-7 listener. */
interface Listener {
  readonly protocol: string;
  readonly port: number;
}

function label(l: Listener): string {
  return `${l.protocol}:${l.port}`;
}

/** Why an auto-bound config (`tke-service-config-auto: "true"`) is not fixed. */
function autoBindingReason(binding: Binding): string {
  return `the object uses ${binding.annotation}: "true", so the controller owns ${binding.name} and would undo any change ` +
    'to it. To proceed, replace that annotation with an explicit binding (and run fix again, which then adds a config ' +
    `with keepalive), or set keepaliveEnable: 1 on each listener of ${binding.name} in the cluster`;
}

/**
 * The listeners TKE opens for an Ingress: those of `ingress.cloud.tencent.com/listen-ports` when set, else
 * HTTP 80 and, with TLS, HTTPS 443. A string is the reason when listen-ports is malformed.
 *
 * @see https://www.tencentcloud.com/document/product/457/40675
 */
function requiredListeners(annotations: Record<string, unknown>, tls: boolean): Listener[] | string {
  if (Object.prototype.hasOwnProperty.call(annotations, TkeAnnotations.INGRESS_LISTEN_PORTS)) {
    const parsed = parseListenPorts(annotations[TkeAnnotations.INGRESS_LISTEN_PORTS]);
    if (parsed.problem !== undefined) return `${TkeAnnotations.INGRESS_LISTEN_PORTS} is malformed, so its listeners are unknown: ${parsed.problem}`;
    return parsed.listeners;
  }
  return tls ? [{ protocol: 'HTTP', port: 80 }, { protocol: 'HTTPS', port: 443 }] : [{ protocol: 'HTTP', port: 80 }];
}

/** The order fixes are applied in: quoting first, so that a quoted prevent-loopback counts for TKE-L4-001. */
const ORDER = ['TKE-ANN-001', 'TKE-L4-001', 'TKE-L7-001'];

/** What the text layer knows of where the objects are written. */
export interface Layout {
  /** Why no object can be added after the input object at `index` (a JSON document), or undefined. */
  readonly cannotAddAfter?: (index: number) => string | undefined;
}

/** Plans the fixes of a manifest set. Throws only on bad options. */
export function planFixes(manifests: unknown[], options: LoopbackFixOptions = {}, layout: Layout = {}): FixPlan {
  const resolved = resolveOptions(options);
  const input = Array.isArray(manifests) ? manifests : [];
  const report = LoopbackChecker.check(input, resolved.check);
  const planner = new Planner(input, resolved, layout);
  const reasons = new Map<LoopbackFinding, string>();
  const byRule = (id: string) => report.findings.filter((f) => f.ruleId === id);
  for (const ruleId of ORDER) {
    for (const f of byRule(ruleId)) {
      const entry = planner.entryOf(f);
      if (!resolved.rules.has(ruleId)) {
        reasons.set(f, `${ruleId} was not selected (--rules)`);
        continue;
      }
      if (!entry) {
        reasons.set(f, 'the finding is about no single object');
        continue;
      }
      const why = ruleId === 'TKE-ANN-001' ? planner.fixAnnotationValue(f, entry)
        : ruleId === 'TKE-L4-001' ? planner.fixLayer4(entry)
          : planner.fixLayer7(entry);
      if (why !== undefined) reasons.set(f, why);
    }
  }
  if (resolved.passToTarget) planner.addPassToTarget();
  const unfixed: LoopbackUnfixedRisk[] = [];
  for (const f of report.findings) {
    if (FIXABLE_RULES.includes(f.ruleId) && !reasons.has(f)) continue;
    const entry = f.ruleId === 'TKE-L7-002' ? planner.entryOf(f) : undefined;
    const reason = reasons.get(f) ?? (entry ? planner.unresolvedBindingReason(entry) : undefined) ?? NEVER_FIXED[f.ruleId] ??
      `fix mode has no safe fix for ${f.ruleId}; ${f.fix}`;
    unfixed.push({ finding: f, reason });
  }
  const order = (a: { manifestIndex?: number; itemIndex?: number }, b: { manifestIndex?: number; itemIndex?: number }) =>
    (a.manifestIndex ?? Number.MAX_SAFE_INTEGER) - (b.manifestIndex ?? Number.MAX_SAFE_INTEGER) || (a.itemIndex ?? -1) - (b.itemIndex ?? -1);
  const changes = [...planner.changes].sort(order);
  return { ops: planner.ops, changes, unfixed, suppressed: report.suppressed, notes: report.notes, fixedObjects: planner.work.fixed };
}
