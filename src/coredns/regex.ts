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

/**
 * The characters a query name can hold, as CoreDNS hands it to the regex: CoreDNS lower-cases the
 * name (`request.Request.Name()`), and host names, Service, namespace and pod names, pod IPs written
 * with dashes and SRV labels (`_http._tcp`) use only these.
 */
export const NAME_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789-_.';
const LABEL_CHARS = NAME_ALPHABET.slice(0, -1);
const SYMBOLS = [...NAME_ALPHABET];
const N_SYMBOLS = SYMBOLS.length;

/** Why a pattern cannot be judged (the guard then refuses it). */
export class Re2Unsupported extends Error {}

/** Code points a class must be judged on: the alphabet and everything that case-folds onto it. */
type CharSet = boolean[]; // indexed like SYMBOLS: does the item match that symbol?

const KELVIN = 0x212a;
const LONG_S = 0x17f;

/** The code points that simple case folding maps onto the lower-case alphabet symbol `s`. */
function foldPartners(s: string): number[] {
  const cp = s.codePointAt(0)!;
  if (s >= 'a' && s <= 'z') {
    const up = [cp - 32];
    if (s === 'k') up.push(KELVIN);
    if (s === 's') up.push(LONG_S);
    return up;
  }
  return [];
}

/** The other code points in the simple case-folding orbit of `cp`, for the code points the guard asks about. */
function caseOrbit(cp: number): number[] {
  if (cp === KELVIN) return [0x6b, 0x4b];
  if (cp === LONG_S) return [0x73, 0x53];
  const lower = cp >= 0x41 && cp <= 0x5a ? cp + 32 : cp;
  if (lower < 0x61 || lower > 0x7a) return [];
  const out = [lower, lower - 32].filter((x) => x !== cp);
  if (lower === 0x6b) out.push(KELVIN);
  if (lower === 0x73) out.push(LONG_S);
  return out;
}

/** A predicate on code points, correct on the alphabet, upper-case ASCII, U+212A and U+017F. */
type CpPred = (cp: number) => boolean;

const between = (lo: number, hi: number): CpPred => (cp) => cp >= lo && cp <= hi;
const isDigit = between(0x30, 0x39);
const isUpper = (cp: number) => (cp >= 0x41 && cp <= 0x5a) || cp === KELVIN;
const isLower = (cp: number) => (cp >= 0x61 && cp <= 0x7a) || cp === LONG_S;
const isAsciiUpper = between(0x41, 0x5a);
const isAsciiLower = between(0x61, 0x7a);
const isWord = (cp: number) => isDigit(cp) || isAsciiUpper(cp) || isAsciiLower(cp) || cp === 0x5f;
const isSpace = (cp: number) => cp === 0x20 || (cp >= 0x09 && cp <= 0x0d && cp !== 0x0b);

/** Perl classes (`\d \s \w`), ASCII only as in RE2. */
const PERL: Record<string, CpPred> = { d: isDigit, s: isSpace, w: isWord };

/** POSIX classes (`[[:alnum:]]`), ASCII only as in RE2. */
const POSIX: Record<string, CpPred> = {
  alnum: (cp) => isDigit(cp) || isAsciiUpper(cp) || isAsciiLower(cp),
  alpha: (cp) => isAsciiUpper(cp) || isAsciiLower(cp),
  ascii: between(0, 0x7f),
  blank: (cp) => cp === 0x20 || cp === 0x09,
  cntrl: (cp) => cp < 0x20 || cp === 0x7f,
  digit: isDigit,
  graph: between(0x21, 0x7e),
  lower: isAsciiLower,
  print: between(0x20, 0x7e),
  punct: (cp) => between(0x21, 0x7e)(cp) && !isDigit(cp) && !isAsciiUpper(cp) && !isAsciiLower(cp),
  space: (cp) => isSpace(cp) || cp === 0x0b,
  upper: isAsciiUpper,
  word: isWord,
  xdigit: (cp) => isDigit(cp) || between(0x41, 0x46)(cp) || between(0x61, 0x66)(cp),
};

