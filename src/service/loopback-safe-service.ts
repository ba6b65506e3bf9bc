import * as kplus from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { CoreDnsRewrite } from '../coredns-rewrite';
import { LoopbackStrategy } from './loopback-strategy';
import { LoopbackSafeServiceProps } from './props';
import { EXTERNAL_TRAFFIC_POLICY_LOCAL } from './service-patches';
import { servicePortProblems } from './service-ports';
import { annotationConflicts, patchedAwayProblems, RequiredAnnotation, throwProblems } from '../private/annotation-conflicts';
import { AppIndex, appChecksOf } from '../private/app-checks';
import { separateBothWays } from '../private/apply-anti-affinity';
import { errorOf, futurePathError, withConstructPath, withFuturePath } from '../private/construct-errors';
import { idAnnotationProblems, passToTargetProblems } from '../private/id-annotations';
import { describeValue, dns1035LabelProblem, dns1123LabelProblem, labelProblem, throwIf } from '../private/k8s-names';
import { annotationsOf, metadataProblem } from '../private/metadata';
import { asWorkload, podSelectorOf, workloadOf } from '../private/plus-compat';
import { TkeAnnotations } from '../tke/annotations';
import { TkeIds } from '../tke/ids';
import { LEGACY_SERVICE_LB_ID } from '../tke/reused-clb';

const SUBNET_KEY = TkeAnnotations.SERVICE_INTERNAL_SUBNET_ID;
const LB_KEY = TkeAnnotations.SERVICE_EXISTED_LB_ID;
const PASS_KEY = TkeAnnotations.SERVICE_PASS_TO_TARGET;
/** Both annotations that make a Service reuse a CLB, as the checker reads them (TKE-CLB-001). */
const REUSE_KEYS = [LB_KEY, LEGACY_SERVICE_LB_ID];

/**
 * A `LoadBalancer` Service on TKE whose CLB cannot loop back: pods in the cluster that call the CLB
 * address never have their packets dropped on their own node.
 *
 * It is a cdk8s-plus-27 `Service` of type `LoadBalancer` (it extends `kplus.Service`, so it works wherever a
 * Service does) with a `LoopbackStrategy` applied: by default the `service.cloud.tencent.com/prevent-loopback: "true"`
 * annotation, or `externalTrafficPolicy: Local` / direct access (VPC-CNI, or GlobalRouter with
 * `GlobalRouteDirectAccess` turned on), each with pod anti-affinity
 * between the server and its clients.
 *
 * Bad props fail in the constructor, naming the prop and the value. A port added later with
 * `bind()` is checked when it is added; an annotation that undoes the strategy, or a selector changed
 * with `select()`, `selectLabel()` or a JSON patch so that it no longer selects the anti-affinity
 * strategy's server, fails at synth. `exposeViaIngress()` creates a plain cdk8s-plus `Ingress`, whose
 * CLB this construct does not protect: use `LoopbackSafeIngress` for a private-network CLB Ingress.
 *
 * @see https://www.tencentcloud.com/document/product/457/42976
 */
export class LoopbackSafeService extends kplus.Service {
  /** The app-wide pass's check of one Service (a shared function: registering a Service makes no closure). */
  private static checkAtSynth(this: void, service: LoopbackSafeService, index: AppIndex): readonly string[] {
    const problems = service.synthProblems();
    service.renderedProblems(index, problems);
    return problems;
  }

  /**
   * The strategy applied to the Service.
   */
  public readonly strategy: LoopbackStrategy;

  /** The annotations this construct sets, with the prop (or strategy) that needs each (for error messages). */
  private readonly required: readonly RequiredAnnotation[];

  /** The labels `selector` (the prop) selects, which the Service's selector starts as. */
  private readonly ownSelector: { [key: string]: string };

  /** `selector` (the prop); when it is a workload, the Service's selector must keep matching its pod labels. */
  private readonly selectorProp: IConstruct;

  /** Whether `select()` or `selectLabel()` was called after construction (the selector then needs a check at synth). */
  private selectionChanged: boolean;

