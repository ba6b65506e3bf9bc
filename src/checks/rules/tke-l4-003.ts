import { TkeAnnotations } from '../../tke/annotations';
import { KubeProxyVersion } from '../../tke/kube-proxy-version';
import { asArray, asMap, asString, describeEntry, Entry, isMap, ManifestSet } from '../private/manifests';
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

/**
 * The kube-proxy DaemonSet of the set (in kube-system) and the image of its kube-proxy container, or
 * undefined when the set has none. Shared with fix mode, which decides on prevent-loopback by the same image.
 */
export function kubeProxyOf(set: ManifestSet): { readonly daemonSet: Entry; readonly image?: string } | undefined {
  const ds = set.find('DaemonSet', 'kube-system', 'kube-proxy');
  if (!ds || ds.namespace !== 'kube-system') return undefined;
  const image = kubeProxyImage(ds);
  return image === undefined ? { daemonSet: ds } : { daemonSet: ds, image };
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
 * TKE-L4-003: `prevent-loopback` on a cluster whose kube-proxy cannot honour it, or whose kube-proxy
 * image does not say which build it is. Judged by the one table in `src/tke/kube-proxy-version.ts`.
 */
export const TKE_L4_003: LoopbackRule = {
  info: {
    id: 'TKE-L4-003',
    level: FindingLevel.ERROR,
    cause: 'A Service relies on prevent-loopback, but the kube-proxy DaemonSet in kube-system runs a build that does not support it, or one whose version cannot be read.',
    explanation:
      `\`${TkeAnnotations.SERVICE_PREVENT_LOOPBACK}: "true"\` works only when kube-proxy binds the CLB VIP to the IPVS ` +
      'interface. Tencent names builds that can: v1.12.4-tke.30, v1.14.3-tke.24, v1.16.3-tke.25, v1.18.4-tke.20 and ' +
      'v1.20.6-tke.12 (loopback page 457/42976), and v1.28.3-tke.3 for 1.28 (revision history 457/9315: "lb vip binding ' +
      'issue fixed"). An older build of the same minor, or any build before 1.12 (none is documented), leaves the ' +
      'annotation without effect on the node and the Service still loops back. Other minors from 1.12 on have no ' +
      'documented minimum and are not reported. A kube-proxy image whose tag is not a TKE build (kube-proxy or ' +
      'hyperkube image, tag v<major>.<minor>.<patch>-tke.<n>, optionally -rc<n>) is reported, because support cannot be judged.',
    fix: 'Update the image of the kube-proxy DaemonSet in kube-system to the documented minimum of its minor or later (a TKE kube-proxy or hyperkube image).',
  },
  check(set: ManifestSet): RuleFinding[] {
    const kubeProxy = kubeProxyOf(set);
    if (!kubeProxy) return [];
    const { daemonSet: proxy, image } = kubeProxy;
    const support = KubeProxyVersion.checkPreventLoopback(image ?? '');
    if (support.supported) return [];
    const out: RuleFinding[] = [];
    for (const svc of services(set)) {
      if (!hasPreventLoopback(svc)) continue;
      const runs = image === undefined ? 'has no container image' : `runs image ${image}`;
      out.push({
        entry: svc,
        message:
          `${describeEntry(svc)} sets ${TkeAnnotations.SERVICE_PREVENT_LOOPBACK}: "true", but ${describeEntry(proxy)} ${runs}: ${support.reason}`,
        fix: support.minimum
          ? `Update the kube-proxy DaemonSet in kube-system to ${support.minimum.toString()} or later.`
          : 'Run a TKE kube-proxy build that supports prevent-loopback (v1.12.4-tke.30 or later; upgrade the cluster) and check its image tag.',
      });
    }
    return out;
  },
};
