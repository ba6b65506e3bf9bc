import { App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { describeObject } from './private/manifests';
import { runChecks, validateCheckOptions } from './private/runner';
import { failsAt, parseFailOn } from './private/severity';
import { RULES } from './rules';
import { FindingLevel, LoopbackCheckOptions, LoopbackFinding, LoopbackReport, LoopbackRuleInfo } from './types';

/**
 * Options for `LoopbackChecker.enforce()`.
 */
export interface LoopbackEnforceOptions extends LoopbackCheckOptions {
  /**
   * The lowest level that fails synthesis: `ERROR` fails on errors only, `WARNING` on warnings too.
   *
   * @default FindingLevel.ERROR
   */
  readonly failOn?: FindingLevel;
}

/**
 * Finds TKE CLB loopback risks in a set of Kubernetes manifests: private-network LoadBalancer
 * Services without `prevent-loopback`, private Ingresses without keepalive, broken TkeServiceConfigs,
 * CoreDNS rewrites that miss the cluster, and more (see `rules()` and RULES.md).
 *
 * It works on any manifests, not only those of this library: Helm output, hand-written YAML, other
 * cdk8s charts, or a live cluster's objects.
 *
 * Matching: objects are matched by kind, namespace and name, and workloads by the Service's selector,
 * only within one namespace. An object without `metadata.namespace` is in `default` for matching
 * purposes. Objects that are not maps are ignored. A list (`kind: List` or a `*List` kind with `items`,
 * as `kubectl get -o yaml` prints) is checked item by item: a finding about an item has the List's
 * position as `manifestIndex` and the item's position as `itemIndex`.
 *
 * Suppression: an object's annotation `cdk8s-tke-loopback/suppress: "<RULE-ID>=<reason>[,...]"` moves
 * the findings of those rules about that object to `report.suppressed`. A reason must have at least 10
 * characters, or the entry does not take effect and `TKE-SUP-001` reports it.
 *
 * @see https://www.tencentcloud.com/document/product/457/42976
 */
export class LoopbackChecker {
  /**
   * Checks a set of manifests (plain objects, as parsed from YAML or JSON). Never throws: objects that
   * are not maps are skipped, and a rule that fails, or an object that cannot be read, becomes a
   * `TKE-INT-001` finding (the other objects and rules are still checked).
   *
   * @param manifests the objects to check, in input order (`manifestIndex` in findings refers to it)
   * @param options what the manifests cannot tell: CLB ids declared private or public, the kube-proxy mode
   * @throws Error when an option is malformed (naming it and quoting the value)
   */
  public static check(manifests: any[], options: LoopbackCheckOptions = {}): LoopbackReport {
    return runChecks(manifests, RULES, options);
  }

  /**
   * What every rule checks, ordered by id.
   */
  public static rules(): LoopbackRuleInfo[] {
    return RULES.map((r) => ({ ...r.info }));
  }

  /**
   * Checks the manifests a chart synthesizes (`chart.toJson()`).
   *
   * @param chart the chart to synthesize and check
   * @param options what the manifests cannot tell: CLB ids declared private or public, the kube-proxy mode
   */
  public static checkChart(chart: Chart, options: LoopbackCheckOptions = {}): LoopbackReport {
    return LoopbackChecker.check(chart.toJson(), options);
  }

  /**
   * Checks the manifests of every chart of an app together (so a Service in one chart and its
   * Deployment in another are matched). `manifestIndex` refers to the concatenation of
   * `chart.toJson()` over `app.charts`, in that order.
   *
   * @param app the app whose charts to synthesize and check
   * @param options what the manifests cannot tell: CLB ids declared private or public, the kube-proxy mode
   */
  public static checkApp(app: App, options: LoopbackCheckOptions = {}): LoopbackReport {
    return LoopbackChecker.check(app.charts.flatMap((c) => c.toJson()), options);
  }

  /**
   * Makes synthesis fail when the manifests rendered under `scope` have findings at or above
   * `failOn`. The error lists the findings.
   *
   * `scope` may be an App (all its charts are checked together), a Chart, or any construct inside a
   * chart (its whole chart is checked).
   *
   * @param scope the app, chart, or construct whose manifests to check at synthesis
   * @param options which level fails synthesis
   */
  public static enforce(scope: IConstruct, options: LoopbackEnforceOptions = {}): void {
    const failOn = parseFailOn(options.failOn, "'failOn'");
    validateCheckOptions(options);
    if (!(scope instanceof App)) Chart.of(scope); // throws now, not at synth, when scope is in no chart
    let running = false;
    scope.node.addValidation({
      validate: (): string[] => {
        // Rendering a chart runs the app's validations again, this one included: skip the nested run.
        if (running) return [];
        running = true;
        try {
          const report = scope instanceof App ? LoopbackChecker.checkApp(scope, options) : LoopbackChecker.checkChart(Chart.of(scope), options);
          const failing = report.findings.filter((f) => failsAt(f.level, failOn));
          if (failing.length === 0) return [];
          return [
            `cdk8s-tke-loopback: ${failing.length} loopback finding(s) at or above ${failOn}:\n` +
            failing.map(formatFinding).join('\n'),
          ];
        } finally {
          running = false;
        }
      },
    });
  }

  private constructor() {}
}

/** One finding as a line of text, for enforce() errors. */
function formatFinding(f: LoopbackFinding): string {
  return `    [${f.ruleId}] ${f.level} ${describeObject(f.kind, f.namespace, f.name)}: ${f.message}\n      fix: ${f.fix}`;
}
