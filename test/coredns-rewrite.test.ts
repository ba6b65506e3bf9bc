import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Corefile, CoreDnsRewrite, RewriteMatch } from '../src';
import { MULTI_BLOCK } from './coredns/fixtures';
import { findManifest, synthValidated } from './harness/validate';

/** The Corefile in the synthesized ConfigMap. */
function corefileOf(chart: Chart, name = 'coredns', namespace = 'kube-system'): string {
  const cm = findManifest(synthValidated(chart), 'ConfigMap', name, namespace);
  expect(Object.keys(cm.data)).toEqual(['Corefile']);
  return cm.data.Corefile;
}

describe('CoreDnsRewrite', () => {
  test('defaults: the ConfigMap coredns in kube-system holds TKE\'s default Corefile plus the rules', () => {
    // GIVEN
    const chart = Testing.chart();
    const dns = new CoreDnsRewrite(chart, 'dns');
    // WHEN
    dns.rewriteName('roc.oa.com', 'server.prod.svc.cluster.local');
    // THEN
    const manifests = synthValidated(chart);
    expect(manifests).toMatchSnapshot();
    const corefile = findManifest(manifests, 'ConfigMap', 'coredns', 'kube-system').data.Corefile;
    expect(corefile).toEqual(Corefile.tkeDefault().render().replace(
      '    kubernetes cluster.local.',
      '    rewrite name exact roc.oa.com server.prod.svc.cluster.local\n    kubernetes cluster.local.',
    ));
    expect(dns.clusterDomain).toEqual('cluster.local');
    expect(dns.configMap.name).toEqual('coredns');
  });

  test('rules render in the order they were added, including ones added after other constructs', () => {
    // GIVEN
    const chart = Testing.chart();
    const dns = new CoreDnsRewrite(chart, 'dns', { corefile: Corefile.kubeadmDefault() });
    dns.rewriteName('B.oa.com', 'b.prod.svc.cluster.local');
    new kplus.ConfigMap(chart, 'other');
    // WHEN
    dns.rewriteName('oa.com', 'prod.svc.cluster.local', { match: RewriteMatch.SUFFIX });
    // THEN
    expect(corefileOf(chart)).toEqual(Corefile.kubeadmDefault().render().replace('    kubernetes', [
      '    rewrite name exact b.oa.com b.prod.svc.cluster.local',
      '    rewrite name suffix .oa.com. .prod.svc.cluster.local. answer auto',
      '    kubernetes',
    ].join('\n')));
    expect(dns.rules.map((r) => r.from)).toEqual(['b.oa.com', 'oa.com']);
  });

  test('keeps every byte of a given Corefile', () => {
    const chart = Testing.chart();
    const dns = new CoreDnsRewrite(chart, 'dns', { corefile: Corefile.parse(MULTI_BLOCK) });
    dns.rewriteName('x.oa.com', 'x.prod.svc.cluster.local');
    const lines = corefileOf(chart).split('\n');
    expect(lines.splice(15, 1)).toEqual(['    rewrite name exact x.oa.com x.prod.svc.cluster.local']);
    expect(lines.join('\n')).toEqual(MULTI_BLOCK);
  });

  test('name, namespace and cluster domain can be overridden', () => {
    // GIVEN
    const chart = Testing.chart();
    const corefile = Corefile.parse('.:53 {\n  kubernetes corp.internal {\n    pods insecure\n  }\n}\n');
    // WHEN
    const dns = new CoreDnsRewrite(chart, 'dns', { corefile, clusterDomain: 'Corp.Internal.', configMapName: 'coredns-custom', namespace: 'dns' });
    dns.rewriteName('a.oa.com', 'a.prod.svc.corp.internal');
    // THEN
    expect(corefileOf(chart, 'coredns-custom', 'dns')).toEqual('.:53 {\n  rewrite name exact a.oa.com a.prod.svc.corp.internal\n  kubernetes corp.internal {\n    pods insecure\n  }\n}\n');
    expect(dns.clusterDomain).toEqual('corp.internal');
  });

  test('rewriteToService takes a kplus.Service or a KubeService, in the chart namespace or default', () => {
    // GIVEN
    const app = Testing.app();
    const prod = new Chart(app, 'prod', { namespace: 'prod' });
    const plain = new Chart(app, 'plain');
    const web = new kplus.Service(prod, 'web', { metadata: { name: 'server' }, ports: [{ port: 80 }] });
    const raw = new kplus.k8s.KubeService(plain, 'raw', { metadata: { name: 'raw', namespace: 'shop' }, spec: { ports: [{ port: 80 }] } });
    const bare = new kplus.k8s.KubeService(plain, 'bare', { metadata: { name: 'bare' }, spec: { ports: [{ port: 80 }] } });
    const dns = new CoreDnsRewrite(plain, 'dns');
    // WHEN
    const rules = [
      dns.rewriteToService('roc.oa.com', web),
      dns.rewriteToService('raw.oa.com', raw),
      dns.rewriteToService('bare.oa.com', bare),
    ];
    // THEN
    expect(rules.map((r) => r.to)).toEqual(['server.prod.svc.cluster.local', 'raw.shop.svc.cluster.local', 'bare.default.svc.cluster.local']);
    expect(corefileOf(plain)).toContain('    rewrite name exact roc.oa.com server.prod.svc.cluster.local\n');
    synthValidated(prod);
  });

  test('rewriteToService rejects a construct that is not a Service', () => {
    const chart = Testing.chart();
    const dns = new CoreDnsRewrite(chart, 'dns');
    const cm = new kplus.ConfigMap(chart, 'cm');
    expect(() => dns.rewriteToService('a.oa.com', cm)).toThrow(/'service' must be a kplus.Service or a kplus.k8s.KubeService, got a ConfigMap at test\/cm/);
    expect(() => dns.rewriteToService('a.oa.com', chart)).toThrow(/'service' must be a kplus.Service or a kplus.k8s.KubeService, got test/);
  });

  test.each([
    ['a b.com', 'x.prod.svc.cluster.local', {}, /'from' must be a DNS name .*got "a b.com"/],
    ['a.com', 'x.prod.svc.cluster.local\n}', {}, /'to' must be a DNS name .*got "x.prod.svc.cluster.local\\n}"/],
    ['a.svc.cluster.local', 'x.prod.svc.cluster.local', {}, /'from' "a.svc.cluster.local" \(exact\) matches names inside the cluster domain/],
    ['a.com', 'a.example.org', {}, /'to' "a.example.org" is not inside the cluster domain "cluster.local"; pass allowExternalTarget: true/],
    ['(.*', '{1}.prod.svc.cluster.local', { match: RewriteMatch.REGEX }, /'from' regex "\(\.\*" is refused: RE2 does not compile it/],
  ])('rewriteName(%j, %j) fails with a clear error', (from, to, options, message) => {
    const dns = new CoreDnsRewrite(Testing.chart(), 'dns');
    expect(() => dns.rewriteName(from, to, options)).toThrow(message);
    expect(dns.rules).toEqual([]);
  });

  test('allowExternalTarget accepts a target outside the cluster', () => {
    const chart = Testing.chart();
    const dns = new CoreDnsRewrite(chart, 'dns');
    dns.rewriteName('a.com', 'a.example.org', { allowExternalTarget: true });
    expect(corefileOf(chart)).toContain('    rewrite name exact a.com a.example.org\n');
  });

  test('the same rule twice changes nothing and returns the existing rule', () => {
    const chart = Testing.chart();
    const dns = new CoreDnsRewrite(chart, 'dns');
    const first = dns.rewriteName('a.com', 'a.prod.svc.cluster.local');
    expect(dns.rewriteName('A.com.', 'a.prod.svc.cluster.local.')).toBe(first);
    expect(dns.rules).toEqual([first]);
    expect(corefileOf(chart).match(/rewrite name/g)).toEqual(['rewrite name']);
  });

  test('a duplicate FROM, a loop, and a conflict with the Corefile fail', () => {
    // GIVEN
    const dns = new CoreDnsRewrite(Testing.chart(), 'dns', { corefile: Corefile.parse(MULTI_BLOCK) });
    dns.rewriteName('a.com', 'a.prod.svc.cluster.local');
    dns.rewriteName('b.com', 'c.com', { allowExternalTarget: true });
    // THEN
    expect(() => dns.rewriteName('A.com.', 'b.prod.svc.cluster.local')).toThrow(
      '\'from\' "a.com" (exact) is already rewritten by test/dns: "rewrite name exact a.com a.prod.svc.cluster.local"; duplicate rule "rewrite name exact a.com b.prod.svc.cluster.local"');
    expect(() => dns.rewriteName('c.com', 'b.com', { allowExternalTarget: true })).toThrow(/rewrite loop: "b.com" -> "c.com" -> "b.com"/);
    expect(() => dns.rewriteName('roc.oa.com', 'other.prod.svc.cluster.local')).toThrow(
      'Corefile line 14 already rewrites "roc.oa.com" differently: existing "rewrite name roc.oa.com server.prod.svc.cluster.local", new "rewrite name exact roc.oa.com other.prod.svc.cluster.local"');
    expect(dns.rules.map((r) => r.from)).toEqual(['a.com', 'b.com']);
  });

  test('a rule that an earlier, broader rule shadows fails, naming both; the specific rule first works', () => {
    // GIVEN
    const dns = new CoreDnsRewrite(Testing.chart(), 'dns');
    dns.rewriteName('oa.com', 'prod.svc.cluster.local', { match: RewriteMatch.SUFFIX });
    dns.rewriteName('^(.*)\\.qq\\.com\\.$', '{1}.prod.svc.cluster.local', { match: RewriteMatch.REGEX });
    // THEN
    expect(() => dns.rewriteName('roc.oa.com', 'roc-server.other.svc.cluster.local')).toThrow(
      'rewrite "rewrite name exact roc.oa.com roc-server.other.svc.cluster.local" would never fire for "roc.oa.com.": ' +
      'the earlier rule "rewrite name suffix .oa.com. .prod.svc.cluster.local. answer auto" matches it first and stops');
    expect(() => dns.rewriteName('api.qq.com', 'api.special.svc.cluster.local')).toThrow(
      /the earlier rule "rewrite name regex \^\(\.\*\)\\\.qq\\\.com\\\.\$ \{1\}\.prod\.svc\.cluster\.local answer auto" matches it first/);
    expect(dns.rules.length).toEqual(2);
    const ordered = new CoreDnsRewrite(Testing.chart(), 'dns');
    ordered.rewriteName('roc.oa.com', 'roc-server.other.svc.cluster.local');
    expect(() => ordered.rewriteName('oa.com', 'prod.svc.cluster.local', { match: RewriteMatch.SUFFIX })).not.toThrow();
  });

  test.each([
    [{ configMapName: 'Core DNS' }, /'configMapName' must be a DNS-1123 subdomain \(.*\), got "Core DNS"/],
    [{ namespace: 'kube_system' }, /'namespace' must be a DNS-1123 label \(.*\), got "kube_system"/],
    [{ clusterDomain: 'cluster..local' }, /'clusterDomain' must be a DNS name .*got "cluster..local"/],
    [{ clusterDomain: 'corp.internal' }, /'clusterDomain' "corp.internal" is not served by the Corefile's kubernetes directive \(line 10: cluster.local. in-addr.arpa ip6.arpa\)/],
  ])('bad props fail: %j', (props, message) => {
    expect(() => new CoreDnsRewrite(Testing.chart(), 'dns', props)).toThrow(message);
  });

  test('FROM stays out of every zone the kubernetes directive serves, not only the cluster domain', () => {
    // GIVEN a kubernetes directive serving a second cluster zone, and one serving a parent of clusterDomain
    const corefile = (zones: string) => Corefile.parse(`.:53 {\n    errors\n    kubernetes ${zones} {\n      pods insecure\n    }\n    forward . /etc/resolv.conf\n}\n`);
    const two = new CoreDnsRewrite(Testing.chart(), 'dns', { corefile: corefile('cluster.local k8s.internal in-addr.arpa ip6.arpa') });
    const parent = new CoreDnsRewrite(Testing.chart(), 'dns', { corefile: corefile('local in-addr.arpa ip6.arpa') });
    // THEN names in those zones are in-cluster names too
    expect(() => two.rewriteName('web.prod.svc.k8s.internal', 'web.prod.svc.cluster.local'))
      .toThrow(/'from' "web.prod.svc.k8s.internal" \(exact\) matches names inside the cluster domain "k8s.internal"/);
    expect(() => two.rewriteName('internal', 'prod.svc.cluster.local', { match: RewriteMatch.SUFFIX }))
      .toThrow(/'from' "internal" \(suffix\) matches names inside the cluster domain "k8s.internal"/);
    expect(() => two.rewriteName('^(.*)\\.internal\\.$', '{1}.prod.svc.cluster.local', { match: RewriteMatch.REGEX }))
      .toThrow(/matches names inside the cluster domain "k8s.internal".*under RE2 semantics it matches "k8s.internal."/);
    expect(() => parent.rewriteName('web.prod.svc.local', 'web.prod.svc.cluster.local'))
      .toThrow(/'from' "web.prod.svc.local" \(exact\) matches names inside the cluster domain "local"/);
    // AND names outside every zone are still accepted; reverse zones are not guarded
    expect(() => two.rewriteName('roc.oa.com', 'roc.prod.svc.cluster.local')).not.toThrow();
    expect(two.rules.map((r) => r.from)).toEqual(['roc.oa.com']);
    expect(parent.rules).toEqual([]);
  });

  test('a second CoreDnsRewrite for the same ConfigMap in the App fails synth, naming both paths', () => {
    // GIVEN
    const app = Testing.app();
    const one = new Chart(app, 'one');
    const two = new Chart(app, 'two');
    new CoreDnsRewrite(one, 'dns');
    new CoreDnsRewrite(two, 'dns');
    // THEN
    expect(() => app.synthYaml()).toThrow(/only one CoreDnsRewrite may write ConfigMap kube-system\/coredns: one\/dns and two\/dns both do/);
  });

  test('CoreDnsRewrites for different ConfigMaps may coexist', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'one');
    new CoreDnsRewrite(chart, 'dns');
    new CoreDnsRewrite(chart, 'other', { namespace: 'dns-system' });
    expect(() => app.synthYaml()).not.toThrow();
  });
});

describe('CoreDnsRewrite default child', () => {
  test('ApiObject.of(dns) is the ConfigMap, and the synthesized output is unchanged', () => {
    // GIVEN
    const chart = Testing.chart();
    const dns = new CoreDnsRewrite(chart, 'dns');
    dns.rewriteName('roc.oa.com', 'server.prod.svc.cluster.local');
    // WHEN
    const api = ApiObject.of(dns);
    api.metadata.addLabel('team', 'dns');
    // THEN
    expect([api.kind, api.name, api.metadata.namespace]).toEqual(['ConfigMap', 'coredns', 'kube-system']);
    const cm = findManifest(synthValidated(chart), 'ConfigMap', 'coredns', 'kube-system');
    expect(cm.metadata.labels).toEqual({ team: 'dns' });
    expect(cm.data.Corefile).toEqual(Corefile.tkeDefault().withRewrites([dns.rules[0]]).render());
  });
});
