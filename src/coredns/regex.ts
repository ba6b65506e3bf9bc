/**
 * The regular expressions of `rewrite name regex` rules, judged the way CoreDNS runs them (not exported
 * from the package).
 *
 * CoreDNS compiles these patterns with Go's `regexp` package (RE2 syntax, leftmost-first matching in
 * linear time). JavaScript's `RegExp` reads the same text differently (`\z`, `\A`, `\pL`, `[[:alnum:]]`
 * and `\Q...\E` are plain letters to it, anchors and classes to RE2) and backtracks, so a hostile pattern
 * such as `^(a|a)*$` runs for minutes. This file therefore never hands a rule's pattern to `RegExp`:
 *
 * - Compiling and matching use `re2js`. Why this dependency: it is a pure-JavaScript port of RE2J, the
 *   Java port of Go's `regexp`, so it accepts and rejects the same syntax as CoreDNS (with the one
 *   exception `re2Problem()` covers) and matches in time linear in the input; it has no dependencies and
 *   no native build (unlike the `re2` bindings, which need node-gyp and cannot be bundled into a jsii
 *   package); it is MIT-licensed. It is bundled (`bundledDeps` in `.projenrc.ts`) and never appears in a
 *   public signature.
 * - The in-cluster guard (`regexInClusterWitness()`) parses the pattern itself, as RE2 does, into a
 *   Thompson NFA, and searches the product of that NFA with an automaton of every name inside the
 *   cluster domain. It is a decision, not a probe: see its doc comment for what it proves.
 */
import { RE2JS } from 're2js';
import { LABEL_CHARS, N_SYMBOLS, NAME_ALPHABET, Re2Unsupported, SYMBOLS } from './re2-charsets';
import { Re2Parser, buildNfa } from './re2-nfa';

/** A compiled pattern, or why it does not compile. */
export interface Re2Compiled {
  /** The pattern, compiled with RE2 semantics. */
  readonly re?: RE2JS;
  /** Why RE2 (or the Go version CoreDNS is built with) refuses it. */
  readonly error?: string;
}

const compiled = new Map<string, Re2Compiled>();

/**
 * Compiles `pattern` as CoreDNS does (Go `regexp.Compile`), with a cache. Never throws.
 */
export function compileRe2(pattern: string): Re2Compiled {
  let out = compiled.get(pattern);
  if (out !== undefined) return out;
  const problem = re2Problem(pattern);
  if (problem !== undefined) {
    out = { error: `it uses ${problem}` };
  } else {
    try {
      out = { re: RE2JS.compile(pattern) };
    } catch (e) {
      out = { error: `RE2 does not compile it (${(e as Error).message})` };
    }
  }
  if (compiled.size > 10_000) compiled.clear();
  compiled.set(pattern, out);
  return out;
}

/**
 * What re2js accepts but the Go RE2 in CoreDNS does not, or `undefined`: `(?<name>...)` named groups
 * (Go before 1.22, which the CoreDNS versions TKE ships are built with, knows only `(?P<name>...)`).
 * Everything else RE2 refuses (backreferences, lookaround, possessive quantifiers, unknown escapes) is
 * refused by re2js's own parser.
 */
export function re2Problem(pattern: string): string | undefined {
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    if (inClass) {
      const posix = pattern.startsWith('[:', i) ? pattern.indexOf(':]', i + 2) : -1;
      if (posix >= 0) i = posix + 1;
      else if (pattern[i] === '\\') i++;
      else if (pattern[i] === ']') inClass = false;
      continue;
    }
    if (pattern[i] === '[') {
      inClass = true;
      if (pattern[i + 1] === '^') i++;
      if (pattern[i + 1] === ']') i++; // a ']' first in a class is a literal
      continue;
    }
    if (pattern[i] === '\\') {
      if (pattern[i + 1] === 'Q') {
        const end = pattern.indexOf('\\E', i + 2);
        if (end < 0) return undefined;
        i = end + 1;
      } else {
        i++;
      }
      continue;
    }
    if (pattern.startsWith('(?<', i) && pattern[i + 3] !== '=' && pattern[i + 3] !== '!') {
      return 'the named group \'(?<\' (the Go RE2 in CoreDNS knows only (?P<name>...); use a plain group)';
    }
  }
  return undefined;
}

