import { TkeAnnotations } from '../../tke/annotations';
import { KubeProxyVersion } from '../../tke/kube-proxy-version';
import { asArray, asMap, asString, describe, Entry, isMap, ManifestSet } from '../private/manifests';
import { hasPreventLoopback, services } from '../private/tke';
import { FindingLevel } from '../types';
import { LoopbackRule, RuleFinding } from './rule';

/** The tag of a container image reference (`repo/name:tag@digest` gives `tag`). */
export function imageTag(image: string): string | undefined {
  const withoutDigest = image.split('@')[0];
  const colon = withoutDigest.lastIndexOf(':');
  if (colon < 0 || colon < withoutDigest.lastIndexOf('/')) return undefined;
  return withoutDigest.slice(colon + 1);
}

/** The image of the kube-proxy container of a DaemonSet. */
function kubeProxyImage(ds: Entry): string | undefined {
  const containers = asArray(asMap(asMap(asMap(ds.obj.spec).template).spec).containers).filter(isMap);
  const chosen =
    containers.find((c) => c.name === 'kube-proxy') ??
    containers.find((c) => (asString(c.image) ?? '').includes('kube-proxy')) ??
    containers[0];
  return chosen ? asString(chosen.image) : undefined;
}

/**
 * TKE-L4-003: `prevent-loopback` on a cluster whose kube-proxy is too old to honour it.
 */
export const TKE_L4_003: LoopbackRule = {
  info: {
    id: 'TKE-L4-003',
    level: FindingLevel.ERROR,
    cause: 'A Service relies on prevent-loopback, but the kube-proxy DaemonSet in kube-system runs a build older than the documented minimum.',
    explanation:
      `\`${TkeAnnotations.SERVICE_PREVENT_LOOPBACK}: "true"\` works only when kube-proxy binds the CLB VIP to the IPVS ` +
      'interface. Tencent names the first builds that can: v1.12.4-tke.30, v1.14.3-tke.24, v1.16.3-tke.25, ' +
      'v1.18.4-tke.20 and v1.20.6-tke.12. With an older build of the same minor the annotation has no effect on the ' +
      'node and the Service still loops back. No minimum is documented for other minors, so they are not reported, ' +
      'and neither is an image tag that is not of the form v<major>.<minor>.<patch>-tke.<n>.',
    fix: 'Update the image of the kube-proxy DaemonSet in kube-system to the documented minimum of its minor or later.',
  },
  check(set: ManifestSet): RuleFinding[] {
    const proxy = set.find('DaemonSet', 'kube-system', 'kube-proxy');
    if (!proxy || proxy.namespace !== 'kube-system') return [];
    const image = kubeProxyImage(proxy);
    const tag = image ? imageTag(image) : undefined;
    const version = tag ? KubeProxyVersion.tryParse(tag) : undefined;
    if (!version || version.supportsPreventLoopback()) return [];
    const minimum = version.minimumForPreventLoopback();
    const out: RuleFinding[] = [];
    for (const svc of services(set)) {
      if (!hasPreventLoopback(svc)) continue;
      out.push({
        entry: svc,
        message:
          `${describe(svc)} sets ${TkeAnnotations.SERVICE_PREVENT_LOOPBACK}: "true", but ${describe(proxy)} runs ` +
          `${version.toString()} (image ${image}), older than ${minimum?.toString()}, the first v${version.major}.${version.minor} build that supports it`,
        fix: `Update the kube-proxy DaemonSet in kube-system to ${minimum?.toString()} or later.`,
      });
    }
    return out;
  },
};
