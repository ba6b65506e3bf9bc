import * as fc from 'fast-check';
import { isDnsName, isInClusterDomain, readCorefileRewrites } from '../../../src/checks/private/corefile-rewrites';

describe('the Corefile rewrites TKE-DNS-001 reads (through the Corefile model)', () => {
  test('snippets that import each other many times are read once each, not once per import path', () => {
    // GIVEN seven snippets, each importing the next one 20 times (20^7 import paths: this stalled the checker;
    // jest's default timeout fails a stall), and rewrites reached only through them
    const lines: string[] = [];
    for (let d = 0; d < 7; d++) lines.push(`(s${d}) {`, ...Array.from({ length: 20 }, () => `    import s${d + 1}`), '}');
    lines.push('(s7) {', '    rewrite name exact a.example.com b.prod.svc.cluster.local', '}');
    lines.push('(shallow) {', '    import deep1', '}', '(deep1) {', '    import deep2', '}');
    lines.push('(deep2) {', '    rewrite name exact c.example.com d.prod.svc.cluster.local', '}');
    lines.push('.:53 {', '    import s0', '    import shallow', '    kubernetes cluster.local', '}');
    // WHEN
    const read = readCorefileRewrites(lines.join('\n'));
    // THEN each rewrite is read once
    expect(read.rewrites.map((r) => r.from)).toEqual(['a.example.com', 'c.example.com']);
  });

  test('reads mode, type, names, answers and the line of each name rewrite', () => {
    const corefile = [
      '.:53 {',
      '  rewrite name a.com b.svc.cluster.local',
      '  rewrite continue name suffix .x.com .svc.cluster.local answer auto',
      '  rewrite stop type ANY HINFO',
      '  rewrite stop {',
      '    name regex (.*)\\.y\\.com {1}.svc.cluster.local',
      '    answer name (.*)\\.svc\\.cluster\\.local {1}.y.com',
      '  }',
      '  kubernetes cluster.local',
      '}',
    ].join('\n');
    expect(readCorefileRewrites(corefile).rewrites.map((r) => [r.line, r.type, r.explicitType, r.from, r.to, r.answers, r.problems])).toEqual([
      [2, 'exact', false, 'a.com', 'b.svc.cluster.local', [], []],
      [3, 'suffix', true, '.x.com', '.svc.cluster.local', ['auto'], []],
      [5, 'regex', true, '(.*)\\.y\\.com', '{1}.svc.cluster.local', ['name'], []],
    ]);
  });

  test('the cluster domains come from the kubernetes plugin of the "." blocks, without reverse zones', () => {
    expect(readCorefileRewrites('.:53 {\nkubernetes cluster.local. in-addr.arpa ip6.arpa {\n}\n}').domains).toEqual(['cluster.local']);
    expect(readCorefileRewrites('. {\nkubernetes corp.internal other.local\n}').domains).toEqual(['corp.internal', 'other.local']);
    expect(readCorefileRewrites('.:53 {\nforward . /etc/resolv.conf\n}').domains).toEqual(['cluster.local']);
    expect(readCorefileRewrites('example.com {\nkubernetes corp.internal\n}').domains).toEqual(['cluster.local']);
  });

  test('a cluster domain from an environment variable is kept, and no TO can be shown to lie outside it', () => {
    const read = readCorefileRewrites('.:53 {\n  rewrite name a.com b.svc.cluster.local\n  kubernetes {$CLUSTER_DOMAIN} in-addr.arpa ip6.arpa\n}\n');
    expect(read.domains).toEqual(['{$cluster_domain}']);
    expect(isInClusterDomain('b.svc.cluster.local', read.domains)).toBe(true);
    expect(isInClusterDomain('b.svc.cluster.local', ['corp.internal'])).toBe(false);
  });

  test('a regex FROM is compiled with RE2, as CoreDNS does (\\z is an anchor, (?<n> is refused)', () => {
    const read = readCorefileRewrites([
      '.:53 {',
      '  rewrite name regex ^(.*)\\.y\\.com\\z {1}.svc.cluster.local answer auto',
      '  rewrite name regex ^(?<n>.*)\\.y\\.com$ {1}.svc.cluster.local answer auto',
      '  kubernetes cluster.local',
      '}',
    ].join('\n'));
    expect(read.rewrites.map((r) => r.problems)).toEqual([
      [],
      ['FROM "^(?<n>.*)\\\\.y\\\\.com$" is refused: it uses the named group \'(?<\' (the Go RE2 in CoreDNS knows only (?P<name>...); use a plain group); CoreDNS would not load it'],
    ]);
  });

  test.each([
    ['a.com', true], ['a.com.', true], ['_srv.a-b.com', true], ['a..com', false], ['-a.com', false], ['', false], ['a'.repeat(64) + '.com', false],
  ])('isDnsName(%j) is %s', (name, valid) => {
    expect(isDnsName(name)).toEqual(valid);
  });

  test('property: any text gives rewrites with lines inside the text, or a parse error naming a line', () => {
    const line = fc.oneof(
      fc.constantFrom('rewrite', 'rewrite name', 'rewrite stop {', '}', '.:53 {', 'name regex', 'answer', 'answer name', '"unterminated', 'kubernetes'),
      fc.string(),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), (lines) => {
        const text = lines.join('\n');
        let read;
        try {
          read = readCorefileRewrites(text);
        } catch (e) {
          expect((e as Error).message).toMatch(/^Corefile line \d+: /);
          return;
        }
        for (const r of read.rewrites) expect(r.line >= 1 && r.line <= lines.length).toEqual(true);
        expect(read.domains.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });
});
