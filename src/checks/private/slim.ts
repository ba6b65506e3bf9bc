/**
 * What the rules read of an object, for readers of large inputs: everything else is dropped as soon as a
 * document is parsed, so that memory grows with what the rules need, not with the size of the input
 * (CRD schemas, dashboards in ConfigMaps, Secret data, `managedFields`, the last-applied annotation).
 */

import { CLIENT_KINDS } from './anti-affinity-protection';

/** Kinds whose `spec` a rule reads: the workloads, and what TKE makes CLBs of. Others keep `apiVersion`, `kind`, `metadata`. */
const KINDS_WITH_BODY: ReadonlySet<string> = new Set(['Service', 'Ingress', 'TkeServiceConfig', ...CLIENT_KINDS.map(([kind]) => kind)]);

/** ConfigMaps whose `data` a rule reads (in any namespace; the rules check the namespace themselves). */
const CONFIGMAPS_READ: ReadonlySet<string> = new Set(['coredns', 'kube-proxy']);

/** The annotation `kubectl apply` writes, a copy of the whole object. */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * A copy of `obj` with what no rule reads left out; `obj` is returned as it is when it is not a map or
 * nothing needs to go.
 */
export function slimForChecking(obj: any): any {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return obj;
  const kind = obj.kind;
  const metadata = slimMetadata(obj.metadata);
  if (KINDS_WITH_BODY.has(kind)) {
    const { status: _status, ...rest } = obj;
    return { ...rest, metadata };
  }
  const out: Record<string, unknown> = { apiVersion: obj.apiVersion, kind };
  if (obj.metadata !== undefined) out.metadata = metadata;
  if (kind === 'ConfigMap' && CONFIGMAPS_READ.has(obj.metadata?.name) && obj.data !== undefined) out.data = obj.data;
  return out;
}

function slimMetadata(metadata: any): any {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) return metadata;
  const { managedFields: _managed, ...rest } = metadata;
  const annotations = rest.annotations;
  if (typeof annotations === 'object' && annotations !== null && !Array.isArray(annotations) && LAST_APPLIED in annotations) {
    const { [LAST_APPLIED]: _last, ...kept } = annotations;
    rest.annotations = kept;
  }
  return rest;
}
