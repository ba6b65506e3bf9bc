/**
 * The checks of `Corefile.withRewrites()` and `CoreDnsRewrite.rewriteName()`, incremental so that adding
 * N rules costs about N times the cost of one (not exported from the package).
 *
 * - Duplicates and conflicts are found with a map keyed by match type and FROM.
 * - "Which rule fires first for this name" is answered by `RuleIndex`: exact rules in a map, prefix and
 *   suffix rules in maps probed with each prefix or suffix of the name (at most 254 of them), and only
 *   substring and regex rules scanned (regexes run by RE2 in linear time).
 * - Loops are followed from the new rule's own name only; names already known to end are not walked again.
 */
import { RewriteMatch, RewriteRule } from './rewrite-rule';

const fq = (n: string) => (n.endsWith('.') ? n : `${n}.`);

/** The longest fully qualified name DNS carries: 253 characters and the trailing dot. */
const MAX_FQDN_LENGTH = 254;
/** The most rewrites a loop walk follows from one name (far more than any real chain of rules). */
const MAX_LOOP_STEPS = 1000;

/** A name as messages quote it: without the trailing dot. */
const bare = (n: string) => JSON.stringify(n.replace(/\.$/, ''));

/** Which rule (earliest in file order) matches a query name. */
export class RuleIndex {
  private readonly exact = new Map<string, number>();
  private readonly prefix = new Map<string, number>();
  private readonly suffix = new Map<string, number>();
  private readonly others: number[] = [];
  private readonly rules: RewriteRule[] = [];

  /** Adds a rule after every rule already in the index. */
  public add(rule: RewriteRule): void {
    const pos = this.rules.length;
    this.rules.push(rule);
    const key = rule.match === RewriteMatch.REGEX ? '' : rule._matchFrom;
    const keep = (m: Map<string, number>) => {
      if (!m.has(key)) m.set(key, pos);
    };
    switch (rule.match) {
      case RewriteMatch.EXACT: keep(this.exact); break;
      case RewriteMatch.PREFIX: keep(this.prefix); break;
      case RewriteMatch.SUFFIX: keep(this.suffix); break;
      default: this.others.push(pos);
    }
  }

  /** Removes the rule added last. */
  public removeLast(): void {
    const pos = this.rules.length - 1;
    const rule = this.rules.pop()!;
    for (const m of [this.exact, this.prefix, this.suffix]) {
      if (m.get(rule._matchFrom) === pos) m.delete(rule._matchFrom);
    }
    if (this.others[this.others.length - 1] === pos) this.others.pop();
  }

  /** The earliest rule that matches `fqdn` (lower-case, with a trailing dot), or `undefined`. */
  public first(fqdn: string): RewriteRule | undefined {
    let best = this.exact.get(fqdn) ?? Infinity;
    if (this.prefix.size > 0 || this.suffix.size > 0) {
      for (let k = 1; k <= fqdn.length; k++) {
        best = Math.min(best, this.prefix.get(fqdn.slice(0, k)) ?? Infinity, this.suffix.get(fqdn.slice(-k)) ?? Infinity);
      }
    }
    for (const pos of this.others) {
      if (pos >= best) break;
      if (this.rules[pos]._matches(fqdn)) {
        best = pos;
        break;
      }
    }
    return best === Infinity ? undefined : this.rules[best];
  }
}

/** The name a loop walk starts from: FROM of an exact rule, a name below a suffix; none for other types. */
function startName(rule: RewriteRule): string | undefined {
  if (rule.match === RewriteMatch.EXACT) return fq(rule.from);
  if (rule.match === RewriteMatch.SUFFIX) return fq(`loop-probe.${rule.from}`);
  return undefined;
}

const keyOf = (r: RewriteRule) => `${r.match.keyword} ${r.from}`;
const where = (r: RewriteRule) => (r.sourceLine !== undefined ? ` (Corefile line ${r.sourceLine})` : '');

/**
 * A Corefile's rules plus rules added one at a time, checked as each arrives. New rules go after the
 * existing rules `above` the insertion point and before the ones `below` it.
 */
export class RewritePlan {
  /** The rules added so far, in order. */
  public readonly added: RewriteRule[] = [];
  private readonly byKey = new Map<string, RewriteRule>();
  private readonly main = new RuleIndex();
  private readonly tail = new RuleIndex();
  private readonly ends = new Set<string>();
  private readonly below: RewriteRule[];
  /**
   * The probe names of the rules below the insertion point that no rule above it catches yet, built on
   * the first `add()`. Rules above only ever get added, so a caught name stays caught: each `add()`
   * then matches the new rule against these names only, instead of asking every rule above for every
   * name of every rule below again (cubic with many regex rules in the Corefile).
   */
  private openBelow?: Array<{ readonly later: RewriteRule; readonly name: string }>;

  /**
   * @param existing the Corefile's rules, in file order
   * @param above how many of them come before the insertion point
   */
  constructor(private readonly existing: RewriteRule[], above: number) {
    existing.forEach((r, k) => {
      if (!this.byKey.has(keyOf(r))) this.byKey.set(keyOf(r), r);
      (k < above ? this.main : this.tail).add(r);
    });
    this.below = existing.slice(above);
    for (const r of existing) this.checkLoopFrom(r);
  }


