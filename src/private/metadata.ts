import { ApiObjectMetadataDefinition } from 'cdk8s';

/**
 * The annotations of an object's metadata, as they will be rendered (without JSON patches).
 *
 * Synth-time checks read annotations of every construct, so this avoids `metadata.toJson()` (which resolves
 * and sanitizes the whole metadata) when the annotations are plain strings, as they are unless a value is a
 * `Lazy`. Any other shape falls back to `toJson()`.
 */
export function annotationsOf(metadata: ApiObjectMetadataDefinition): { [key: string]: string } {
  const raw = (metadata as any).annotations;
  if (raw !== null && typeof raw === 'object' && Object.values(raw).every((v) => typeof v === 'string')) {
    return { ...raw };
  }
  return metadata.toJson().annotations ?? {};
}
