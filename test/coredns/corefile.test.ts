import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AKS, COMMA_KEYS, CRLF_TABS, HAND_WRITTEN, K3S, MULTI_BLOCK, NESTED, REAL_WORLD, VCLUSTER } from './fixtures';
import { Corefile, RewriteMatch, RewriteRule } from '../../src';

const exact = (from: string, to: string) => RewriteRule.of(from, to);
const suffix = (from: string, to: string) => RewriteRule.of(from, to, { match: RewriteMatch.SUFFIX });

describe('Corefile round trip', () => {
  test.each([
    ['tkeDefault', Corefile.tkeDefault().render()],
    ['kubeadmDefault', Corefile.kubeadmDefault().render()],
    ...Object.entries(HAND_WRITTEN),
  ])('%s: render() of an unedited parse returns the input byte for byte', (_name, text) => {
    // WHEN
    const rendered = Corefile.parse(text).render();
    // THEN
    expect(Buffer.from(rendered)).toEqual(Buffer.from(text));
  });

  test('fromFile and parse read the same text', () => {
    // GIVEN
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'corefile-')), 'live-corefile.txt');
    fs.writeFileSync(file, CRLF_TABS);
    // THEN
    expect(Corefile.fromFile(file).render()).toEqual(CRLF_TABS);
    expect(Corefile.parse(CRLF_TABS).render()).toEqual(CRLF_TABS);
  });
});

describe('Corefile presets', () => {
  test('tkeDefault is TKE\'s default Corefile', () => {
    const main = Corefile.tkeDefault().mainServerBlock;
    expect(main.keys).toEqual(['.:53']);
    expect(main.directives.map((d) => [d.name, ...d.args].join(' '))).toEqual([
      'template ANY HINFO .',
      'errors',
      'health',
      'ready',
      'kubernetes cluster.local. in-addr.arpa ip6.arpa',
      'prometheus :9153',
      'forward . /etc/resolv.conf',
      'cache 30',
      'reload',
      'loadbalance',
    ]);
    expect(main.directive('health')!.subdirectives.map((d) => [d.name, ...d.args].join(' '))).toEqual(['lameduck 30s']);
    expect(main.directive('forward')!.subdirectives.map((d) => [d.name, ...d.args].join(' '))).toEqual(['prefer_udp']);
    expect(main.directive('kubernetes')!.subdirectives.map((d) => [d.name, ...d.args].join(' '))).toEqual([
      'pods insecure',
      'fallthrough in-addr.arpa ip6.arpa',
    ]);
  });

  test('kubeadmDefault has one directive per line with 4-space indentation', () => {
    const text = Corefile.kubeadmDefault().render();
    const main = Corefile.kubeadmDefault().mainServerBlock;
    expect(main.directives.map((d) => d.name)).toEqual([
      'errors', 'health', 'ready', 'kubernetes', 'prometheus', 'forward', 'cache', 'loop', 'reload', 'loadbalance',
    ]);
    expect(main.directive('kubernetes')!.subdirectives.map((d) => [d.name, ...d.args].join(' '))).toEqual([
      'pods insecure', 'fallthrough in-addr.arpa ip6.arpa', 'ttl 30',
    ]);
    expect(main.directive('forward')!.subdirectives.map((d) => [d.name, ...d.args].join(' '))).toEqual(['max_concurrent 1000']);
    for (const line of text.split('\n').slice(1, -2)) expect(line).toMatch(/^( {4}| {8})\S/);
  });
});

