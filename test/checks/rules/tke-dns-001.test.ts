import { LoopbackChecker } from '../../../src';
import { briefs, corednsConfigMap, ingress, messages, privateIngress } from '../manifests';

const RULE = 'TKE-DNS-001';

/** TKE's default Corefile (https://cloud.tencent.com/document/product/457/129280) with extra lines after `.:53 {`. */
function corefile(...extra: string[]): string {
  return [
    '.:53 {',
    ...extra.map((l) => `    ${l}`),
    '    errors',
    '    health {',
    '        lameduck 30s',
    '    }',
    '    ready',
    '    kubernetes cluster.local. in-addr.arpa ip6.arpa {',
    '        pods insecure',
    '        fallthrough in-addr.arpa ip6.arpa',
    '    }',
    '    forward . /etc/resolv.conf',
    '    cache 30',
    '}',
    '',
  ].join('\n');
}

/** A private-network TKE Ingress that serves the public names the rewrites below rewrite. */
const SERVED = privateIngress({ name: 'portal', namespace: 'shop', hosts: ['roc.oa.com', 'a.oa.com', 'www.oa.com'] });

function check(...lines: string[]) {
  return LoopbackChecker.check([corednsConfigMap(corefile(...lines)), SERVED]);
}

describe(RULE, () => {
  describe('non-compliant', () => {
    test('a target outside the cluster domain (error), with the Corefile line', () => {
      const report = check('rewrite name roc.oa.com server.prod.example.com');
      expect(briefs(report.findings, RULE)).toEqual([
        { ruleId: RULE, level: 'error', kind: 'ConfigMap', name: 'coredns', namespace: 'kube-system', manifestIndex: 0 },
      ]);
      expect(messages(report.findings, RULE)).toEqual([
        'ConfigMap kube-system/coredns: Corefile line 2 "rewrite name roc.oa.com server.prod.example.com": FROM matches roc.oa.com, a ' +
          'host that the private-network CLB of Ingress shop/portal serves, but TO "server.prod.example.com" is outside the cluster ' +
          'domain (cluster.local), so the name still resolves outside the cluster (to the CLB) instead of to a Service',
      ]);
    });

    test.each([
      ['an invalid FROM name', 'rewrite name roc..oa.com server.prod.svc.cluster.local', /FROM "roc\.\.oa\.com" is not a valid DNS name/],
      ['an invalid TO name', 'rewrite name exact roc.oa.com server_prod!.svc.cluster.local', /TO "server_prod!\.svc\.cluster\.local" is not a valid DNS name/],
      ['no TO', 'rewrite name roc.oa.com', /it needs a FROM and a TO name/],
      ['an option without a type', 'rewrite name roc.oa.com server.prod.svc.cluster.local answer auto', /no type; CoreDNS requires the type/],
      ['an unknown option', 'rewrite name suffix .oa.com .prod.svc.cluster.local reply auto', /"reply" is not a rewrite option/],
      ['a suffix target outside the cluster', 'rewrite name suffix .oa.com .example.com answer auto', /TO "\.example\.com" is outside the cluster domain/],
      ['a regex target outside the cluster', 'rewrite stop name regex (.*)\\.oa\\.com {1}.example.com answer auto', /TO "\{1\}\.example\.com" is outside/],
      ['a bad suffix fragment', 'rewrite name suffix .o*a.com .svc.cluster.local answer auto', /FROM "\.o\*a\.com" is not a valid piece of a DNS name/],
    ])('%s (error)', (_, line, message) => {
      const report = check(line);
      expect(briefs(report.findings, RULE).map((b) => b.level)).toEqual(['error']);
      expect(messages(report.findings, RULE)[0]).toMatch(message);
    });

    test('a non-exact rewrite without answer auto (warning)', () => {
      const report = check('rewrite name suffix .oa.com .prod.svc.cluster.local');
      expect(briefs(report.findings, RULE)).toEqual([
        { ruleId: RULE, level: 'warning', kind: 'ConfigMap', name: 'coredns', namespace: 'kube-system', manifestIndex: 0 },
      ]);
      expect(messages(report.findings, RULE)[0]).toMatch(/line 2 .* is a suffix rewrite without answer auto/);
    });

    test('the cluster domain comes from the kubernetes plugin line', () => {
      const custom = corefile('rewrite name roc.oa.com server.prod.svc.cluster.local').replace('kubernetes cluster.local.', 'kubernetes corp.internal');
      const report = LoopbackChecker.check([corednsConfigMap(custom), SERVED]);
      expect(messages(report.findings, RULE)[0]).toMatch(/outside the cluster domain \(corp\.internal\)/);
    });

    test('the block form is read across lines', () => {
      const report = check('rewrite stop {', '    name regex (.*)\\.oa\\.com {1}.example.com', '    answer name (.*)\\.example\\.com {1}.oa.com', '}');
      expect(messages(report.findings, RULE)).toEqual([expect.stringMatching(/line 2 "rewrite stop \{": FROM matches roc\.oa\.com, .* TO "\{1\}\.example\.com" is outside/)]);
    });
  });

  describe('judged with the Corefile model', () => {
    test('a Corefile that does not parse is an error finding naming the line, not a crash', () => {
      const report = LoopbackChecker.check([corednsConfigMap('.:53 {\n    errors\n}\n}\n')]);
      expect(briefs(report.findings, RULE).map((b) => b.level)).toEqual(['error']);
      expect(messages(report.findings, RULE)).toEqual([
        'ConfigMap kube-system/coredns: the Corefile does not parse (Corefile line 4: unbalanced brace: this \'}\' closes nothing), so CoreDNS would not load it either',
      ]);
    });

    test('only blocks serving "." are judged: a rewrite for another zone is not', () => {
      const text = 'consul.local:53 {\n    rewrite name consul.local service.consul\n    forward . 10.0.0.10\n}\n' + corefile();
      expect(briefs(LoopbackChecker.check([corednsConfigMap(text)]).findings, RULE)).toEqual([]);
      const report = LoopbackChecker.check([corednsConfigMap(text.replace('.:53 {', '.:53 {\n    rewrite name a.oa.com a.example.com')), SERVED]);
      expect(messages(report.findings, RULE)).toEqual([expect.stringMatching(/^ConfigMap kube-system\/coredns: Corefile line 6 "rewrite name a.oa.com a.example.com": FROM matches a\.oa\.com, .* TO "a.example.com" is outside/)]);
    });

    test('a snippet imported into the main block is judged', () => {
      const text = '(rw) {\n    rewrite name roc.oa.com roc.cdn.com\n}\n' + corefile('import rw');
      expect(messages(LoopbackChecker.check([corednsConfigMap(text), SERVED]).findings, RULE)).toEqual([expect.stringMatching(/line 2 "rewrite name roc.oa.com roc.cdn.com": FROM matches roc.oa.com, .* TO "roc.cdn.com" is outside/)]);
    });

    test('the mode and match type are case-insensitive, as in CoreDNS', () => {
      expect(briefs(check('rewrite STOP name EXACT roc.oa.com server.prod.svc.cluster.local').findings, RULE)).toEqual([]);
      expect(messages(check('rewrite Continue name SUFFIX .oa.com .prod.svc.cluster.local').findings, RULE))
        .toEqual([expect.stringMatching(/is a suffix rewrite without answer auto/)]);
      expect(messages(check('rewrite STOP name EXACT roc.oa.com server.example.com').findings, RULE))
        .toEqual([expect.stringMatching(/TO "server.example.com" is outside the cluster domain/)]);
    });

    test('a regex FROM that RE2 does not compile is an error', () => {
      expect(messages(check('rewrite name regex (?=a)(.*)\\.oa\\.com {1}.prod.svc.cluster.local answer auto').findings, RULE))
        .toEqual([expect.stringMatching(/FROM "\(\?=a\)\(\.\*\)\\\\\.oa\\\\\.com" is refused: RE2 does not compile it \(error parsing regexp: invalid or unsupported Perl syntax: `\(\?=`\)/)]);
    });
  });

  describe('a target outside the cluster domain is judged only for hosts that a private CLB serves', () => {
    test('a k3d-style rewrite of a name no private CLB serves is not a finding', () => {
      const report = check('rewrite name registry.local host.k3d.internal');
      expect(briefs(report.findings, RULE)).toEqual([]);
    });

    test('the same rewrite is an error once a private Ingress serves its FROM, and the message names that Ingress', () => {
      const registry = privateIngress({ name: 'registry', namespace: 'infra', hosts: ['registry.local'] });
      const report = LoopbackChecker.check([corednsConfigMap(corefile('rewrite name registry.local host.k3d.internal')), registry]);
      expect(messages(report.findings, RULE)).toEqual([expect.stringMatching(
        /FROM matches registry\.local, a host that the private-network CLB of Ingress infra\/registry serves, but TO "host\.k3d\.internal" is outside/,
      )]);
    });

    describe('a regex FROM is matched as CoreDNS matches it (Go RE2, against the lower-case name with its final dot)', () => {
      test.each([
        ['\\A (RE2: start of text; JavaScript: the letter A)', 'rewrite name regex \\Aroc\\.oa\\.com\\.\\z roc.cdn.com answer auto'],
        ['a POSIX class', 'rewrite name regex ^[[:alpha:]]+\\.oa\\.com\\.$ roc.cdn.com answer auto'],
        ['\\Q...\\E quoting', 'rewrite name regex ^\\Qroc.oa.com.\\E$ roc.cdn.com answer auto'],
      ])('%s matches a served host (error)', (_, line) => {
        expect(messages(check(line).findings, RULE)).toEqual([expect.stringMatching(/FROM matches roc\.oa\.com, a host that the private-network CLB of Ingress shop\/portal serves/)]);
      });

      test.each([
        ['an upper-case pattern (CoreDNS matches case-sensitively against the lower-cased name)', 'rewrite name regex ^ROC\\.OA\\.COM\\.$ roc.cdn.com answer auto'],
        ['a pattern anchored before the final dot (it never matches a query name)', 'rewrite name regex ^roc\\.oa\\.com$ roc.cdn.com answer auto'],
      ])('%s does not match a served host', (_, line) => {
        expect(messages(check(line).findings, RULE).filter((m) => /FROM matches/.test(m))).toEqual([]);
      });
    });

    test('an exact FROM that a wildcard host (*.oa.com) of a private Ingress serves is a finding; a deeper name is not', () => {
      const wildcard = privateIngress({ name: 'star', namespace: 'infra', hosts: ['*.oa.com'] });
      const served = LoopbackChecker.check([corednsConfigMap(corefile('rewrite name api.oa.com api.example.com')), wildcard]);
      const deeper = LoopbackChecker.check([corednsConfigMap(corefile('rewrite name x.api.oa.com api.example.com')), wildcard]);
      expect(messages(served.findings, RULE)).toEqual([expect.stringMatching(/FROM matches \*\.oa\.com, a host that the private-network CLB of Ingress infra\/star serves/)]);
      expect(briefs(deeper.findings, RULE)).toEqual([]);
    });

    test('a public Ingress serving FROM does not make it a finding', () => {
      const report = LoopbackChecker.check([corednsConfigMap(corefile('rewrite name roc.oa.com server.example.com')), ingress({ hosts: ['roc.oa.com'] })]);
      expect(briefs(report.findings, RULE)).toEqual([]);
    });

    test('the finding carries the Corefile field and line, for the CLI to point at the rewrite', () => {
      const report = check('errors', 'rewrite name roc.oa.com server.example.com');
      const finding = report.findings.find((f) => f.ruleId === RULE)!;
      expect([finding.field, finding.fieldLine]).toEqual(['data.Corefile', 3]);
    });
  });

  describe('compliant', () => {
    test.each([
      'rewrite name roc.oa.com server.prod.svc.cluster.local',
      'rewrite name exact roc.oa.com. server.prod.svc.cluster.local.',
      'rewrite continue name exact roc.oa.com server.prod.svc.cluster.local',
      'rewrite name suffix .oa.com .prod.svc.cluster.local answer auto',
      'rewrite stop name regex (.*)\\.oa\\.com {1}.prod.svc.cluster.local answer auto',
      'rewrite name prefix roc. server. answer auto',
      'rewrite name regex (.*)\\.oa\\.com {1}.prod.svc.cluster.local answer name (.*)\\.prod\\.svc\\.cluster\\.local {1}.oa.com',
      'rewrite name "roc.oa.com" "server.prod.svc.cluster.local" # a comment',
      'rewrite edns0 local set 0xffee abcd',
      'rewrite stop type ANY HINFO',
      '# rewrite name roc.oa.com server.prod.example.com',
    ])('%s', (line) => {
      expect(briefs(check(line).findings, RULE)).toEqual([]);
    });

    test('the default Corefile, and a coredns ConfigMap outside kube-system', () => {
      const report = LoopbackChecker.check([
        corednsConfigMap(corefile()),
        corednsConfigMap(corefile('rewrite name roc.oa.com server.prod.example.com'), 'default'),
      ]);
      expect(briefs(report.findings, RULE)).toEqual([]);
    });

    test('a ConfigMap without a string Corefile is skipped', () => {
      const cm = corednsConfigMap('');
      cm.data = { Corefile: 42 };
      expect(briefs(LoopbackChecker.check([cm]).findings, RULE)).toEqual([]);
    });
  });
});
