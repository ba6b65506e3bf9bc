import { compileRe2 } from '../../coredns/regex';
import { CorefileRewrites, isDnsName, isInClusterDomain, isNameFragment, NameRewrite, readCorefileRewrites } from '../private/corefile-rewrites';
import { asMap, asString, describeEntry, Entry, ManifestSet } from '../private/manifests';
import { CORE, privateClbHosts } from '../private/tke';
import { FindingLevel } from '../types';
import { LoopbackRule, RuleContext, RuleFinding } from './rule';

/** The Corefile field of the coredns ConfigMap, for finding positions. */
const COREFILE_FIELD = 'data.Corefile';

/**
 * A host of `hosts` (served by a private-network CLB) that the rewrite's FROM matches, with the object that
 * serves it; undefined when none does.
 */
function servedHost(r: NameRewrite, hosts: ReadonlyMap<string, Entry>): [string, Entry] | undefined {
  const from = r.from?.toLowerCase().replace(/\.$/, '');
  if (from === undefined || hosts.size === 0) return undefined;
  let matches: (host: string) => boolean;
  if (r.type === 'exact') {
    // An Ingress host `*.oa.com` serves every name of one more label (`api.oa.com`, not `x.api.oa.com`).
    // https://kubernetes.io/docs/concepts/services-networking/ingress/#hostname-wildcards
    matches = (h) => h === from || (h.startsWith('*.') && from.endsWith(h.slice(1)) && /^[^.]+$/.test(from.slice(0, from.length - h.length + 1)));
  } else if (r.type === 'suffix') {
    matches = (h) => h.endsWith(from);
  } else if (r.type === 'regex') {
    // CoreDNS runs the pattern with Go's regexp (RE2), case-sensitively, on the query name: lower-case
    // and fully qualified (final dot). JavaScript's RegExp reads `\A`, `[[:alpha:]]` or `\Q...\E`
    // differently, so the library's RE2 helper is used.
    // https://coredns.io/plugins/rewrite/ (regex name rules; query names are lower-case FQDNs)
    const re = compileRe2(r.from!).re;
    if (re === undefined) return undefined;
    matches = (h) => re.matcher(`${h}.`).find();
  } else {
    return undefined;
  }
  for (const entry of hosts) if (matches(entry[0])) return entry;
  return undefined;
}

/**
 * What is wrong with one rewrite's names and target (errors), given the cluster domains and the hosts that
 * private-network CLBs of the set serve. A target outside the cluster domain is a problem only when FROM
 * is such a host: otherwise the rewrite may serve another purpose (a local registry name, say).
 */
function nameProblems(r: NameRewrite, domains: readonly string[], hosts: ReadonlyMap<string, Entry>): string[] {
  const problems = [...r.problems];
  const { from, to } = r;
  if (from === undefined || to === undefined) return problems;
  if (r.type === 'exact') {
    if (!isDnsName(from)) problems.push(`FROM ${JSON.stringify(from)} is not a valid DNS name`);
    if (!isDnsName(to)) problems.push(`TO ${JSON.stringify(to)} is not a valid DNS name`);
  } else if (r.type === 'regex') {
    if (!/^[A-Za-z0-9_.{}-]+$/.test(to)) problems.push(`TO ${JSON.stringify(to)} is not a DNS name template (letters, digits, _, -, . and {n} groups)`);
  } else {
    if (!isNameFragment(from)) problems.push(`FROM ${JSON.stringify(from)} is not a valid piece of a DNS name`);
    if (!isNameFragment(to)) problems.push(`TO ${JSON.stringify(to)} is not a valid piece of a DNS name`);
  }
  // Prefix and substring rewrites keep the end of the name, so their target cannot be judged here.
  const served = (r.type === 'exact' || r.type === 'suffix' || r.type === 'regex') && !isInClusterDomain(to, domains)
    ? servedHost(r, hosts) : undefined;
  if (served) {
    problems.push(
      `FROM matches ${served[0]}, a host that the private-network CLB of ${describeEntry(served[1])} serves, but TO ` +
      `${JSON.stringify(to)} is outside the cluster domain (${domains.join(', ')}), so the name still resolves outside the ` +
      'cluster (to the CLB) instead of to a Service',
    );
  }
  return problems;
}

