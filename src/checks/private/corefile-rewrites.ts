/**
 * The `rewrite name ...` rules of a Corefile as TKE-DNS-001 judges them. The Corefile is read with the
 * library's Corefile model (`src/coredns/`, one parser for the constructs and the checker); this file
 * only adds what the checker needs on top: the rewrite plugin's grammar, with every problem named
 * rather than thrown:
 *
 *   rewrite [continue|stop] name [exact|prefix|suffix|substring|regex] FROM TO
 *           [answer auto | answer name FROM TO | answer value FROM TO]
 *
 * and its block form `rewrite [continue|stop] { name ... \n answer name ... }`. CoreDNS lower-cases
 * the mode, the field (`name`) and the match type, so `rewrite STOP name EXACT ...` counts.
 *
 * Only the server blocks that serve the root zone `.` are read (the main zone, where in-cluster
 * clients' queries go); a rewrite in `consul.local:53 { ... }` answers for another zone and is not
 * judged. Snippets (`(name) { ... }`) imported into such a block with `import name` are followed.
 */
import { Corefile, CorefileDirective, CorefileServerBlock } from '../../coredns/corefile';
import { re2Problem } from '../../coredns/regex';

/** Rewrite types of the `name` field. */
export const NAME_TYPES = ['exact', 'prefix', 'suffix', 'substring', 'regex'];

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
  const blocks = Corefile._parseServerBlocks(text);
  const snippets = new Map<string, CorefileServerBlock>();
  for (const b of blocks) {
    const m = b.keys.length === 1 ? /^\((.+)\)$/.exec(b.keys[0]) : null;
    if (m) snippets.set(m[1], b);
  }
  const directives: CorefileDirective[] = [];
  const seen = new Set<CorefileDirective>();
  const add = (ds: CorefileDirective[], depth: number) => {
    for (const d of ds) {
      const snippet = d.name === 'import' && d.args.length === 1 ? snippets.get(d.args[0]) : undefined;
      if (snippet && depth < 10) {
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
    let rest = [...d.args];
    if (/^(continue|stop)$/i.test(rest[0] ?? '')) rest = rest.slice(1);
    const written = ['rewrite', ...d.args, ...(d.hasBlock ? ['{'] : [])].join(' ');
    if (d.hasBlock) {
      // Block form: the rule is the `name` line, with the `answer` lines after it.
      for (const sub of d.subdirectives) rest.push(sub.name, ...sub.args);
    }
    if (rest[0]?.toLowerCase() !== 'name') continue;
    rewrites.push(parseName(d.line, written, rest.slice(1)));
  }
  rewrites.sort((a, b) => a.line - b.line);
  return { rewrites, domains: zones.size > 0 ? [...zones] : ['cluster.local'] };
}

function parseName(line: number, text: string, args: string[]): NameRewrite {
  const problems: string[] = [];
  const explicitType = NAME_TYPES.includes(args[0]?.toLowerCase());
  const type = explicitType ? args[0].toLowerCase() : 'exact';
  const rest = explicitType ? args.slice(1) : args;
  const from = rest[0];
  const to = rest[1];
  if (from === undefined || to === undefined) problems.push('it needs a FROM and a TO name');
  const options = rest.slice(2);
  const answers: string[] = [];
  if (options.length > 0 && !explicitType) {
    problems.push(`it has options (${options.join(' ')}) but no type; CoreDNS requires the type when an option is given`);
  }
  if (type === 'regex' && from !== undefined) {
    const problem = re2Problem(from);
    if (problem !== undefined) problems.push(`FROM ${JSON.stringify(from)} uses ${problem}, which CoreDNS's RE2 does not compile`);
  }
  for (let k = 0; k < options.length; ) {
    if (options[k] !== 'answer') {
      problems.push(`${JSON.stringify(options[k])} is not a rewrite option (expected answer auto, answer name FROM TO or answer value FROM TO)`);
      k++;
      continue;
    }
    const what = options[k + 1];
    if (what === 'auto') {
      answers.push('auto');
      k += 2;
    } else if (what === 'name' || what === 'value') {
      if (options[k + 2] === undefined || options[k + 3] === undefined) problems.push(`answer ${what} needs a FROM and a TO`);
      answers.push(what);
      k += 4;
    } else {
      problems.push(`answer ${what === undefined ? '' : JSON.stringify(what)} must be followed by auto, name or value`.replace('answer  ', 'answer '));
      k += 2;
    }
  }
  return { line, text, type, explicitType, from, to, answers, problems };
}

const LABEL = /^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;

/** Whether `name` is a valid DNS name (labels of letters, digits, `_` and `-`; an optional final dot). */
export function isDnsName(name: string): boolean {
  const bare = name.endsWith('.') ? name.slice(0, -1) : name;
  if (bare.length === 0 || bare.length > 253) return false;
  return bare.split('.').every((l) => LABEL.test(l));
}

/** Whether `fragment` is a valid piece of a DNS name (for prefix, suffix and substring rewrites). */
export function isNameFragment(fragment: string): boolean {
  return /^[A-Za-z0-9_.-]+$/.test(fragment) && !fragment.includes('..');
}

/** Whether `name` (a name or a regex template) ends inside one of the cluster domains. */
export function isInClusterDomain(name: string, domains: readonly string[]): boolean {
  const bare = name.toLowerCase().replace(/\.$/, '');
  return domains.some((d) => bare.endsWith(`.${d}`));
}
