/**
 * TKE-specific reading of manifests, shared by the rules.
 */
import { asArray, asMap, asString, Entry, ManifestSet } from './manifests';
import { TkeAnnotations, TkeNames } from '../../tke/annotations';
import { LEGACY_SERVICE_LB_ID } from '../../tke/reused-clb';

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

/**
 * The annotation of this library that declares the network type of the CLB an object gets or reuses:
 * `private` or `public`. It decides over every other sign.
 */
export const CLB_NETWORK_ANNOTATION = 'cdk8s-tke-loopback/clb-network';

export { LEGACY_SERVICE_LB_ID };

/** The CLB ids the user declared private or public (`--private-clb`, `--public-clb`, plugin properties). */
export interface ClbDeclarations {
  readonly privateIds: ReadonlySet<string>;
  readonly publicIds: ReadonlySet<string>;
}

/** No declarations. */
export const NO_CLB_DECLARATIONS: ClbDeclarations = { privateIds: new Set(), publicIds: new Set() };

/** What the checker knows of the CLB of a LoadBalancer Service or a TKE Ingress. */
export interface ClbInfo {
  /** `unknown` for a reused CLB whose network type nothing declares. */
  readonly network: 'private' | 'public' | 'unknown';
  /** The id of the existing CLB it reuses, and the annotation that names it. */
  readonly reused?: { readonly id: string; readonly annotation: string };
  /** The value of `cdk8s-tke-loopback/clb-network` when it is neither `private` nor `public`. */
  readonly badDeclaration?: string;
}

/**
 * The CLB of a LoadBalancer Service or a TKE Ingress (undefined for other objects): private when
 * `cdk8s-tke-loopback/clb-network: private` says so, else when it has a subnet annotation, else when it
 * reuses a CLB whose id is declared private; public when declared public or when it neither has a subnet
 * nor reuses a CLB; unknown for a reused CLB nothing declares.
 */
export function clbOf(entry: Entry, declared: ClbDeclarations = NO_CLB_DECLARATIONS): ClbInfo | undefined {
  let subnetKey: string;
  let reuseKeys: string[];
  if (entry.kind === 'Service') {
    if (serviceType(entry) !== 'LoadBalancer') return undefined;
    subnetKey = TkeAnnotations.SERVICE_INTERNAL_SUBNET_ID;
    reuseKeys = [TkeAnnotations.SERVICE_EXISTED_LB_ID, LEGACY_SERVICE_LB_ID];
  } else if (entry.kind === 'Ingress') {
    if (!isTkeIngressClass(ingressClass(entry))) return undefined;
    subnetKey = TkeAnnotations.INGRESS_SUBNET_ID;
    reuseKeys = [TkeAnnotations.INGRESS_EXIST_LB_ID];
  } else {
    return undefined;
  }
  const reuseKey = reuseKeys.find((k) => !!entry.annotations.get(k)?.trim());
  const reused = reuseKey ? { id: entry.annotations.get(reuseKey)!.trim(), annotation: reuseKey } : undefined;
  const info = (network: ClbInfo['network'], badDeclaration?: string): ClbInfo => ({
    network,
    ...(reused ? { reused } : {}),
    ...(badDeclaration !== undefined ? { badDeclaration } : {}),
  });
  const declaration = entry.annotations.get(CLB_NETWORK_ANNOTATION);
  const normalized = declaration?.trim().toLowerCase();
  if (normalized === 'private' || normalized === 'public') return info(normalized);
  const bad = declaration !== undefined ? declaration : undefined;
  if (entry.annotations.get(subnetKey)) return info('private', bad);
  if (!reused) return info('public', bad);
  if (declared.privateIds.has(reused.id)) return info('private', bad);
  if (declared.publicIds.has(reused.id)) return info('public', bad);
  return info('unknown', bad);
}

/** A LoadBalancer Service whose CLB is private-network: a subnet annotation, or a declaration (see `clbOf`). */
export function isPrivateLoadBalancer(svc: Entry, declared?: ClbDeclarations): boolean {
  return svc.kind === 'Service' && clbOf(svc, declared)?.network === 'private';
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
 * `spec.ingressClassName`, else undefined (TKE then treats it as qcloud, as it does an empty annotation).
 */
export function ingressClass(ing: Entry): string | undefined {
  const annotation = ing.annotations.get(TkeAnnotations.INGRESS_CLASS);
  if (annotation !== undefined) return annotation;
  return asString(asMap(ing.obj.spec).ingressClassName);
}

/** Whether TKE's ingress controller serves this class: qcloud, none, or an empty one. */
export function isTkeIngressClass(cls: string | undefined): boolean {
  return cls === undefined || cls.trim() === '' || cls === TkeNames.QCLOUD_INGRESS_CLASS;
}

/**
 * A private TKE Ingress: its class is qcloud (or unset, or empty) and its CLB is private-network
 * (`kubernetes.io/ingress.subnetId`, or a declaration, see `clbOf`).
 */
export function isPrivateTkeIngress(ing: Entry, declared?: ClbDeclarations): boolean {
  return ing.kind === 'Ingress' && clbOf(ing, declared)?.network === 'private';
}

/**
 * The host names that private-network CLBs of the set serve: the `spec.rules[].host` and
 * `spec.tls[].hosts` of private TKE Ingresses (lower-case, without a final dot), each with the first
 * Ingress that serves it.
 */
export function privateClbHosts(set: ManifestSet, declared?: ClbDeclarations): Map<string, Entry> {
  const out = new Map<string, Entry>();
  for (const ing of ingresses(set)) {
    if (!isPrivateTkeIngress(ing, declared)) continue;
    const spec = asMap(ing.obj.spec);
    const hosts = [
      ...asArray(spec.rules).map((r) => asMap(r).host),
      ...asArray(spec.tls).flatMap((t) => asArray(asMap(t).hosts)),
    ];
    for (const h of hosts) {
      if (typeof h !== 'string' || h === '') continue;
      const host = h.toLowerCase().replace(/\.$/, '');
      if (!out.has(host)) out.set(host, ing);
    }
  }
  return out;
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
  const found = set.find('TkeServiceConfig', owner.namespaceOrDefault, name);
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
