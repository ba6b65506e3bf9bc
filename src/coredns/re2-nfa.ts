/**
 * A parser of RE2 syntax into sets over the name alphabet, and the Thompson NFA built from it (for the
 * in-cluster guard of `regex.ts`; not exported from the package).
 */
import { CharSet, CpPred, PERL, POSIX, Re2Unsupported, SYMBOLS, UNICODE, between, caseOrbit, toSet } from './re2-charsets';

export type Assertion = 'bot' | 'eot' | 'wb' | 'nwb';

export type Node =
  | { readonly t: 'set'; readonly set: CharSet }
  | { readonly t: 'cat'; readonly items: Node[] }
  | { readonly t: 'alt'; readonly items: Node[] }
  | { readonly t: 'rep'; readonly node: Node; readonly min: number; readonly max: number }
  | { readonly t: 'assert'; readonly a: Assertion };

export interface Flags { readonly i: boolean; readonly s: boolean; readonly m: boolean }

/** The most NFA states the guard builds before it gives up (and refuses the pattern). */
const MAX_STATES = 20_000;
/** Deepest group nesting the guard parses (Go's own limit is 1000). */
const MAX_DEPTH = 1000;

/**
 * A parser of RE2 syntax (Go `regexp/syntax`, Perl flags), into sets over the name alphabet. It only
 * sees patterns that re2js already compiled, so it need not name syntax errors; whatever it does not
 * model throws `Re2Unsupported`.
 */
export class Re2Parser {
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
export interface State {
  kind: 'set' | 'split' | 'assert' | 'match';
  set?: CharSet;
  a?: Assertion;
  out: number[];
}

/** Builds the Thompson NFA of a parsed pattern; returns the start state (the last state is the match). */
export function buildNfa(root: Node): { states: State[]; start: number } {
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
