import { DnsName, RewriteMatch, RewriteRule } from '../../src';

describe('DnsName', () => {
  test.each([
    ['roc.oa.com', 'roc.oa.com'],
    ['ROC.Oa.COM', 'roc.oa.com'],
    ['roc.oa.com.', 'roc.oa.com'],
    ['a-b.c0', 'a-b.c0'],
    [`${'a'.repeat(63)}.com`, `${'a'.repeat(63)}.com`],
  ])('accepts %j as %j', (value, canonical) => {
    expect(DnsName.normalize(value, 'from')).toEqual(canonical);
    expect(DnsName.isValid(value)).toBe(true);
  });

  test.each([
    ['', /it is empty/],
    ['.', /it is only a dot/],
    ['a..b', /empty label/],
    ['.a.com', /empty label/],
    ['a.com..', /empty label/],
    ['a b.com', /"a b"/],
    ['a.com\nb.com', /may only hold/],
    ['a.com {', /may only hold/],
    ['}', /may only hold/],
    ['a{b}.com', /may only hold/],
    ['a.com#x', /may only hold/],
    ['"a.com"', /may only hold/],
    ["'a.com'", /may only hold/],
    ['a\tcom', /may only hold/],
    ['-a.com', /may not start or end with a hyphen/],
    ['a-.com', /may not start or end with a hyphen/],
    ['*.oa.com', /may only hold/],
    ['bücher.de', /may only hold/],
    [`${'a'.repeat(64)}.com`, /has 64 characters, more than 63/],
    [`${'abcdefghi.'.repeat(25)}abcd`, /has 254 characters, more than 253/],
  ])('rejects %j, naming the prop and quoting the value', (value, why) => {
    expect(DnsName.isValid(value)).toBe(false);
    expect(() => DnsName.normalize(value, 'from')).toThrow(`'from' must be a DNS name (dot-separated labels of 1-63 letters, digits or hyphens), got ${JSON.stringify(value)}: `);
    expect(() => DnsName.normalize(value, 'from')).toThrow(why);
  });

  test('isWithin and isBelow compare whole labels', () => {
    expect(DnsName.isWithin('a.cluster.local', 'cluster.local')).toBe(true);
    expect(DnsName.isWithin('cluster.local.', 'CLUSTER.local')).toBe(true);
    expect(DnsName.isWithin('xcluster.local', 'cluster.local')).toBe(false);
    expect(DnsName.isBelow('cluster.local', 'cluster.local')).toBe(false);
    expect(DnsName.isBelow('a.cluster.local', 'cluster.local')).toBe(true);
  });
});