const isLetter = (cp: number) => isUpper(cp) || isLower(cp);
const none: CpPred = () => false;
/**
 * Unicode classes (`\pL`, `\p{Greek}`), exact on the code points the guard asks about (the alphabet,
 * A-Z, U+212A KELVIN SIGN and U+017F LATIN SMALL LETTER LONG S). A class not listed here is refused.
 */
const UNICODE: Record<string, CpPred> = {
  Any: () => true,
  L: isLetter,
  Lu: isUpper,
  Ll: isLower,
  Lt: none,
  Lm: none,
  Lo: none,
  N: isDigit,
  Nd: isDigit,
  Nl: none,
  No: none,
  P: (cp) => cp === 0x2d || cp === 0x5f || cp === 0x2e,
  Pd: (cp) => cp === 0x2d,
  Pc: (cp) => cp === 0x5f,
  Po: (cp) => cp === 0x2e,
  Ps: none,
  Pe: none,
  Pi: none,
  Pf: none,
  S: none,
  Sm: none,
  Sc: none,
  Sk: none,
  So: none,
  Z: none,
  Zs: none,
  Zl: none,
  Zp: none,
  M: none,
  Mn: none,
  Mc: none,
  Me: none,
  C: (cp) => cp < 0x20 || cp === 0x7f,
  Cc: (cp) => cp < 0x20 || cp === 0x7f,
  Cf: none,
  Co: none,
  Cs: none,
  Latin: isLetter,
  Common: (cp) => isDigit(cp) || (cp < 0x80 && !isAsciiUpper(cp) && !isAsciiLower(cp)),
  Greek: none,
  Cyrillic: none,
  Han: none,
  Arabic: none,
  Hebrew: none,
  Hiragana: none,
  Katakana: none,
};

/** Evaluates a code-point predicate on the alphabet, folding case when `fold` (RE2's `(?i)`). */
function toSet(pred: CpPred, fold: boolean, negate: boolean): CharSet {
  return SYMBOLS.map((s) => {
    const hit = pred(s.codePointAt(0)!) || (fold && foldPartners(s).some(pred));
    return negate ? !hit : hit;
  });
}

type Assertion = 'bot' | 'eot' | 'wb' | 'nwb';

type Node =
  | { readonly t: 'set'; readonly set: CharSet }
  | { readonly t: 'cat'; readonly items: Node[] }
  | { readonly t: 'alt'; readonly items: Node[] }
  | { readonly t: 'rep'; readonly node: Node; readonly min: number; readonly max: number }
  | { readonly t: 'assert'; readonly a: Assertion };

interface Flags { readonly i: boolean; readonly s: boolean; readonly m: boolean }

/** The most NFA states the guard builds before it gives up (and refuses the pattern). */
const MAX_STATES = 20_000;
/** Deepest group nesting the guard parses (Go's own limit is 1000). */
const MAX_DEPTH = 1000;

/**
 * A parser of RE2 syntax (Go `regexp/syntax`, Perl flags), into sets over the name alphabet. It only
 * sees patterns that re2js already compiled, so it need not name syntax errors; whatever it does not
 * model throws `Re2Unsupported`.
 */
class Re2Parser {
  private i = 0;
  constructor(private readonly p: string) {}

  public parse(): Node {
    const node = this.alternation({ i: false, s: false, m: false }, 0);
    if (this.i < this.p.length) throw new Re2Unsupported(`the ')' at offset ${this.i} closes nothing`);
    return node;
  }