  /**
   * @param scope the parent construct
   * @param id the construct id
   * @param props the selector, ports, CLB and strategy
   */
  constructor(scope: Construct, id: string, props: LoopbackSafeServiceProps) {
    // Everything is checked before the Service exists, so that cdk8s never sees a malformed prop; the
    // construct is not built yet, so errors name its future path.
    // The type as later errors name it (this.constructor.name): a subclass's name for a subclass.
    const type = new.target.name;
    const checked = withFuturePath(type, scope, id, () => checkProps(props));
    try {
      // No `selector` here: the labels read once by checkProps() are selected below, as kplus's select() would.
      super(scope, id, { metadata: props.metadata, type: kplus.ServiceType.LOAD_BALANCER, ports: props.ports });
    } catch (e) {
      // cdk8s and constructs fail here for a scope in no Chart, a duplicate or an empty id. What was added
      // to the tree before the failure is taken out again: a construct of this class whose constructor
      // never finished (it has no strategy), not one that had the id already.
      const added = scope.node.tryFindChild(id);
      if (added instanceof LoopbackSafeService && added.strategy === undefined) scope.node.tryRemoveChild(added.node.id);
      throw futurePathError(type, scope, id, e);
    }
    for (const [key, value] of Object.entries(checked.labels)) super.selectLabel(key, value);
    this.strategy = checked.strategy;
    this.ownSelector = checked.labels;
    this.selectorProp = props.selector;
    this.required = checked.required;
    this.selectionChanged = false;
    try {
      const nameProblem = dns1035LabelProblem(this.name, 'metadata.name');
      if (nameProblem && props.metadata?.name === undefined) {
        throw new Error(`${nameProblem}: cdk8s generated it from the construct path; set 'metadata.name'`);
      }
      throwIf(nameProblem);
      const namespace = this.metadata.namespace;
      if (namespace !== undefined) throwIf(dns1123LabelProblem(namespace, "the chart's namespace"));
      // Before the strategy touches the workloads: a bad domain leaves them as they were.
      this.rewriteInClusterDomains(props.inClusterDomains, props.dns);
    } catch (e) {
      // The caller may catch the error and synthesize anyway: leave no unchecked LoadBalancer behind.
      const error = errorOf(this, e);
      scope.node.tryRemoveChild(this.node.id);
      throw error;
    }
    const metadata = this.metadata;
    for (let i = 0; i < this.required.length; i++) metadata.addAnnotation(this.required[i].key, this.required[i].value);
    this.applyStrategy();

    // Every synth-time check of this Service runs in the one app-wide pass (src/private/app-checks.ts),
    // not in a validation of its own: one walk of the tree per synth, whatever the number of Services.
    const checks = appChecksOf(this);
    checks.own(this.apiObject);
    checks.add(this, LoopbackSafeService.checkAtSynth, this);
  }

  /**
   * Requires the Service to select the pods `selector` selects too, as `kplus.Service.select()` does. The
   * selector the Service ends up with is checked at synth (label syntax, and the pods it must keep selecting).
   *
   * @param selector the pods to select, by their labels
   */
  public select(selector: kplus.IPodSelector): void {
    super.select(selector);
    this.selectionChanged = true;
  }

  /**
   * Requires the Service to select pods with the label `key=value`, as `kplus.Service.selectLabel()`
   * does. The selector the Service ends up with is checked at synth.
   *
   * @param key the label key
   * @param value the label value
   */
  public selectLabel(key: string, value: string): void {
    super.selectLabel(key, value);
    this.selectionChanged = true;
  }

  /**
   * Adds a port to the Service, as `kplus.Service.bind()` does, after checking it against the ports the
   * Service already has (range, protocol, name, no repeated port or nodePort).
   *
   * @param port the port the CLB listens on, from 1 to 65535
   * @param options the target port, node port, protocol and name
   */
  public bind(port: number, options: kplus.ServiceBindOptions = {}): void {
    // kplus.Service's constructor binds the props' ports through this method, before the construct's own
    // fields exist: those ports were checked already (checkProps).
    if (this.strategy !== undefined) {
      withConstructPath(this, () => {
        if (options === null || typeof options !== 'object' || Array.isArray(options)) {
          throw new Error(`bind(${describeValue(port)}, options): 'options' must be an object such as { name: 'https', targetPort: 8443 }, got ${describeValue(options)}`);
        }
        const existing = this.ports;
        throwProblems(servicePortProblems([...existing, { ...options, port }], 'ports').map((problem) =>
          // A port of the props without a name: only the props can name it.
          existing.some((p, i) => p.name === undefined && problem.startsWith(`'ports[${i}].name' is required`))
            ? `${problem}: name it in the 'ports' prop to bind() another port` : problem));
      });
    }
    super.bind(port, options);
  }

