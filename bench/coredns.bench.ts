/**
 * CoreDNS rewrites: many rules on one CoreDnsRewrite, and hostile regexes.
 *
 * - 1,000 exact rules added with `rewriteName()` and synthesized, against a plain kplus.ConfigMap holding the same
 *   Corefile text (the baseline writes the bytes without any check). Also the absolute time, which must stay well
 *   under a second, and scaling from 250 to 1,000 rules (linear is 4; the old pairwise checks were about 64).
 * - A live Corefile holding `rewrite name regex ^([a-z]+-?)+\.oa\.com\.$ ...` (exponential backtracking in
 *   JavaScript): adding an exact rule for a 36-character name, against the same Corefile with a benign regex.
 * - A user regex `^(a|a)*(a{30})?$`-style rule through the in-cluster guard, against a benign regex rule.
 * - A 6,000-character regex of optional items (`^.?.?...x\.oa\.com\.$`) through the guard, against a short one
 *   (the guard's search is linear in the product automaton; it used to be quadratic: minutes).
 * - A live Corefile with 200 regex rules (100 above the kubernetes line, 100 below), adding 100 exact rules,
 *   against one with 20 regex rules (10 and 10); each added rule checks the open names of the rules below once.
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Corefile, CoreDnsRewrite, RewriteMatch, RewriteRule } from '../src';
import { compare, ratioFigure, report, writeResults } from './harness';

const target = (i: number) => `app-${i}.prod.svc.cluster.local`;
const from = (i: number) => `app-${i}.legacy.example.com`;

/** N exact rules on one CoreDnsRewrite, synthesized. */
function oursRules(n: number): number {
  const app = new App();
  const chart = new Chart(app, 'bench');
  const dns = new CoreDnsRewrite(chart, 'dns');
  for (let i = 0; i < n; i++) dns.rewriteName(from(i), target(i));
  return chart.toJson().length;
}

/** The same Corefile text, written into a ConfigMap by hand (no parsing, no checks). */
function plainRules(n: number): number {
  const app = new App();
  const chart = new Chart(app, 'bench');
  const lines = Array.from({ length: n }, (_, i) => `    rewrite name exact ${from(i)} ${target(i)}\n`).join('');
  const text = Corefile.tkeDefault().render().replace('    kubernetes', `${lines}    kubernetes`);
  new kplus.ConfigMap(chart, 'cm', { metadata: { name: 'coredns', namespace: 'kube-system' }, data: { Corefile: text } });
  return chart.toJson().length;
}

const rules1000 = compare(() => oursRules(1000), () => plainRules(1000));
const rules250 = compare(() => oursRules(250), () => plainRules(250));

const REGEX = { match: RewriteMatch.REGEX };
const live = (pattern: string) => Corefile.kubeadmDefault().withRewrites([RewriteRule.of(pattern, '{1}.prod.svc.cluster.local', REGEX)]);
const hostileLive = live('^([a-z]+-?)+\\.oa\\.com\\.$');
const benignLive = live('^([a-z]+)\\.oa\\.com\\.$');
const longName = `${'a'.repeat(36)}.example.com`;
const addExact = (corefile: Corefile) => () => corefile.withRewrites([RewriteRule.of(longName, 'x.prod.svc.cluster.local')]).render().length;
const backtracking = compare(addExact(hostileLive), addExact(benignLive), { runs: 9 });

const guard = (pattern: string) => () => {
  const dns = new CoreDnsRewrite(new Chart(new App(), 'c'), 'dns');
  return dns.rewriteName(pattern, 'x.prod.svc.cluster.local', REGEX).from.length;
};
const hostileUser = compare(guard(`^(a|a)*(${'a'.repeat(30)})?$`), guard('^(abc)\\.oa\\.com\\.$'), { runs: 9 });

const chain = compare(guard(`^${'.?'.repeat(3000)}x\\.oa\\.com\\.$`), guard('^.?x\\.oa\\.com\\.$'), { runs: 5 });

/** A Corefile with `n` regex rules above the kubernetes line and `n` below it. */
const regexLive = (n: number) => {
  const rule = (i: number) => `    rewrite name regex ^(.*)\\.r${i}\\.example\\.$ {1}.prod.svc.cluster.local answer auto`;
  return Corefile.parse(['.:53 {', ...Array.from({ length: n }, (_, i) => rule(i)), '    kubernetes cluster.local',
    ...Array.from({ length: n }, (_, i) => rule(n + i)), '}', ''].join('\n'));
};
const manyRegex = regexLive(100);
const fewRegex = regexLive(10);
const add100 = (corefile: Corefile) => () =>
  corefile.withRewrites(Array.from({ length: 100 }, (_, i) => RewriteRule.of(from(i), target(i)))).render().length;
const liveRegexes = compare(add100(manyRegex), add100(fewRegex), { runs: 5 });

writeResults('coredns', [
  report({ name: 'coredns: 1,000 exact rules on one CoreDnsRewrite, rewriteName + synth', value: rules1000.candidateMs, unit: 'ms', target: 1000, met: rules1000.candidateMs <= 1000 }),
  ratioFigure('coredns: 1,000 exact rules, CoreDnsRewrite / plain ConfigMap with the same Corefile', rules1000.candidateMs, rules1000.baselineMs, 'ms'),
  ratioFigure('coredns: scaling, CoreDnsRewrite, time(1,000 rules) / time(250 rules)', rules1000.candidateMs, rules250.candidateMs, 'ms', 6),
  ratioFigure('coredns: add an exact rule (36-char name) next to ^([a-z]+-?)+\\.oa\\.com\\.$ / next to a benign regex', backtracking.candidateMs, backtracking.baselineMs, 'ms', 3),
  ratioFigure('coredns: rewriteName of ^(a|a)*(a{30})?$ (guard + compile) / of a benign regex', hostileUser.candidateMs, hostileUser.baselineMs, 'ms', 10),
  ratioFigure('coredns: rewriteName of ^.?.?... (3,000 optional items) / of ^.?x\\.oa\\.com\\.$', chain.candidateMs, chain.baselineMs, 'ms'),
  ratioFigure('coredns: 100 exact rules next to 200 Corefile regex rules / next to 20', liveRegexes.candidateMs, liveRegexes.baselineMs, 'ms'),
]);
