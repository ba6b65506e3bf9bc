import * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';

/*
 * cdk8s-plus objects from any of cdk8s-plus-27 to -33.
 *
 * A TypeScript class with private members is only assignable to itself, so a `Deployment` or an
 * `IngressBackend` from cdk8s-plus-33 does not type-check where a cdk8s-plus-27 one is declared, even
 * though it behaves the same. The public API therefore takes these objects as `IConstruct` (or, for
 * an `IngressBackend`, which is not a construct, as `any`), and this module checks at run time that an
 * object has the members the library uses, then hands it on as the cdk8s-plus-27 type. Every member
 * below exists with the same meaning in cdk8s-plus-27, -28, -29, -30, -31, -32 and -33; the consumer
 * test (scripts/consumer-test.ts) compiles and synthesizes against -27, -30 and -33, and
 * test/plus-compat.test.ts compares -27 and -33 output.
 */

/** `toPodSelectorConfig().labelSelector._toKube()`: what `kplus.Service.select()` itself reads. */
function hasPodSelector(value: any): boolean {
  return typeof value?.toPodSelectorConfig === 'function';
}

/** What a workload offers: a pod selector, pod metadata (labels) and `scheduling.separate()`. */
function isWorkload(value: any): boolean {
  return hasPodSelector(value)
    && typeof value?.podMetadata?.getLabel === 'function'
    && typeof value?.scheduling?.separate === 'function';
}

/** A short description of a value for an error message: the construct path, or the value quoted. */
function describeArgument(value: any): string {
  const path = value?.node?.path;
  if (typeof path === 'string') return `${value.constructor?.name ?? 'a construct'} at ${JSON.stringify(path)}`;
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * The pod selector `value` (a workload or `Pods.select(...)` of any cdk8s-plus 27 to 33), or an
 * error naming `prop` and quoting the value.
 */
export function podSelectorOf(value: IConstruct, prop: string): kplus.IPodSelector {
  if (!hasPodSelector(value)) {
    throw new Error(`'${prop}' must be a cdk8s-plus workload (Deployment, StatefulSet, ...) or Pods.select(...), got ${describeArgument(value)}`);
  }
  return value as kplus.IPodSelector;
}

/** `value` as a cdk8s-plus workload (of any version), or `undefined` when it is not one (`Pods.select(...)`). */
export function asWorkload(value: unknown): kplus.Workload | undefined {
  return isWorkload(value) ? value as kplus.Workload : undefined;
}

/**
 * The workload `value` (a Deployment, StatefulSet, DaemonSet, Job or Pod of any cdk8s-plus 27 to 33),
 * or an error naming `prop` and quoting the value.
 */
export function workloadOf(value: IConstruct, prop: string): kplus.Workload {
  if (!isWorkload(value)) {
    throw new Error(`'${prop}' must be a cdk8s-plus workload (Deployment, StatefulSet, DaemonSet, ...), got ${describeArgument(value)}`);
  }
  return value as kplus.Workload;
}

/**
 * The Ingress backend `value` (`IngressBackend.fromService()` or `fromResource()` of any cdk8s-plus 27
 * to 33), or an error naming `prop` and quoting the value.
 */
export function ingressBackendOf(value: unknown, prop: string): kplus.IngressBackend {
  if (!isIngressBackend(value)) {
    throw new Error(`'${prop}' must be a cdk8s-plus IngressBackend (IngressBackend.fromService() or fromResource()), got ${describeArgument(value)}`);
  }
  return value as kplus.IngressBackend;
}

/** Whether `value` is an Ingress backend of any cdk8s-plus 27 to 33: it renders a Service or a resource. */
export function isIngressBackend(value: unknown): value is kplus.IngressBackend {
  const kube = typeof (value as any)?._toKube === 'function' ? (value as any)._toKube() : undefined;
  return kube !== null && typeof kube === 'object' && (kube.service !== undefined || kube.resource !== undefined);
}
