import { ApiObject, ApiObjectMetadataDefinition } from 'cdk8s';
import { describeValue } from './k8s-names';

/**
 * The annotations of an object's metadata, as they will be rendered (without JSON patches).
 *
 * Synth-time checks read annotations of every construct, so this avoids `metadata.toJson()` (which resolves
 * and sanitizes the whole metadata) when the annotations are plain strings, as they are unless a value is a
 * `Lazy`. Any other shape falls back to `toJson()`.
 */
export function annotationsOf(metadata: ApiObjectMetadataDefinition): { readonly [key: string]: string } {
  const raw = (metadata as any).annotations;
  if (raw !== null && typeof raw === 'object') {
    let plain = true;
    for (const key in raw) {
      if (typeof raw[key] !== 'string') {
        plain = false;
        break;
      }
    }
    // Read-only view of cdk8s's own map, not a copy: the checks only read it.
    if (plain) return raw;
  }
  return metadata.toJson().annotations ?? {};
}

/** The fields of `metadata` that are maps of strings. */
const METADATA_MAPS = ['annotations', 'labels'];

/**
 * What is wrong with `metadata` as a JavaScript caller may pass it (a string, an array, annotations that are
 * not a map of strings), or `undefined`: the API server takes only string values in `annotations` and
 * `labels`, and cdk8s would otherwise spread a string into numbered keys. A `Lazy` value is left to synth.
 */
export function metadataProblem(metadata: unknown): string | undefined {
  if (metadata === undefined) return undefined;
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
    return `'metadata' must be an object such as { name: 'api' }, got ${describeValue(metadata)}`;
  }
  for (const field of METADATA_MAPS) {
    const map = (metadata as any)[field];
    if (map === undefined) continue;
    if (map === null || typeof map !== 'object' || Array.isArray(map)) {
      return `'metadata.${field}' must be a map of string values, got ${describeValue(map)}`;
    }
    for (const [key, value] of Object.entries(map)) {
      const lazy = typeof value === 'object' && value !== null && typeof (value as any).produce === 'function';
      if (typeof value !== 'string' && !lazy) {
        return `'metadata.${field}["${key}"]' must be a string, got ${describeValue(value)}`;
      }
    }
  }
  return undefined;
}

/**
 * Whether `obj` carries JSON patches beyond its first `own` ones. `patches` is private in cdk8s: when it
 * cannot be read, assume there are (the caller then renders, which is correct, only slower).
 */
export function hasJsonPatches(obj: ApiObject, own: number = 0): boolean {
  const patches = (obj as any).patches;
  return !Array.isArray(patches) || patches.length > own;
}
