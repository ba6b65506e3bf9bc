/**
 * The shared manifest validation harness. Every test that synthesizes manifests runs them through
 * `synthValidated()` (or `validateManifests()`):
 *
 * - core Kubernetes kinds are validated against the Kubernetes OpenAPI schema (kubernetes-models);
 * - kinds defined by a CRD in `crds/` are validated against that CRD's openAPIV3Schema with ajv in
 *   strict mode, with unknown properties rejected and the CRD's CEL rules evaluated;
 * - any other kind fails: nothing passes unvalidated.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { type ValidateFunction } from 'ajv';
import { Chart, Testing } from 'cdk8s';
import * as YAML from 'yaml';

const CRD_DIR = path.join(__dirname, '..', '..', 'crds');

/** DNS-1123 subdomain: what metadata.name must be for nearly every kind. */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** DNS-1123 label: what metadata.namespace must be. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * The CEL rules that our CRDs carry, and their JavaScript equivalent. A rule the harness does not know
 * fails validation, so a new rule in crds/ cannot be skipped silently.
 */
const CEL_RULES: Record<string, (self: any) => boolean> = {
  '(has(self.timeout) ? self.timeout : 2) < (has(self.intervalTime) ? self.intervalTime : 5)': (self) =>
    (self.timeout ?? 2) < (self.intervalTime ?? 5),
};

/** Error thrown for a manifest that fails validation. */
export class ManifestValidationError extends Error {
  constructor(manifest: any, problems: string[]) {
    const id = `${manifest?.apiVersion ?? '?'} ${manifest?.kind ?? '?'} ${manifest?.metadata?.namespace ? manifest.metadata.namespace + '/' : ''}${manifest?.metadata?.name ?? '?'}`;
    super(`invalid manifest ${id}:\n  - ${problems.join('\n  - ')}`);
  }
}

/**
 * Adds `additionalProperties: false` to every object schema that lists its properties, except those
 * marked `x-kubernetes-preserve-unknown-fields: true` (the API server keeps unknown fields there too).
 */
function closeObjects(schema: any, at: string[] = []): any {
  if (Array.isArray(schema)) return schema.map((s) => closeObjects(s, at));
  if (!schema || typeof schema !== 'object') return schema;
  const out: any = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'properties') {
      out.properties = Object.fromEntries(Object.entries(v as any).map(([p, s]) => [p, closeObjects(s, [...at, p])]));
    } else {
      out[k] = closeObjects(v, at);
    }
  }
  // metadata is validated separately (ObjectMeta); every other listed-property object is closed.
  const isMetadata = at.length === 1 && at[0] === 'metadata';
  const preserves = out['x-kubernetes-preserve-unknown-fields'] === true;
  delete out['x-kubernetes-preserve-unknown-fields'];
  if (out.type === 'object' && out.properties && out.additionalProperties === undefined && !isMetadata && !preserves) {
    out.additionalProperties = false;
  }
  return out;
}

let crdValidators: Map<string, ValidateFunction> | undefined;

/** Compiles one ajv validator per `apiVersion/kind` served by the CRDs in `crds/`. */
function loadCrdValidators(): Map<string, ValidateFunction> {
  if (crdValidators) return crdValidators;
  const ajv = new Ajv({ strict: true, allErrors: true });
  ajv.addKeyword({
    keyword: 'x-kubernetes-validations',
    schemaType: 'array',
    validate: function celRules(rules: Array<{ rule: string; message?: string }>, data: any) {
      const errors: any[] = [];
      for (const r of rules) {
        const fn = CEL_RULES[r.rule];
        if (!fn) {
          errors.push({ keyword: 'x-kubernetes-validations', message: `the harness cannot evaluate CEL rule ${r.rule}`, params: {} });
        } else if (!fn(data)) {
          errors.push({ keyword: 'x-kubernetes-validations', message: r.message ?? `violates ${r.rule}`, params: {} });
        }
      }
      (celRules as any).errors = errors;
      return errors.length === 0;
    },
    errors: true,
  });
  const map = new Map<string, ValidateFunction>();
  for (const file of fs.readdirSync(CRD_DIR).filter((f) => /\.ya?ml$/.test(f))) {
    for (const doc of YAML.parseAllDocuments(fs.readFileSync(path.join(CRD_DIR, file), 'utf8'))) {
      const crd = doc.toJS();
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      for (const version of crd.spec.versions) {
        const schema = closeObjects(version.schema.openAPIV3Schema);
        schema.required = [...new Set([...(schema.required ?? []), 'apiVersion', 'kind', 'metadata'])];
        map.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, ajv.compile(schema));
      }
    }
  }
  crdValidators = map;
  return map;
}

