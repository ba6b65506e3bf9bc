/**
 * A small, tolerant scanner for the `rewrite name ...` lines of a Corefile, for TKE-DNS-001. It is not
 * a Corefile parser: it only tokenizes lines (quotes, `#` comments, `{`/`}` blocks) and reads the
 * rewrite plugin's grammar:
 *
 *   rewrite [continue|stop] name [exact|prefix|suffix|substring|regex] FROM TO
 *           [answer auto | answer name FROM TO | answer value FROM TO]
 *
 * and its block form `rewrite [continue|stop] { name ... \n answer name ... }`.
 */

/** Rewrite types of the `name` field. */
export const NAME_TYPES = ['exact', 'prefix', 'suffix', 'substring', 'regex'];

/** One `name` rewrite, with what is wrong with its grammar. */
export interface NameRewrite {
  /** 1-based line of the Corefile where the rewrite starts. */
  readonly line: number;
  /** The rewrite as written (tokens joined by spaces). */
  readonly text: string;
  /** The type, `exact` when omitted. */
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

interface Line {
  readonly line: number;
  readonly tokens: string[];
}

/** Splits a line into tokens: whitespace-separated, `"..."` grouped, `#` starts a comment. */
function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (c === '#') {
      break;
    } else if (c === '"') {
      const end = text.indexOf('"', i + 1);
      const stop = end < 0 ? text.length : end;
      tokens.push(text.slice(i + 1, stop));
      i = stop + 1;
    } else {
      let j = i;
      while (j < text.length && !/[\s"]/.test(text[j])) j++;
      let token = text.slice(i, j);
      i = j;
      if (token.length > 1 && token.endsWith('{')) {
        tokens.push(token.slice(0, -1));
        token = '{';
      }
      tokens.push(token);
    }
  }
  return tokens;
}

function lines(corefile: string): Line[] {
  return corefile.split('\n').map((text, i) => ({ line: i + 1, tokens: tokenize(text) }));
}

/** The zones of the `kubernetes` plugin (the cluster domains), without the reverse zones; `cluster.local` when none. */
export function clusterDomains(corefile: string): string[] {
  const zones = new Set<string>();
  for (const l of lines(corefile)) {
    if (l.tokens[0] !== 'kubernetes') continue;
    for (const t of l.tokens.slice(1)) {
      if (t === '{') break;
      const zone = t.toLowerCase().replace(/\.$/, '');
      if (zone && !zone.endsWith('in-addr.arpa') && !zone.endsWith('ip6.arpa') && zone !== '.') zones.add(zone);
    }
  }
  return zones.size > 0 ? [...zones] : ['cluster.local'];
}

/** Every `rewrite ... name ...` of a Corefile, in file order. Other rewrite fields are skipped. */
export function scanNameRewrites(corefile: string): NameRewrite[] {
  const all = lines(corefile);
  const out: NameRewrite[] = [];
  for (let i = 0; i < all.length; i++) {
    const { line, tokens } = all[i];
    if (tokens[0] !== 'rewrite') continue;
    let rest = tokens.slice(1);
    if (rest[0] === 'continue' || rest[0] === 'stop') rest = rest.slice(1);
    if (rest[rest.length - 1] === '{') {
      // Block form: the rules are the following lines up to the closing brace.
      rest = rest.slice(0, -1);
      for (i++; i < all.length; i++) {
        const inner = all[i].tokens;
        const close = inner.indexOf('}');
        rest.push(...(close < 0 ? inner : inner.slice(0, close)));
        if (close >= 0) break;
      }
    }
    if (rest[0] !== 'name') continue;
    out.push(parseName(line, tokens, rest.slice(1)));
  }
  return out;
}

function parseName(line: number, tokens: string[], args: string[]): NameRewrite {
  const problems: string[] = [];
  const explicitType = NAME_TYPES.includes(args[0]);
  const type = explicitType ? args[0] : 'exact';
  const rest = explicitType ? args.slice(1) : args;
  const from = rest[0];
  const to = rest[1];
  if (from === undefined || to === undefined) problems.push('it needs a FROM and a TO name');
  const options = rest.slice(2);
  const answers: string[] = [];
  if (options.length > 0 && !explicitType) {
    problems.push(`it has options (${options.join(' ')}) but no type; CoreDNS requires the type when an option is given`);
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
  return { line, text: [...tokens].join(' '), type, explicitType, from, to, answers, problems };
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
