import * as fc from 'fast-check';
import { isDnsName, readCorefileRewrites } from '../../../src/checks/private/corefile-rewrites';

describe('the Corefile rewrites TKE-DNS-001 reads (through the Corefile model)', () => {
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
