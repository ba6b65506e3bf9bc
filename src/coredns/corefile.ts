import * as fs from 'fs';
import { lex, parseError, Token } from './lexer';
import { RewriteMatch, RewriteRule } from './rewrite-rule';

/** TKE's default Corefile (tke-facts §6, cloud.tencent.com/document/product/457/129280). */
const TKE_DEFAULT = `.:53 {
    template ANY HINFO . {
        rcode NXDOMAIN
    }
    errors
    health {
        lameduck 30s
    }
    ready
    kubernetes cluster.local. in-addr.arpa ip6.arpa {
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
    }
    prometheus :9153
    forward . /etc/resolv.conf {
        prefer_udp
    }
    cache 30
    reload
    loadbalance
}
`;

/** kubeadm's default Corefile, one directive per line with 4-space indentation. */
const KUBEADM_DEFAULT = `.:53 {
    errors
    health {
        lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
        ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
        max_concurrent 1000
    }
    cache 30
    loop
    reload
    loadbalance
}
`;

const isOpen = (t: Token) => !t.quoted && t.value === '{';
const isClose = (t: Token) => !t.quoted && t.value === '}';

/**
 * A directive of a Corefile server block (a plugin and its arguments), with the subdirectives of its
 * `{ ... }` block if it has one.
 */
export class CorefileDirective {
  /** @internal */
  public static _fromToken(token: Token): CorefileDirective {
    return new CorefileDirective(token);
  }

  /** The directive name, for example `kubernetes`. */
  public readonly name: string;
  /** Its arguments, unquoted. */
  public readonly args: string[];
  /** The line it starts on (1-based). */
  public readonly line: number;
  /** The directives inside its `{ ... }` block (empty when it has none). */
  public readonly subdirectives: CorefileDirective[] = [];
  /** @internal */
  public readonly _token: Token;
  /** @internal */
  public _hasBlock: boolean = false;

  private constructor(token: Token) {
    this._token = token;
    this.name = token.value;
    this.args = [];
    this.line = token.line;
  }

  /** Whether it has a `{ ... }` block. */
  public get hasBlock(): boolean {
    return this._hasBlock;
  }
}

/** A server block of a Corefile: its keys (zones and ports, such as `.:53`) and its directives. */
export class CorefileServerBlock {
  /** @internal */
  public static _create(keys: string[], line: number, directives: CorefileDirective[]): CorefileServerBlock {
    return new CorefileServerBlock(keys, line, directives);
  }

  /** The keys before the `{`, without the commas that separate them, for example `['.:53']`. */
  public readonly keys: string[];
  /** The line of its first key (1-based). */
  public readonly line: number;
  /** Its directives, in file order. */
  public readonly directives: CorefileDirective[];

  private constructor(keys: string[], line: number, directives: CorefileDirective[]) {
    this.keys = keys;
    this.line = line;
    this.directives = directives;
  }

  /** Whether one of its keys is the root zone `.` on port 53 (`.`, `.:53`, `dns://.` or `dns://.:53`). */
  public get servesRootOnPort53(): boolean {
    return this.keys.some((k) => /^(dns:\/\/)?\.(:53)?$/i.test(k));
  }

  /**
   * Whether one of its keys is the root zone `.`, on any port or transport (`.`, `.:5353`,
   * `dns://.:53`, `tls://.:853`, ...): the block answers every name no other block claims.
   */
  public get servesRoot(): boolean {
    return this.keys.some((k) => /^([a-z0-9+-]+:\/\/)?\.(:[^:]*)?$/i.test(k));
  }

  /**
   * The first top-level directive with this name, or `undefined`.
   *
   * @param name the directive name, for example `kubernetes`
   */
  public directive(name: string): CorefileDirective | undefined {
    return this.directives.find((d) => d.name === name);
  }
}

