import * as fc from 'fast-check';
import { clusterDomains, isDnsName, scanNameRewrites } from '../../../src/checks/private/corefile-rewrites';

describe('the Corefile rewrite scanner', () => {
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
      '}',
    ].join('\n');
    expect(scanNameRewrites(corefile).map((r) => [r.line, r.type, r.explicitType, r.from, r.to, r.answers, r.problems])).toEqual([
      [2, 'exact', false, 'a.com', 'b.svc.cluster.local', [], []],
      [3, 'suffix', true, '.x.com', '.svc.cluster.local', ['auto'], []],
      [5, 'regex', true, '(.*)\\.y\\.com', '{1}.svc.cluster.local', ['name'], []],
    ]);
  });

  test('the cluster domains come from the kubernetes plugin, without reverse zones', () => {
    expect(clusterDomains('kubernetes cluster.local. in-addr.arpa ip6.arpa {\n}')).toEqual(['cluster.local']);
    expect(clusterDomains('kubernetes corp.internal other.local')).toEqual(['corp.internal', 'other.local']);
    expect(clusterDomains('forward . /etc/resolv.conf')).toEqual(['cluster.local']);
  });

  test.each([
    ['a.com', true], ['a.com.', true], ['_srv.a-b.com', true], ['a..com', false], ['-a.com', false], ['', false], ['a'.repeat(64) + '.com', false],
  ])('isDnsName(%j) is %s', (name, valid) => {
    expect(isDnsName(name)).toEqual(valid);
  });

  test('property: any text scans without throwing, and every rewrite has a line inside the text', () => {
    const line = fc.oneof(
      fc.constantFrom('rewrite', 'rewrite name', 'rewrite stop {', '}', 'name regex', 'answer', 'answer name', '"unterminated', 'kubernetes'),
      fc.string(),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), (lines) => {
        const text = lines.join('\n');
        const rewrites = scanNameRewrites(text);
        for (const r of rewrites) expect(r.line >= 1 && r.line <= lines.length).toEqual(true);
        expect(clusterDomains(text).length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });
});
