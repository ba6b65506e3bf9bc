/**
 * A `kind: List` (kubectl get -o yaml / -o json) is parsed item by item, to bound memory; the result must be
 * exactly that of parsing the document whole. The whole parse is forced by a `%YAML` directive, which the
 * splitter refuses (and which moves every line down by two).
 */
import { emptyInput, parseSource, ParsedInput } from '../../src/checks/input';
import { splitList } from '../../src/checks/list-split';

function parse(text: string): ParsedInput {
  const into = emptyInput();
  parseSource('in.yaml', text, into, { continueOnError: true });
  return into;
}

/** The whole parse of `text`, with its lines moved back up by the two directive lines. */
function wholeParse(text: string): ParsedInput {
  const got = parse(`%YAML 1.2\n---\n${text}`);
  const up = (line: number | undefined) => (line === undefined ? undefined : line - 2);
  return {
    files: got.files,
    objects: got.objects.map((o) => ({
      ...o,
      line: up(o.line)!,
      ...(o.valueLines ? { valueLines: Object.fromEntries(Object.entries(o.valueLines).map(([k, v]) => [k, v - 2])) } : {}),
      ...(o.valueLineMaps ? { valueLineMaps: Object.fromEntries(Object.entries(o.valueLineMaps).map(([k, v]) => [k, v.map((l) => l - 2)])) } : {}),
    })),
    skipped: got.skipped.map((d) => ({ ...d, line: up(d.line)! })),
    errors: got.errors,
  };
}

const KUBECTL_YAML = [
  'apiVersion: v1',
  'items:',
  '- apiVersion: v1',
  '  kind: Service',
  '  metadata:',
  '    annotations:',
  '      service.kubernetes.io/qcloud-loadbalancer-internal-subnetid: subnet-12345678',
  '    name: web',
  '    namespace: shop',
  '  spec:',
  '    type: LoadBalancer',
  '  status:',
  '    loadBalancer: {}',
  '# a comment between items',
  '- null',
  '-',
  '  apiVersion: v1',
  '  data:',
  '    Corefile: |',
  '      .:53 {',
  '          rewrite name a.oa.com a.example.com',
  '      }',
  '    other: "x\\n',
  '      y"',
  '  kind: ConfigMap',
  '  metadata: {name: coredns, namespace: kube-system}',
  '- 42',
  '- apiVersion: v1',
  '  kind: ConfigMap',
  '  metadata:',
  '    name: quoted',
  '  data:',
  '    Corefile: ".:53 {\\n    errors\\n',
  '      \\   rewrite name b.oa.com b.example.com\\n}\\n"',
  'kind: List',
  'metadata:',
  '  resourceVersion: ""',
  '',
].join('\n');

describe('a List parsed item by item gives what the whole parse gives', () => {
  test.each([
    ['kubectl -o yaml', KUBECTL_YAML],
    ['items indented under items:', KUBECTL_YAML.replace(/^(?=[- ])/gm, '  ').replace(/^  (?=apiVersion: v1\nitems:)/, '')],
    ['Windows line endings', KUBECTL_YAML.replace(/\n/g, '\r\n')],
    ['kubectl -o json', JSON.stringify({
      apiVersion: 'v1',
      kind: 'ServiceList',
      items: [
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'a "quoted" [name]', namespace: 'shop' }, spec: { type: 'LoadBalancer' } },
        null,
        7,
        'text, with a comma',
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' }, data: { Corefile: '.:53 {\n    rewrite name a.oa.com a.example.com\n}\n' } },
      ],
      metadata: { resourceVersion: '' },
    }, undefined, 4)],
  ])('%s', (_, text) => {
    expect(splitList(text)).toBeDefined();
    const split = parse(text);
    expect(split).toEqual(wholeParse(text));
    expect(split.objects.length).toBeGreaterThanOrEqual(2);
  });

  test('an alias of an anchor in another item is parsed whole (no error, as the whole parse)', () => {
    const text = 'apiVersion: v1\nkind: List\nitems:\n- &svc\n  apiVersion: v1\n  kind: Service\n  metadata: {name: a}\n- *svc\n';
    const got = parse(text);
    expect(got.errors).toEqual([]);
    expect(got).toEqual(wholeParse(text));
    expect(got.objects.map((o) => o.object.metadata.name)).toEqual(['a', 'a']);
  });

  test('a syntax error in an item is reported where the whole parse reports it', () => {
    const text = 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: [a}\n';
    expect(parse(text).errors.map((e) => e.message)).toEqual(wholeParse(text).errors.map((e) => e.message.replace(/in\.yaml:(\d+)/, (_m, l) => `in.yaml:${Number(l) - 2}`)));
    expect(parse(text).errors).toHaveLength(1);
  });

  test.each([
    ['a duplicate top-level key', `${KUBECTL_YAML}kind: List\n`],
    ['a broken metadata', KUBECTL_YAML.replace('  resourceVersion: ""', '  resourceVersion: "')],
    ['a duplicate JSON key', '{"apiVersion": "v1", "kind": "List", "items": [{"apiVersion": "v1", "kind": "A"}], "kind": "List"}'],
  ])('%s outside the items is the error of the whole parse', (_, text) => {
    const got = parse(text);
    expect(got.errors).toHaveLength(1);
    expect(got.objects).toEqual([]);
    expect(got.errors.map((e) => e.message)).toEqual(wholeParse(text).errors.map((e) => e.message.replace(/in\.yaml:(\d+)/, (_m, l) => `in.yaml:${Number(l) - 2}`)));
  });

  test.each([
    ['two documents', 'apiVersion: v1\nkind: List\nitems:\n- a: 1\n---\nkind: B\n'],
    ['flow items', 'apiVersion: v1\nkind: List\nitems: [{a: 1}]\n'],
    ['not a List', 'apiVersion: v1\nkind: Service\nitems:\n- a\n'],
    ['no apiVersion', 'kind: List\nitems:\n- a\n'],
    ['a tab in the indentation', 'apiVersion: v1\nkind: List\nitems:\n- a: 1\n\tb: 2\n'],
    ['a JSON array', '[{"apiVersion": "v1", "kind": "List", "items": []}]'],
  ])('%s is not split', (_, text) => {
    expect(splitList(text)).toBeUndefined();
  });
});

describe('a document nested too deeply for the parser', () => {
  test.each([
    ['flow sequences', `a: ${'['.repeat(5000)}${']'.repeat(5000)}\n`],
    ['flow mappings', `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  x: ${'{a: '.repeat(3000)}1${'}'.repeat(3000)}\n`],
  ])('%s: an input error that says so, not the engine\'s stack message', (_, text) => {
    const got = parse(text);
    expect(got.errors.map((e) => e.detail)).toEqual(['the document nests too deeply to be read']);
  });
});