describe('Corefile parse', () => {
  test('reads server blocks, nested blocks, quoted strings and comments', () => {
    // WHEN
    const corefile = Corefile.parse(MULTI_BLOCK);
    // THEN
    expect(corefile.serverBlocks.map((b) => [b.keys, b.line])).toEqual([[['example.com:53'], 3], [['.:53'], 8], [['.:5353'], 28]]);
    expect(corefile.mainServerBlock.keys).toEqual(['.:53']);
    expect(corefile.serverBlocks[0].directives.map((d) => [d.name, d.args])).toEqual([['file', ['/etc/coredns/example.db']], ['log', []]]);
    const hosts = corefile.mainServerBlock.directive('hosts')!;
    expect(hosts.hasBlock).toBe(true);
    expect(hosts.subdirectives.map((d) => [d.name, d.args, d.line])).toEqual([['10.0.0.1', ['legacy host'], 21], ['fallthrough', [], 22]]);
  });

  test('inline blocks and a quoted brace on a CRLF file', () => {
    const main = Corefile.parse(CRLF_TABS).mainServerBlock;
    expect(main.directive('health')!.subdirectives.map((d) => [d.name, d.args])).toEqual([['lameduck', ['5s']]]);
    expect(main.directive('template')!.subdirectives.map((d) => [d.name, d.args])).toEqual([['answer', ['{{ .Name }} 60 IN A 10.0.0.9']]]);
    expect(main.directive('forward')!.args).toEqual(['.', '8.8.8.8', '1.1.1.1']);
  });

  test('lists existing name rewrites, one-line and block form', () => {
    expect(Corefile.parse(MULTI_BLOCK).rewriteRules().map((r) => [r.match.keyword, r.from, r.to, r.sourceLine])).toEqual([
      ['exact', 'roc.oa.com', 'server.prod.svc.cluster.local', 14],
    ]);
    expect(Corefile.parse(NESTED).rewriteRules().map((r) => [r.match.keyword, r.from, r.to, r.mode, r.sourceLine])).toEqual([
      ['regex', '(.*)\\.legacy\\.corp', '{1}.prod.svc.cluster.local', 'stop', 17],
    ]);
  });

  test('picks the "." block that holds kubernetes when another port serves "." too', () => {
    const text = '.:5353 {\n    whoami\n}\n. {\n    kubernetes cluster.local\n}\n';
    expect(Corefile.parse(text).mainServerBlock.line).toEqual(4);
  });

  test.each([
    ['.:53 {\n    health {\n        lameduck 5s\n}\n', /^Corefile line 1: unbalanced brace/],
    ['.:53 {\n    errors\n    health {\n', /^Corefile line 3: unbalanced brace: the '\{' opened here is never closed/],
    ['.:53 {\n    errors\n}\n}\n', /^Corefile line 4: unbalanced brace: this '\}' closes nothing/],
    ['.:53 {\n    hosts {\n        10.0.0.1 "a b\n    }\n}\n', /^Corefile line 3: unterminated quote/],
    ['example.com:53 {\n    log\n}\n.:5353 {\n    log\n}\n', /^Corefile line 6: no server block serves "\." on port 53 .*"example.com:53" at line 1, ".:5353" at line 4/],
    ['', /^Corefile line 1: no server block serves "\." on port 53/],
    ['.:53 {\n}\n.:53 {\n}\n', /^Corefile line 3: the server block key ".:53" is already served by the block at line 1; CoreDNS refuses to start \("cannot serve dns:\/\/\.:53 - it is already defined"\)/],
    ['.:53 {\n    whoami\n}\n. {\n    kubernetes cluster.local\n}\n', /^Corefile line 4: the server block key "\." is already served by the block at line 1/],
    ['.:53 {\n    errors }\n', /^Corefile line 2: unexpected '\}' on the line of a directive/],
    ['.:53 {\n    kubernetes cluster.local\n}\n.:53,\n', /^Corefile line 4: the server block key ".:53," ends with a comma, but no key follows/],
    ['{\n}\n', /^Corefile line 1: unexpected '\{'/],
  ])('parse error in %j names the line', (text, message) => {
    expect(() => Corefile.parse(text)).toThrow(message);
  });
});