/** Parses the directives of a `{ ... }` block that starts after `tokens[start - 1]` (the `{`). */
function parseDirectives(tokens: Token[], start: number, open: Token): { directives: CorefileDirective[]; next: number } {
  const directives: CorefileDirective[] = [];
  let current: CorefileDirective | undefined;
  let prevEndLine = open.endLine;
  let i = start;
  for (;;) {
    if (i >= tokens.length) throw parseError(open.line, 'unbalanced brace: the \'{\' opened here is never closed');
    const t = tokens[i];
    if (isClose(t)) return { directives, next: i + 1 };
    if (isOpen(t)) {
      if (!current || current._hasBlock) throw parseError(t.line, 'unexpected \'{\': it does not follow a directive');
      const inner = parseDirectives(tokens, i + 1, t);
      current.subdirectives.push(...inner.directives);
      current._hasBlock = true;
      i = inner.next;
      prevEndLine = tokens[i - 1].endLine;
      current = undefined;
      continue;
    }
    if (!current || t.line > prevEndLine) {
      current = CorefileDirective._fromToken(t);
      directives.push(current);
    } else {
      current.args.push(t.value);
    }
    prevEndLine = t.endLine;
    i++;
  }
}

/**
 * Parses the server blocks of a Corefile, like caddy's parser: keys (addresses) up to the `{`, a trailing
 * comma on a key continues the list (`.:53, .:5353 {`, also across lines), and a top-level `import`
 * line (`import /etc/coredns/custom/*.server`, as k3s, AKS and vcluster write) is skipped: it pulls in
 * files CoreDNS reads at startup, which this model cannot see.
 */
function parseServerBlocks(tokens: Token[]): CorefileServerBlock[] {
  const blocks: CorefileServerBlock[] = [];
  let i = 0;
  while (i < tokens.length) {
    if (!tokens[i].quoted && tokens[i].value === 'import' && tokens[i].startsLine) {
      const line = tokens[i].endLine;
      for (i++; i < tokens.length && tokens[i].line === line && !tokens[i].startsLine; i++) {
        if (isOpen(tokens[i]) || isClose(tokens[i])) throw parseError(tokens[i].line, `unexpected '${tokens[i].value}' after a top-level import`);
      }
      continue;
    }
    const keys: Token[] = [];
    while (i < tokens.length && !isOpen(tokens[i])) {
      if (isClose(tokens[i])) throw parseError(tokens[i].line, 'unbalanced brace: this \'}\' closes nothing');
      keys.push(tokens[i++]);
    }
    if (i >= tokens.length) {
      throw parseError(keys[0].line, `server block ${keys.map((k) => JSON.stringify(k.value)).join(' ')} has no '{ ... }'`);
    }
    if (keys.length === 0) throw parseError(tokens[i].line, 'unexpected \'{\': a server block needs keys such as ".:53" before it');
    const names = keys.map((k) => k.value.replace(/,$/, '')).filter((k) => k.length > 0);
    const body = parseDirectives(tokens, i + 1, tokens[i]);
    blocks.push(CorefileServerBlock._create(names, keys[0].line, body.directives));
    i = body.next;
  }
  return blocks;
}

/**
 * A missing `}` is found only at the end of the file, and then the outermost block is the one left
 * open. The `{` whose `}` is indented like an outer line is most likely the real culprit: name it.
 */
function withUnclosedHint(error: Error, text: string, tokens: Token[]): Error {
  if (!/never closed$/.test(error.message)) return error;
  const indentOf = (t: Token) => {
    const start = text.lastIndexOf('\n', t.offset - 1) + 1;
    return /^[ \t]*/.exec(text.slice(start))![0];
  };
  const stack: Token[] = [];
  for (const t of tokens) {
    if (isOpen(t)) {
      stack.push(t);
    } else if (isClose(t) && stack.length > 0) {
      const open = stack.pop()!;
      if (!t.startsLine || indentOf(t) === indentOf(open)) continue;
      const outer = [...stack].reverse().find((o) => indentOf(o) === indentOf(t));
      if (outer) {
        return new Error(`${error.message}; the '{' on line ${open.line} is probably the one left open (its '}' on line ${t.line} is indented like line ${outer.line})`);
      }
    }
  }
  return error;
}