describe('RewriteRule.of', () => {
  test.each([
    [RewriteMatch.EXACT, 'Roc.OA.com', 'server.prod.svc.cluster.local.', 'rewrite name exact roc.oa.com server.prod.svc.cluster.local'],
    [RewriteMatch.SUFFIX, 'oa.com', 'prod.svc.cluster.local', 'rewrite name suffix .oa.com. .prod.svc.cluster.local. answer auto'],
    [RewriteMatch.PREFIX, 'roc', 'server', 'rewrite name prefix roc. server. answer auto'],
    [RewriteMatch.SUBSTRING, 'oa.com', 'prod.svc.cluster.local', 'rewrite name substring oa.com prod.svc.cluster.local answer auto'],
    [RewriteMatch.REGEX, '(.*)\\.oa\\.com', '{1}.prod.svc.cluster.local', 'rewrite name regex (.*)\\.oa\\.com {1}.prod.svc.cluster.local answer auto'],
  ])('%p renders as one directive, exact without an answer option', (match, from, to, directive) => {
    expect(RewriteRule.of(from, to, { match }).toDirective()).toEqual(directive);
  });

  test('defaults to exact', () => {
    const rule = RewriteRule.of('a.com', 'a.x.svc.cluster.local');
    expect([rule.match, rule.from, rule.to, rule.mode, rule.rewritesAnswer, rule.sourceLine]).toEqual([RewriteMatch.EXACT, 'a.com', 'a.x.svc.cluster.local', 'stop', true, undefined]);
  });

  test.each([
    ['from', 'a com', 'b.svc.cluster.local'],
    ['to', 'a.com', 'b.svc.cluster.local\n}\nexample.com {'],
    ['to', 'a.com', 'b.svc.cluster.local # x'],
  ])('rejects a bad %s', (prop, from, to) => {
    expect(() => RewriteRule.of(from, to)).toThrow(`'${prop}' must be a DNS name`);
  });

  test.each([
    ['(.*', /'from' regex "\(\.\*" is refused: RE2 does not compile it \(error parsing regexp: missing closing \)/],
    ['a b', /'from' regex may only hold printable ASCII without whitespace, quotes, braces or '#', got "a b"/],
    ['a{2}', /may only hold printable ASCII/],
    ['a"b', /may only hold printable ASCII/],
    ['a#b', /may only hold printable ASCII/],
    ['a\u0085b', /may only hold printable ASCII/],
    ['a\u00a0b', /may only hold printable ASCII/],
    ['a\nb', /may only hold printable ASCII/],
    ['', /'from' must be a non-empty regular expression/],
  ])('rejects the regex %j', (from, message) => {
    expect(() => RewriteRule.of(from, 'x.svc.cluster.local', { match: RewriteMatch.REGEX })).toThrow(message);
  });

  test.each([
    ['(?=x)(.*)\\.oa\\.com', /invalid or unsupported Perl syntax: `\(\?=`/],
    ['(?!x)(.*)\\.oa\\.com', /invalid or unsupported Perl syntax: `\(\?!`/],
    ['(?<=x)(.*)\\.oa\\.com', /invalid named capture/],
    ['(?<!x)(.*)\\.oa\\.com', /invalid named capture/],
    ['(.*)\\.oa\\.com\\1', /invalid escape sequence: `\\1`/],
    ['(?<n>.*)\\.oa\\.com', /it uses the named group '\(\?<' \(the Go RE2 in CoreDNS knows only \(\?P<name>...\)/],
    ['(.*)\\k<n>', /invalid escape sequence: `\\k`/],
    ['(?>a+)\\.oa\\.com', /invalid or unsupported Perl syntax: `\(\?>`/],
    ['a*+\\.oa\\.com', /invalid nested repetition operator: `\*\+`/],
    ['\\cA\\.oa\\.com', /invalid escape sequence: `\\c`/],
    ['\\u0041\\.oa\\.com', /invalid escape sequence: `\\u`/],
    ['(.*)\\.oa\\.com\\', /trailing backslash at end of expression/],
    ['a\\', /trailing backslash/],
  ])('rejects the regex %j, which RE2 (CoreDNS) does not compile, naming the construct', (from, message) => {
    expect(() => RewriteRule.of(from, 'x.svc.cluster.local', { match: RewriteMatch.REGEX })).toThrow(message);
    expect(() => RewriteRule.of(from, 'x.svc.cluster.local', { match: RewriteMatch.REGEX })).toThrow(`'from' regex ${JSON.stringify(from)} is refused: `);
  });

  test.each(['[(?=]\\.oa\\.com', '^(?:a|b)\\.oa\\.com\\.$', '\\d+\\.oa\\.com', 'a+?\\.oa\\.com', '[\\]1]\\.oa'])('accepts the RE2 regex %j', (from) => {
    expect(() => RewriteRule.of(from, 'x.svc.cluster.local', { match: RewriteMatch.REGEX })).not.toThrow();
  });

  test.each([
    ['{2}.svc.cluster.local', /\{2\} refers to a group the regex does not have \(it has 1\)/],
    ['{1} .svc.cluster.local', /is not lower-case letters, digits, hyphens and \{N\}/],
    ['{1}..cluster.local', /the label ""/],
    ['{1}.svc.cluster.local}', /the label "local}"/],
  ])('rejects the regex replacement %j', (to, message) => {
    expect(() => RewriteRule.of('(.*)\\.oa\\.com', to, { match: RewriteMatch.REGEX })).toThrow(message);
  });

  test('a regex replacement is lower-cased like every name', () => {
    expect(RewriteRule.of('(.*)\\.oa\\.com', '{1}.Prod.SVC.cluster.local.', { match: RewriteMatch.REGEX }).to).toEqual('{1}.prod.svc.cluster.local');
  });

  test('RewriteMatch.fromKeyword knows every type', () => {
    expect(['exact', 'PREFIX', 'suffix', 'substring', 'regex', 'other'].map((k) => RewriteMatch.fromKeyword(k)?.keyword))
      .toEqual(['exact', 'prefix', 'suffix', 'substring', 'regex', undefined]);
  });
});

describe('RewriteRule.checkClusterDomain', () => {
  const check = (from: string, to: string, match: RewriteMatch, allow = false) =>
    () => RewriteRule.of(from, to, { match }).checkClusterDomain('cluster.local', allow);

  test('accepts targets inside the cluster domain', () => {
    expect(check('roc.oa.com', 'server.prod.svc.cluster.local', RewriteMatch.EXACT)).not.toThrow();
    expect(check('oa.com', 'prod.svc.cluster.local', RewriteMatch.SUFFIX)).not.toThrow();
    expect(check('^(.*)\\.oa\\.com\\.$', '{1}.prod.svc.cluster.local', RewriteMatch.REGEX)).not.toThrow();
    expect(check('^[a-z0-9-]+\\.oa\\.com\\.$', 'web.prod.svc.cluster.local', RewriteMatch.REGEX)).not.toThrow();
  });

  test.each([
    ['a.svc.cluster.local', 'b.svc.cluster.local', RewriteMatch.EXACT],
    ['cluster.local', 'b.svc.cluster.local', RewriteMatch.EXACT],
    ['local', 'svc.cluster.local', RewriteMatch.SUFFIX],
    ['svc.cluster.local', 'prod.svc.cluster.local', RewriteMatch.SUFFIX],
    ['cluster', 'x', RewriteMatch.SUBSTRING],
    ['(.*)\\.local', '{1}.svc.cluster.local', RewriteMatch.REGEX],
    // a regex is judged on many probes, and on its literal text (conservative)
    ['^kubernetes\\.default\\.svc\\.cluster\\.local\\.$', 'x.evil.svc.cluster.local', RewriteMatch.REGEX],
    ['^(.*)\\.kube-system\\.svc\\.cluster\\.local\\.$', '{1}.evil.svc.cluster.local', RewriteMatch.REGEX],
    ['^(api)\\.prod\\.svc\\.cluster\\.local\\.?$', '{1}.evil.svc.cluster.local', RewriteMatch.REGEX],
    ['^[a-z]+\\.default\\.svc\\.', 'x.evil.svc.cluster.local', RewriteMatch.REGEX],
    ['^cluster\\.local\\.$', 'x.evil.svc.cluster.local', RewriteMatch.REGEX],
    ['(api|web)\\.pod\\.', 'x.evil.svc.cluster.local', RewriteMatch.REGEX],
    ['.*', 'x.evil.svc.cluster.local', RewriteMatch.REGEX],
    // unanchored, it matches search-path names such as a.oa.com.default.svc.cluster.local.
    ['(.*)\\.oa\\.com', '{1}.prod.svc.cluster.local', RewriteMatch.REGEX],
  ])('rejects FROM %j (%p), which matches names inside the cluster domain', (from, to, match) => {
    expect(check(from, to, match, true)).toThrow(/^'from' ".*" \(\w+\) matches names inside the cluster domain "cluster.local"/);
  });

  test.each([
    ['roc.oa.com', 'server.example.com', RewriteMatch.EXACT, /'to' "server.example.com" is not inside the cluster domain "cluster.local"/],
    ['roc.oa.com', 'cluster.local', RewriteMatch.EXACT, /'to' "cluster.local" is not inside/],
    ['oa.com', 'example.com', RewriteMatch.SUFFIX, /'to' "example.com" is not inside/],
    ['^(.*)\\.oa\\.com\\.$', '{1}.example.com', RewriteMatch.REGEX, /does not end in the cluster domain/],
  ])('rejects %j -> %j (%p) unless allowExternalTarget', (from, to, match, message) => {
    expect(check(from, to, match)).toThrow(message);
    expect(check(from, to, match)).toThrow(/pass allowExternalTarget: true/);
    expect(check(from, to, match, true)).not.toThrow();
  });

  test.each([
    ['roc', 'server', RewriteMatch.PREFIX],
    ['kubernetes', 'api-internal', RewriteMatch.PREFIX],
    ['oa.com', 'prod.svc.cluster.local', RewriteMatch.SUBSTRING],
    ['prod.svc', 'staging.svc', RewriteMatch.SUBSTRING],
  ])('rejects the %j -> %j %p rule even with allowExternalTarget: it also matches search-path expansions', (from, to, match) => {
    for (const allow of [false, true]) {
      expect(check(from, to, match, allow)).toThrow(
        new RegExp(`^'from' "${from.replace(/\./g, '\\.')}" \\(${match.keyword}\\) matches names inside the cluster domain "cluster.local".*search-path expansions of every name, such as "${from.replace(/\./g, '\\.')}\\.default\\.svc\\.cluster\\.local\\."`),
      );
    }
  });
});

describe('RewriteRule.of: options from JavaScript', () => {
  test('a match given as a keyword string names the prop, quotes the value and says which constant to use', () => {
    expect(() => RewriteRule.of('a.example.com', 'x.prod.svc.cluster.local', { match: 'regex' as unknown as RewriteMatch }))
      .toThrow(/^'match' must be a RewriteMatch \(RewriteMatch.EXACT, SUFFIX or REGEX\), got "regex" \(use RewriteMatch.REGEX\)$/);
    expect(() => RewriteRule.of('a.example.com', 'x.prod.svc.cluster.local', { match: 7 as unknown as RewriteMatch }))
      .toThrow(/^'match' must be a RewriteMatch \(RewriteMatch.EXACT, SUFFIX or REGEX\), got 7$/);
  });

  test('a regex TO that is not a string says so, rather than that it is empty', () => {
    expect(() => RewriteRule.of('^(a)\\.example\\.$', 7 as unknown as string, { match: RewriteMatch.REGEX }))
      .toThrow(/^'to' must be a DNS name whose labels may hold \{N\} group references, got 7: expected a string, got number$/);
  });
});

describe('RewriteRule comparisons', () => {
  const rule = RewriteRule.of('a.example.com', 'web.prod.svc.cluster.local');

  test('matchesSameNames compares the match type and FROM, not TO', () => {
    expect(rule.matchesSameNames(RewriteRule.of('a.example.com', 'api.prod.svc.cluster.local'))).toBe(true);
    expect(rule.matchesSameNames(RewriteRule.of('b.example.com', 'web.prod.svc.cluster.local'))).toBe(false);
    expect(rule.matchesSameNames(RewriteRule.of('a.example.com', 'web.prod.svc.cluster.local', { match: RewriteMatch.SUFFIX }))).toBe(false);
  });

  test('isIdenticalTo also compares TO', () => {
    expect(rule.isIdenticalTo(RewriteRule.of('A.example.com.', 'web.prod.svc.cluster.local'))).toBe(true);
    expect(rule.isIdenticalTo(RewriteRule.of('a.example.com', 'api.prod.svc.cluster.local'))).toBe(false);
  });
});
