/**
 * Fix mode on YAML it did not write: anchors and aliases, merge keys, flow maps, JSON, comments between
 * keys, document end markers, directives, CRLF, lists, duplicate keys, long lines and empty documents.
 * Each case: nothing lost or reordered, untouched documents byte for byte, idempotent, and a check that
 * finds nothing fixable afterwards.
 */
import { parseAllDocuments } from 'yaml';
import { documentSlices, lineDiff, linePrefix } from './yaml-helpers';
import { LoopbackChecker, LoopbackFixer } from '../../src';
import { InputError } from '../../src/checks/input';
import { fixSources } from '../../src/fix/sources';
import { sameValue } from '../../src/fix/yaml-patch';

const SUBNET = 'service.kubernetes.io/qcloud-loadbalancer-internal-subnetid';
const ING_SUBNET = 'kubernetes.io/ingress.subnetId';
const PREVENT = 'service.cloud.tencent.com/prevent-loopback';
const ING_CONFIG = 'ingress.cloud.tencent.com/tke-service-config';

function fix(text: string): { text: string; changes: number; unfixed: string[] } {
  const run = fixSources([{ name: 'odd.yaml', text }], {});
  return { text: run.outputs[0].text, changes: run.changes.length, unfixed: run.unfixed.map((u) => u.finding.ruleId) };
}

function values(text: string): any[] {
  return parseAllDocuments(text, { merge: true }).map((d) => d.toJS({ maxAliasCount: 1000 }));
}

/** The guarantees every case must keep; returns the fixed text. */
function expectSafeFix(input: string): string {
  const out = fix(input).text;
  expect(fix(out).text).toEqual(out);
  // The library on the parsed objects gives the same objects.
  expect(values(out).filter((v) => v !== null)).toEqual(LoopbackFixer.fix(values(input).filter((v) => v !== null)).manifests);
  // Untouched documents byte for byte; a changed one only gains lines or changes lines it edited.
  const inDocs = documentSlices(input);
  const outDocs = documentSlices(out).filter((d) => !(d.value?.kind === 'TkeServiceConfig' && /-loopback$/.test(d.value.metadata.name)));
  expect(outDocs).toHaveLength(inDocs.length);
  inDocs.forEach((d, i) => {
    if (sameValue(d.value, outDocs[i].value)) {
      expect(outDocs[i].text).toEqual(d.text);
      return;
    }
    const diff = lineDiff(d.text.replace(/\r?\n$/, ''), outDocs[i].text.replace(/\r?\n$/, ''));
    const kept = new Set(diff.added.map(linePrefix));
    // An alias on an edited path is written out: its line is the one edited.
    for (const removed of diff.removed) expect(kept.has(linePrefix(removed)) || /^\s*(- )?(\S+: )?\*\S+\s*$/.test(removed)).toBe(true);
  });
  const fixable = LoopbackFixer.fixableRules();
  expect(LoopbackChecker.check(values(out).filter((v) => v !== null)).findings.filter((f) => fixable.includes(f.ruleId))).toEqual([]);
  return out;
}

const service = (name: string, annotations = `\n    ${SUBNET}: subnet-abcd1234`) => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  annotations:${annotations}
spec:
  type: LoadBalancer