/** Whether `pattern` matches somewhere in `name`, with RE2 semantics (false when it does not compile). */
export function regexMatches(pattern: string, name: string): boolean {
  const re = compileRe2(pattern).re;
  return re !== undefined && re.matcher(name).find();
}

/** The number of capture groups of a pattern that compiles. */
export function regexGroupCount(pattern: string): number {
  return compileRe2(pattern).re?.groupCount() ?? 0;
}

/** The groups (0 = the whole match) of the leftmost-first match in `name`, as Go's `FindStringSubmatch`. */
export function regexGroups(pattern: string, name: string): Array<string | undefined> | undefined {
  const re = compileRe2(pattern).re;
  if (re === undefined) return undefined;
  const m = re.matcher(name);
  if (!m.find()) return undefined;
  const out: Array<string | undefined> = [];
  for (let g = 0; g <= re.groupCount(); g++) out.push(m.group(g) ?? undefined);
  return out;
}

/**
 * The literal runs of a pattern, lower-cased, with escapes of punctuation resolved: `(.*)\.qq\.com$`
 * gives `['.qq.com']`. An unescaped `.` counts as a literal dot (it matches one). Classes, groups,
 * anchors, quantifiers and letter escapes (`\d`, ...) end a run; a character made optional by `?` or
 * `*` is dropped. Only used to build extra probe names.
 */
export function literalRuns(pattern: string): string[] {
  const runs: string[] = [];
  let run = '';
  const end = () => {
    if (run) runs.push(run);
    run = '';
  };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    let lit: string | undefined;
    if (c === '\\') {
      const n = pattern[++i];
      if (n !== undefined && !/[A-Za-z0-9]/.test(n)) lit = n;
    } else if (c === '[') {
      for (i++; i < pattern.length && pattern[i] !== ']'; i++) if (pattern[i] === '\\') i++;
    } else if (!'()|^$*+?{}'.includes(c)) {
      lit = c;
    }
    if (lit === undefined) {
      end();
      continue;
    }
    if (pattern[i + 1] === '?' || pattern[i + 1] === '*') {
      end();
      continue;
    }
    run += lit.toLowerCase();
  }
  end();
  return runs;
}

/**
 * Names a pattern probably matches, built from its literal runs with `x` in the gaps, each alone and
 * all together, with and without `suffix` after them. Approximate by design: used to find rules a
 * regex rule shadows.
 *
 * @param suffix for example `example.`
 */
export function regexProbes(pattern: string, suffix: string): string[] {
  const runs = literalRuns(pattern);
  const bases = new Set<string>();
  for (const r of runs) {
    bases.add(r);
    bases.add(`x${r}`);
    bases.add(`${r}x`);
  }
  if (runs.length > 1) {
    bases.add(runs.join(''));
    bases.add(runs.join('x'));
    bases.add(`x${runs.join('x')}`);
  }
  const out = new Set<string>();
  for (const b of bases) {
    const name = b.replace(/\.{2,}/g, '.');
    out.add(name);
    out.add(name.endsWith('.') ? name : `${name}.`);
    const joined = `${name}${name.endsWith('.') ? '' : '.'}${suffix}`;
    out.add(joined.replace(/\.{2,}/g, '.'));
    out.add(`x.${joined}`.replace(/\.{2,}/g, '.'));
  }
  const sample = regexSampleName(pattern);
  if (sample !== undefined) out.add(sample);
  return [...out];
}

// ---------------------------------------------------------------------------------------------------
// The automaton-based guard.
// ---------------------------------------------------------------------------------------------------

export { NAME_ALPHABET, Re2Unsupported };

/**
 * An automaton over `NAME_ALPHABET` (possibly non-deterministic): the language the regex is
 * intersected with.
 */
interface NameAutomaton {
  /** The number of states (numbered from 0). */
  readonly size: number;
  readonly start: number;
  step(state: number, symbol: string): number[];
  accepting(state: number): boolean;
}

/**
 * Every name inside `domain`: `(label.)*<domain>` with or without the final dot, where a label is one
 * or more of `a-z 0-9 - _` (no length limits, so the language is a superset of the names a cluster
 * can hold). States: 0 at a label start, 1 inside a label, 2+k after k characters of the domain
 * (begun at a label start), and a last state after the final dot.
 */