/**
 * A CoreDNS Corefile that keeps every byte of its text.
 *
 * `render()` of a parsed Corefile returns the text byte for byte (line endings, tabs, trailing spaces,
 * comments, blank lines, quoting and a missing final newline included). The only edit is
 * `withRewrites()`, which inserts `rewrite` lines, and nothing else, into the server block that serves
 * `.` on port 53, just before its `kubernetes` directive and with that line's indentation. Removing
 * the inserted lines gives back the original text exactly.
 *
 * Parsing follows CoreDNS's Caddyfile grammar: whitespace-separated tokens, `#` comments, double
 * quotes (with `\"`), and `{` / `}` as tokens of their own. Parse errors name the line.
 *
 * @see https://coredns.io/manual/configuration/
 */
export class Corefile {
  /**
   * Parses a Corefile. Throws, naming the line, on an unbalanced brace, an unterminated quote, or when
   * no server block serves `.` on port 53 (`.:53` or `.`) or holds `kubernetes` while serving `.`.
   * Top-level `import` lines are kept (in `render()`) but not followed.
   *
   * @param text the whole Corefile
   */
  public static parse(text: string): Corefile {
    if (typeof text !== 'string') throw new Error(`Corefile text must be a string, got ${typeof text}`);
    return new Corefile(text);
  }

  /**
   * The same as `parse()`: a Corefile from its text, for example the live one saved with
   * `kubectl -n kube-system get configmap coredns -o jsonpath='{.data.Corefile}'`.
   *
   * @param text the whole Corefile
   */
  public static fromString(text: string): Corefile {
    return Corefile.parse(text);
  }

  /**
   * Reads and parses a Corefile from a file (UTF-8).
   *
   * @param path the file, for example `live-corefile.txt`
   */
  public static fromFile(path: string): Corefile {
    return Corefile.parse(fs.readFileSync(path, 'utf8'));
  }

  /**
   * TKE's default Corefile (cluster domain `cluster.local`).
   *
   * @see https://cloud.tencent.com/document/product/457/129280
   */
  public static tkeDefault(): Corefile {
    return Corefile.parse(TKE_DEFAULT);
  }

  /**
   * kubeadm's default Corefile (cluster domain `cluster.local`), as upstream Kubernetes installs it.
   */
  public static kubeadmDefault(): Corefile {
    return Corefile.parse(KUBEADM_DEFAULT);
  }

  /**
   * The server blocks of a Corefile (snippets included), without requiring a main block. Throws,
   * naming the line, on an unbalanced brace or an unterminated quote. Used by the checker.
   *
   * @internal
   */
  public static _parseServerBlocks(text: string): CorefileServerBlock[] {
    const tokens = lex(text);
    try {
      return parseServerBlocks(tokens);
    } catch (e) {
      throw withUnclosedHint(e as Error, text, tokens);
    }
  }

  /** Throws on a cycle among exact and suffix rules (applied first-match, in file order). */
  private static checkLoops(rules: RewriteRule[]): void {
    const simulated = rules.filter((r) => r.match === RewriteMatch.EXACT || r.match === RewriteMatch.SUFFIX);
    for (const start of simulated) {
      let name = start.match === RewriteMatch.EXACT ? start.from : `loop-probe.${start.from}`;
      const seen = [name];
      const used: RewriteRule[] = [];
      for (let step = 0; step <= simulated.length; step++) {
        const rule = simulated.find((r) => r._apply(name) !== undefined);
        if (!rule) break;
        name = rule._apply(name)!;
        used.push(rule);
        if (seen.includes(name)) {
          throw new Error(`rewrite loop: ${[...seen, name].map((n) => JSON.stringify(n)).join(' -> ')} (rules ${used.map((r) => `"${r.toDirective()}"`).join(', ')})`);
        }
        seen.push(name);
      }
    }
  }

