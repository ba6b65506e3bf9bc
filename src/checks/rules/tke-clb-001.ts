import { TkeAnnotations } from '../../tke/annotations';
import { TkeIds } from '../../tke/ids';
import { describeEntry, ManifestSet } from '../private/manifests';
import { CLB_NETWORK_ANNOTATION, clbOf, ingresses, services } from '../private/tke';
import { FindingLevel } from '../types';
import { LoopbackRule, RuleContext, RuleFinding } from './rule';

/**
 * TKE-CLB-001: a Service or Ingress reuses an existing CLB whose network type the checker cannot tell.
 */
export const TKE_CLB_001: LoopbackRule = {
  info: {
    id: 'TKE-CLB-001',
    level: FindingLevel.WARNING,
    cause:
      'A LoadBalancer Service or a TKE Ingress reuses an existing CLB, and nothing declares whether that CLB is ' +
      `private-network, so the loopback rules cannot judge it; or its \`${CLB_NETWORK_ANNOTATION}\` value is neither private nor public.`,
    explanation:
      `A Service with \`${TkeAnnotations.SERVICE_EXISTED_LB_ID}\` (or the legacy \`service.kubernetes.io/loadbalance-id\`), ` +
      `or an Ingress with \`${TkeAnnotations.INGRESS_EXIST_LB_ID}\`, uses a CLB created outside the cluster and has no ` +
      'subnet annotation: whether the CLB is private-network (and so loops back) is decided in the CLB console, not in ' +
      'the manifest. Tencent\'s own tutorials reuse private CLBs this way. Declare the network type so that the ' +
      `layer-4 and layer-7 rules apply or stay silent: the annotation \`${CLB_NETWORK_ANNOTATION}: private\` (or ` +
      '`public`) on the object, the CLI options `--private-clb lb-abcd1234,lb-efgh5678` and `--public-clb`, or the `privateClbIds` ' +
      'and `publicClbIds` options of the checker and the cdk8s-cli plugin.',
    fix:
      'Look the CLB up in the CLB console (its network type is shown there) and declare it: annotate the object with ' +
      `\`${CLB_NETWORK_ANNOTATION}: private\` or \`public\`, or pass \`--private-clb <id>\` / \`--public-clb <id>\`.`,
  },
  check(set: ManifestSet, context: RuleContext): RuleFinding[] {
    const out: RuleFinding[] = [];
    for (const owner of [...services(set), ...ingresses(set)]) {
      const clb = clbOf(owner, context.clbs);
      if (!clb) continue;
      if (clb.badDeclaration !== undefined) {
        out.push({
          entry: owner,
          message: `${describeEntry(owner)} has ${CLB_NETWORK_ANNOTATION}: ${JSON.stringify(clb.badDeclaration)}, which is neither private nor public, so it is ignored`,
          fix: `Set ${CLB_NETWORK_ANNOTATION} to private or public.`,
        });
      }
      if (clb.network !== 'unknown' || !clb.reused) continue;
      const what = owner.kind === 'Ingress' ? 'TKE Ingress' : 'LoadBalancer Service';
      out.push({
        entry: owner,
        message:
          `${describeEntry(owner)} is a ${what} that reuses the existing CLB ${clb.reused.id} (${clb.reused.annotation}) and has no ` +
          'subnet annotation, so whether that CLB is private-network, and loops back, cannot be told from the manifests',
        fix:
          `Check the network type of ${clb.reused.id} in the CLB console, then annotate ${describeEntry(owner)} with ` +
          `${CLB_NETWORK_ANNOTATION}: private (the loopback rules then judge it) or public` +
          // The CLI and the options take only well-formed ids; a malformed one is TKE-ANN-002's to report.
          (TkeIds.isLoadBalancerId(clb.reused.id)
            ? `, or pass --private-clb ${clb.reused.id} or --public-clb ${clb.reused.id}.`
            : `. ${JSON.stringify(clb.reused.id)} is not a CLB id (lb-xxxxxxxx): correct it first.`),
      });
    }
    return out;
  },
};
