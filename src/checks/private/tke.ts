/**
 * TKE-specific reading of manifests, shared by the rules.
 */
import { asArray, asMap, asString, Entry, ManifestSet } from './manifests';
import { TkeAnnotations, TkeNames } from '../../tke/annotations';

/** The API groups of the kinds the rules read. */
export const CORE = [''];
export const NETWORKING = ['networking.k8s.io', 'extensions'];
export const TKE_GROUP = ['cloud.tencent.com'];

/** The label-selector-backed Services of a set (core `v1` Services). */
export function services(set: ManifestSet): Entry[] {
  return set.ofKind('Service', CORE);
}

/** The Ingresses of a set. */
export function ingresses(set: ManifestSet): Entry[] {
  return set.ofKind('Ingress', NETWORKING);
}

/** `spec.type` of a Service (`ClusterIP` when absent). */
export function serviceType(svc: Entry): string {
  return asString(asMap(svc.obj.spec).type) ?? 'ClusterIP';
}

/** A LoadBalancer Service with the internal-subnetid annotation: a private-network CLB. */
export function isPrivateLoadBalancer(svc: Entry): boolean {
  return serviceType(svc) === 'LoadBalancer' && !!svc.annotations.get(TkeAnnotations.SERVICE_INTERNAL_SUBNET_ID);
}

/** Whether the Service carries `prevent-loopback: "true"`. */
export function hasPreventLoopback(svc: Entry): boolean {
  return svc.annotations.get(TkeAnnotations.SERVICE_PREVENT_LOOPBACK) === 'true';
}

/** Whether the Service has `externalTrafficPolicy: Local`. */
export function isTrafficPolicyLocal(svc: Entry): boolean {
  return asMap(svc.obj.spec).externalTrafficPolicy === 'Local';
}

/** Whether the Service has `direct-access: "true"`. */
export function isDirectAccess(svc: Entry): boolean {
  return svc.annotations.get(TkeAnnotations.SERVICE_DIRECT_ACCESS) === 'true';
}

/**
 * The ingress class of an Ingress: the `kubernetes.io/ingress.class` annotation, else
 * `spec.ingressClassName`, else undefined (TKE then treats it as qcloud).
 */
export function ingressClass(ing: Entry): string | undefined {
  const annotation = ing.annotations.get(TkeAnnotations.INGRESS_CLASS);
  if (annotation !== undefined) return annotation;
  return asString(asMap(ing.obj.spec).ingressClassName);
}

/** A private TKE Ingress: it has `kubernetes.io/ingress.subnetId` and its class is qcloud (or unset). */
export function isPrivateTkeIngress(ing: Entry): boolean {
  const cls = ingressClass(ing);
  return !!ing.annotations.get(TkeAnnotations.INGRESS_SUBNET_ID) && (cls === undefined || cls === TkeNames.QCLOUD_INGRESS_CLASS);
}

/** Whether the Ingress has a TLS section (so TKE opens HTTPS 443). */
export function hasTls(ing: Entry): boolean {
  return asArray(asMap(ing.obj.spec).tls).length > 0;
}

/** The TkeServiceConfig binding of a Service or Ingress. */
export interface Binding {
  /** The name of the TkeServiceConfig it is bound to. */
  readonly name: string;
  /** Whether it is the controller-owned auto config. */
  readonly auto: boolean;
  /** The annotation the binding comes from. */
  readonly annotation: string;
}

/** The binding annotations of a kind. */
export function bindingKeys(entry: Entry): { explicit: string; auto: string; suffix: string } | undefined {
  if (entry.kind === 'Ingress') {
    return {
      explicit: TkeAnnotations.INGRESS_TKE_SERVICE_CONFIG,
      auto: TkeAnnotations.INGRESS_TKE_SERVICE_CONFIG_AUTO,
      suffix: TkeNames.AUTO_INGRESS_CONFIG_SUFFIX,
    };
  }
  if (entry.kind === 'Service') {
    return {
      explicit: TkeAnnotations.SERVICE_TKE_SERVICE_CONFIG,
      auto: TkeAnnotations.SERVICE_TKE_SERVICE_CONFIG_AUTO,
      suffix: TkeNames.AUTO_SERVICE_CONFIG_SUFFIX,
    };
  }
  return undefined;
}

/**
 * The TkeServiceConfig a Service or Ingress is bound to: the explicit annotation when set (even when
 * the auto one is set too, which TKE-L7-003 reports), else `<name>-auto-...-config` when the auto
 * annotation is `"true"`.
 */
export function bindingOf(entry: Entry): Binding | undefined {
  const keys = bindingKeys(entry);
  if (!keys) return undefined;
  const explicit = entry.annotations.get(keys.explicit);
  if (explicit) return { name: explicit, auto: false, annotation: keys.explicit };
  if (entry.annotations.get(keys.auto) === 'true' && entry.name) {
    return { name: `${entry.name}${keys.suffix}`, auto: true, annotation: keys.auto };
  }
  return undefined;
}

/** The TkeServiceConfig objects of a set. */
export function serviceConfigs(set: ManifestSet): Entry[] {
  return set.ofKind('TkeServiceConfig', TKE_GROUP);
}

/** The TkeServiceConfig of this name in the namespace (for matching) of `owner`. */
export function findServiceConfig(set: ManifestSet, owner: Entry, name: string): Entry | undefined {
  const found = set.find('TkeServiceConfig', owner.ns, name);
  if (found && (found.apiVersion === '' || TKE_GROUP.includes(found.group))) return found;
  return undefined;
}

/**
 * The TkeServiceConfigs named `name` that `owner` binds only depending on the namespace it is applied
 * in: exactly one of the two has no `metadata.namespace` (Helm output often leaves it unset, and
 * `helm -n prod` or `kubectl apply -n prod` puts both in prod). Empty when one matches exactly.
 */
export function serviceConfigsByApplyNamespace(set: ManifestSet, owner: Entry, name: string): Entry[] {
  if (findServiceConfig(set, owner, name)) return [];
  return serviceConfigsNamed(set, name).filter((c) => !owner.namespace !== !c.namespace);
}

const configsByName = new WeakMap<ManifestSet, Map<string, Entry[]>>();

/** The TkeServiceConfigs of a set named `name`, in every namespace, in input order. */
export function serviceConfigsNamed(set: ManifestSet, name: string): Entry[] {
  let byName = configsByName.get(set);
  if (!byName) {
    byName = new Map();
    for (const config of serviceConfigs(set)) {
      if (config.name === undefined) continue;
      const list = byName.get(config.name);
      if (list) list.push(config);
      else byName.set(config.name, [config]);
    }
    configsByName.set(set, byName);
  }
  return byName.get(name) ?? [];
}