describe('Corefile.withRewrites', () => {
  test('inserts rewrite lines just before kubernetes, with its indentation, in the given order', () => {
    // GIVEN
    const original = Corefile.kubeadmDefault();
    // WHEN
    const edited = original.withRewrites([
      exact('roc.oa.com', 'server.prod.svc.cluster.local'),
      suffix('OA.com', 'prod.svc.cluster.local'),
    ]);
    // THEN
    expect(edited.render()).toEqual(original.render().replace(
      '    kubernetes cluster.local',
      '    rewrite name exact roc.oa.com server.prod.svc.cluster.local\n' +
      '    rewrite name suffix .oa.com. .prod.svc.cluster.local. answer auto\n' +
      '    kubernetes cluster.local',
    ));
    expect(original.render()).toEqual(Corefile.kubeadmDefault().render());
  });

  test('keeps CRLF and tab indentation, and every other byte', () => {
    const edited = Corefile.parse(CRLF_TABS).withRewrites([exact('a.example.com', 'a.default.svc.cluster.local')]);
    expect(edited.render()).toEqual(CRLF_TABS.replace(
      '\tkubernetes',
      '\trewrite name exact a.example.com a.default.svc.cluster.local\r\n\tkubernetes',
    ));
  });

  test('goes into the main block only, after existing rewrites, leaving other blocks alone', () => {
    const edited = Corefile.parse(MULTI_BLOCK).withRewrites([exact('x.oa.com', 'x.prod.svc.cluster.local')]);
    const lines = edited.render().split('\n');
    expect(lines.indexOf('    rewrite name exact x.oa.com x.prod.svc.cluster.local')).toEqual(15);
    lines.splice(15, 1);
    expect(lines.join('\n')).toEqual(MULTI_BLOCK);
  });

  test('is idempotent: a rule the Corefile already holds changes nothing', () => {
    // GIVEN
    const corefile = Corefile.parse(MULTI_BLOCK);
    // WHEN
    const again = corefile.withRewrites([exact('roc.oa.com', 'server.prod.svc.cluster.local.')]);
    const twice = corefile.withRewrites([exact('a.oa.com', 'a.prod.svc.cluster.local')])
      .withRewrites([exact('a.oa.com', 'a.prod.svc.cluster.local')]);
    // THEN
    expect(again.render()).toEqual(MULTI_BLOCK);
    expect(twice.render()).toEqual(corefile.withRewrites([exact('a.oa.com', 'a.prod.svc.cluster.local')]).render());
  });

  test('a different existing rewrite for the same name fails with both rules', () => {
    expect(() => Corefile.parse(MULTI_BLOCK).withRewrites([exact('roc.oa.com', 'other.prod.svc.cluster.local')])).toThrow(
      'Corefile line 14 already rewrites "roc.oa.com" differently: existing "rewrite name roc.oa.com server.prod.svc.cluster.local", new "rewrite name exact roc.oa.com other.prod.svc.cluster.local"',
    );
  });

  test('a duplicate FROM in the list fails with both rules', () => {
    expect(() => Corefile.kubeadmDefault().withRewrites([exact('a.com', 'a.x.svc.cluster.local'), exact('a.com', 'b.x.svc.cluster.local')]))
      .toThrow('duplicate rewrite for "a.com": "rewrite name exact a.com a.x.svc.cluster.local" and "rewrite name exact a.com b.x.svc.cluster.local"');
  });

  test.each([
    [[exact('a.com', 'b.com'), exact('b.com', 'a.com')], /rewrite loop: "a.com" -> "b.com" -> "a.com"/],
    [[suffix('a.com', 'b.org'), exact('x.b.org', 'x.a.com')], /rewrite loop: "x.b.org" -> "x.a.com" -> "x.b.org"/],
    [[suffix('a.com', 'b.org'), suffix('b.org', 'a.com')], /rewrite loop: "loop-probe.a.com" -> "loop-probe.b.org" -> "loop-probe.a.com"/],
  ])('a rewrite loop fails (%#)', (rules, message) => {
    expect(() => Corefile.kubeadmDefault().withRewrites(rules)).toThrow(message);
  });

  test.each([
    [[suffix('ex.com', 'a.ex.com')], '"loop-probe.ex.com" -> "loop-probe.a.ex.com" -> "loop-probe.a.a.ex.com" -> ... grows without end'],
    [[suffix('a.com', 'x.b.org'), suffix('b.org', 'y.a.com')], '"loop-probe.b.org" -> "loop-probe.y.a.com" -> "loop-probe.y.x.b.org" -> ... grows without end'],
  ])('names that grow without end fail, and quickly (%#)', (rules, message) => {
    expect(() => Corefile.kubeadmDefault().withRewrites(rules)).toThrow(message);
  });

  test('a Corefile whose own suffix rule grows its names fails the first rule added to it, naming that rule', () => {
    const corefile = Corefile.parse(Corefile.tkeDefault().render().replace('    errors\n', '    errors\n    rewrite name suffix .ex.com. .a.ex.com. answer auto\n'));
    expect(corefile.rewriteRules().map((r) => r.from)).toEqual(['ex.com']);
    expect(() => corefile.withRewrites([exact('foo.org', 'x.default.svc.cluster.local')]))
      .toThrow(/grows without end: a rewritten name is rewritten again \(rules "rewrite name suffix \.ex\.com\. \.a\.ex\.com\. answer auto"\)/);
  });

  test('a regex is read back exactly as written, trailing dot included', () => {
    const rule = RewriteRule.of('^(.+)\\.oa\\.com\\.$', '{1}.prod.svc.cluster.local', { match: RewriteMatch.REGEX });
    const edited = Corefile.kubeadmDefault().withRewrites([rule]);
    expect(edited.rewriteRules().map((r) => [r.from, r.to])).toEqual([['^(.+)\\.oa\\.com\\.$', '{1}.prod.svc.cluster.local']]);
    expect(edited.withRewrites([rule])).toBe(edited);
  });

  test('a chain that is not a loop is accepted', () => {
    expect(Corefile.kubeadmDefault().withRewrites([exact('a.com', 'b.com'), exact('b.com', 'c.com')]).rewriteRules().length).toEqual(2);
  });

  test('fails when kubernetes does not start its line, or is missing', () => {
    expect(() => Corefile.parse('.:53 { kubernetes cluster.local\n}\n').withRewrites([exact('a.com', 'b.com')]))
      .toThrow(/^Corefile line 1: the kubernetes directive does not start its line/);
    expect(() => Corefile.parse('.:53 {\n    forward . 8.8.8.8\n}\n').withRewrites([exact('a.com', 'b.com')]))
      .toThrow(/^Corefile line 1: the server block serving "\." on port 53 has no kubernetes directive/);
  });
});