  private alternation(flags0: Flags, depth: number): Node {
    if (depth > MAX_DEPTH) throw new Re2Unsupported(`it nests groups more than ${MAX_DEPTH} deep`);
    const flags = { ...flags0 };
    const alts: Node[] = [];
    let items: Node[] = [];
    while (this.i < this.p.length && this.p[this.i] !== ')') {
      const c = this.p[this.i];
      if (c === '|') {
        alts.push({ t: 'cat', items });
        items = [];
        this.i++;
        continue;
      }
      if (c === '(' && this.p[this.i + 1] === '?' && this.flagGroup(flags)) {
        // A flag group adds no item: RE2 applies a repetition after it to the item before it
        // (`a(?i)*` is `a*`).
        this.repeatLast(items);
        continue;
      }
      if (c === '\\' && this.p[this.i + 1] === 'Q') {
        // \Q...\E is a run of literals: a quantifier after it applies to the last one only.
        const end = this.p.indexOf('\\E', this.i + 2);
        const text = [...(end < 0 ? this.p.slice(this.i + 2) : this.p.slice(this.i + 2, end))];
        this.i = end < 0 ? this.p.length : end + 2;
        for (const ch of text) items.push(this.literal(ch.codePointAt(0)!, flags));
        this.repeatLast(items);
        continue;
      }
      let atom = this.atom(flags, depth);
      if (atom === undefined) continue;
      atom = this.quantifiers(atom);
      items.push(atom);
    }
    alts.push({ t: 'cat', items });
    return alts.length === 1 ? alts[0] : { t: 'alt', items: alts };
  }

  /** Applies the repetitions at `this.i`, if any, to the last item (none: RE2 refuses the pattern). */
  private repeatLast(items: Node[]): void {
    if (items.length > 0) items.push(this.quantifiers(items.pop()!));
  }

  /** `(?flags)` (applies to the rest of the group): updates `flags` and returns true. */
  private flagGroup(flags: { i: boolean; s: boolean; m: boolean }): boolean {
    const m = /^\(\?([imsU]*)(?:-([imsU]*))?\)/.exec(this.p.slice(this.i));
    if (!m) return false;
    for (const f of m[1]) if (f !== 'U') flags[f as 'i' | 's' | 'm'] = true;
    for (const f of m[2] ?? '') if (f !== 'U') flags[f as 'i' | 's' | 'm'] = false;
    this.i += m[0].length;
    return true;
  }

