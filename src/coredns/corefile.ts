import * as fs from 'fs';
import { decodeCorefile, readServerBlocks } from './corefile-parser';
import { parseError } from './lexer';
import { RewritePlan } from './rewrite-plan';
import { RewriteRule } from './rewrite-rule';
import { readRewrite } from './rewrite-syntax';
import { CorefileServerBlock } from './server-block';

/** TKE's default Corefile (https://cloud.tencent.com/document/product/457/129280). */
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

/**
 * A CoreDNS Corefile that keeps every byte of its text.
 *
 * `render()` of a parsed Corefile returns the text byte for byte (line endings, tabs, trailing spaces,
 * comments, blank lines, quoting and a missing final newline included). The only edit is
 * `withRewrites()`, which inserts `rewrite` lines, and nothing else, into the server block that serves
 * `.` on port 53, just before its `kubernetes` directive and with that line's indentation. Removing
 * the inserted lines gives back the original text exactly.
 *
 * Parsing follows CoreDNS's Caddyfile lexer and parser (coredns/caddy `caddyfile/lexer.go`,
 * `parse.go`): whitespace-separated tokens, `#` comments, double quotes (with `\"`), `{` / `}` as
 * tokens of their own (a quoted `"{"` too, as in caddy), a leading byte order mark skipped, one server
 * block without braces, and environment variables such as `{$CLUSTER_DOMAIN}` kept as written (CoreDNS
 * substitutes them at startup, so what they hold is not known here). Two server blocks for the same
 * zone and port are refused, as CoreDNS refuses them. Parse errors name the line.
 *
 * @see https://coredns.io/manual/configuration/
 */
export class Corefile {
  /**
   * Parses a Corefile, for example the live one saved with
   * `kubectl -n kube-system get configmap coredns -o jsonpath='{.data.Corefile}'`. Throws, naming the line, on an unbalanced brace, an unterminated quote, or when
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
   * Reads and parses a Corefile from a file: UTF-8, with or without a byte order mark, or UTF-16 with
   * a byte order mark (what Windows PowerShell 5.1's `>` writes), which is decoded. UTF-16 without a
   * byte order mark is refused with a message that names it.
   *
   * @param path the file, for example `live-corefile.txt`
   */
  public static fromFile(path: string): Corefile {
    return Corefile.parse(decodeCorefile(fs.readFileSync(path), path));
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
    this.serverBlocks = readServerBlocks(text);
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
   * The checks of `withRewrites()` for rules added one at a time (`CoreDnsRewrite` uses it so that each
   * `rewriteName()` costs about the same however many rules came before).
   *
   * @internal
   */
  public _plan(): RewritePlan {
    const existing = this.rewriteRules();
    const kubernetes = this.mainServerBlock.directive('kubernetes');
    const above = kubernetes ? existing.filter((r) => (r.sourceLine ?? 0) < kubernetes.line).length : existing.length;
    return new RewritePlan(existing, above);
  }

  /**
   * The `rewrite name` rules of the main server block, in file order (both the one-line form and the
   * `name` line of the block form). Other rewrites (`type`, `edns0`, ...) are not listed.
   */
  public rewriteRules(): RewriteRule[] {
    const rules: RewriteRule[] = [];
    for (const d of this.mainServerBlock.directives.filter((x) => x.name === 'rewrite')) {
      const syntax = readRewrite(d);
      const rule = syntax && RewriteRule._fromSyntax(syntax);
      if (rule) rules.push(rule);
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
   *   them (FROM for an exact rule, a name below a suffix, ...); for a later regex rule on a shortest
   *   name it matches and on names built from its literal fragments, so some overlaps of a regex go
   *   unnoticed. Regexes are run with RE2 semantics in linear time. An earlier rule that
   *   leads to the same name as the later one makes it redundant, not wrong, and is accepted.
   *
   * @param rules the rules to add
   */
  public withRewrites(rules: RewriteRule[]): Corefile {
    const plan = this._plan();
    for (const rule of rules) plan.add(rule);
    const added = plan.added;
    if (added.length === 0) return this;
    const kubernetes = this.mainServerBlock.directive('kubernetes');
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
    const expected = plan.ordered().map((r) => `${r.match.keyword} ${r.from} ${r.to}`);
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
