import * as path from 'path';
import { LoopbackChecker } from './checker';
import { IGNORED_FILE_NAMES } from './input';
import { readInputs } from './input-files';
import { counts, locate, objectAndMessage, runErrorOf, runErrorText } from './output';
import { validateCheckOptions } from './private/runner';
import { parseFailOn } from './private/severity';
import { FindingLevel, KubeProxyMode, LoopbackCheckOptions } from './types';

/** Where the rules are documented, for the violations' "fix" links. */
const RULES_URL = 'https://github.com/cdk8s-tke-loopback/cdk8s-tke-loopback/blob/main/RULES.md';

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
  /**
   * Ids of existing CLBs (`lb-xxxxxxxx`) that are private-network CLBs; Services and Ingresses that reuse one
   * are judged by the private-network rules.
   *
   * @default - none
   */
  readonly privateClbIds?: string[];
  /**
   * Ids of existing CLBs (`lb-xxxxxxxx`) that are public-network CLBs.
   *
   * @default - none
   */
  readonly publicClbIds?: string[];
  /**
   * The cluster's kube-proxy mode (`ipvs` or `iptables`); in iptables mode the layer-4 rules do not run.
   *
   * @default - read from the kube-proxy DaemonSet or ConfigMap in kube-system, else IPVS
   */
  readonly proxyMode?: KubeProxyMode;
}

/**
 * One resource a violation is about, as cdk8s-cli's `ValidationViolatingResource`.
 */
export interface LoopbackViolatingResource {
  /** The object's `metadata.name` (empty when it has none, or for a manifest that does not parse). */
  readonly resourceName: string;
  /** Where in the manifest: `line N`. */
  readonly locations: string[];
  /** The manifest file. */
  readonly manifestPath: string;
}

/**
 * One violation, as cdk8s-cli's `ValidationViolation`.
 */
export interface LoopbackViolation {
  /** The rule id and level, the object and the problem: `TKE-L4-001 (error): Service shop/web is ...`. */
  readonly ruleName: string;
  /** What to change (the finding's fix). */
  readonly recommendation: string;
  /** A link to the rule in RULES.md. */
  readonly fix: string;
  /** The resources it is about. */
  readonly violatingResources: LoopbackViolatingResource[];
}

/**
 * The report a validation plugin fills, as cdk8s-cli's `ValidationReport` (the part this plugin uses).
 */
export interface ILoopbackValidationReport {
  /**
   * Adds one violation.
   *
   * @param violation the violation
   */
  addViolation(violation: LoopbackViolation): void;
  /**
   * Submits the report.
   *
   * @param status `success` or `failure`
   * @param metadata counts and settings shown with the report
   */
  submit(status: string, metadata?: { [key: string]: string }): void;
}

/**
 * What cdk8s-cli passes to a validation plugin, as its `ValidationContext` (the part this plugin uses).
 */
export interface ILoopbackValidationContext {
  /** The paths of the synthesized manifest files (only read; cdk8s-cli passes a readonly array). */
  readonly manifests: string[];
  /** The report to fill and submit. */
  readonly report: ILoopbackValidationReport;
}

