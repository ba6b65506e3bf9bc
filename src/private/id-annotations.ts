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
