/**
 * The one check of construct-set annotations against the ones a user set by hand, shared by
 * `LoopbackSafeService` and `LoopbackSafeIngress`, and the one way to turn a list of problems into an
 * error. Never exported from the package.
 */

/** An annotation a construct sets, with what needs it (a prop or a strategy), for error messages. */
export interface RequiredAnnotation {
  /** The annotation key. */
  readonly key: string;
  /** The value the construct writes. */
  readonly value: string;
  /** What needs the value: `'internalSubnetId'`, `the preventLoopback strategy`, ... */
  readonly source: string;
}

/**
 * One problem for each annotation of `required` that `annotations` sets to another value, worded the same
 * for every construct: `'metadata.annotations' sets <key> to "<actual>", but <source> needs "<value>": ...`.
 *
 * @param required the annotations the construct sets, each key once
 * @param annotations the annotations to check (the user's, or the object's at synth)
 * @param problems where to append the problems (a new list by default)
 * @returns `problems`
 */
export function annotationConflicts(
  required: readonly RequiredAnnotation[],
  annotations: { readonly [key: string]: string },
  problems: string[] = [],
): string[] {
  // An indexed loop over flat entries: this runs for every construct at synth.
  for (let i = 0; i < required.length; i++) {
    const { key, value, source } = required[i];
    const actual = annotations[key];
    if (actual !== undefined && actual !== value) {
      problems.push(
        `'metadata.annotations' sets ${key} to ${JSON.stringify(actual)}, but ${source} needs ${JSON.stringify(value)}: remove the hand-set annotation`,
      );
    }
  }
  return problems;
}

/**
 * One problem for each annotation of `required` that the rendered manifest (after JSON patches) lacks or
 * sets to another value, worded the same for every construct.
 *
 * @param kind the object's kind, for the message (`Service`, `Ingress`)
 * @param required the annotations the construct sets, each key once
 * @param rendered the annotations of the rendered manifest
 * @param problems where to append the problems (a new list by default)
 * @returns `problems`
 */
export function patchedAwayProblems(
  kind: string,
  required: readonly RequiredAnnotation[],
  rendered: { readonly [key: string]: string },
  problems: string[] = [],
): string[] {
  for (let i = 0; i < required.length; i++) {
    const { key, value, source } = required[i];
    if (rendered[key] !== value) {
      problems.push(
        `the synthesized ${kind} has ${rendered[key] === undefined ? `no ${key}` : `${key}: ${JSON.stringify(rendered[key])}`}, ` +
          `but ${source} needs ${key}: ${JSON.stringify(value)}: a JSON patch (ApiObject.of(...).addJsonPatch) removed or changed it; drop that patch`,
      );
    }
  }
  return problems;
}

/** Throws one error listing every problem (one a line), or does nothing when there is none. */
export function throwProblems(problems: readonly string[]): void {
  if (problems.length > 0) throw new Error(problems.join('\n'));
}