  private atom(flags: Flags, depth: number): Node | undefined {
    const p = this.p;
    const c = p[this.i];
    switch (c) {
      case '(': {
        let inner = { ...flags };
        const m = /^\((?:\?(?:P?<[A-Za-z0-9_]+>|([imsU]*)(?:-([imsU]*))?:))?/.exec(p.slice(this.i))!;
        if (m[0] === '(' && p[this.i + 1] === '?') throw new Re2Unsupported(`the group at offset ${this.i} is of a kind the guard does not model`);
        for (const f of m[1] ?? '') if (f !== 'U') inner = { ...inner, [f]: true };
        for (const f of m[2] ?? '') if (f !== 'U') inner = { ...inner, [f]: false };
        this.i += m[0].length;
        const node = this.alternation(inner, depth + 1);
        if (p[this.i] !== ')') throw new Re2Unsupported(`the group at offset ${this.i} is never closed`);
        this.i++;
        return node;
      }
      case '[': return this.bracket(flags);
      case '.': this.i++; return { t: 'set', set: SYMBOLS.map(() => true) };
      case '^': this.i++; return { t: 'assert', a: 'bot' };
      case '$': this.i++; return { t: 'assert', a: 'eot' };
      case '\\': return this.escape(flags);
      case '*': case '+': case '?':
        throw new Re2Unsupported(`the '${c}' at offset ${this.i} repeats nothing`);
      default:
        this.i += c.length;
        return this.literal(c.codePointAt(0)!, flags);
    }
  }

  private literal(cp: number, flags: Flags): Node {
    return { t: 'set', set: toSet((x) => x === cp, flags.i, false) };
  }

  /** An escape outside a class (`\d`, `\pL`, `\A`, `\Q...\E`, `\x41`, `\.`). */
  private escape(flags: Flags): Node | undefined {
    const p = this.p;
    const n = p[this.i + 1];
    if (n === 'E') {
      this.i += 2;
      return undefined;
    }
    const assertion = ({ A: 'bot', z: 'eot', b: 'wb', B: 'nwb' } as Record<string, Assertion>)[n];
    if (assertion) {
      this.i += 2;
      return { t: 'assert', a: assertion };
    }
    const cls = this.classEscape(flags);
    if (cls) return { t: 'set', set: toSet(cls.pred, flags.i, cls.negate) };
    return this.literal(this.charEscape(), flags);
  }

  /** `\d \D \s \S \w \W \pX \p{X} \p{^X} \PX` at `this.i`, or undefined (nothing consumed). */
  private classEscape(flags: Flags): { pred: CpPred; negate: boolean } | undefined {
    const p = this.p;
    const n = p[this.i + 1];
    if (n !== undefined && PERL[n.toLowerCase()] && /[dswDSW]/.test(n)) {
      this.i += 2;
      return { pred: PERL[n.toLowerCase()], negate: n !== n.toLowerCase() };
    }
    if (n === 'p' || n === 'P') {
      let name: string;
      if (p[this.i + 2] === '{') {
        const end = p.indexOf('}', this.i + 3);
        name = p.slice(this.i + 3, end);
        this.i = end + 1;
      } else {
        name = p[this.i + 2];
        this.i += 3;
      }
      let negate = n === 'P';
      if (name.startsWith('^')) {
        negate = !negate;
        name = name.slice(1);
      }
      const pred = UNICODE[name];
      if (!pred) throw new Re2Unsupported(`the Unicode class \\p{${name}} is not one the guard models`);
      void flags;
      return { pred, negate };
    }
    return undefined;
  }

  /** A single-character escape at `this.i`: `\x41`, `\x{41}`, octal, `\n`, `\.`; returns its code point. */
  private charEscape(): number {
    const p = this.p;
    const n = p[this.i + 1];
    const simple: Record<string, number> = { a: 7, f: 12, t: 9, n: 10, r: 13, v: 11 };
    if (n in simple) {
      this.i += 2;
      return simple[n];
    }
    if (n === 'x') {
      if (p[this.i + 2] === '{') {
        const end = p.indexOf('}', this.i + 3);
        const cp = parseInt(p.slice(this.i + 3, end), 16);
        this.i = end + 1;
        return cp;
      }
      const cp = parseInt(p.slice(this.i + 2, this.i + 4), 16);
      this.i += 4;
      return cp;
    }
    if (/[0-7]/.test(n)) {
      const m = /^[0-7]{1,3}/.exec(p.slice(this.i + 1))!;
      this.i += 1 + m[0].length;
      return parseInt(m[0], 8);
    }
    if (n !== undefined && !/[A-Za-z0-9]/.test(n)) {
      this.i += 2;
      return n.codePointAt(0)!;
    }
    throw new Re2Unsupported(`the escape '\\${n ?? ''}' is not one the guard models`);
  }

  /** A bracket class `[...]`. */
  private bracket(flags: Flags): Node {
    const p = this.p;
    this.i++;
    let negate = false;
    if (p[this.i] === '^') {
      negate = true;
      this.i++;
    }
    const preds: CpPred[] = [];
    let first = true;
    while (this.i < p.length && (p[this.i] !== ']' || first)) {
      first = false;
      // Inside a class RE2 folds each item when (?i) is on; negated items are negated after folding
      // (so (?i)[\W] matches neither k nor U+212A KELVIN SIGN).
      const item = (pred: CpPred, negated: boolean): CpPred => {
        if (!negated) return pred;
        const folded = flags.i ? (cp: number) => pred(cp) || caseOrbit(cp).some(pred) : pred;
        return (cp) => !folded(cp);
      };
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(p.slice(this.i));
      if (posix) {
        const pred = POSIX[posix[2]];
        if (!pred) throw new Re2Unsupported(`the POSIX class [:${posix[2]}:] is not one the guard models`);
        preds.push(item(pred, posix[1] === '^'));
        this.i += posix[0].length;
        continue;
      }
      if (p[this.i] === '\\') {
        const cls = this.classEscape(flags);
        if (cls) {
          preds.push(item(cls.pred, cls.negate));
          continue;
        }
      }
      const lo = this.classChar();
      let hi = lo;
      if (p[this.i] === '-' && p[this.i + 1] !== ']' && this.i + 1 < p.length) {
        this.i++;
        hi = this.classChar();
      }
      preds.push(between(lo, hi));
    }
    if (p[this.i] !== ']') throw new Re2Unsupported('a bracket class is never closed');
    this.i++;
    // RE2 folds every item of the class (when (?i) is on), then negates the whole class.
    return { t: 'set', set: toSet((cp) => preds.some((f) => f(cp)), flags.i, negate) };
  }

  private classChar(): number {
    const p = this.p;
    if (p[this.i] === '\\') return this.charEscape();
    const cp = p.codePointAt(this.i)!;
    this.i += String.fromCodePoint(cp).length;
    return cp;
  }

  /** `* + ? {n} {n,} {n,m}`, each optionally followed by `?` (laziness does not change what matches). */
  private quantifiers(atom: Node): Node {
    const p = this.p;
    for (;;) {
      const c = p[this.i];
      let min: number;
      let max: number;
      if (c === '*') {[min, max] = [0, -1];} else if (c === '+') {[min, max] = [1, -1];} else if (c === '?') {[min, max] = [0, 1];} else if (c === '{') {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(this.i));
        if (!m) return atom; // RE2 reads a '{' that is no repetition as a literal: the next atom.
        min = Number(m[1]);
        max = m[2] === undefined ? min : m[3] === '' ? -1 : Number(m[3]);
        this.i += m[0].length - 1;
      } else {return atom;}
      this.i++;
      if (p[this.i] === '?') this.i++;
      atom = { t: 'rep', node: atom, min, max };
    }
  }
}

