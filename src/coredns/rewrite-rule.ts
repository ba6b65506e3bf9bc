import { DnsName } from './dns-name';
import { compileRe2, regexGroupCount, regexGroups, regexInClusterWitness, regexMatches, regexProbes, Re2Unsupported } from './regex';
import type { RewriteSyntax } from './rewrite-syntax';

/**
 * Characters that would let a regex token break out of the Corefile grammar: anything but printable
 * ASCII (which covers every kind of whitespace, including the Unicode spaces Go splits on), quotes,
 * braces and `#`.
 */
const REGEX_FORBIDDEN = /[^\x21-\x7e]|["'`{}#]/;

/** The start of the reason given for a regex the in-cluster guard cannot judge. */
const UNPROVABLE = 'it cannot be shown to stay outside the cluster domain';

/** A regex replacement: labels of letters, digits, hyphens and `{N}` group references. */
const TEMPLATE_LABEL = /^([a-z0-9-]|\{\d{1,2}\})+$/;

/**
 * How a CoreDNS `rewrite name` rule matches the query name.
 *
 * @see https://coredns.io/plugins/rewrite/
 */
export class RewriteMatch {
  /** The whole name must equal FROM (the default). CoreDNS rewrites the answer back by itself. */
  public static readonly EXACT = new RewriteMatch('exact');
  /**
   * The name ends with FROM, on a label boundary: `oa.com` matches `a.oa.com` but neither `oa.com`
   * itself nor `fooa.com`. The rule is written with a leading and a trailing dot
   * (`rewrite name suffix .oa.com. .prod.svc.cluster.local. answer auto`).
   */
  public static readonly SUFFIX = new RewriteMatch('suffix');
  /** The name starts with FROM, on a label boundary (written with a trailing dot: `roc.`). */
  public static readonly PREFIX = new RewriteMatch('prefix');
  /** The name contains FROM anywhere; every occurrence is replaced. */
  public static readonly SUBSTRING = new RewriteMatch('substring');
  /**
   * FROM is a regular expression and TO a replacement with `{1}`, `{2}` ... group references.
   *
   * CoreDNS compiles the pattern with Go's RE2; so does the library (with a pure-JavaScript port of
   * RE2), so `\z`, `\A`, `\pL`, `[[:alnum:]]` and `\Q...\E` mean what they mean to CoreDNS, matching
   * takes linear time, and what RE2 refuses (lookaround, backreferences, possessive quantifiers,
   * `(?<name>...)` groups, unknown escapes) is refused with RE2's reason.
   */
  public static readonly REGEX = new RewriteMatch('regex');

  /**
   * The match type parsed from its Corefile keyword, or `undefined` for an unknown keyword.
   *
   * @param keyword `exact`, `prefix`, `suffix`, `substring` or `regex` (any case)
   */
  public static fromKeyword(keyword: string): RewriteMatch | undefined {
    return [RewriteMatch.EXACT, RewriteMatch.SUFFIX, RewriteMatch.PREFIX, RewriteMatch.SUBSTRING, RewriteMatch.REGEX]
      .find((m) => m.keyword === String(keyword).toLowerCase());
  }

  /**
   * @param keyword the keyword in the Corefile (`exact`, `suffix`, ...)
   */
  private constructor(public readonly keyword: string) {}
}

/** Options of `RewriteRule.of()`. */
export interface RewriteRuleOptions {
  /**
   * How FROM is matched.
   *
   * @default RewriteMatch.EXACT
   */
  readonly match?: RewriteMatch;
}

/**
 * One CoreDNS `rewrite name` rule, as this library writes it:
 * `rewrite name <exact|prefix|suffix|substring|regex> FROM TO [answer auto]`.
 *
 * - Names are validated as DNS names and lower-cased; nothing can inject Corefile syntax.
 * - `exact` rules need no answer option: CoreDNS rewrites the answer back to the asked name itself.
 * - `suffix`, `prefix`, `substring` and `regex` rules get `answer auto` (CoreDNS 1.8.4 and later; every
 *   TKE version ships at least 1.8.4). Without it the answer names the rewritten name, not the name the
 *   client asked for, and resolvers (glibc, musl, Go) drop an answer that does not match their
 *   question, so the lookup fails.
 *
 * @see https://coredns.io/plugins/rewrite/
 */
export class RewriteRule {
  /**
   * A rule that rewrites queries for `from` to `to`. Throws, quoting the value, when `from` or `to` is
   * not a DNS name (or, for `RewriteMatch.REGEX`, when FROM does not compile or holds whitespace,
   * quotes, braces or `#`, or TO is not DNS labels with `{N}` group references).
   *
   * @param from the name (or suffix, prefix, substring, regex) clients ask for
   * @param to the name CoreDNS resolves instead
   * @param options how `from` is matched
   */
  public static of(from: string, to: string, options: RewriteRuleOptions = {}): RewriteRule {
    const match = options.match ?? RewriteMatch.EXACT;
    if (!(match instanceof RewriteMatch)) {
      // From JavaScript, a keyword string such as 'regex' is easy to pass by mistake.
      throw new Error(`'match' must be a RewriteMatch (RewriteMatch.EXACT, SUFFIX or REGEX), got ${JSON.stringify(match)}${typeof match === 'string' && RewriteMatch.fromKeyword(match) ? ` (use RewriteMatch.${String(match).toUpperCase()})` : ''}`);
    }
    if (match === RewriteMatch.REGEX) {
      const groups = RewriteRule.checkRegex(from);
      const template = typeof to === 'string' ? to.toLowerCase() : to;
      RewriteRule.checkTemplate(template, groups);
      return new RewriteRule(match, from, template.endsWith('.') ? template.slice(0, -1) : template, 'stop', true);
    }
    return new RewriteRule(match, DnsName.normalize(from, 'from'), DnsName.normalize(to, 'to'), 'stop', true);
  }

  /**
   * A rule read from an existing Corefile, from the shared `rewrite` reader, or `undefined` when it has
   * no FROM and TO.
   *
   * @internal
   */
  public static _fromSyntax(syntax: RewriteSyntax): RewriteRule | undefined {
    const { from, to, options } = syntax;
    if (from === undefined || to === undefined) return undefined;
    const match = RewriteMatch.fromKeyword(syntax.type) ?? RewriteMatch.EXACT;
    const regex = match === RewriteMatch.REGEX;
    const canon = (s: string, isPattern: boolean) => {
      if (isPattern) return s; // a regex is kept exactly as written
      let out = regex ? s : s.toLowerCase();
      if (out.endsWith('.') && out.length > 1) out = out.slice(0, -1);
      if (match === RewriteMatch.SUFFIX && out.startsWith('.') && out.length > 1) out = out.slice(1);
      return out;
    };
    const answerAuto = options.length === 2 && options[0].toLowerCase() === 'answer' && options[1].toLowerCase() === 'auto';
    const rule = new RewriteRule(match, canon(from, regex), canon(to, false), syntax.mode, answerAuto || match === RewriteMatch.EXACT);
    rule.sourceLineNumber = syntax.ruleLine;
    if (!regex) rule.rawFrom = from;
    rule.rawTo = to;
    rule.sourceText = ['rewrite', ...syntax.words].join(' ');
    rule.extraOptions = answerAuto ? [] : options;
    return rule;
  }

  /** Checks a regex FROM and returns its number of capture groups. */
  private static checkRegex(pattern: string): number {
    if (typeof pattern !== 'string' || pattern.length === 0) {
      throw new Error(`'from' must be a non-empty regular expression, got ${JSON.stringify(pattern)}`);
    }
    if (REGEX_FORBIDDEN.test(pattern)) {
      throw new Error(`'from' regex may only hold printable ASCII without whitespace, quotes, braces or '#', got ${JSON.stringify(pattern)}`);
    }
    const { error } = compileRe2(pattern);
    if (error !== undefined) {
      throw new Error(`'from' regex ${JSON.stringify(pattern)} is refused: ${error}; CoreDNS compiles it with Go's RE2 and would not start`);
    }
    return regexGroupCount(pattern);
  }

  /**
   * Why a regex may match a name inside the cluster domain, or `undefined` when it cannot. Decided, not
   * probed: `regexInClusterWitness()` searches the product of the pattern's automaton (parsed with RE2
   * semantics) with the automaton of every name inside the domain, and returns a shortest name both
   * accept. A pattern the guard cannot model is refused too, with the reason.
   */
  private static regexReachesDomain(pattern: string, domain: string): string | undefined {
    let hit: string | undefined;
    try {
      hit = regexInClusterWitness(pattern, domain);
    } catch (e) {
      if (!(e instanceof Re2Unsupported)) throw e;
      return `${UNPROVABLE}: ${e.message}`;
    }
    if (hit === undefined) return undefined;
    const anchor = /(\\z|\$)$/.test(pattern) ? '' : '; anchor it at the end, for example "^(.*)\\.oa\\.com\\.$", so that search-path names cannot match';
    return `under RE2 semantics it matches ${JSON.stringify(hit)}${anchor}`;
  }

  /** Checks a regex replacement: DNS labels that may hold `{N}` references to existing groups. */
  private static checkTemplate(template: string, groups: number): void {
    const fail = (why: string): never => {
      throw new Error(`'to' must be a DNS name whose labels may hold {N} group references, got ${JSON.stringify(template)}: ${why}`);
    };
    if (typeof template !== 'string') fail(`expected a string, got ${typeof template}`);
    if (template.length === 0) fail('it is empty');
    const body = template.endsWith('.') ? template.slice(0, -1) : template;
    if (body.length > 253) fail('it is longer than 253 characters');
    for (const label of body.split('.')) {
      if (!TEMPLATE_LABEL.test(label)) fail(`the label ${JSON.stringify(label)} is not lower-case letters, digits, hyphens and {N}`);
    }
    for (const ref of body.match(/\{(\d+)\}/g) ?? []) {
      if (Number(ref.slice(1, -1)) > groups) fail(`${ref} refers to a group the regex does not have (it has ${groups})`);
    }
  }

  /** How FROM is matched. */
  public readonly match: RewriteMatch;
  /** What clients ask for, in canonical form (lower-case, no leading or trailing dot; a regex as given). */
  public readonly from: string;
  /** What CoreDNS resolves instead, in canonical form. */
  public readonly to: string;
  /** `stop` (the default) or `continue`. */
  public readonly mode: string;
  /** Whether the answer is rewritten back to the asked name (always true for exact rules). */
  public readonly rewritesAnswer: boolean;

  private sourceLineNumber?: number;
  private rawFrom?: string;
  private rawTo?: string;
  private sourceText?: string;
  private extraOptions: string[] = [];
  private probeCache?: string[];

  private constructor(match: RewriteMatch, from: string, to: string, mode: string, rewritesAnswer: boolean) {
    this.match = match;
    this.from = from;
    this.to = to;
    this.mode = mode;
    this.rewritesAnswer = rewritesAnswer;
  }

  /** The line of the Corefile this rule was read from, or `undefined` for a rule made with `of()`. */
  public get sourceLine(): number | undefined {
    return this.sourceLineNumber;
  }

  /**
   * The directive as this library writes it, without indentation, for example
   * `rewrite name suffix .oa.com. .prod.svc.cluster.local. answer auto`.
   * For a rule read from a Corefile, the directive as it was written there.
   */
  public toDirective(): string {
    if (this.sourceText !== undefined) return this.sourceText;
    const m = this.match;
    let from = this.from;
    let to = this.to;
    if (m === RewriteMatch.SUFFIX) {
      from = `.${from}.`;
      to = `.${to}.`;
    } else if (m === RewriteMatch.PREFIX) {
      from = `${from}.`;
      to = `${to}.`;
    }
    const answer = m === RewriteMatch.EXACT ? '' : ' answer auto';
    return `rewrite name ${m.keyword} ${from} ${to}${answer}`;
  }

  /**
   * Whether both rules match the same queries the same way (same match type and FROM).
   *
   * @param other the other rule
   */
  public matchesSameNames(other: RewriteRule): boolean {
    return this.match === other.match && this.from === other.from;
  }

  /**
   * Whether both rules do exactly the same: same mode, match type, FROM, TO and answer handling.
   *
   * @param other the other rule
   */
  public isIdenticalTo(other: RewriteRule): boolean {
    return this.matchesSameNames(other) && this.to === other.to && this.mode === other.mode
      && this.rewritesAnswer === other.rewritesAnswer && this.extraOptions.join(' ') === other.extraOptions.join(' ');
  }

  /**
   * Checks the rule against the cluster domain. Throws, quoting the value, when:
   * - FROM is inside the cluster domain (or, for a suffix or substring rule, would match names inside it).
   *   A regex FROM is rejected when, under RE2 semantics, it matches any name `(label.)*<domain>.`
   *   (decided on the product of its automaton with the automaton of those names, not by probing; the
   *   message quotes a shortest such name), or when it uses syntax that decision does not model. An
   *   unanchored regex such as `(.*)\.oa\.com` matches search-path names
   *   (`a.oa.com.default.svc.cluster.local.`), so anchor it: `^(.*)\.oa\.com\.$`;
   * - the rule is a prefix or substring rule: pods first ask for the search-path expansions of every
   *   name (`<name>.<namespace>.svc.<domain>.`), and such a rule matches those cluster names too, so
   *   these two types are refused (they can still be read from an existing Corefile);
   * - TO is outside the cluster domain and `allowExternalTarget` is false. A regex rule's TO must end
   *   in the cluster domain.
   *
   * @param clusterDomain the cluster domain, for example `cluster.local`
   * @param allowExternalTarget accept a TO outside the cluster domain
   */
  public checkClusterDomain(clusterDomain: string, allowExternalTarget: boolean = false): void {
    const domain = DnsName.normalize(clusterDomain, 'clusterDomain');
    const m = this.match;
    const regexReason = m === RewriteMatch.REGEX ? RewriteRule.regexReachesDomain(this.from, domain) : undefined;
    const fromInside = (() => {
      switch (m) {
        case RewriteMatch.EXACT:
          return DnsName.isWithin(this.from, domain);
        case RewriteMatch.SUFFIX:
          return DnsName.isWithin(this.from, domain) || DnsName.isWithin(domain, this.from);
        case RewriteMatch.PREFIX:
        case RewriteMatch.SUBSTRING:
          // A pod's resolver first tries the search-path expansions of every name it asks for
          // (`<name>.<namespace>.svc.<domain>.`): a prefix or substring rule matches those too.
          return true;
        default:
          return regexReason !== undefined;
      }
    })();
    if (fromInside) {
      if (regexReason !== undefined && regexReason.startsWith(UNPROVABLE)) {
        const detail = regexReason.slice(UNPROVABLE.length + 2);
        throw new Error(`'from' ${JSON.stringify(this.from)} (regex) cannot be shown to stay outside the cluster domain ${JSON.stringify(domain)}: ${detail}; it is refused, since a rule that might rewrite cluster names would break in-cluster DNS`);
      }
      const why = regexReason !== undefined
        ? ` (${regexReason})`
        : m === RewriteMatch.PREFIX || m === RewriteMatch.SUBSTRING
          ? ` (pods first ask for the search-path expansions of every name, such as "${this.from}.default.svc.${domain}.", and a ${m.keyword} rule matches those too; use an exact or suffix rule, or a regex anchored with ^ and \\.$)`
          : '';
      throw new Error(`'from' ${JSON.stringify(this.from)} (${m.keyword}) matches names inside the cluster domain ${JSON.stringify(domain)}: rewriting cluster names would break in-cluster DNS${why}`);
    }
    if (allowExternalTarget) return;
    const hint = 'pass allowExternalTarget: true to rewrite to a name outside the cluster';
    switch (m) {
      case RewriteMatch.EXACT:
        if (!DnsName.isBelow(this.to, domain)) {
          throw new Error(`'to' ${JSON.stringify(this.to)} is not inside the cluster domain ${JSON.stringify(domain)}; ${hint}`);
        }
        return;
      case RewriteMatch.SUFFIX:
        if (!DnsName.isWithin(this.to, domain)) {
          throw new Error(`'to' ${JSON.stringify(this.to)} is not inside the cluster domain ${JSON.stringify(domain)}; ${hint}`);
        }
        return;
      case RewriteMatch.REGEX:
        if (!this.to.endsWith(`.${domain}`)) {
          throw new Error(`'to' ${JSON.stringify(this.to)} does not end in the cluster domain ${JSON.stringify(domain)}; ${hint}`);
        }
        return;
      default:
        throw new Error(`a ${m.keyword} rewrite ('from' ${JSON.stringify(this.from)}, 'to' ${JSON.stringify(this.to)}) keeps part of the asked name, so it cannot be shown to stay inside the cluster domain ${JSON.stringify(domain)}; ${hint}`);
    }
  }

  /**
   * FROM as CoreDNS compares it to a query name (lower-case, with a trailing dot): `roc.oa.com.` for
   * exact and substring rules, `.oa.com.` for suffix and `roc.` for prefix rules as this library writes
   * them; a rule read from a Corefile keeps its leading dot (or lack of one). Unused for regex rules.
   *
   * @internal
   */
  public get _matchFrom(): string {
    if (this.rawFrom !== undefined) {
      const lower = this.rawFrom.toLowerCase();
      return lower.endsWith('.') ? lower : `${lower}.`;
    }
    return this.match === RewriteMatch.SUFFIX ? `.${this.from}.` : `${this.from}.`;
  }

  /**
   * Whether CoreDNS would apply this rule to the query name `fqdn` (lower-case, trailing dot). A regex
   * is run with RE2 semantics, in linear time.
   *
   * @internal
   */
  public _matches(fqdn: string): boolean {
    const from = this._matchFrom;
    switch (this.match) {
      case RewriteMatch.EXACT: return fqdn === from;
      case RewriteMatch.PREFIX: return fqdn.startsWith(from);
      case RewriteMatch.SUFFIX: return fqdn.endsWith(from);
      case RewriteMatch.SUBSTRING: return fqdn.includes(from);
      default: return regexMatches(this.from, fqdn);
    }
  }

  /**
   * The name CoreDNS would ask instead of `fqdn` under this rule (lower-case, trailing dot), or
   * `undefined` when the rule does not apply. A regex is run with RE2 semantics (leftmost-first groups).
   *
   * @internal
   */
  public _rewrite(fqdn: string): string | undefined {
    if (!this._matches(fqdn)) return undefined;
    const fq = (n: string) => (n.endsWith('.') ? n : `${n}.`).toLowerCase();
    const from = this._matchFrom;
    const to = this.rawTo !== undefined ? fq(this.rawTo)
      : this.match === RewriteMatch.SUFFIX ? `.${this.to}.` : `${this.to}.`;
    switch (this.match) {
      case RewriteMatch.EXACT: return to;
      case RewriteMatch.PREFIX: return fq(`${to}${fqdn.slice(from.length)}`);
      case RewriteMatch.SUFFIX: return fq(`${fqdn.slice(0, -from.length)}${to}`);
      case RewriteMatch.SUBSTRING: return fq(fqdn.split(from).join(to));
      default: {
        const groups = regexGroups(this.from, fqdn) ?? [];
        let out = to;
        groups.forEach((g, i) => {
          out = out.split(`{${i}}`).join(g ?? '');
        });
        return fq(out);
      }
    }
  }

  /**
   * Query names this rule applies to, to find earlier rules that catch them first: FROM itself for an
   * exact rule; a name below a suffix, after a prefix or around a substring; for a regex, a shortest
   * name it matches and names built from its literal fragments that it matches (approximate: a regex
   * may match names none of them show). Computed once (a rule never changes).
   *
   * @internal
   */
  public _probes(): string[] {
    this.probeCache ??= this.computeProbes();
    return this.probeCache;
  }

  private computeProbes(): string[] {
    const from = this._matchFrom;
    const probe = 'shadow-probe';
    let names: string[];
    switch (this.match) {
      case RewriteMatch.EXACT: names = [from]; break;
      case RewriteMatch.PREFIX: names = [`${from}${probe}.`]; break;
      case RewriteMatch.SUFFIX: names = [`${probe}${from.startsWith('.') ? '' : '.'}${from}`]; break;
      case RewriteMatch.SUBSTRING: names = [from, `${probe}.${from}`]; break;
      default: names = regexProbes(this.from, 'example.'); break;
    }
    return names.filter((n) => this._matches(n));
  }
}