describe('real-world Corefiles (k3s, AKS, vcluster, EKS, OpenShift, CCE, minikube, RKE2, comma-separated keys)', () => {
  test.each(Object.entries(REAL_WORLD))('%s: round-trips, and an edit in the main block only adds the rewrite line', (_name, text) => {
    // GIVEN
    const corefile = Corefile.parse(text);
    expect(corefile.render()).toEqual(text);
    // WHEN
    const edited = corefile.withRewrites([exact('roc.oa.com', 'server.prod.svc.cluster.local')]).render();
    // THEN
    const lines = edited.split('\n');
    const at = lines.findIndex((l) => /^\s*rewrite name exact roc\.oa\.com /.test(l));
    expect(lines[at + 1]).toMatch(/^\s*kubernetes /);
    lines.splice(at, 1);
    expect(lines.join('\n')).toEqual(text);
  });

  test('a top-level import line is not a server block', () => {
    expect(Corefile.parse(K3S).serverBlocks.map((b) => b.keys)).toEqual([['.:53']]);
    expect(Corefile.parse(AKS).mainServerBlock.directive('import')!.args).toEqual(['custom/*.override']);
    expect(() => Corefile.parse('import a {\n}\n.:53 {\n}\n')).toThrow(/^Corefile line 1: unexpected '\{' after a top-level import/);
  });

  test('vcluster: "." on port 1053 holding kubernetes is the main block', () => {
    expect(Corefile.parse(VCLUSTER).mainServerBlock.keys).toEqual(['.:1053']);
  });

  test('comma-separated keys, also across lines, are split like caddy does', () => {
    const corefile = Corefile.parse(COMMA_KEYS);
    expect(corefile.serverBlocks.map((b) => [b.keys, b.line])).toEqual([[['.:53', '.:5353'], 1], [['example.com:53', 'example.org:53'], 6]]);
    expect(corefile.mainServerBlock.line).toEqual(1);
    expect(Corefile.parse(REAL_WORLD.SPACE_KEYS).mainServerBlock.keys).toEqual(['.:53', 'dns://.:5353']);
  });
});