/** Loads the kubernetes-models class for a core kind, or undefined when there is none. */
function coreModel(apiVersion: string, kind: string): { validate(): void } | any {
  if (!/^[a-z0-9.]+(\/[a-z0-9]+)?$/.test(apiVersion) || !/^[A-Z][A-Za-z0-9]*$/.test(kind)) return undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(`kubernetes-models/${apiVersion}`);
    return mod[kind];
  } catch {
    return undefined;
  }
}

/** The problems with one manifest, empty when it is valid. */
export function manifestProblems(manifest: any): string[] {
  if (!manifest || typeof manifest !== 'object' || Array.isArray(manifest)) return ['a manifest must be an object'];
  const { apiVersion, kind, metadata } = manifest;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return ['apiVersion and kind must be strings'];
  const problems: string[] = [];
  if (!metadata || typeof metadata.name !== 'string' || metadata.name.length > 253 || !DNS_SUBDOMAIN.test(metadata.name)) {
    problems.push(`metadata.name must be a DNS-1123 subdomain, got ${JSON.stringify(metadata?.name)}`);
  }
  if (metadata?.namespace !== undefined && (typeof metadata.namespace !== 'string' || metadata.namespace.length > 63 || !DNS_LABEL.test(metadata.namespace))) {
    problems.push(`metadata.namespace must be a DNS-1123 label, got ${JSON.stringify(metadata.namespace)}`);
  }
  for (const field of ['labels', 'annotations']) {
    const map = metadata?.[field];
    if (map === undefined) continue;
    for (const [k, v] of Object.entries(map ?? {})) {
      if (typeof v !== 'string') problems.push(`metadata.${field}.${k} must be a string, got ${JSON.stringify(v)}`);
    }
  }

  const crd = loadCrdValidators().get(`${apiVersion}/${kind}`);
  if (crd) {
    if (!crd(manifest)) {
      problems.push(...(crd.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}${e.params && (e.params as any).additionalProperty ? `: ${(e.params as any).additionalProperty}` : ''}`));
    }
    return problems;
  }

  const Model = coreModel(apiVersion, kind);
  if (!Model) {
    return [...problems, `the harness cannot validate ${apiVersion} ${kind}: it is neither a Kubernetes core kind nor defined in crds/`];
  }
  try {
    new Model(manifest).validate();
  } catch (e: any) {
    problems.push(String(e?.message ?? e));
  }
  return problems;
}

/** Throws a `ManifestValidationError` when the manifest is invalid or of a kind that cannot be validated. */
export function validateManifest(manifest: any): void {
  const problems = manifestProblems(manifest);
  if (problems.length > 0) throw new ManifestValidationError(manifest, problems);
}

/** Validates every manifest, and also that no two share kind, namespace and name. */
export function validateManifests(manifests: any[]): void {
  const seen = new Set<string>();
  for (const m of manifests) {
    validateManifest(m);
    const key = `${m.apiVersion}|${m.kind}|${m.metadata.namespace ?? ''}|${m.metadata.name}`;
    if (seen.has(key)) throw new ManifestValidationError(m, ['two manifests have this kind, namespace and name']);
    seen.add(key);
  }
}

/** Synthesizes a chart, validates every manifest, and returns them. */
export function synthValidated(chart: Chart): any[] {
  const manifests = Testing.synth(chart);
  validateManifests(manifests);
  return manifests;
}

/** Reads every YAML document in a file (skipping empty ones). */
export function readYamlFile(file: string): any[] {
  return YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map((d) => d.toJS())
    .filter((d) => d !== null && d !== undefined);
}

/** Finds the one manifest of a kind and name (and namespace, when given); throws when there is none or several. */
export function findManifest(manifests: any[], kind: string, name: string, namespace?: string): any {
  const found = manifests.filter(
    (m) => m?.kind === kind && m?.metadata?.name === name && (namespace === undefined || m?.metadata?.namespace === namespace),
  );
  if (found.length !== 1) {
    throw new Error(`expected one ${kind} named ${name}${namespace ? ` in ${namespace}` : ''}, found ${found.length}`);
  }
  return found[0];
}

/** All manifests of a kind. */
export function manifestsOfKind(manifests: any[], kind: string): any[] {
  return manifests.filter((m) => m?.kind === kind);
}
