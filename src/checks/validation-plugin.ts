import { LoopbackChecker } from './checker';
import { readInputs } from './input';
import { counts, locate, objectAndMessage } from './output';
import { FindingLevel } from './types';

/**
 * Properties of the cdk8s-cli validation plugin, as given under `properties:` in `cdk8s.yaml`.
 */
export interface LoopbackValidationProps {
  /**
   * The lowest finding level that fails `cdk8s synth --validate`: `error` or `warning`.
   * Findings below it are still reported as violations.
   *
   * @default FindingLevel.ERROR
   */
  readonly failOn?: FindingLevel;
}

/**
 * A cdk8s-cli validation plugin that runs the loopback checker on the synthesized manifests and reports
 * every finding as a violation. List it in `cdk8s.yaml`:
 *
 * ```yaml
 * validations:
 *   - package: cdk8s-tke-loopback
 *     version: 1.2.3          # an exact version (cdk8s-cli refuses ranges)
 *     class: LoopbackValidation
 *     properties:
 *       failOn: error         # or warning
 * ```
 *
 * Then `cdk8s synth` (validation is on by default; `--no-validate` skips it) prints a report and exits
 * with code 2 when a finding is at or above `failOn`.
 *
 * This class implements cdk8s-cli's `Validation` interface structurally; cdk8s-cli's types are kept
 * out of this library's API, so the context is typed `any` here.
 */
export class LoopbackValidation {
  private readonly failOn: FindingLevel;

  /**
   * cdk8s-cli calls this with the `properties` of the `cdk8s.yaml` entry (an empty object when none).
   */
  constructor(props: LoopbackValidationProps = {}) {
    const failOn = props.failOn ?? FindingLevel.ERROR;
    if (failOn !== FindingLevel.ERROR && failOn !== FindingLevel.WARNING) {
      throw new Error(`LoopbackValidation: 'failOn' must be "error" or "warning", got ${JSON.stringify(failOn)}`);
    }
    this.failOn = failOn;
  }

  /**
   * Runs the checker on `context.manifests` (the synthesized files), adds one violation per finding to
   * `context.report` and submits it: `failure` when a finding is at or above `failOn`, else `success`.
   *
   * @param context cdk8s-cli's `ValidationContext`
   */
  public async validate(context: any): Promise<void> {
    const input = readInputs(context.manifests as string[]);
    const report = LoopbackChecker.check(input.objects.map((o) => o.object));
    const run = locate(input, report, LoopbackChecker.rules(), this.failOn);

    for (const l of run.findings) {
      const f = l.finding;
      context.report.addViolation({
        ruleName: `${f.ruleId} (${f.level})`,
        recommendation: objectAndMessage(f),
        fix: f.fix,
        violatingResources: l.file === undefined ? [] : [{
          resourceName: f.name ?? '',
          locations: [`line ${l.line}`],
          manifestPath: l.file,
        }],
      });
    }

    const c = counts(run);
    context.report.submit(run.failed ? 'failure' : 'success', {
      failOn: this.failOn,
      errors: String(c.errors),
      warnings: String(c.warnings),
      suppressed: String(c.suppressed),
    });
  }
}