describe('lexer edge cases, as CoreDNS\'s caddy lexer reads them', () => {
  test('a \'#\' right after a token ends it: "}# health" closes the block', () => {
    const text = '.:53 {\n    errors\n    health {\n        lameduck 5s\n    }# health\n    kubernetes cluster.local\n    forward . 8.8.8.8#upstream\n}\n';
    const main = Corefile.parse(text).mainServerBlock;
    expect(main.directive('health')!.subdirectives.map((d) => [d.name, d.args])).toEqual([['lameduck', ['5s']]]);
    expect(main.directive('forward')!.args).toEqual(['.', '8.8.8.8']);
    expect(main.directive('kubernetes')!.line).toEqual(6);
    expect(Corefile.parse(text).render()).toEqual(text);
  });

  test('a backslash escapes any character in quotes; only \\" loses its backslash', () => {
    const text = '.:53 {\n    kubernetes cluster.local\n    template IN TXT x.org {\n        answer "x.org 60 IN TXT C:\\\\"\n        answer "say \\"hi\\""\n    }\n}\n';
    const template = Corefile.parse(text).mainServerBlock.directive('template')!;
    expect(template.subdirectives.map((d) => d.args)).toEqual([['x.org 60 IN TXT C:\\\\'], ['say "hi"']]);
  });

  test('a lone \\r outside quotes is dropped without ending the word, as caddy\'s lexer does (CRLF files are unchanged)', () => {
    // GIVEN a stray carriage return inside "kubernetes" and between two arguments
    const text = '.:53 {\n    errors\n    kuber\rnetes cluster.local\n    forward .\r/etc/resolv.conf "a\rb"\n}\n';
    const main = Corefile.parse(text).mainServerBlock;
    // THEN CoreDNS reads "kubernetes" and the single argument "./etc/resolv.conf"; inside quotes the \r stays
    expect(main.directive('kubernetes')!.args).toEqual(['cluster.local']);
    expect(main.directive('forward')!.args).toEqual(['./etc/resolv.conf', 'a\rb']);
    expect(Corefile.parse(text).render()).toEqual(text);
    expect(Corefile.parse(text.replace(/\n/g, '\r\n')).mainServerBlock.directive('kubernetes')!.args).toEqual(['cluster.local']);
  });

  test('an unclosed brace inside a block names the line of the closing brace that is indented wrongly', () => {
    expect(() => Corefile.parse('.:53 {\n    errors\n    kubernetes cluster.local {\n        pods insecure\n\n    forward . /etc/resolv.conf\n}\n'))
      .toThrow(/^Corefile line 1: unbalanced brace: the '\{' opened here is never closed; the '\{' on line 3 is probably the one left open \(its '\}' on line 7 is indented like line 1\)/);
  });
});

