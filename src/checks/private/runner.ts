/**
 * The check runner: runs every rule over one indexed manifest set, turns a rule that throws into a
 * `TKE-INT-001` finding, applies suppressions and orders the findings by input position.
 */
import { LoopbackRule, RuleContext, RuleFinding } from './rule';
import { FindingLevel, KubeProxyMode, LoopbackCheckOptions, LoopbackFinding, LoopbackReport, LoopbackRuleInfo, SuppressedFinding } from '../types';
import { Entry, isMap, ManifestSet, show, Unreadable } from './manifests';
import { detectProxyMode, ProxyModeSource } from './proxy-mode';
import { isEffective, parseSuppressions, Suppression } from './suppressions';
import { TkeIds } from '../../tke/ids';

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
    ...(r.field !== undefined && r.fieldLine !== undefined ? { field: String(r.field), fieldLine: Number(r.fieldLine) } : {}),
  };
}

/** The id prefix of the layer-4 rules, which judge loopback that happens only in IPVS mode. */
export const LAYER4_PREFIX = 'TKE-L4-';

/** The proxy mode to judge by: the option when given, else what the set shows, else undefined (IPVS). */
function proxyModeOf(set: ManifestSet, options: LoopbackCheckOptions): ProxyModeSource | undefined {
  if (options.proxyMode !== undefined) {
    return { mode: options.proxyMode, source: 'as declared with --proxy-mode or the proxyMode option' };
  }
  return detectProxyMode(set);
}

function idSet(name: string, ids: unknown): Set<string> {
  if (ids === undefined) return new Set();
  if (!Array.isArray(ids) || ids.some((x) => typeof x !== 'string')) {
    throw new Error(`'${name}' must be a list of CLB ids (strings), got ${show(ids)}`);
  }
  const trimmed = ids.map((x: string) => x.trim()).filter((x) => x !== '');
  // The same id format as the constructs' existingLoadBalancerId: an id in another form never matches a manifest's.
  const bad = trimmed.find((x) => !TkeIds.isLoadBalancerId(x));
  if (bad !== undefined) {
    throw new Error(`'${name}' must list CLB ids like lb-abcd1234 (lb- and 8 lowercase letters or digits), got ${show(bad)}`);
  }
  return new Set(trimmed);
}

/**
 * Checks the options of a check; throws an Error naming the option and quoting the value when one is
 * malformed.
 */
export function validateCheckOptions(options: LoopbackCheckOptions): void {
  const privateIds = idSet('privateClbIds', options.privateClbIds);
  const both = [...idSet('publicClbIds', options.publicClbIds)].find((id) => privateIds.has(id));
  if (both !== undefined) throw new Error(`CLB ${both} is in both 'privateClbIds' and 'publicClbIds'`);
  const mode = options.proxyMode;
  if (mode !== undefined && mode !== KubeProxyMode.IPVS && mode !== KubeProxyMode.IPTABLES) {
    throw new Error(`'proxyMode' must be "ipvs" or "iptables", got ${JSON.stringify(mode)}`);
  }
}

/** Runs `rules` over `manifests`. Never throws on strange manifests; `options` are checked by `validateCheckOptions`. */
export function runChecks(manifests: unknown, rules: readonly LoopbackRule[], options: LoopbackCheckOptions = {}): LoopbackReport {
  validateCheckOptions(options);
  let set: ManifestSet;
  try {
    set = new ManifestSet(manifests);
  } catch (e) {
    const findings = [internalFinding('(manifest indexing)', e)];
    return { passed: false, findings, suppressed: [], notes: [] };
  }
  const context: RuleContext = {
    knownRuleIds: new Set(rules.map((r) => r.info.id)),
    clbs: { privateIds: idSet('privateClbIds', options.privateClbIds), publicIds: idSet('publicClbIds', options.publicClbIds) },
  };
  const notes: string[] = [];
  let proxy: ProxyModeSource | undefined;
  try {
    proxy = proxyModeOf(set, options);
  } catch (e) {
    notes.push(`the kube-proxy mode could not be read (${errorText(e)}); judged as IPVS`);
  }
  const skipLayer4 = proxy?.mode === KubeProxyMode.IPTABLES;
  if (skipLayer4) {
    const skipped = rules.filter((r) => r.info.id.startsWith(LAYER4_PREFIX)).map((r) => r.info.id);
    notes.push(
      `layer-4 rules ${skipped.join(', ')} did not run: kube-proxy is in ${proxy!.mode} mode (${proxy!.source}); layer-4 ` +
      'loopback happens in IPVS mode, where a pod\'s traffic to a LoadBalancer address reaches the CLB',
    );
  }

  // Each finding with the entry it is about, for suppressions (the items of a List share an index).
  const raw: Array<{ finding: LoopbackFinding; entry?: Entry }> = set.unreadable.map((u) => ({ finding: unreadableFinding(u) }));
  for (const rule of rules) {
    let id = '(unknown rule)';
    try {
      id = rule.info.id;
      if (skipLayer4 && id.startsWith(LAYER4_PREFIX)) continue;
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
  return { passed: !findings.some((f) => f.level === FindingLevel.ERROR), findings, suppressed, notes };
}
