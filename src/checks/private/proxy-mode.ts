/**
 * The kube-proxy mode the checked set shows: the `--proxy-mode` flag of the kube-proxy DaemonSet in
 * kube-system (in `args`, or in a shell `command`), else `mode:` in the kube-proxy ConfigMap's
 * KubeProxyConfiguration there. Layer-4 loopback happens in IPVS mode (TKE's); in iptables mode kube-proxy
 * routes a pod's traffic to a LoadBalancer address inside the node, so it never reaches the CLB.
 *
 * @see https://kubernetes.io/docs/reference/networking/virtual-ips/
 */
import { parse as parseYaml } from 'yaml';
import { asArray, asMap, asString, describeEntry, isMap, ManifestSet } from './manifests';

/** A proxy mode and where it was read. */
export interface ProxyModeSource {
  /** The mode, lower-case (`ipvs`, `iptables`, ...). */
  readonly mode: string;
  /** Where it was read, for messages. */
  readonly source: string;
}

const FLAG = /--proxy-mode(?:=|\s+)["']?([A-Za-z]+)/;

/** The proxy mode the kube-proxy DaemonSet or ConfigMap in kube-system declares, or undefined. */
export function detectProxyMode(set: ManifestSet): ProxyModeSource | undefined {
  const ds = set.find('DaemonSet', 'kube-system', 'kube-proxy');
  if (ds && ds.namespace === 'kube-system') {
    const containers = asArray(asMap(asMap(asMap(ds.obj.spec).template).spec).containers).filter(isMap);
    for (const c of containers) {
      // `--proxy-mode=x` and `--proxy-mode x` in one word (a shell command line), or the flag and its value as two words.
      const words = [...asArray(c.command), ...asArray(c.args)].map((w) => (typeof w === 'string' ? w : ''));
      for (let i = 0; i < words.length; i++) {
        const m = words[i] === '--proxy-mode' ? /^["']?([A-Za-z]+)/.exec(words[i + 1] ?? '') : FLAG.exec(words[i]);
        if (m) return { mode: m[1].toLowerCase(), source: `${describeEntry(ds)} runs with --proxy-mode=${m[1]}` };
      }
    }
  }
  const cm = set.find('ConfigMap', 'kube-system', 'kube-proxy');
  if (cm && cm.namespace === 'kube-system') {
    for (const [key, value] of Object.entries(asMap(cm.obj.data))) {
      if (typeof value !== 'string' || !/^\s*mode\s*:/m.test(value)) continue;
      let config: unknown;
      try {
        config = parseYaml(value, { logLevel: 'silent' });
      } catch {
        continue;
      }
      const mode = asString(asMap(config).mode);
      if (mode) return { mode: mode.toLowerCase(), source: `${describeEntry(cm)} sets mode: ${mode} in ${key}` };
    }
  }
  return undefined;
}
