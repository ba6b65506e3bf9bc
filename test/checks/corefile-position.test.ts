/**
 * Where a Corefile finding points when the Corefile is not a `|` block: a JSON string (`kubectl get -o json`)
 * or a double-quoted YAML string (what `kubectl get -o yaml` writes when a line has trailing spaces).
 */
import { runInProcess } from './cli-helpers';
import { privateIngress } from './manifests';

const COREFILE = '.:53 {\n    errors\n    kubernetes cluster.local in-addr.arpa ip6.arpa {\n      pods insecure\n    }\n    rewrite name roc.oa.com roc.example.com \n    forward . /etc/resolv.conf\n}\n';
const CONFIG_MAP = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' }, data: { Corefile: COREFILE } };
const INGRESS = privateIngress({ name: 'portal', namespace: 'shop', hosts: ['roc.oa.com'] });

async function dnsLines(input: string): Promise<number[]> {
  const r = await runInProcess(['check', '--format', 'json', '-'], { input });
  return JSON.parse(r.stdout).findings.filter((f: any) => f.ruleId === 'TKE-DNS-001').map((f: any) => f.line);
}

describe('a Corefile finding in a flow string points at the line holding the rewrite', () => {
  test('a JSON List (kubectl get -o json): the line of the Corefile string', async () => {
    const text = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [CONFIG_MAP, INGRESS] }, undefined, 2);
    const line = text.split('\n').findIndex((l) => l.includes('"Corefile"')) + 1;
    expect(line).toBeGreaterThan(5);
    expect(await dnsLines(text)).toEqual([line]);
  });

  test('a double-quoted YAML string folded over several lines, as kubectl writes it', async () => {
    const text = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: coredns',
      '  namespace: kube-system',
      'data:',
      '  Corefile: ".:53 {\\n    errors\\n    kubernetes cluster.local in-addr.arpa ip6.arpa {\\n      pods insecure\\n',
      '    \\   }\\n    rewrite name roc.oa.com roc.example.com \\n    forward . /etc/resolv.conf\\n}\\n"',
      '---',
      JSON.stringify(INGRESS),
      '',
    ].join('\n');
    expect(await dnsLines(text)).toEqual([8]);
  });

  test('a double-quoted string whose rewrite line starts a new file line', async () => {
    const text = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: coredns, namespace: kube-system}',
      'data:',
      '  Corefile: ".:53 {\\n    errors\\n    kubernetes cluster.local in-addr.arpa ip6.arpa {\\n      pods insecure\\n    }\\n',
      '    \\   rewrite name roc.oa.com roc.example.com \\n    forward . /etc/resolv.conf\\n}\\n"',
      '---',
      JSON.stringify(INGRESS),
      '',
    ].join('\n');
    expect(await dnsLines(text)).toEqual([6]);
  });
});
