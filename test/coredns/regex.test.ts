import { Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { RE2JS } from 're2js';
import { Corefile, CoreDnsRewrite, RewriteMatch, RewriteRule } from '../../src';
import { re2Problem, regexInClusterWitness, regexMatches, Re2Unsupported } from '../../src/coredns/regex';

const REGEX = { match: RewriteMatch.REGEX };
const DOMAIN = 'cluster.local';

/** Whether RE2 (re2js, the same semantics as Go's regexp in CoreDNS) finds a match in `name`. */
const re2Finds = (pattern: string, name: string) => RE2JS.compile(pattern).matcher(name).find();

describe('the in-cluster guard reads regexes as RE2 does (issue: each bypass)', () => {
  test.each([
    ['^(.*)\\z', '\\z is an end-of-text anchor in RE2, a letter z in JavaScript'],
    ['\\A(.*)$', '\\A is a start-of-text anchor'],
    ['^(\\pL.*)$', '\\pL is the Unicode letter class'],
    ['^([[:alnum:]].*)$', '[[:alnum:]] is a POSIX class'],
    ['^(\\Q\\E.*)$', '\\Q\\E quotes nothing'],
    ['^myapp\\.prod\\.svc\\.cluste[r]\\.local\\.$', 'a class hides the domain from a literal-text check'],
    ['(?i)^(.*)\\.CLUSTER\\.LOCAL\\.$', 'case folding'],
    ['(?i)^\\x{212A}ubernetes\\.default\\.svc\\.cluster\\.local\\.$', 'U+212A KELVIN SIGN folds to k'],
    ['\\bsvc\\b', 'a word-boundary search hits search-path names'],
    ['^[^x]*$', 'a negated class'],
    ['^(\\w+\\.){2,}cluster\\.local\\.$', 'counted repetition'],
    ['^\\x6dyapp\\.prod\\.svc\\.cluster\\.local\\.$', 'a hex escape'],
    ['^\\155yapp\\.prod\\.svc\\.cluster\\.local\\.$', 'an octal escape'],
    ['(.*)\\.oa\\.com', 'an unanchored pattern matches search-path expansions'],
  ])('%j is refused (%s), naming an in-cluster name RE2 matches', (from) => {
    // The decision itself (patterns with braces can only come from a Corefile).
    const witness = regexInClusterWitness(from, DOMAIN);
    expect(witness).toMatch(/(^|\.)cluster\.local\.?$/);
    expect(re2Finds(from, witness!)).toBe(true);
    if (/[{}]/.test(from)) return;
    // GIVEN
    const dns = new CoreDnsRewrite(Testing.chart(), 'dns');
    // WHEN
    let message = '';
    try {
      dns.rewriteName(from, '{1}.prod.svc.cluster.local'.replace('{1}', from.includes('(') ? '{1}' : 'x'), REGEX);
    } catch (e) {
      message = (e as Error).message;
    }
    // THEN the message quotes a name inside the cluster domain that RE2 really matches
    const m = /under RE2 semantics it matches "([^"]+)"/.exec(message);
    expect(message).toMatch(/matches names inside the cluster domain "cluster.local"/);
    expect(m).not.toBeNull();
    expect(m![1]).toMatch(/(^|\.)cluster\.local\.?$/);
    expect(re2Finds(from, m![1])).toBe(true);
    expect(dns.rules).toEqual([]);
  });

  test.each([
    ['^\\Q\\E*', 'an empty \\Q\\E: the star repeats the ^ before it'],
    ['^(?i)*', 'a flag group: the star repeats the ^ before it'],
    ['^(.*)(?U){0,1}$', 'a flag group: the repetition applies to (.*)'],
    ['t+(?s){0,3}', 'a flag group: (t+){0,3} matches the empty string'],
  ])('%j is refused with a name RE2 matches (%s)', (from) => {
    // GIVEN the rule as a Corefile holds it (braces reach a pattern only that way)
    const rule = Corefile.parse(`.:53 {\n    rewrite name regex ${from} x.prod.svc.cluster.local answer auto\n    kubernetes cluster.local\n}\n`).rewriteRules()[0];
    expect(rule.from).toEqual(from);
    // THEN
    const hit = regexInClusterWitness(from, DOMAIN);
    expect(hit).toBeDefined();
    expect(re2Finds(from, hit!)).toBe(true);
    expect(() => rule.checkClusterDomain(DOMAIN)).toThrow(/under RE2 semantics it matches/);
  });

  test.each([
    '(?i)^[\\W]',
    '(?i:^[[:^alpha:]])',
    '(?i)^[\\PL]x',
    '(?i)^[\\W\\d]+cluster',
  ])('under (?i), a negated item in a class is folded before it is negated: %j names a name RE2 matches', (from) => {
    const hit = regexInClusterWitness(from, DOMAIN);
    expect(hit).toBeDefined();
    expect(re2Finds(from, hit!)).toBe(true);
  });

  test('what the guard cannot model is refused, saying why', () => {
    // GIVEN regex rules read from a Corefile (the only way braces reach a pattern)
    const rules = Corefile.parse([
      '.:53 {',
      '    rewrite name regex ^\\p{Braille}(.*)\\.oa\\.com\\.$ {1}.prod.svc.cluster.local answer auto',
      '    rewrite name regex ^(((a{100}){100}){100})\\.oa\\.com\\.$ x.prod.svc.cluster.local answer auto',
      '    kubernetes cluster.local',
      '}',
    ].join('\n')).rewriteRules();
    // THEN
    expect(() => rules[0].checkClusterDomain(DOMAIN))
      .toThrow(/^'from' "\^\\\\p\{Braille\}.*" \(regex\) cannot be shown to stay outside the cluster domain "cluster.local": the Unicode class \\p\{Braille\} is not one the guard models; it is refused/);
    expect(() => rules[1].checkClusterDomain(DOMAIN)).toThrow(/cannot be shown to stay outside the cluster domain "cluster.local": its automaton has more than 20000 states/);
    expect(() => regexInClusterWitness('^(((a{100}){100}){100})$', DOMAIN)).toThrow(Re2Unsupported);
  });

  test.each([
    '^(.*)\\.oa\\.com\\.$',
    '^([a-z]+-?)+\\.oa\\.com\\.$',
    '^(\\pL+)\\.corp\\.example\\.$',
    '(?i)^(.*)\\.OA\\.COM\\.$',
    '^(a|a)*(aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa)?$',
    '\\A(.*)\\.legacy\\.\\z',
  ])('%j stays outside the cluster domain and is accepted', (from) => {
    expect(regexInClusterWitness(from, DOMAIN)).toBeUndefined();
    expect(() => RewriteRule.of(from, 'x.prod.svc.cluster.local', REGEX).checkClusterDomain(DOMAIN)).not.toThrow();
  });

  test('another cluster domain is judged on its own names', () => {
    expect(regexInClusterWitness('^(.*)\\.cluster\\.local\\.$', 'k8s.example')).toBeUndefined();
    expect(regexInClusterWitness('^(.*)\\.example\\.$', 'k8s.example')).toEqual('k8s.example.');
  });
});

