/**
 * The `rewrite name ...` rules of a Corefile as TKE-DNS-001 judges them: a thin adapter over the
 * library's Corefile model (`src/coredns/`). The server blocks come from `readServerBlocks()` and each
 * `rewrite` from `readRewrite()`, the one reader of the rewrite grammar (regexes compiled with RE2, as
 * CoreDNS does), which names every problem rather than throwing.
 *
 * Only the server blocks that serve the root zone `.` are read (the main zone, where in-cluster
 * clients' queries go); a rewrite in `consul.local:53 { ... }` answers for another zone and is not
 * judged. Snippets (`(name) { ... }`) imported into such a block with `import name` are followed.
 */
import { readServerBlocks } from '../../coredns/corefile-parser';
import { NAME_TYPES as TYPES, readRewrite } from '../../coredns/rewrite-syntax';
import { CorefileDirective, CorefileServerBlock } from '../../coredns/server-block';
import { isDnsLabel } from '../../private/k8s-names';

/** Rewrite types of the `name` field. */
export const NAME_TYPES = TYPES;

/** One `name` rewrite, with what is wrong with its grammar. */
export interface NameRewrite {
  /** 1-based line of the Corefile where the rewrite starts. */
  readonly line: number;
  /** The rewrite as written (tokens joined by spaces; a block form as its first line). */
  readonly text: string;
  /** The type (lower-case), `exact` when omitted. */
  readonly type: string;
  /** Whether the type was written. */
  readonly explicitType: boolean;
  readonly from?: string;
  readonly to?: string;
  /** `auto`, `name` or `value` when an `answer` option is given. */
  readonly answers: string[];
  /** Grammar problems. */
  readonly problems: string[];
}

/** What TKE-DNS-001 reads from a Corefile. */
export interface CorefileRewrites {
  /** The name rewrites of the blocks serving `.`, in file order. */
  readonly rewrites: NameRewrite[];
  /** The zones of their `kubernetes` plugins (the cluster domains), without reverse zones; `cluster.local` when none. */
  readonly domains: string[];
}

/**
 * Reads the name rewrites and cluster domains of the server blocks serving `.`. Throws the model's
 * parse error (which names the line) when the Corefile does not parse.
 */
export function readCorefileRewrites(text: string): CorefileRewrites {
  const blocks = readServerBlocks(text);
  const snippets = new Map<string, CorefileServerBlock>();
  for (const b of blocks) {
    const m = b.keys.length === 1 ? /^\((.+)\)$/.exec(b.keys[0]) : null;
    if (m) snippets.set(m[1], b);
  }
  const directives: CorefileDirective[] = [];
  const seen = new Set<CorefileDirective>();
  // The shallowest depth each snippet was expanded at. Importing a snippet again adds nothing new (its
  // directives are listed already), so it is expanded again only from a shallower depth (where its own
  // imports reach further). Without this, snippets that each import the next one 20 times take 20^depth
  // steps: a 150-line Corefile would stall the checker.
  const expandedAt = new Map<string, number>();
  const add = (ds: CorefileDirective[], depth: number) => {
    for (const d of ds) {
      const snippet = d.name === 'import' && d.args.length === 1 ? snippets.get(d.args[0]) : undefined;
      if (snippet && depth < 10) {
        if ((expandedAt.get(d.args[0]) ?? Infinity) <= depth) continue;
        expandedAt.set(d.args[0], depth);
        add(snippet.directives, depth + 1);
      } else if (!seen.has(d)) {
        seen.add(d);
        directives.push(d);
      }
    }
  };
  for (const b of blocks.filter((x) => x.servesRoot)) add(b.directives, 0);

  const zones = new Set<string>();
  for (const d of directives.filter((x) => x.name === 'kubernetes')) {
    for (const z of d.args) {
      const zone = z.toLowerCase().replace(/\.$/, '');
      if (zone && !zone.endsWith('in-addr.arpa') && !zone.endsWith('ip6.arpa') && zone !== '.') zones.add(zone);
    }
  }
  const rewrites: NameRewrite[] = [];
  for (const d of directives.filter((x) => x.name === 'rewrite')) {
    const r = readRewrite(d);
    if (!r) continue;
    const { line, text: written, type, explicitType, from, to, answers, problems } = r;
    rewrites.push({ line, text: written, type, explicitType, from, to, answers, problems });
  }
  rewrites.sort((a, b) => a.line - b.line);
  return { rewrites, domains: zones.size > 0 ? [...zones] : ['cluster.local'] };
}

/** Whether `name` is a valid DNS name (labels of letters, digits, `_` and `-`; an optional final dot). */
export function isDnsName(name: string): boolean {
  const bare = name.endsWith('.') ? name.slice(0, -1) : name;
  if (bare.length === 0 || bare.length > 253) return false;
  return bare.split('.').every((l) => isDnsLabel(l, true));
}

/** Whether `fragment` is a valid piece of a DNS name (for prefix, suffix and substring rewrites). */
export function isNameFragment(fragment: string): boolean {
  return /^[A-Za-z0-9_.-]+$/.test(fragment) && !fragment.includes('..');
}

/**
 * Whether `name` (a name or a regex template) ends inside one of the cluster domains. A domain that is
 * an environment variable (`{$CLUSTER_DOMAIN}`) is substituted only when CoreDNS starts, so a name
 * cannot be shown to lie outside it: true.
 */
export function isInClusterDomain(name: string, domains: readonly string[]): boolean {
  const bare = name.toLowerCase().replace(/\.$/, '');
  return domains.some((d) => /\{[$%]/.test(d) || bare.endsWith(`.${d}`));
}
