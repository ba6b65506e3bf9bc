import { TkeIds } from '../tke/ids';

/**
 * The problems with Tencent Cloud ids given directly as annotations (a subnet id and a CLB id), checked
 * like the props that set them; each names the annotation and quotes the value. Never exported.
 *
 * @param annotations the object's annotations (hand-set ones at construction, the final ones at synth)
 * @param subnetKey the annotation that carries a subnet id
 * @param loadBalancerKey the annotation that carries a CLB id
 */
export function idAnnotationProblems(annotations: { [key: string]: string }, subnetKey: string, loadBalancerKey: string): string[] {
  const problems: string[] = [];
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
 */
export function passToTargetProblems(annotations: { [key: string]: string }, passKey: string, ...loadBalancerKeys: string[]): string[] {
  const pass = annotations[passKey];
  const loadBalancerKey = loadBalancerKeys.find((key) => annotations[key] !== undefined);
  if (pass === undefined || loadBalancerKey === undefined || pass === 'false') return [];
  const lb = annotations[loadBalancerKey];
  return [
    `${passKey}: ${JSON.stringify(pass)} cannot be combined with ${loadBalancerKey}: ${JSON.stringify(lb)}: pass-to-target ` +
      'works only on CLBs that TKE creates and is ignored on a reused CLB, so traffic from the CLB would still be dropped. ' +
      'Remove the pass-to-target annotation, and allow 100.127.0.0/16 in the CVM security group or turn on the reused ' +
      'CLB\'s own "allow by default" setting in the CLB console',
  ];
}