describe('regexes run with RE2 semantics, in linear time', () => {
  test('an existing exponential-backtracking regex does not stall adding an exact rule', () => {
    // GIVEN a live Corefile with a regex that backtracks exponentially in JavaScript
    const live = Corefile.kubeadmDefault().withRewrites([RewriteRule.of('^([a-z]+-?)+\\.oa\\.com\\.$', '{1}.prod.svc.cluster.local', REGEX)]);
    // WHEN adding an exact rule for a 60-character name (JavaScript would need years)
    const name = `${'a'.repeat(60)}.example.com`;
    const edited = live.withRewrites([RewriteRule.of(name, 'x.prod.svc.cluster.local')]);
    // THEN
    expect(edited.rewriteRules().map((r) => r.from)).toEqual(['^([a-z]+-?)+\\.oa\\.com\\.$', name]);
  });

  test('a long chain of optional items is judged without stalling (the search is linear in the product)', () => {
    // GIVEN patterns whose epsilon closures are as long as the pattern: the guard used to recompute them
    // at every product state (quadratic: minutes for these); jest's default timeout fails a stall
    const chain = `^${'.?'.repeat(3000)}x\\.oa\\.com\\.$`;
    const inside = `^${'a?'.repeat(3000)}\\.cluster\\.local\\.$`;
    // THEN both are decided, and the witness is one RE2 really matches
    expect(regexInClusterWitness(chain, DOMAIN)).toBeUndefined();
    const hit = regexInClusterWitness(inside, DOMAIN);
    expect(hit).toEqual('a.cluster.local.');
    expect(re2Finds(inside, hit!)).toBe(true);
  });

  test('a product too large to search is refused, saying so', () => {
    // GIVEN a 200-character cluster domain and a pattern of about 2,600 states
    const longDomain = Array.from({ length: 4 }, (_, i) => `${String.fromCharCode(97 + i)}${'x'.repeat(48)}`).join('.');
    // THEN
    expect(() => regexInClusterWitness(`^${'a?'.repeat(1300)}$`, longDomain)).toThrow(/^its automaton \(\d+ states\) is too large to search against every name in the domain$/);
    expect(regexInClusterWitness(`^${'a?'.repeat(1300)}$`, DOMAIN)).toBeUndefined();
  });

  test('a long chain of optional items in a live Corefile does not stall adding a rule', () => {
    // GIVEN a live Corefile whose regex rule sits below the insertion point (its probe names are computed)
    const live = Corefile.parse([
      '.:53 {',
      '    kubernetes cluster.local',
      `    rewrite name regex ^${'.?'.repeat(3000)}x\\.oa\\.com\\.$ x.prod.svc.cluster.local answer auto`,
      '}',
    ].join('\n'));
    // WHEN
    const edited = live.withRewrites([RewriteRule.of('roc.example.com', 'x.prod.svc.cluster.local')]);
    // THEN
    expect(edited.rewriteRules().map((r) => r.from)).toEqual(['roc.example.com', expect.stringMatching(/^\^/)]);
  });

  test('(?<name>...) is refused only where it is a group, not inside a class or \\Q...\\E', () => {
    expect(re2Problem('^(?<n>a)$')).toMatch(/the named group '\(\?<'/);
    expect([re2Problem('^[(?<]a$'), re2Problem('^[[:alpha:](?<]$'), re2Problem('^\\Q(?<\\E$'), re2Problem('^(?P<n>a)$')])
      .toEqual([undefined, undefined, undefined, undefined]);
  });

  test('the rewrite result uses RE2 groups', () => {
    const rule = Corefile.parse('.:53 {\n    rewrite name regex ^(\\pL+)\\.oa\\.com\\.$ {1}.prod.svc.cluster.local answer auto\n    kubernetes cluster.local\n}\n').rewriteRules()[0];
    expect(rule._rewrite('roc.oa.com.')).toEqual('roc.prod.svc.cluster.local.');
    expect(regexMatches('\\Aroc\\z', 'roc')).toBe(true);
    expect(regexMatches('\\Aroc\\z', 'Aroc')).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------------
// Property: every accepted regex rule's FROM matches no name inside the cluster domain, under RE2.
// ---------------------------------------------------------------------------------------------------

const atom: fc.Arbitrary<string> = fc.constantFrom(
  'a', 'c', 'l', 's', 'v', 'x', '-', '_', '\\.', '.', 'cluster', 'local', 'svc', 'oa', 'com', 'C', 'L',
  '[a-z]', '[^.]', '[[:alnum:]]', '[[:^digit:]]', '\\pL', '\\p{Ll}', '\\PN', '\\w', '\\W', '\\d', '\\s', '[c-m]', '[.x]',
  '\\Qcl\\E', '\\x63', '\\x{6C}', '\\143', '\\x{212A}', '\\x{17F}',
  // Negated items inside a class (folded before they are negated under (?i)) and an empty \Q\E.
  '[\\W]', '[^\\W]', '[[:^alpha:]]', '[\\PL]', '[^\\x{212A}]', '\\Q\\E',
);
const anchor = fc.constantFrom('^', '$', '\\A', '\\z', '\\b', '\\B');
const quant = fc.constantFrom('', '', '*', '+', '?', '{1,2}', '{2}', '*?');
const regexArb: fc.Arbitrary<string> = fc.letrec<{ re: string; piece: string }>((tie) => ({
  piece: fc.oneof(
    { weight: 6, arbitrary: fc.tuple(atom, quant).map(([a, q]) => a + q) },
    { weight: 1, arbitrary: anchor },
    { weight: 2, arbitrary: fc.tuple(tie('re'), tie('re'), quant).map(([x, y, q]) => `(${x}|${y})${q}`) },
    { weight: 1, arbitrary: fc.tuple(tie('re'), quant).map(([x, q]) => `(?i:${x})${q}`) },
    // A flag group adds no item: a repetition after it applies to the item before it.
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('(?i)', '(?-i)', '(?s)', '(?U)'), quant).map(([f, q]) => f + q) },
  ),
  re: fc.array(tie('piece'), { minLength: 1, maxLength: 6 }).map((ps) => ps.join('')),
})).re;

/** Whole patterns aimed at the domain: prefixes and suffixes around `cluster.local`. */
const aimedArb = fc.tuple(
  fc.constantFrom('', '^', '\\A', '(?i)', '^(.*)', '(.*)', '^[a-z]+'),
  regexArb,
  fc.constantFrom('cluster\\.local', 'cluste[r]\\.loca.', 'CLUSTER\\.local', 'c\\w+\\.local', 'oa\\.com', ''),
  fc.constantFrom('', '$', '\\.$', '\\.\\z', '\\.?$', '\\b'),
).map(([a, b, c, d]) => `${a}${b}${c}${d}`);

const labelArb = fc.stringMatching(/^[a-z0-9_-]{1,8}$/);
const inClusterName = fc.tuple(fc.array(labelArb, { maxLength: 4 }), fc.boolean())
  .map(([labels, dot]) => `${[...labels, DOMAIN].join('.')}${dot ? '.' : ''}`);
const wellKnown = ['cluster.local.', 'svc.cluster.local.', 'kubernetes.default.svc.cluster.local.', 'kube-dns.kube-system.svc.cluster.local.',
  '1-2-3-4.default.pod.cluster.local.', '_http._tcp.web.prod.svc.cluster.local.', 'a.oa.com.default.svc.cluster.local.', 'ks.cluster.local.'];

const compiles = (p: string) => {
  try {
    RE2JS.compile(p);
    return true;
  } catch {
    return false;
  }
};

describe('guard properties (fast-check)', () => {
  test('an accepted regex matches no generated in-cluster name, under RE2 semantics', () => {
    const patterns = fc.oneof(regexArb, aimedArb).filter(compiles);
    fc.assert(fc.property(patterns, fc.array(inClusterName, { minLength: 20, maxLength: 20 }), (pattern, names) => {
      let witness: string | undefined;
      try {
        witness = regexInClusterWitness(pattern, DOMAIN);
      } catch (e) {
        if (e instanceof Re2Unsupported) return; // refused: nothing to prove
        throw e;
      }
      if (witness === undefined) {
        for (const name of [...names, ...wellKnown]) expect([pattern, name, re2Finds(pattern, name)]).toEqual([pattern, name, false]);
      } else {
        // A refusal quotes a real in-cluster name that RE2 matches.
        expect(witness).toMatch(/^([a-z0-9_-]+\.)*cluster\.local\.?$/);
        expect(re2Finds(pattern, witness)).toBe(true);
      }
    }), { numRuns: 300 });
  });

  test('the rule-level guard agrees: checkClusterDomain accepts only regexes that match no in-cluster name', () => {
    const safeChars = regexArb.filter((p) => compiles(p) && !/[{}]/.test(p));
    fc.assert(fc.property(safeChars, fc.array(inClusterName, { minLength: 10, maxLength: 10 }), (pattern, names) => {
      let accepted = true;
      try {
        RewriteRule.of(pattern, 'x.prod.svc.cluster.local', REGEX).checkClusterDomain(DOMAIN);
      } catch {
        accepted = false;
      }
      if (accepted) for (const name of [...names, ...wellKnown]) expect(re2Finds(pattern, name)).toBe(false);
    }), { numRuns: 200 });
  });
});