  /**
   * Throws when a rule never fires for a name it is written for because an earlier rule (in file
   * order) already matches that name, for every pair that involves a new rule. CoreDNS applies
   * rewrites in file order; a `stop` rule (the default) ends the list, so the later rule is dead for
   * that name. An earlier `continue` rule counts too: it rewrites the name first, so the later rule
   * sees the rewritten name, not the one it was written for. "Matches" is judged on the later rule's
   * own names (FROM for exact rules; a name below a suffix, after a prefix, around a substring); for a
   * later regex rule only on names built from its literal fragments, so a regex can still be shadowed
   * in ways this does not see. An earlier rule that rewrites the name to the same name as the later
   * one (a wildcard host and one of its hosts both sent to the same ingress controller) is accepted.
   */
  private static checkShadowing(ordered: RewriteRule[], added: RewriteRule[]): void {
    for (let j = 0; j < ordered.length; j++) {
      const later = ordered[j];
      for (let i = 0; i < j; i++) {
        const earlier = ordered[i];
        if (!added.includes(earlier) && !added.includes(later)) continue;
        // An earlier rule that asks for the same name instead makes the later one redundant, not wrong.
        const name = later._probes().find((n) => earlier._matches(n) && earlier._rewrite(n) !== later._rewrite(n));
        if (name === undefined) continue;
        const where = (r: RewriteRule) => (r.sourceLine !== undefined ? ` (Corefile line ${r.sourceLine})` : '');
        const how = earlier.mode === 'continue'
          ? 'rewrites it first (continue mode), so the later rule only sees the rewritten name'
          : 'matches it first and stops';
        throw new Error(`rewrite "${later.toDirective()}"${where(later)} would never fire for ${JSON.stringify(name)}: the earlier rule "${earlier.toDirective()}"${where(earlier)} ${how}. CoreDNS applies rewrites in file order: put the more specific rule first, or drop one`);
      }
    }
  }

  /** Every server block, in file order. */
  public readonly serverBlocks: CorefileServerBlock[];

  /**
   * The server block rewrites go into: the one that serves `.` on port 53 (preferring the one holding
   * `kubernetes`), or else the one serving `.` on another port that holds `kubernetes` (vcluster's
   * `.:1053`).
   */
  public readonly mainServerBlock: CorefileServerBlock;

  private readonly text: string;

  private constructor(text: string) {
    this.text = text;
    this.serverBlocks = Corefile._parseServerBlocks(text);
    const candidates = this.serverBlocks.filter((b) => b.servesRootOnPort53);
    const withKubernetes = candidates.filter((b) => b.directive('kubernetes'));
    // vcluster serves "." on port 1053 (its Service maps 53 to it): a root block holding kubernetes will do.
    const otherPort = this.serverBlocks.filter((b) => b.servesRoot && b.directive('kubernetes'));
    const pick = withKubernetes.length > 0 ? withKubernetes : candidates.length > 0 ? candidates : otherPort;
    if (pick.length === 0) {
      const lastLine = Math.max(1, text.replace(/\r?\n$/, '').split('\n').length);
      const found = this.serverBlocks.map((b) => `${JSON.stringify(b.keys.join(' '))} at line ${b.line}`).join(', ');
      throw parseError(lastLine, `no server block serves "." on port 53 (".:53" or ".")${found ? `; found ${found}` : ''}`);
    }
    if (pick.length > 1) {
      throw parseError(pick[1].line, `several server blocks serve "." on port 53 (lines ${pick.map((b) => b.line).join(', ')})`);
    }
    this.mainServerBlock = pick[0];
  }

  /**
   * The `rewrite name` rules of the main server block, in file order (both the one-line form and the
   * `name` line of the block form). Other rewrites (`type`, `edns0`, ...) are not listed.
   */
  public rewriteRules(): RewriteRule[] {
    const rules: RewriteRule[] = [];
    for (const d of this.mainServerBlock.directives.filter((x) => x.name === 'rewrite')) {
      const inline = RewriteRule._fromArgs(d.args, d.line);
      if (inline) rules.push(inline);
      for (const sub of d.subdirectives.filter((s) => s.name === 'name')) {
        const rule = RewriteRule._fromArgs([...d.args, 'name', ...sub.args], sub.line);
        if (rule) rules.push(rule);
      }
    }
    return rules;
  }