`;

describe('anchors and aliases', () => {
  test('GIVEN an alias on the path to edit (a shared listener) THEN the alias is written out, the anchor keeps its own edit, nothing else moves', () => {
    const input = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: i, annotations: {${ING_SUBNET}: subnet-abcd1234, ${ING_CONFIG}: c}}
spec: {}
---
apiVersion: cloud.tencent.com/v1alpha1
kind: TkeServiceConfig
metadata: {name: c}   # kept as written
spec:
  loadBalancer:
    l7Listeners:
    - &l {protocol: HTTP, port: 80}
    - *l
`;
    const out = expectSafeFix(input);
    expect(out).toContain('metadata: {name: c}   # kept as written\n');
    expect(out).toContain('    - &l {protocol: HTTP, port: 80, keepaliveEnable: 1}\n');
    expect(out).not.toContain('*l');
  });

  test('GIVEN a List whose second item aliases the first THEN both are fixed, the anchored item in place', () => {
    const input = `apiVersion: v1
kind: List
items:
- &s
  apiVersion: v1
  kind: Service
  metadata:
    name: a
    annotations:
      ${SUBNET}: subnet-abcd1234
  spec:
    type: LoadBalancer
- *s
`;
    const out = expectSafeFix(input);
    expect(values(out)[0].items.map((i: any) => i.metadata.annotations[PREVENT])).toEqual(['true', 'true']);
    expect(out.startsWith(input.split('- *s')[0].replace('subnet-abcd1234\n', `subnet-abcd1234\n      ${PREVENT}: "true"\n`))).toBe(true);
  });

  test('GIVEN a merge key and an anchored selector THEN they stay, and the annotation is added next to the merge key', () => {
    const input = `apiVersion: v1
kind: Service
metadata:
  name: a
  labels: &labels {app: a}
  annotations:
    <<: {${SUBNET}: subnet-abcd1234}
spec:
  type: LoadBalancer
  selector: *labels
`;
    const out = expectSafeFix(input);
    expect(out).toContain(`    <<: {${SUBNET}: subnet-abcd1234}\n    ${PREVENT}: "true"\n`);
    expect(out).toContain('  selector: *labels\n');
  });

  test('GIVEN an alias to an anchor in another document THEN exit as a parse error naming file and line (YAML has no cross-document aliases)', () => {
    const input = `${service('a').replace('annotations:', 'annotations: &ann')}---\n${service('b', ' *ann')}`;
    expect(() => fix(input)).toThrow(InputError);
    expect(() => fix(input)).toThrow(/^odd\.yaml:\d+.*alias/i);
  });

  test('GIVEN aliases that expand past the checker\'s bound THEN fix refuses it as the checker does', () => {
    const items = Array.from({ length: 2000 }, () => '  - *big').join('\n');
    const big = `{${Array.from({ length: 100 }, (_, i) => `k${i}: v`).join(', ')}}`;
    const input = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  big: &big ${big}\n  list:\n${items}\n`;
    expect(() => fix(input)).toThrow(/odd\.yaml:1: .*aliases expand to more than/);
  });
});

describe('flow maps and JSON', () => {
  test('GIVEN a Service written as one flow map THEN the annotation is added inside it', () => {
    const input = `{apiVersion: v1, kind: Service, metadata: {name: a, annotations: {${SUBNET}: subnet-abcd1234}}, spec: {type: LoadBalancer}}\n`;
    expect(expectSafeFix(input)).toEqual(input.replace('subnet-abcd1234}', `subnet-abcd1234, ${PREVENT}: "true"}`));
  });

  test('GIVEN a JSON document THEN what is added is JSON, so the file stays JSON', () => {
    const input = `{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "a", "annotations": {"${SUBNET}": "subnet-abcd1234"}}, "spec": {"type": "LoadBalancer"}}\n`;
    const out = expectSafeFix(input);
    expect(JSON.parse(out).metadata.annotations[PREVENT]).toEqual('true');
  });

  test('GIVEN an unbound private Ingress in a JSON document THEN no YAML document is appended; the reason says what to add', () => {
    const input = `{"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "i", "annotations": {"${ING_SUBNET}": "subnet-abcd1234"}}}\n`;
    const run = fixSources([{ name: 'ing.json', text: input }], {});
    expect(run.outputs[0].text).toEqual(input);
    expect(run.unfixed.map((u) => u.reason)).toEqual([expect.stringMatching(/JSON document.*TkeServiceConfig i-loopback cannot be added.*HTTP:80/)]);
  });

  test('GIVEN a JSON List THEN the added config goes into items as JSON', () => {
    const input = `{"apiVersion": "v1", "kind": "List", "items": [{"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "i", "annotations": {"${ING_SUBNET}": "subnet-abcd1234"}}}]}\n`;
    const out = expectSafeFix(input);
    expect(JSON.parse(out).items.map((i: any) => i.kind)).toEqual(['Ingress', 'TkeServiceConfig']);
  });
});