describe('Corefile.withRewrites: rules an earlier rule shadows', () => {
  const regex = (from: string, to: string) => RewriteRule.of(from, to, { match: RewriteMatch.REGEX });
  const main = (...rewrites: string[]) => Corefile.parse(
    `.:53 {\n    errors\n${rewrites.map((r) => `    ${r}\n`).join('')}    kubernetes cluster.local\n    forward . /etc/resolv.conf\n}\n`);

  test.each([
    [[suffix('oa.com', 'prod.svc.cluster.local'), exact('roc.oa.com', 'roc.other.svc.cluster.local')], 'rewrite name suffix .oa.com. .prod.svc.cluster.local. answer auto', 'rewrite name exact roc.oa.com roc.other.svc.cluster.local', 'roc.oa.com.'],
    [[regex('^(.*)\\.qq\\.com\\.$', '{1}.prod.svc.cluster.local'), exact('api.qq.com', 'api.special.svc.cluster.local')], 'rewrite name regex ^(.*)\\.qq\\.com\\.$', 'rewrite name exact api.qq.com', 'api.qq.com.'],
    [[suffix('com', 'prod.svc.cluster.local'), suffix('oa.com', 'x.svc.cluster.local')], 'rewrite name suffix .com.', 'rewrite name suffix .oa.com.', 'shadow-probe.oa.com.'],
    [[suffix('oa.com', 'prod.svc.cluster.local'), regex('^api\\.oa\\.com\\.$', 'x.svc.cluster.local')], 'rewrite name suffix .oa.com.', 'rewrite name regex ^api\\.oa\\.com\\.$', 'api.oa.com.'],
  ])('a new rule behind a broader new rule fails, naming both (%#)', (rules, earlier, later, name) => {
    const error = () => Corefile.kubeadmDefault().withRewrites(rules);
    expect(error).toThrow(`would never fire for ${JSON.stringify(name)}: the earlier rule "${earlier}`);
    expect(error).toThrow(`rewrite "${later}`);
  });

  test.each([
    ['rewrite name suffix .oa.com. .other.svc.cluster.local. answer auto'],
    ['rewrite stop name suffix oa.com other.svc.cluster.local answer auto'],
    ['rewrite name regex (.*)\\.oa\\.com {1}.other.svc.cluster.local answer auto'],
    ['rewrite name substring oa.com other.svc.cluster.local answer auto'],
    ['rewrite name prefix roc. other. answer auto'],
    ['rewrite continue name suffix .oa.com. .other.svc.cluster.local. answer auto'],
    ['rewrite STOP name SUFFIX .oa.com. .other.svc.cluster.local. answer auto'],
  ])('an existing rule that already catches the new FROM fails, with both rules: %s', (existing) => {
    expect(() => main(existing).withRewrites([exact('roc.oa.com', 'server.prod.svc.cluster.local')]))
      .toThrow(`rewrite "rewrite name exact roc.oa.com server.prod.svc.cluster.local" would never fire for "roc.oa.com.": the earlier rule "${existing}" (Corefile line 3)`);
  });

  test('an existing rule after kubernetes is shadowed by a new one inserted before it', () => {
    const corefile = Corefile.parse('.:53 {\n    kubernetes cluster.local\n    rewrite name exact roc.oa.com roc.x.svc.cluster.local\n}\n');
    expect(() => corefile.withRewrites([suffix('oa.com', 'prod.svc.cluster.local')]))
      .toThrow('rewrite "rewrite name exact roc.oa.com roc.x.svc.cluster.local" (Corefile line 3) would never fire for "roc.oa.com.": the earlier rule "rewrite name suffix .oa.com. .prod.svc.cluster.local. answer auto"');
  });

  test.each([
    ['specific first', [exact('roc.oa.com', 'roc.x.svc.cluster.local'), suffix('oa.com', 'prod.svc.cluster.local')], []],
    ['unrelated names', [exact('a.com', 'a.x.svc.cluster.local')], ['rewrite name suffix .oa.com. .other.svc.cluster.local. answer auto']],
    ['a label boundary', [exact('fooa.com', 'a.x.svc.cluster.local')], ['rewrite name suffix .oa.com. .other.svc.cluster.local. answer auto']],
    ['an existing exact before a new suffix', [suffix('oa.com', 'prod.svc.cluster.local')], ['rewrite name exact roc.oa.com other.prod.svc.cluster.local']],
    ['vcluster\'s node rewrite', [exact('roc.oa.com', 'server.prod.svc.cluster.local')], ['rewrite name regex .*\\.nodes\\.vcluster\\.com kubernetes.default.svc.cluster.local']],
  ])('no shadowing: %s', (_name, rules, existing) => {
    expect(main(...existing).withRewrites(rules).rewriteRules().length).toEqual(existing.length + rules.length);
  });

  test('rules that already shadow each other in the Corefile are left alone', () => {
    const corefile = main('rewrite name suffix .oa.com. .a.svc.cluster.local. answer auto', 'rewrite name roc.oa.com b.svc.cluster.local');
    expect(corefile.withRewrites([exact('x.com', 'x.svc.cluster.local')]).rewriteRules().length).toEqual(3);
  });
});