/**
 * TKE-DNS-001: a CoreDNS rewrite that cannot keep in-cluster clients off the CLB.
 */
export const TKE_DNS_001: LoopbackRule = {
  info: {
    id: 'TKE-DNS-001',
    level: FindingLevel.ERROR,
    cause:
      'A rewrite in the main zone (the server block serving ".") of the coredns ConfigMap (kube-system) has an ' +
      'invalid name, or rewrites a host that a private-network CLB of the set serves to a target outside the cluster ' +
      'domain, or the Corefile does not parse (error), or a rewrite is not exact and has neither answer auto nor ' +
      'answer name (warning).',
    explanation:
      'Tencent\'s best loopback fix is that in-cluster clients never call the CLB: a CoreDNS `rewrite name FROM ' +
      'TO` points the public name at `<svc>.<ns>.svc.<cluster-domain>`. An invalid name stops CoreDNS from loading ' +
      'the Corefile, and a target outside the cluster domain (taken from the kubernetes plugin line, cluster.local ' +
      'by default) still resolves to the CLB: that is reported when FROM matches a host (`spec.rules[].host` or ' +
      '`spec.tls[].hosts`; a wildcard `*.oa.com` serves the names of one more label) of a private-network TKE Ingress ' +
      'of the checked set, and not otherwise (a rewrite such as ' +
      '`rewrite name registry.local host.k3d.internal` serves another purpose). CoreDNS rewrites the answers of an exact rewrite back to the asked ' +
      'name; for prefix, suffix, substring and regex rewrites only `answer auto` (CoreDNS 1.8.4 or later) or ' +
      '`answer name` does, and without it clients receive answers for a name they did not ask for and may drop them. ' +
      'Only server blocks serving "." are judged (a rewrite in, say, `consul.local:53 { ... }` serves another zone); ' +
      'the mode and match type are read case-insensitively, as CoreDNS does, and a regex FROM is matched as CoreDNS ' +
      'runs it: with Go\'s RE2 syntax, case-sensitively, on the lower-case name with its final dot.',
    fix:
      'Write `rewrite name exact <public-name> <svc>.<ns>.svc.cluster.local`, or for other types add `answer auto`, ' +
      'in the Corefile of ConfigMap kube-system/coredns.',
  },
  check(set: ManifestSet, context: RuleContext): RuleFinding[] {
    const out: RuleFinding[] = [];
    const hosts = privateClbHosts(set, context.clbs);
    for (const cm of set.ofKind('ConfigMap', CORE)) {
      if (cm.name !== 'coredns' || cm.namespace !== 'kube-system') continue;
      const corefile = asString(asMap(cm.obj.data).Corefile);
      if (corefile === undefined) continue;
      let read: CorefileRewrites;
      try {
        read = readCorefileRewrites(corefile);
      } catch (e) {
        out.push({
          entry: cm,
          message: `${describeEntry(cm)}: the Corefile does not parse (${(e as Error).message}), so CoreDNS would not load it either`,
          fix: 'Fix the Corefile at the line named (braces and quotes must balance).',
        });
        continue;
      }
      const domains = read.domains;
      for (const r of read.rewrites) {
        const problems = nameProblems(r, domains, hosts);
        if (problems.length > 0) {
          out.push({
            entry: cm,
            message: `${describeEntry(cm)}: Corefile line ${r.line} "${r.text}": ${problems.join('; ')}`,
            field: COREFILE_FIELD,
            fieldLine: r.line,
          });
        } else if (r.type !== 'exact' && !r.answers.includes('auto') && !r.answers.includes('name')) {
          out.push({
            entry: cm,
            level: FindingLevel.WARNING,
            message:
              `${describeEntry(cm)}: Corefile line ${r.line} "${r.text}" is a ${r.type} rewrite without answer auto, so ` +
              'answers carry the rewritten name instead of the asked one',
            fix: `Append \`answer auto\` to line ${r.line} of the Corefile (CoreDNS 1.8.4 or later).`,
            field: COREFILE_FIELD,
            fieldLine: r.line,
          });
        }
      }
    }
    return out;
  },
};