describe('layout', () => {
  test('GIVEN comments and blank lines between keys THEN every comment and blank line stays in place', () => {
    const input = `apiVersion: v1
kind: Service
metadata:
  # the name
  name: a

  # annotations below
  annotations:
    # subnet
    ${SUBNET}: subnet-abcd1234
    # trailing comment in the map

# before spec
spec:
  type: LoadBalancer
`;
    const out = expectSafeFix(input);
    expect(lineDiff(input, out)).toEqual({ removed: [], added: [`    ${PREVENT}: "true"`] });
  });

  test('GIVEN document end markers (...) THEN they stay, and an added config comes after the marker', () => {
    const input = `${service('a')}...\n---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\n  annotations:\n    ${ING_SUBNET}: subnet-abcd1234\n...\n`;
    const out = expectSafeFix(input);
    expect(out.match(/^\.\.\.$/gm)).toHaveLength(2);
    expect(out).toMatch(/subnet-abcd1234\n {4}ingress.cloud.tencent.com\/tke-service-config: i-loopback\n\.\.\.\n---\napiVersion: cloud.tencent.com\/v1alpha1/);
  });

  test('GIVEN a %YAML directive THEN it stays first', () => {
    const input = `%YAML 1.2\n---\n${service('a')}`;
    expect(expectSafeFix(input).startsWith('%YAML 1.2\n---\napiVersion: v1\n')).toBe(true);
  });

  test('GIVEN Windows line endings THEN every line written, added documents too, ends in CRLF', () => {
    const input = `${service('a')}---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\n  annotations:\n    ${ING_SUBNET}: subnet-abcd1234\n`.replace(/\n/g, '\r\n');
    const out = expectSafeFix(input);
    expect(out).toContain('i-loopback');
    expect(out.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  test('GIVEN empty documents and comment-only documents THEN they stay, in order', () => {
    const input = `---\n---\n# only a comment\n---\n${service('a')}---\n---\n`;
    const out = expectSafeFix(input);
    expect(out).toEqual(input.replace('subnet-abcd1234\n', `subnet-abcd1234\n    ${PREVENT}: "true"\n`));
  });

  test('GIVEN a 100 KB line next to the edit, and no final newline THEN both stay', () => {
    const long = 'x'.repeat(100_000);
    const input = service('a', `\n    note: "${long}"\n    ${SUBNET}: subnet-abcd1234`).replace(/\n$/, '');
    const out = expectSafeFix(input);
    expect(out).toContain(`    note: "${long}"\n`);
    expect(out.endsWith('type: LoadBalancer')).toBe(true);
  });

  test('GIVEN explicit tags THEN they stay', () => {
    const input = `!!map\n${service('a', `\n    ${SUBNET}: !!str subnet-abcd1234`).replace('annotations:', 'annotations: !!map')}`;
    const out = expectSafeFix(input);
    expect(out).toContain(`annotations: !!map\n    ${SUBNET}: !!str subnet-abcd1234\n    ${PREVENT}: "true"\n`);
  });

  test('GIVEN duplicate keys THEN it is a parse error with file:line, as for the checker (which value wins is the reader\'s guess)', () => {
    const input = service('a').replace('  name: a\n', '  name: a\n  name: b\n');
    expect(() => fix(input)).toThrow(/^odd\.yaml:5:3: Map keys must be unique/);
  });

  test('GIVEN an unrendered Helm template THEN the checker\'s template message, with file:line', () => {
    const input = `${service('a')}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n`;
    expect(() => fix(input)).toThrow(/^odd\.yaml:\d+:\d+: looks like an unrendered Helm\/Go template; render it first \(`helm template \.\.\. \| cdk8s-tke-loopback fix -`\)/);
  });
});