  /** Rewrites each in-cluster domain to the Service's in-cluster name. */
  private rewriteInClusterDomains(domains: string[] | undefined, dns: CoreDnsRewrite | undefined): void {
    if (domains === undefined) return;
    if (!Array.isArray(domains)) throw new Error(`'inClusterDomains' must be a list of domain names, got ${describeValue(domains)}`);
    if (dns === undefined) {
      throw new Error(`'inClusterDomains' needs 'dns', the CoreDnsRewrite that writes the rewrite rules, got inClusterDomains ${JSON.stringify(domains)} and no dns`);
    }
    if (!(dns instanceof CoreDnsRewrite)) throw new Error(`'dns' must be a CoreDnsRewrite, got ${describeValue(dns)}`);
    // All or nothing: when one domain fails, the rewrites of the ones before it are taken back too (the
    // constructor then removes this Service, which they would name).
    dns._allOrNothing(() => domains.forEach((domain, i) => {
      try {
        dns.rewriteToService(domain, this);
      } catch (e) {
        throw new Error(`'inClusterDomains[${i}]': ${(e as Error).message}`);
      }
    }));
  }

  /**
   * What the final manifest (after every JSON patch) must still carry: each annotation this construct
   * owns, the strategy's `externalTrafficPolicy`, and type `LoadBalancer`. A user patch that removes or
   * changes one fails synth, naming it. Reads the manifest that the app-wide check renders once per synth.
   */
  private renderedProblems(index: AppIndex, problems: string[]): void {
    const obj = this.apiObject;
    // Without JSON patches besides the strategy's own, the manifest is what synthProblems() already checked:
    // skip rendering (the synth-overhead budget). `patches` is private in cdk8s: when it is not readable, render.
    const patches = (obj as any).patches;
    const ownPatches = this.strategy._externalTrafficPolicy === undefined ? 0 : 1;
    if (Array.isArray(patches) && patches.length <= ownPatches) return;
    const manifest = index.rendered(obj);
    if (manifest === undefined) return;
    const annotations = manifest.metadata?.annotations ?? {};
    patchedAwayProblems('Service', this.required, annotations, problems);
    const policy = this.strategy._externalTrafficPolicy;
    if (policy !== undefined && manifest.spec?.externalTrafficPolicy !== policy) {
      problems.push(
        `the synthesized Service has externalTrafficPolicy ${describeValue(manifest.spec?.externalTrafficPolicy)}, but the ${this.strategy.name} ` +
          `strategy needs ${JSON.stringify(policy)}: a JSON patch removed or changed it; drop that patch`,
      );
    }
    // The app knows the Service by its name and namespace (Ingress backends, CoreDNS rewrites, the
    // name-collision check): a patch that changes them would leave those pointing at nothing.
    const name = manifest.metadata?.name;
    if (name !== this.name) {
      problems.push(`the synthesized Service is named ${describeValue(name)}, but the app knows it as ${JSON.stringify(this.name)}: set 'metadata.name' instead of patching it`);
    }
    const namespace = manifest.metadata?.namespace;
    if (namespace !== this.metadata.namespace) {
      problems.push(
        `the synthesized Service is in namespace ${describeValue(namespace)}, but the app knows it in ${describeValue(this.metadata.namespace)}: ` +
          "set 'metadata.namespace' instead of patching it",
      );
    }
    if (manifest.spec?.type !== 'LoadBalancer') {
      problems.push(`the synthesized Service has type ${describeValue(manifest.spec?.type)}, but a LoopbackSafeService must be of type "LoadBalancer": drop the patch that changed it`);
    }
    // synthProblems() reports what the unpatched annotations already show; add only what a patch caused.
    const unpatched = new Set(passToTargetProblems(annotationsOf(this.metadata), PASS_KEY, REUSE_KEYS));
    problems.push(...passToTargetProblems(annotations, PASS_KEY, REUSE_KEYS).filter((p) => !unpatched.has(p)));
    const selector = this._toKube().selector ?? {};
    if (!isSameMap(manifest.spec?.selector, selector)) {
      problems.push(...this.selectionProblems(manifest.spec?.selector, 'a JSON patch'));
    }
  }