describe('Corefile: CoreDNS lower-cases the rewrite mode and match type', () => {
  const upper = '.:53 {\n    rewrite STOP name EXACT roc.oa.com server.prod.svc.cluster.local\n    kubernetes cluster.local\n}\n';

  test('an upper-case rule is read, and adding it again changes nothing', () => {
    const corefile = Corefile.parse(upper);
    expect(corefile.rewriteRules().map((r) => [r.mode, r.match.keyword, r.from, r.to])).toEqual([['stop', 'exact', 'roc.oa.com', 'server.prod.svc.cluster.local']]);
    expect(corefile.withRewrites([exact('roc.oa.com', 'server.prod.svc.cluster.local')]).render()).toEqual(upper);
  });

  test('a different rule for the same name conflicts', () => {
    expect(() => Corefile.parse(upper).withRewrites([exact('roc.oa.com', 'other.prod.svc.cluster.local')]))
      .toThrow('Corefile line 2 already rewrites "roc.oa.com" differently: existing "rewrite STOP name EXACT roc.oa.com server.prod.svc.cluster.local"');
    expect(Corefile.parse(upper.replace('STOP', 'Continue')).rewriteRules()[0].mode).toEqual('continue');
  });
});

describe('Corefile.withRewrites: an earlier rule with the same result is not a conflict', () => {
  test('a wildcard regex and one of its hosts, both to the same target, are accepted', () => {
    const target = 'ingress-nginx-controller.ingress-nginx.svc.cluster.local';
    const rules = [RewriteRule.of('^[a-z0-9-]+\\.oa\\.com\\.$', target, { match: RewriteMatch.REGEX }), exact('api.oa.com', target)];
    expect(Corefile.kubeadmDefault().withRewrites(rules).rewriteRules().length).toEqual(2);
    expect(() => Corefile.kubeadmDefault().withRewrites([rules[0], exact('api.oa.com', 'api.prod.svc.cluster.local')]))
      .toThrow(/would never fire for "api.oa.com."/);
  });

  test('a suffix rule then an exact rule that asks for the same name', () => {
    const rules = [suffix('oa.com', 'prod.svc.cluster.local'), exact('api.oa.com', 'api.prod.svc.cluster.local')];
    expect(Corefile.kubeadmDefault().withRewrites(rules).rewriteRules().length).toEqual(2);
  });
});

describe('Corefile.withRewrites: many regex rules in the live Corefile', () => {
  /** A Corefile with `n` regex rules above the kubernetes line and `n` below it. */
  const live = (n: number) => {
    const rule = (i: number) => `    rewrite name regex ^(.*)\\.r${i}\\.example\\.$ {1}.prod.svc.cluster.local answer auto`;
    const above = Array.from({ length: n }, (_, i) => rule(i));
    const below = Array.from({ length: n }, (_, i) => rule(n + i));
    return Corefile.parse(['.:53 {', ...above, '    kubernetes cluster.local', ...below, '}', ''].join('\n'));
  };

  test('each added rule is matched against the names of the rules below once, not against every rule above again', () => {
    // GIVEN 40 regex rules above the insertion point and 40 below, and a count of rule matches
    const corefile = live(40);
    const matches = jest.spyOn(RewriteRule.prototype, '_matches');
    try {
      // WHEN adding one rule, then 21
      corefile.withRewrites([exact('new0.corp.example.net', 'y.prod.svc.cluster.local')]);
      const one = matches.mock.calls.length;
      matches.mockClear();
      corefile.withRewrites(Array.from({ length: 21 }, (_, i) => exact(`new${i}.corp.example.net`, 'y.prod.svc.cluster.local')));
      const extra = (matches.mock.calls.length - one) / 20;
      // THEN each rule after the first costs a small fraction of the first (it used to cost as much:
      // every name of every rule below was run against every regex above on each add)
      expect(one).toBeGreaterThan(0);
      expect(extra).toBeLessThan(one / 4);
    } finally {
      matches.mockRestore();
    }
  });

  test('a rule that catches a name of a rule below is still refused after other rules were added', () => {
    const corefile = live(3);
    expect(() => corefile.withRewrites([
      exact('new.corp.example.net', 'y.prod.svc.cluster.local'),
      suffix('r4.example', 'other.svc.cluster.local'),
    ])).toThrow(/rewrite "rewrite name regex \^\(\.\*\)\\\.r4\\\.example\\\.\$ .*" \(Corefile line \d+\) would never fire for "[^"]+": the earlier rule "rewrite name suffix \.r4\.example\. \.other\.svc\.cluster\.local\. answer auto" matches it first/);
    // AND a rule that leads to the same names is redundant, not wrong
    expect(() => corefile.withRewrites([suffix('r4.example', 'prod.svc.cluster.local')])).not.toThrow();
  });
});
