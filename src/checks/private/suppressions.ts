/**
 * The `cdk8s-tke-loopback/suppress` annotation: `"<RULE-ID>=<reason>[,<RULE-ID>=<reason>...]"`.
 * A comma followed by something that is not `RULE-ID=` continues the previous reason, so reasons may
 * contain commas.
 */
import { Entry } from './manifests';

/** The annotation key that suppresses findings on the object it is on. */
export const SUPPRESS_ANNOTATION = 'cdk8s-tke-loopback/suppress';

/** The shortest reason a suppression may give. */
export const MIN_REASON_LENGTH = 10;

/** Rule-id prefixes that no annotation can suppress (findings about suppressions and the runner). */
export const UNSUPPRESSIBLE_PREFIXES = ['TKE-SUP-', 'TKE-INT-'];

/** One parsed entry of the annotation. */
export interface Suppression {
  readonly ruleId: string;
  readonly reason: string;
}

/** The parsed annotation. */
export interface ParsedSuppressions {
  /** Entries with a rule id (whatever their reason). */
  readonly entries: Suppression[];
  /** Parts that are not `RULE-ID=reason`, quoted for the finding. */
  readonly malformed: string[];
  /** Set when the annotation value is not a string: the JSON type of the value. */
  readonly notAString?: string;
}

const ENTRY = /^\s*([A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)+)\s*=([\s\S]*)$/;

/** Parses the suppress annotation of an object; undefined when it has none. */
export function parseSuppressions(entry: Entry): ParsedSuppressions | undefined {
  if (!Object.prototype.hasOwnProperty.call(entry.rawAnnotations, SUPPRESS_ANNOTATION)) return undefined;
  const value = entry.rawAnnotations[SUPPRESS_ANNOTATION];
  if (typeof value !== 'string') return { entries: [], malformed: [], notAString: value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value };
  const entries: Array<{ ruleId: string; reason: string }> = [];
  const malformed: string[] = [];
  for (const part of value.split(',')) {
    const match = ENTRY.exec(part);
    if (match) {
      entries.push({ ruleId: match[1].toUpperCase(), reason: match[2].trim() });
    } else if (entries.length > 0) {
      const last = entries[entries.length - 1];
      last.reason = `${last.reason},${part}`.trim();
    } else if (part.trim() !== '') {
      malformed.push(part.trim());
    }
  }
  return { entries, malformed };
}

/** Whether a suppression entry takes effect: a long enough reason, and a suppressible rule. */
export function isEffective(s: Suppression): boolean {
  return s.reason.length >= MIN_REASON_LENGTH && !UNSUPPRESSIBLE_PREFIXES.some((p) => s.ruleId.startsWith(p));
}