  /**
   * A copy of this Corefile with the given rules added. This Corefile is not changed.
   *
   * - Each new rule becomes one line, `rewrite name ...`, inserted in the given order just before the
   *   `kubernetes` directive of the main server block, indented like that line, with the file's line
   *   ending. Nothing else changes.
   * - A rule the Corefile already holds is not added again (idempotent).
   * - Throws, quoting both rules, when the Corefile (or the list) already rewrites the same FROM
   *   differently; throws on a rewrite loop (A to B and B to A, directly or through suffix rules).
   * - Throws, quoting both rules, when a new rule would never fire because an earlier one (in file order
   *   after the edit) already matches its name, or a new rule does that to an existing one: CoreDNS
   *   applies rewrites in file order and a `stop` rule ends the list. An earlier `continue` rule counts
   *   too, since it rewrites the name before the later rule sees it. Names are judged as CoreDNS matches
   *   them (FROM for an exact rule, a name below a suffix, ...); for a later regex rule only on names
   *   built from its literal fragments, so some overlaps of a regex go unnoticed. An earlier rule that
   *   leads to the same name as the later one makes it redundant, not wrong, and is accepted.
   *
   * @param rules the rules to add
   */
  public withRewrites(rules: RewriteRule[]): Corefile {
    const existing = this.rewriteRules();
    const added: RewriteRule[] = [];
    for (const rule of rules) {
      const before = existing.find((r) => r.sameFrom(rule));
      if (before) {
        if (before.isSameAs(rule)) continue;
        throw new Error(`Corefile line ${before.sourceLine} already rewrites ${JSON.stringify(rule.from)} differently: existing "${before.toDirective()}", new "${rule.toDirective()}"`);
      }
      const twin = added.find((r) => r.sameFrom(rule));
      if (twin) {
        if (twin.isSameAs(rule)) continue;
        throw new Error(`duplicate rewrite for ${JSON.stringify(rule.from)}: "${twin.toDirective()}" and "${rule.toDirective()}"`);
      }
      added.push(rule);
    }
    Corefile.checkLoops([...existing, ...added]);
    if (added.length === 0) return this;

    const kubernetes = this.mainServerBlock.directive('kubernetes');
    if (kubernetes) {
      // File order after the edit: existing rules above kubernetes, the new ones, the rest.
      const above = existing.filter((r) => (r.sourceLine ?? 0) < kubernetes.line);
      Corefile.checkShadowing([...above, ...added, ...existing.filter((r) => !above.includes(r))], added);
    }
    if (!kubernetes) {
      throw parseError(this.mainServerBlock.line, 'the server block serving "." on port 53 has no kubernetes directive to insert rewrite rules before');
    }
    const token = kubernetes._token;
    if (!token.startsLine) {
      throw parseError(token.line, 'the kubernetes directive does not start its line, so rewrite lines cannot be inserted before it without changing that line');
    }
    const lineStart = this.text.lastIndexOf('\n', token.offset - 1) + 1;
    const indent = this.text.slice(lineStart, token.offset);
    const lineEnd = this.text.indexOf('\n', token.offset);
    const crlf = lineEnd > 0 ? this.text[lineEnd - 1] === '\r' : this.text.includes('\r\n');
    const eol = crlf ? '\r\n' : '\n';
    const inserted = added.map((r) => `${indent}${r.toDirective()}${eol}`).join('');
    const result = Corefile.parse(this.text.slice(0, lineStart) + inserted + this.text.slice(lineStart));

    // Defense in depth: the result must hold exactly the old rules plus the new ones.
    const expected = [...existing, ...added].map((r) => `${r.match.keyword} ${r.from} ${r.to}`);
    const actual = result.rewriteRules().map((r) => `${r.match.keyword} ${r.from} ${r.to}`);
    if (expected.join('\n') !== actual.join('\n')) {
      throw new Error(`internal error: the edited Corefile holds the rules ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
    }
    return result;
  }

  /**
   * The Corefile text: the original bytes, plus the inserted `rewrite` lines if this Corefile came
   * from `withRewrites()`.
   */
  public render(): string {
    return this.text;
  }
}