  private applyStrategy(): void {
    if (this.strategy._externalTrafficPolicy === 'Local') {
      this.apiObject.addJsonPatch(EXTERNAL_TRAFFIC_POLICY_LOCAL);
    }
    const anti = this.strategy.antiAffinity;
    if (anti) {
      separateBothWays(anti.server, anti.clients, anti.required ?? true);
    }
  }

  /** What later changes (annotations, select(), selectLabel()) may have broken; checked at synth. */
  private synthProblems(): string[] {
    // Ports are checked when they are added (bind()).
    const annotations = annotationsOf(this.metadata);
    // Each appends to the one list: this runs for every Service at synth.
    const problems = annotationConflicts(this.required, annotations);
    idAnnotationProblems(annotations, SUBNET_KEY, LB_KEY, problems);
    passToTargetProblems(annotations, PASS_KEY, REUSE_KEYS, problems);
    // The selection is read (and _toKube() rendered) only when it may have moved, or must match the server.
    if (this.selectionChanged || this.strategy.antiAffinity) {
      problems.push(...this.selectionProblems(this._toKube().selector, 'select() or selectLabel()'));
    }
    // The app-wide pass prefixes each with this construct's type and path.
    return problems;
  }

  /**
   * What is wrong with the selector the Service ends up with, `selector` (from `select()`,
   * `selectLabel()` or a JSON patch, named by `changedBy`, as well as from the prop): it must be a
   * non-empty map of label values, or the CLB has no endpoints; and with an anti-affinity strategy it
   * must select `server`'s pods, or the separation guards the wrong workload.
   */
  private selectionProblems(selector: unknown, changedBy: string): string[] {
    const changed = !isSameMap(selector, this.ownSelector);
    const anti = this.strategy.antiAffinity;
    // The usual case, checked in the constructor already: nothing to do at each synth.
    if (!changed && !anti) return [];
    const what = changed ? `the Service's selector (changed by ${changedBy})` : "'selector'";
    if (selector === null || typeof selector !== 'object' || Array.isArray(selector) || Object.keys(selector).length === 0) {
      return [`${what} must select pods by labels, got ${describeValue(selector)}: a Service without a selector leaves the CLB without endpoints`];
    }
    const problems: string[] = [];
    for (const [key, value] of changed ? Object.entries(selector) : []) {
      const problem = labelProblem(key, value, what);
      if (problem) problems.push(problem);
    }
    if (problems.length > 0) return problems;
    const labels = selector as { [key: string]: string };
    const lacking = (workload: kplus.Workload) => Object.entries(labels)
      .filter(([k, v]) => workload.podMetadata.getLabel(k) !== v)
      .map(([k, v]) => `${k}=${v}`).join(', ');
    if (anti) {
      const server = workloadOf(anti.server, 'strategy.server');
      const missing = lacking(server);
      if (missing === '') return [];
      return [
        `'strategy' keeps server ${server.node.path} apart from its clients, but ${what} does not select its pods ` +
        `(they lack ${missing}): ` + (changed ? `do not change the selection with ${changedBy}` : 'pass the server workload as the selector'),
      ];
    }
    // The prop's own labels match its pods; a label added later that they lack leaves the CLB without endpoints.
    const workload = asWorkload(this.selectorProp);
    const missing = changed && workload !== undefined ? lacking(workload) : '';
    if (missing === '') return [];
    return [
      `${what} does not select the pods of 'selector' ${workload!.node.path} (they lack ${missing}), so the CLB would have ` +
        `no endpoints: add the label to the workload's pods, or do not change the selection with ${changedBy}`,
    ];
  }
}

/** The hand-set annotations when `metadata.annotations` is unset (shared, never written). */
const NO_ANNOTATIONS: { readonly [key: string]: string } = Object.freeze({});

/** Whether two label maps have the same entries, in any order. */
function isSameMap(a: unknown, b: { readonly [key: string]: unknown }): boolean {
  if (a === null || typeof a !== 'object') return false;
  const entries = Object.entries(a as object);
  return entries.length === Object.keys(b).length && entries.every(([k, v]) => b[k] === v);
}

/** What the constructor checked and derived from the props, before the Service exists. */
interface CheckedProps {
  readonly strategy: LoopbackStrategy;
  readonly selector: kplus.IPodSelector;
  /** The labels `selector` selects by. */
  readonly labels: { [key: string]: string };
  /** The annotations the construct sets, with the prop (or strategy) that needs each. */
  readonly required: readonly RequiredAnnotation[];
}

