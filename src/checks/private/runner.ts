/**
 * The check runner: runs every rule over one indexed manifest set, turns a rule that throws into a
 * `TKE-INT-001` finding, applies suppressions and orders the findings by input position.
 */
import { LoopbackRule, RuleContext, RuleFinding } from '../rules/rule';
import { FindingLevel, LoopbackFinding, LoopbackReport, LoopbackRuleInfo, SuppressedFinding } from '../types';
import { Entry, isMap, ManifestSet, show, Unreadable } from './manifests';
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

/** The finding of an input object that could not be read (so no rule saw it). */
function unreadableFinding(u: Unreadable): LoopbackFinding {
  const where = u.item === undefined ? `input object ${u.index}` : `item ${u.item} of the list at input object ${u.index}`;
  return {
    ruleId: INTERNAL_RULE_ID,
    level: FindingLevel.ERROR,
    kind: '',
    message: `${where} could not be read and was not checked: ${errorText(u.error)}`,
    fix: 'Check plain data, as parsed from YAML or JSON (no property getters that throw, no proxies). The other objects were checked.',
    manifestIndex: u.index,
    ...(u.item !== undefined ? { itemIndex: u.item } : {}),
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
    ...(entry?.item !== undefined ? { itemIndex: entry.item } : {}),
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

  // Each finding with the entry it is about, for suppressions (the items of a List share an index).
  const raw: Array<{ finding: LoopbackFinding; entry?: Entry }> = set.unreadable.map((u) => ({ finding: unreadableFinding(u) }));
  for (const rule of rules) {
    let id = '(unknown rule)';
    try {
      id = rule.info.id;
      const results = rule.check(set, context);
      if (!Array.isArray(results)) throw new Error(`returned ${show(results)} instead of an array`);
      const converted: Array<{ finding: LoopbackFinding; entry?: Entry }> = [];
      for (const r of results) {
        if (!isMap(r)) throw new Error(`returned a finding that is not an object: ${show(r)}`);
        const finding = toFinding(rule.info, r as unknown as RuleFinding);
        converted.push({ finding, entry: (r as unknown as RuleFinding).entry });
      }
      raw.push(...converted);
    } catch (e) {
      raw.push({ finding: internalFinding(id, e) });
    }
  }

  const findings: LoopbackFinding[] = [];
  const suppressed: SuppressedFinding[] = [];
  const cache = new Map<Entry, Suppression[]>();
  for (const { finding, entry } of raw) {
    let suppression: Suppression | undefined;
    if (entry) {
      let list = cache.get(entry);
      if (!list) {
        list = (parseSuppressions(entry)?.entries ?? []).filter(isEffective);
        cache.set(entry, list);
      }
      suppression = list.find((s) => s.ruleId === finding.ruleId);
    }
    if (suppression) suppressed.push({ finding, reason: suppression.reason });
    else findings.push(finding);
  }

  const order = (a: LoopbackFinding, b: LoopbackFinding) =>
    (a.manifestIndex ?? Number.MAX_SAFE_INTEGER) - (b.manifestIndex ?? Number.MAX_SAFE_INTEGER) || (a.itemIndex ?? -1) - (b.itemIndex ?? -1);
  findings.sort(order);
  suppressed.sort((a, b) => order(a.finding, b.finding));
  return { passed: !findings.some((f) => f.level === FindingLevel.ERROR), findings, suppressed };
}
