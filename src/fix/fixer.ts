import { FIXABLE_RULES } from './options';
import { planFixes } from './plan';
import { LoopbackFixOptions, LoopbackFixResult } from './types';

/**
 * Fix mode as a library: makes a set of Kubernetes manifests loopback-safe on TKE, fixing every
 * finding of the checker that can be fixed safely, and reporting the rest.
 *
 * - TKE-L4-001: a private LoadBalancer Service with no protection gets
 *   `service.cloud.tencent.com/prevent-loopback: "true"`, unless the set's kube-proxy DaemonSet is too old
 *   for it (then it is reported, with the version it needs).
 * - TKE-L7-001: an unbound private TKE Ingress gets a TkeServiceConfig `<ingress>-loopback` with
 *   `keepaliveEnable: 1` on exactly its listeners (HTTP 80; HTTPS 443 with TLS; the
 *   `ingress.cloud.tencent.com/listen-ports` listeners when set), bound with
 *   `ingress.cloud.tencent.com/tke-service-config`. A bound config in the set is patched: missing listeners
 *   are added and keepalive turned on, nothing else changes. A config that is not in the set, and the
 *   controller-owned auto config, are reported and left alone.
 * - TKE-ANN-001: on/off annotations are written as the quoted strings TKE reads ("True", `yes`, an unquoted
 *   `true` become "true").
 * - With `passToTarget`, `pass-to-target: "true"` on private CLBs that TKE creates.
 *
 * Never fixed, only reported: pod anti-affinity, CoreDNS, and findings suppressed with
 * `cdk8s-tke-loopback/suppress`. Fixing is idempotent: fixing the result again changes nothing.
 *
 * @see https://www.tencentcloud.com/document/product/457/42976
 */
export class LoopbackFixer {
  /**
   * Fixes a set of manifests (plain objects, as parsed from YAML or JSON). The input is never changed.
   * Throws only when an option is invalid, naming it and quoting the value.
   *
   * @param manifests the objects to fix, in input order (`manifestIndex` in the result refers to it)
   * @param options which fixes to apply
   */
  public static fix(manifests: any[], options: LoopbackFixOptions = {}): LoopbackFixResult {
    const input = Array.isArray(manifests) ? manifests : [];
    const plan = planFixes(input, options);
    const added = new Map<string, Array<Record<string, unknown>>>();
    for (const op of plan.ops) {
      if (op.op !== 'add') continue;
      const k = op.target.item === undefined ? `${op.target.index}` : `${op.target.index}/${op.target.item}`;
      added.set(k, [...(added.get(k) ?? []), op.object]);
    }
    const out: any[] = [];
    input.forEach((original, index) => {
      let obj = plan.fixedObjects.get(index) ?? original;
      if (obj !== null && typeof obj === 'object' && Array.isArray(obj.items)) {
        const itemsWithAdded: unknown[] = [];
        obj.items.forEach((item: unknown, i: number) => itemsWithAdded.push(item, ...(added.get(`${index}/${i}`) ?? [])));
        if (itemsWithAdded.length !== obj.items.length) obj = { ...obj, items: itemsWithAdded };
      }
      out.push(obj, ...(added.get(`${index}`) ?? []));
    });
    return {
      manifests: out,
      changes: plan.changes,
      unfixed: plan.unfixed,
      suppressed: plan.suppressed,
      fixed: plan.unfixed.length === 0,
      notes: plan.notes,
    };
  }

  /**
   * The ids of the checker rules whose findings `fix()` can fix, for `LoopbackFixOptions.rules`.
   */
  public static fixableRules(): string[] {
    return [...FIXABLE_RULES];
  }

  private constructor() {}
}
