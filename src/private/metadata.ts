import { ApiObjectMetadataDefinition } from 'cdk8s';

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