/** The properties the plugin knows, to reject misspelled ones. */
const KNOWN_PROPS = ['failOn', 'privateClbIds', 'publicClbIds', 'proxyMode'];

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
 *       privateClbIds: [lb-abcd1234]   # existing CLBs reused with tke-existed-lbid that are private
 * ```
 *
 * Then `cdk8s synth` (validation is on by default; `--no-validate` skips it) prints a report and exits
 * with code 2 when a finding is at or above `failOn`, or a manifest cannot be read. Each violation's rule
 * name carries the rule id, level and problem; its recommendation is the fix; its "fix" links to the rule.
 *
 * This class implements cdk8s-cli's `Validation` interface structurally: cdk8s-cli's types are kept out
 * of this library's API, and `ILoopbackValidationContext` declares the part of its `ValidationContext` used.
 */
export class LoopbackValidation {
  private readonly failOn: FindingLevel;
  private readonly options: LoopbackCheckOptions;

  /**
   * cdk8s-cli calls this with the `properties` of the `cdk8s.yaml` entry (an empty object when none).
   * An unknown property (a misspelling such as `fail_on`) or a malformed value is an error naming it; null
   * means no properties.
   */
  constructor(props: LoopbackValidationProps = {}) {
    props = props ?? {};
    if (typeof props !== 'object' || Array.isArray(props)) {
      throw new Error(`LoopbackValidation: the properties must be a mapping (${KNOWN_PROPS.join(', ')}), got ${JSON.stringify(props)}`);
    }
    for (const key of Object.keys(props)) {
      if (KNOWN_PROPS.includes(key)) continue;
      const close = KNOWN_PROPS.find((k) => k.toLowerCase() === key.replace(/[-_]/g, '').toLowerCase());
      throw new Error(
        `LoopbackValidation: unknown property ${JSON.stringify(key)}${close ? ` (did you mean "${close}"?)` : ''}; ` +
        `the properties are ${KNOWN_PROPS.join(', ')}`,
      );
    }
    const failOn = parseFailOn(props.failOn, "LoopbackValidation: 'failOn'");
    const options: LoopbackCheckOptions = {
      ...(props.privateClbIds !== undefined ? { privateClbIds: props.privateClbIds } : {}),
      ...(props.publicClbIds !== undefined ? { publicClbIds: props.publicClbIds } : {}),
      ...(props.proxyMode !== undefined ? { proxyMode: props.proxyMode } : {}),
    };
    try {
      validateCheckOptions(options);
    } catch (e) {
      throw new Error(`LoopbackValidation: ${(e as Error).message}`);
    }
    this.failOn = failOn;
    this.options = options;
  }

  /**
   * Runs the checker on `context.manifests` (the synthesized files; `construct-metadata.json` is passed
   * over), adds one violation per finding and per manifest that cannot be read to `context.report` and
   * submits it: `failure` when a finding is at or above `failOn` or a manifest cannot be read, else `success`.
   *
   * @param context cdk8s-cli's `ValidationContext`
   */
  public async validate(context: ILoopbackValidationContext): Promise<void> {
    const manifests = context.manifests.filter((m) => !IGNORED_FILE_NAMES.includes(path.basename(m)));
    const input = readInputs(manifests, undefined, { continueOnError: true, slim: true });
    const report = LoopbackChecker.check(input.objects.map((o) => o.object), this.options);
    const run = locate(input, report, LoopbackChecker.rules(), this.failOn);

    for (const l of run.findings) {
      const f = l.finding;
      context.report.addViolation({
        ruleName: `${f.ruleId} (${f.level}): ${objectAndMessage(f)}`,
        recommendation: f.fix,
        fix: `${RULES_URL}#${f.ruleId.toLowerCase()}`,
        violatingResources: l.file === undefined ? [] : [{
          resourceName: f.name ?? '',
          locations: [`line ${l.line}`],
          manifestPath: l.file,
        }],
      });
    }
    for (const e of input.errors.map(runErrorOf)) {
      context.report.addViolation({
        ruleName: `input error: ${runErrorText(e)}`,
        recommendation: 'Fix the manifest so that it parses as YAML or JSON; the other manifests were checked.',
        fix: `${RULES_URL}`,
        violatingResources: e.file === undefined ? [] : [{ resourceName: '', locations: [e.line === undefined ? 'file' : `line ${e.line}`], manifestPath: e.file }],
      });
    }

    const c = counts(run);
    context.report.submit(run.failed || run.errors.length > 0 ? 'failure' : 'success', {
      failOn: this.failOn,
      errors: String(c.errors),
      warnings: String(c.warnings),
      suppressed: String(c.suppressed),
      ...(run.errors.length > 0 ? { inputErrors: String(run.errors.length) } : {}),
      ...(run.notes.length > 0 ? { notes: run.notes.join(' ') } : {}),
    });
  }
}