  /**
   * Adds a rule, or returns false when the same rule is already there. Throws, quoting both rules, on a
   * conflict, on shadowing in either direction, or on a loop.
   */
  public add(rule: RewriteRule): boolean {
    const twin = this.byKey.get(keyOf(rule));
    if (twin) {
      if (twin.isIdenticalTo(rule)) return false;
      if (twin.sourceLine !== undefined) {
        throw new Error(`Corefile line ${twin.sourceLine} already rewrites ${JSON.stringify(rule.from)} differently: existing "${twin.toDirective()}", new "${rule.toDirective()}"`);
      }
      throw new Error(`duplicate rewrite for ${JSON.stringify(rule.from)}: "${twin.toDirective()}" and "${rule.toDirective()}"`);
    }
    // An earlier rule that catches the new rule's names.
    for (const name of rule._probes()) this.checkShadow(this.main.first(name), rule, name);
    // The new rule catching the names of an existing rule below the insertion point.
    this.openBelow ??= this.below.flatMap((later) => later._probes()
      .filter((name) => this.main.first(name) === undefined)
      .map((name) => ({ later, name })));
    const caught = new Set<number>();
    this.openBelow.forEach(({ later, name }, k) => {
      if (!rule._matches(name)) return;
      this.checkShadow(rule, later, name);
      caught.add(k);
    });
    this.byKey.set(keyOf(rule), rule);
    this.main.add(rule);
    this.added.push(rule);
    this.ends.clear();
    try {
      this.checkLoopFrom(rule);
    } catch (e) {
      // Keep the plan as it was: the caller may catch the error and go on.
      this.added.pop();
      this.byKey.delete(keyOf(rule));
      this.main.removeLast();
      throw e;
    }
    if (caught.size > 0) this.openBelow = this.openBelow.filter((_, k) => !caught.has(k));
    return true;
  }

  /** The rule CoreDNS applies first to `fqdn`. */
  private first(fqdn: string): RewriteRule | undefined {
    return this.main.first(fqdn) ?? this.tail.first(fqdn);
  }

  private checkShadow(earlier: RewriteRule | undefined, later: RewriteRule, name: string): void {
    // An earlier rule that asks for the same name instead makes the later one redundant, not wrong.
    if (earlier === undefined || earlier === later || earlier._rewrite(name) === later._rewrite(name)) return;
    const how = earlier.mode === 'continue'
      ? 'rewrites it first (continue mode), so the later rule only sees the rewritten name'
      : 'matches it first and stops';
    throw new Error(`rewrite "${later.toDirective()}"${where(later)} would never fire for ${JSON.stringify(name)}: the earlier rule "${earlier.toDirective()}"${where(earlier)} ${how}. CoreDNS applies rewrites in file order: put the more specific rule first, or drop one`);
  }

  /**
   * Follows exact and suffix rewrites from the rule's own name; throws when a name comes back, or when the
   * names grow without end (a suffix rule whose target ends in its own FROM, such as `ex.com` to `a.ex.com`,
   * matches its own output again): a walk stops at a name longer than DNS allows or after `MAX_LOOP_STEPS`.
   */
  private checkLoopFrom(start: RewriteRule): void {
    const first = startName(start);
    if (first === undefined) return;
    let name = first;
    const seen: string[] = [name];
    const onPath = new Set(seen);
    for (;;) {
      if (this.ends.has(name)) break;
      const rule = this.first(name);
      if (!rule || startName(rule) === undefined) break;
      const next = rule._rewrite(name);
      if (next === undefined) break;
      if (onPath.has(next)) this.loopError(seen.slice(seen.indexOf(next)));
      seen.push(next);
      onPath.add(next);
      if (next.length > MAX_FQDN_LENGTH || seen.length > MAX_LOOP_STEPS) this.endlessError(seen);
      name = next;
    }
    for (const n of seen) this.ends.add(n);
  }

  /** Throws for a walk of names `path` that does not end: the first names, and the rules that keep it going. */
  private endlessError(path: string[]): never {
    const rules = [...new Set(path.slice(0, -1).map((n) => this.first(n)!))];
    throw new Error(
      `rewrite loop: ${path.slice(0, 3).map(bare).join(' -> ')} -> ... grows without end: a rewritten name is rewritten again ` +
        `(rules ${rules.map((r) => `"${r.toDirective()}"`).join(', ')}). Give no suffix rule a target that a suffix rule (itself or another) matches again`,
    );
  }

  /**
   * Throws for the cycle of names `cycle`, told from the own name of the earliest rule (in file order)
   * that lies on it.
   */
  private loopError(cycle: string[]): never {
    const on = new Set(cycle);
    const from = this.ordered().map(startName).find((n) => n !== undefined && on.has(n));
    const k = from === undefined ? 0 : cycle.indexOf(from);
    const names = [...cycle.slice(k), ...cycle.slice(0, k)];
    const rules = names.map((n) => this.first(n)!);
    throw new Error(`rewrite loop: ${[...names, names[0]].map(bare).join(' -> ')} (rules ${rules.map((r) => `"${r.toDirective()}"`).join(', ')})`);
  }

  /** Every rule in file order after the edit. */
  public ordered(): RewriteRule[] {
    return [...this.existing.filter((r) => !this.below.includes(r)), ...this.added, ...this.below];
  }
}