/** A Thompson NFA state. */
interface State {
  kind: 'set' | 'split' | 'assert' | 'match';
  set?: CharSet;
  a?: Assertion;
  out: number[];
}

/** Builds the Thompson NFA of a parsed pattern; returns the start state (the last state is the match). */
function buildNfa(root: Node): { states: State[]; start: number } {
  const states: State[] = [];
  const add = (s: State) => {
    if (states.length >= MAX_STATES) throw new Re2Unsupported(`its automaton has more than ${MAX_STATES} states (a long pattern or large repetition counts)`);
    states.push(s);
    return states.length - 1;
  };
  // Each fragment: entry state and the list of states whose out must be patched to the next fragment.
  interface Frag { start: number; holes: number[] }
  const eps = (): Frag => {
    const s = add({ kind: 'split', out: [] });
    return { start: s, holes: [s] };
  };
  const patch = (holes: number[], to: number) => {
    for (const h of holes) states[h].out.push(to);
  };
  const build = (n: Node): Frag => {
    switch (n.t) {
      case 'set': {
        const s = add({ kind: 'set', set: n.set, out: [] });
        return { start: s, holes: [s] };
      }
      case 'assert': {
        const s = add({ kind: 'assert', a: n.a, out: [] });
        return { start: s, holes: [s] };
      }
      case 'cat': {
        if (n.items.length === 0) return eps();
        let first: Frag | undefined;
        let holes: number[] = [];
        for (const item of n.items) {
          const f = build(item);
          if (first === undefined) first = f;
          else patch(holes, f.start);
          holes = f.holes;
        }
        return { start: first!.start, holes };
      }
      case 'alt': {
        const s = add({ kind: 'split', out: [] });
        const holes: number[] = [];
        for (const item of n.items) {
          const f = build(item);
          states[s].out.push(f.start);
          holes.push(...f.holes);
        }
        return { start: s, holes };
      }
      case 'rep': {
        // x{min,max}: min copies, then (max - min) optional copies, or a star.
        const parts: Node[] = [];
        for (let k = 0; k < n.min; k++) parts.push(n.node);
        let frag: Frag = parts.length > 0 ? build({ t: 'cat', items: parts }) : eps();
        if (n.max < 0) {
          const loop = add({ kind: 'split', out: [] });
          const body = build(n.node);
          states[loop].out.push(body.start);
          patch(body.holes, loop);
          patch(frag.holes, loop);
          frag = { start: frag.start, holes: [loop] };
        } else {
          for (let k = n.min; k < n.max; k++) {
            const opt = add({ kind: 'split', out: [] });
            const body = build(n.node);
            states[opt].out.push(body.start);
            patch(frag.holes, opt);
            frag = { start: frag.start, holes: [opt, ...body.holes] };
          }
        }
        return frag;
      }
    }
  };
  const frag = build(root);
  const match = add({ kind: 'match', out: [] });
  patch(frag.holes, match);
  return { states, start: frag.start };
}

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
