import { TkeIds } from '../tke/ids';

/**
 * The problems with Tencent Cloud ids given directly as annotations (a subnet id and a CLB id), checked
 * like the props that set them; each names the annotation and quotes the value. Never exported.
 *
 * @param annotations the object's annotations (hand-set ones at construction, the final ones at synth)
 * @param subnetKey the annotation that carries a subnet id
 * @param loadBalancerKey the annotation that carries a CLB id
 * @param problems where to append the problems (a new list by default)
 * @returns `problems`
 */
export function idAnnotationProblems(
  annotations: { readonly [key: string]: string },
  subnetKey: string,
  loadBalancerKey: string,
  problems: string[] = [],
): string[] {
  const subnet = annotations[subnetKey];
  if (subnet !== undefined && !TkeIds.isSubnetId(subnet)) {
    problems.push(tryMessage(() => TkeIds.validateSubnetId(subnet, `metadata.annotations["${subnetKey}"]`)));
  }
  const lb = annotations[loadBalancerKey];
  if (lb !== undefined && !TkeIds.isLoadBalancerId(lb)) {
    problems.push(tryMessage(() => TkeIds.validateLoadBalancerId(lb, `metadata.annotations["${loadBalancerKey}"]`)));
  }
  return problems;
}

function tryMessage(fn: () => unknown): string {
  try {
    fn();
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

/**
 * `pass-to-target` next to a reused CLB: Tencent's `pass-to-target` works only on CLBs that TKE created
 * and is mutually exclusive with a reused CLB (`service.kubernetes.io/tke-existed-lbid`,
 * `kubernetes.io/ingress.existLbId`), so the annotation would be ignored and SNAT'd traffic dropped.
 * Source: TKE engineers' guide (imroc/tke-guide, cilium/gateway-api.md): "pass-to-target 注解只支持 TKE
 * 自动创建的 CLB，与 tke-existed-lbid 互斥"; annotation pages
 * https://www.tencentcloud.com/document/product/457/39142 and
 * https://www.tencentcloud.com/document/product/457/40675.
 *
 * @param annotations the object's annotations
 * @param passKey the pass-to-target annotation of the object's kind
 * @param loadBalancerKeys the reused-CLB annotations of the object's kind (the first one set is named)
 * @param problems where to append the problem (a new list by default)
 * @returns `problems`
 */
export function passToTargetProblems(
  annotations: { readonly [key: string]: string },
  passKey: string,
  loadBalancerKeys: readonly string[],
  problems: string[] = [],
): string[] {
  const pass = annotations[passKey];
  // The common case first, without looking at the CLB keys: no pass-to-target, or turned off.
  if (pass === undefined || pass === 'false') return problems;
  let loadBalancerKey: string | undefined;
  for (let i = 0; i < loadBalancerKeys.length && loadBalancerKey === undefined; i++) {
    if (annotations[loadBalancerKeys[i]] !== undefined) loadBalancerKey = loadBalancerKeys[i];
  }
  if (loadBalancerKey === undefined) return problems;
  const lb = annotations[loadBalancerKey];
  problems.push(
    `${passKey}: ${JSON.stringify(pass)} cannot be combined with ${loadBalancerKey}: ${JSON.stringify(lb)}: pass-to-target ` +
      'works only on CLBs that TKE creates and is ignored on a reused CLB, so traffic from the CLB would still be dropped. ' +
      'Remove the pass-to-target annotation, and allow 100.127.0.0/16 in the CVM security group or turn on the reused ' +
      'CLB\'s own "allow by default" setting in the CLB console',
  );
  return problems;
}