export function clusterDomainAutomaton(domain: string): NameAutomaton {
  const d = domain.toLowerCase().replace(/\.$/, '');
  const done = 2 + d.length;
  const dot = done + 1;
  return {
    size: dot + 1,
    start: 0,
    step(state, c) {
      const out: number[] = [];
      const label = LABEL_CHARS.includes(c);
      if (state === 0 && label) out.push(1);
      if (state === 1 && label) out.push(1);
      if (state === 1 && c === '.') out.push(0);
      if (state === 0 && c === d[0]) out.push(3);
      if (state >= 3 && state < done && c === d[state - 2]) out.push(state + 1);
      if (state === done && c === '.') out.push(dot);
      return out;
    },
    accepting: (state) => state === done || state === dot,
  };
}

/** Every fully qualified name: one or more labels, each followed by a dot. */
const FQDN_AUTOMATON: NameAutomaton = {
  size: 3,
  start: 0,
  step(state, c) {
    if (LABEL_CHARS.includes(c)) return [1];
    return state === 1 && c === '.' ? [2] : [];
  },
  accepting: (state) => state === 2,
};

const isWordSymbol = (c: string | undefined) => c !== undefined && c !== '-' && c !== '.';

/**
 * The most product states (pattern states x name states x what the previous character was x what the
 * next one must be) the search visits before it gives up and the pattern is refused.
 */
const MAX_PRODUCT = 6_000_000;

/** What the next character must be, after the assertions crossed so far: anything, a word character, a
 * non-word character or the end of the text, the end of the text; or nothing (-1). */
const ANY = 0;
const WORD = 1;
const NONWORD = 2;
const END = 3;
/** MEET[a][b]: both constraints at once (-1 when none can hold). */
const MEET = [
  [ANY, WORD, NONWORD, END],
  [WORD, WORD, -1, -1],
  [NONWORD, -1, NONWORD, END],
  [END, -1, END, END],
];

/**
 * The shortest name of `names` in which `pattern` finds a match (RE2 search semantics: the match may
 * start and end anywhere, `^`/`\A` hold only at the start, `$`/`\z` only at the end, `\b`/`\B` on the
 * word boundary), or `undefined` when there is none.
 *
 * A breadth-first search over the product of the pattern's Thompson NFA (plus "before the match" and
 * "after the match") with `names`. A product state also holds what the previous character was (the
 * start, a word character, another one) and what the next one must be (from the assertions crossed
 * since the last character), so that an epsilon move is one edge, not a closure recomputed at every
 * state: the search takes time linear in the size of the product (0-1 breadth first: epsilon moves
 * stay in the current layer, characters go to the next), and a pattern whose product exceeds
 * `MAX_PRODUCT` states is refused, not searched for minutes.
 *
 * Throws `Re2Unsupported` for syntax it does not model or a product too large to search.
 */