/** Checks the props, naming the prop and the value, and derives what the Service needs. */
function checkProps(props: LoopbackSafeServiceProps): CheckedProps {
  if (!props || typeof props !== 'object') {
    throw new Error(`props must be an object with 'selector' and 'ports', got ${describeValue(props)}`);
  }
  const strategy = props.strategy ?? LoopbackStrategy.preventLoopback();
  const selector = podSelectorOf(props.selector, 'selector');
  if (!(strategy instanceof LoopbackStrategy)) {
    throw new Error(`'strategy' must be built with a LoopbackStrategy factory (LoopbackStrategy.preventLoopback(), ...), got ${describeValue(strategy)}`);
  }
  const labels = checkSelector(selector);
  throwProblems(servicePortProblems(props.ports, 'ports'));
  throwIf(metadataProblem(props.metadata));
  if (props.metadata?.namespace !== undefined) throwIf(dns1123LabelProblem(props.metadata.namespace, 'metadata.namespace'));
  if (props.metadata?.name !== undefined) throwIf(dns1035LabelProblem(props.metadata.name, 'metadata.name'));
  // Each key once (a strategy's annotation never repeats the subnet or CLB id key).
  const required: RequiredAnnotation[] = [];
  if (props.internalSubnetId !== undefined) {
    TkeIds.validateSubnetId(props.internalSubnetId, 'internalSubnetId');
    required.push({ key: TkeAnnotations.SERVICE_INTERNAL_SUBNET_ID, value: props.internalSubnetId, source: "'internalSubnetId'" });
  }
  if (props.existingLoadBalancerId !== undefined) {
    TkeIds.validateLoadBalancerId(props.existingLoadBalancerId, 'existingLoadBalancerId');
    required.push({ key: TkeAnnotations.SERVICE_EXISTED_LB_ID, value: props.existingLoadBalancerId, source: "'existingLoadBalancerId'" });
  }
  // A strategy sets only its own annotations (prevent-loopback, direct access), never the subnet or CLB id.
  const strategyAnnotations = strategy._annotations;
  const strategySource = `the ${strategy.name} strategy`;
  for (const key in strategyAnnotations) required.push({ key, value: strategyAnnotations[key], source: strategySource });
  const userAnnotations = props.metadata?.annotations ?? NO_ANNOTATIONS;
  // One list for the problems of every check below, thrown as soon as a check finds one.
  const problems = annotationConflicts(required, userAnnotations);
  throwProblems(problems);
  idAnnotationProblems(userAnnotations, SUBNET_KEY, LB_KEY, problems);
  throwProblems(problems);
  // pass-to-target next to a reused CLB, whether the user or the construct sets either (the usual Service has neither).
  let passToTarget = userAnnotations[PASS_KEY] !== undefined;
  for (let i = 0; i < required.length && !passToTarget; i++) passToTarget = required[i].key === PASS_KEY;
  if (passToTarget) {
    const merged: { [key: string]: string } = { ...userAnnotations };
    for (const { key, value } of required) merged[key] = value;
    throwProblems(passToTargetProblems(merged, PASS_KEY, REUSE_KEYS, problems));
  }
  return { strategy, selector, labels, required };
}

/**
 * A Service selects pods by label equality only (`spec.selector` is a label map): a selector without
 * labels, for example one made only of expressions, would give a LoadBalancer with no endpoints.
 */
function checkSelector(selector: kplus.IPodSelector): { [key: string]: string } {
  if (!selector || typeof (selector as any).toPodSelectorConfig !== 'function') {
    throw new Error(`'selector' must be a workload or kplus.Pods.select(...), got ${describeValue(selector)}`);
  }
  const kube = selector.toPodSelectorConfig().labelSelector._toKube();
  const labels = kube.matchLabels ?? {};
  if (Object.keys(labels).length === 0) {
    const expressions = (kube.matchExpressions ?? []).map((e) => `${e.key} ${e.operator}${e.values ? ` (${e.values.join(', ')})` : ''}`);
    throw new Error(
      "'selector' must select pods by labels: a Service supports equality selectors only, so a selector without labels " +
        `leaves the CLB without endpoints, got no labels${expressions.length > 0 ? ` and the expressions ${JSON.stringify(expressions)}` : ''}`,
    );
  }
  return labels;
}
