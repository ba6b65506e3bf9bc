/**
 * Helpers for the regular expressions of `rewrite name regex` rules (not exported from the package).
 *
 * CoreDNS compiles them with Go's `regexp` (RE2 syntax); this library can only run them with
 * JavaScript's `RegExp`. `re2Problem()` rejects what JavaScript accepts but RE2 does not, and
 * `literalRuns()` / `regexProbes()` give the names used to judge what a pattern matches.
 */

/** Letters RE2 knows after a backslash: `\a \f \t \n \r \v \x \p \P \d \D \s \S \w \W \b \B \A \z \Q \E`. */
const RE2_ESCAPE_LETTERS = 'aftnrvxpPdDsSwWbBAzQE';

/**
 * The first construct of `pattern` that Go's RE2 rejects (although JavaScript may accept it), or
 * `undefined`. Covers a trailing backslash, backreferences (`\1`..`\9`, `\k<name>`), lookahead and
 * lookbehind, atomic groups, possessive quantifiers, `(?<name>...)` named groups (Go before 1.22, which
 * every CoreDNS that TKE ships is built with, knows only `(?P<name>...)`, which JavaScript rejects),
 * and escapes RE2 does not know (`\c`, `\u`, `\e`, `\G`, `\Z`, ...).
 */
export function re2Problem(pattern: string): string | undefined {
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      if (i + 1 >= pattern.length) return 'a trailing \'\\\' that escapes nothing';
      const n = pattern[i + 1];
      if (/[1-9]/.test(n)) return `the backreference '\\${n}' (RE2 has no backreferences)`;
      if (n === 'k') return 'the named backreference \'\\k\' (RE2 has no backreferences)';
      if (/[A-Za-z]/.test(n) && !RE2_ESCAPE_LETTERS.includes(n)) return `the escape '\\${n}', which RE2 does not know`;
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      if (pattern[i + 1] === '^') i++;
      if (pattern[i + 1] === ']') i++; // a ']' first in a class is a literal
      continue;
    }
    if (c === '(' && pattern[i + 1] === '?') {
      const rest = pattern.slice(i + 2);
      if (rest.startsWith('=') || rest.startsWith('!')) return `the lookahead '(?${rest[0]}' (RE2 has no lookaround)`;
      if (rest.startsWith('<=') || rest.startsWith('<!')) return `the lookbehind '(?${rest.slice(0, 2)}' (RE2 has no lookaround)`;
      if (rest.startsWith('>')) return 'the atomic group \'(?>\' (RE2 has none)';
      if (rest.startsWith('<')) return 'the named group \'(?<\' (the Go RE2 in CoreDNS knows only (?P<name>...); use a plain group)';
      continue;
    }
    if ((c === '*' || c === '+' || c === '?') && pattern[i + 1] === '+') {
      return `the possessive quantifier '${c}+' (RE2 has none)`;
    }
  }
  return undefined;
}

/**
 * The literal runs of a pattern, lower-cased, with escapes of punctuation resolved: `(.*)\.qq\.com$`
 * gives `['.qq.com']`. An unescaped `.` counts as a literal dot (it matches one). Classes, groups,
 * anchors, quantifiers and letter escapes (`\d`, ...) end a run; a character made optional by `?` or
 * `*` is dropped.
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
 * regex rule shadows, and regexes that reach into the cluster domain.
 *
 * @param suffix for example `cluster.local.`
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
  return [...out];
}

/** Whether `pattern` (compiled by JavaScript, as an approximation of RE2) matches `name`. */
export function regexMatches(pattern: string, name: string): boolean {
  try {
    return new RegExp(pattern).test(name);
  } catch {
    return false;
  }
}