function findWitness(pattern: string, names: NameAutomaton): string | undefined {
  const { states, start } = buildNfa(new Re2Parser(pattern).parse());
  // Product state id: (((q + 2) * L + l) * 3 + prev) * 4 + con, where q = -2 is "before the match",
  // q = -1 "after the match", prev 0 = start of text, 1 = word character, 2 = other character.
  const L = names.size;
  const total = (states.length + 2) * L * 12;
  if (total > MAX_PRODUCT) {
    throw new Re2Unsupported(`its automaton (${states.length} states) is too large to search against every name in the domain`);
  }
  const PRE = -2;
  const DONE = -1;
  const step: number[][][] = [];
  for (let l = 0; l < L; l++) step.push(SYMBOLS.map((c) => names.step(l, c)));
  const word = SYMBOLS.map((c) => isWordSymbol(c));
  const visited = new Uint8Array(total);
  const parent = new Int32Array(total);
  const char = new Int8Array(total); // symbol index + 1 of the edge into the state; 0 for an epsilon move
  const id = (q: number, l: number, prev: number, con: number) => (((q + 2) * L + l) * 3 + prev) * 4 + con;
  const text = (v: number): string => {
    const out: string[] = [];
    for (let x = v; x >= 0; x = parent[x]) if (char[x] > 0) out.push(SYMBOLS[char[x] - 1]);
    return out.reverse().join('');
  };
  let layer: number[] = [];
  const visit = (to: number, from: number, k: number, into: number[]) => {
    if (visited[to]) return;
    visited[to] = 1;
    parent[to] = from;
    char[to] = k + 1;
    into.push(to);
  };
  visit(id(PRE, names.start, 0, ANY), -1, -1, layer);
  while (layer.length > 0) {
    // Epsilon moves first: the layer grows until it holds every state this many characters reach.
    for (let i = 0; i < layer.length; i++) {
      const v = layer[i];
      const con = v % 4;
      const prev = Math.floor(v / 4) % 3;
      const ql = Math.floor(v / 12);
      const l = ql % L;
      const q = Math.floor(ql / L) - 2;
      if (q === DONE) {
        if (names.accepting(l) && con !== WORD) return text(v);
        continue;
      }
      if (q === PRE) {
        visit(id(start, l, prev, ANY), v, -1, layer);
        continue;
      }
      const st = states[q];
      if (st.kind === 'match') {
        visit(id(DONE, l, prev, con), v, -1, layer);
      } else if (st.kind === 'split') {
        for (const o of st.out) visit(id(o, l, prev, con), v, -1, layer);
      } else if (st.kind === 'assert') {
        let next = con;
        if (st.a === 'bot') {
          if (prev !== 0) continue;
        } else if (st.a === 'eot') {
          next = MEET[con][END];
        } else {
          const boundaryNeeds = prev === 1 ? NONWORD : WORD;
          next = MEET[con][st.a === 'wb' ? boundaryNeeds : boundaryNeeds === WORD ? NONWORD : WORD];
        }
        if (next < 0) continue;
        for (const o of st.out) visit(id(o, l, prev, next), v, -1, layer);
      }
    }
    // Then one character.
    const nextLayer: number[] = [];
    for (const v of layer) {
      const con = v % 4;
      if (con === END) continue;
      const ql = Math.floor(v / 12);
      const l = ql % L;
      const q = Math.floor(ql / L) - 2;
      const st = q >= 0 ? states[q] : undefined;
      if (st !== undefined && st.kind !== 'set') continue;
      for (let k = 0; k < N_SYMBOLS; k++) {
        if ((con === WORD && !word[k]) || (con === NONWORD && word[k])) continue;
        if (st !== undefined && !st.set![k]) continue;
        const prev = word[k] ? 1 : 2;
        for (const l2 of step[l][k]) {
          if (st === undefined) visit(id(q, l2, prev, ANY), v, k, nextLayer);
          else for (const o of st.out) visit(id(o, l2, prev, ANY), v, k, nextLayer);
        }
      }
    }
    layer = nextLayer;
  }
  return undefined;
}

/**
 * A name inside `clusterDomain` that `pattern` matches under RE2 semantics, or `undefined` when there
 * is none.
 *
 * What it proves: when it returns `undefined`, no name of the form `(label.)*<clusterDomain>` or
 * `(label.)*<clusterDomain>.`, with labels of one or more of `a-z 0-9 - _` (any length), contains a
 * match of the pattern, as Go's `regexp.MatchString` would find it. The pattern is parsed as RE2 parses
 * it (anchors `^ $ \A \z \b \B`, flags `(?i) (?s) (?m) (?U)`, Perl, POSIX and the Unicode classes in
 * the table above, `\Q...\E`, octal and hex escapes, counted repetition) into a Thompson NFA, and the
 * product of that NFA with the automaton of those names is searched exhaustively (breadth first, so
 * the witness is a shortest such name). CoreDNS lower-cases query names, so the names are lower-case;
 * `(?i)` is honoured by case folding, including U+212A and U+017F, which fold onto `k` and `s`.
 *
 * Throws `Re2Unsupported` (the caller refuses the rule, quoting the reason) for anything the parser
 * does not model: an unlisted Unicode class, or an automaton over 20,000 states.
 */
export function regexInClusterWitness(pattern: string, clusterDomain: string): string | undefined {
  return findWitness(pattern, clusterDomainAutomaton(clusterDomain));
}

/**
 * A shortest fully qualified name (`label.` repeated) the pattern matches, or `undefined` when it matches
 * none or cannot be judged. Used as one more probe for shadowing.
 */
export function regexSampleName(pattern: string): string | undefined {
  if (compileRe2(pattern).re === undefined) return undefined;
  try {
    return findWitness(pattern, FQDN_AUTOMATON);
  } catch (e) {
    if (e instanceof Re2Unsupported) return undefined;
    throw e;
  }
}
