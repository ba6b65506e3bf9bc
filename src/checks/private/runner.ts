/**
 * The check runner: runs every rule over one indexed manifest set, turns a rule that throws into a
 * `TKE-INT-001` finding, applies suppressions and orders the findings by input position.
 */
import { LoopbackRule, RuleContext, RuleFinding } from '../rules/rule';
import { FindingLevel, LoopbackFinding, LoopbackReport, LoopbackRuleInfo, SuppressedFinding } from '../types';
import { isMap, ManifestSet, show } from './manifests';
import { isEffective, parseSuppressions, Suppression } from './suppressions';

/** The id of the finding a throwing rule becomes. */
export const INTERNAL_RULE_ID = 'TKE-INT-001';

const INTERNAL_FIX = 'Report this as a bug of cdk8s-tke-loopback, with the manifest that triggers it. The other rules still ran.';

/** A thrown value as text; never throws. */
export function errorText(e: unknown): string {
  try {
    if (e instanceof Error) return `${e.name}: ${e.message}`;
  } catch {
    // fall through
  }
  return show(e);
}

function internalFinding(ruleId: string, e: unknown): LoopbackFinding {
  return {
    ruleId: INTERNAL_RULE_ID,
    level: FindingLevel.ERROR,
    kind: '',
    message: `rule ${ruleId} failed and its findings are missing: ${errorText(e)}`,
    fix: INTERNAL_FIX,
  };
}

function toFinding(info: LoopbackRuleInfo, r: RuleFinding): LoopbackFinding {
  const entry = r.entry;
  return {
    ruleId: info.id,
    level: r.level ?? info.level,
    kind: entry?.kind ?? '',
    ...(entry?.namespace !== undefined ? { namespace: entry.namespace } : {}),
    ...(entry?.name !== undefined ? { name: entry.name } : {}),
    message: String(r.message),
    fix: r.fix ?? info.fix,
    ...(entry ? { manifestIndex: entry.index } : {}),
  };
}

/** Runs `rules` over `manifests`. Never throws. */
export function runChecks(manifests: unknown, rules: readonly LoopbackRule[]): LoopbackReport {
  let set: ManifestSet;
  try {
    set = new ManifestSet(manifests);
  } catch (e) {
    const findings = [internalFinding('(manifest indexing)', e)];
    return { passed: false, findings, suppressed: [] };
  }
  const context: RuleContext = { knownRuleIds: new Set(rules.map((r) => r.info.id)) };

  const raw: LoopbackFinding[] = [];
  for (const rule of rules) {
    let id = '(unknown rule)';
    try {
      id = rule.info.id;
      const results = rule.check(set, context);
      if (!Array.isArray(results)) throw new Error(`returned ${show(results)} instead of an array`);
      const converted: LoopbackFinding[] = [];
      for (const r of results) {
        if (!isMap(r)) throw new Error(`returned a finding that is not an object: ${show(r)}`);
        converted.push(toFinding(rule.info, r as unknown as RuleFinding));
      }
      raw.push(...converted);
    } catch (e) {
      raw.push(internalFinding(id, e));
    }
  }

  const findings: LoopbackFinding[] = [];
  const suppressed: SuppressedFinding[] = [];
  const cache = new Map<number, Suppression[]>();
  for (const finding of raw) {
    const index = finding.manifestIndex;
    let suppression: Suppression | undefined;
    if (index !== undefined) {
      let list = cache.get(index);
      if (!list) {
        const entry = set.at(index);
        list = (entry ? parseSuppressions(entry)?.entries ?? [] : []).filter(isEffective);
        cache.set(index, list);
      }
      suppression = list.find((s) => s.ruleId === finding.ruleId);
    }
    if (suppression) suppressed.push({ finding, reason: suppression.reason });
    else findings.push(finding);
  }

  const order = (f: LoopbackFinding) => f.manifestIndex ?? Number.MAX_SAFE_INTEGER;
  findings.sort((a, b) => order(a) - order(b));
  suppressed.sort((a, b) => order(a.finding) - order(b.finding));
  return { passed: !findings.some((f) => f.level === FindingLevel.ERROR), findings, suppressed };
}
