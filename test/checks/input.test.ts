import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { parse as parseYaml, stringify } from 'yaml';
import { LoopbackChecker } from '../../src';
import {
  DEFAULT_MAX_INPUT_BYTES, decodeManifest, emptyInput, InputError, MAX_ALIAS_EXPANDED_NODES, parseSource, ParsedInput, TEMPLATE_MESSAGE,
} from '../../src/checks/input';
import { findManifestFiles, readFileBounded, readInputs } from '../../src/checks/input-files';

function parse(text: string, file = 'in.yaml'): ParsedInput {
  const into = emptyInput();
  parseSource(file, text, into);
  return into;
}

function parseError(text: string): InputError {
  try {
    parse(text);
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('parseSource', () => {
  test('multi-document YAML: each object with the line its mapping starts on', () => {
    const got = parse('# header\n\napiVersion: v1\nkind: A\n---\n# note\napiVersion: v1\nkind: B\n');

    expect(got.objects.map((o) => [o.object.kind, o.file, o.line])).toEqual([['A', 'in.yaml', 3], ['B', 'in.yaml', 7]]);
    expect(got.skipped).toEqual([]);
    expect(got.files).toEqual(['in.yaml']);
  });

  test('JSON', () => {
    const got = parse('\n{\n  "apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}\n}\n', 'a.json');

    expect(got.objects).toEqual([{ object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } }, file: 'a.json', line: 2 }]);
  });

  test('a List and a typed list (ServiceList) are expanded into their items', () => {
    const got = parse([
      'apiVersion: v1',
      'kind: ServiceList',
      'items:',
      '  - apiVersion: v1',
      '    kind: Service',
      '    metadata: {name: a}',
      '  - 42',
      '---',
      '{"apiVersion": "v1", "kind": "List", "items": [',
      '  {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "b"}}]}',
      '',
    ].join('\n'));

    expect(got.objects.map((o) => [o.object.metadata.name, o.line])).toEqual([['a', 4], ['b', 10]]);
    expect(got.skipped).toEqual([{ file: 'in.yaml', line: 7, reason: 'ServiceList item 1: a number scalar, not a Kubernetes object' }]);
  });

  test('a List without items array is an object like any other', () => {
    const got = parse('apiVersion: v1\nkind: List\n');

    expect(got.objects.map((o) => o.object)).toEqual([{ apiVersion: 'v1', kind: 'List' }]);
  });

  test('empty input, comments only, and a byte order mark', () => {
    expect(parse('')).toEqual({ objects: [], skipped: [], files: ['in.yaml'], errors: [] });
    expect(parse('# nothing here\n')).toEqual({ objects: [], skipped: [], files: ['in.yaml'], errors: [] });
    expect(parse('\uFEFFapiVersion: v1\nkind: A\n').objects.map((o) => o.object)).toEqual([{ apiVersion: 'v1', kind: 'A' }]);
  });

  test('non-Kubernetes documents are skipped with a reason', () => {
    const got = parse('---\n---\ntrue\n---\napiVersion: v1\n---\nkind: ""\napiVersion: v1\n');

    expect(got.objects).toEqual([]);
    expect(got.skipped.map((s) => `${s.line} ${s.reason}`)).toEqual([
      '1 empty document',
      '3 a boolean scalar, not a Kubernetes object',
      '5 a mapping without kind, not a Kubernetes object',
      '7 a mapping without kind, not a Kubernetes object',
    ]);
  });

  test('merge keys are resolved, as kubectl does', () => {
    const got = parse('base: &b {app: web}\n---\napiVersion: v1\nkind: A\nmetadata:\n  labels:\n    <<: {app: web, tier: front}\n');

    expect(got.objects.map((o) => o.object.metadata.labels)).toEqual([{ app: 'web', tier: 'front' }]);
  });

  test('syntax errors name the file, line and column', () => {
    const e = parseError('apiVersion: v1\nkind: A\nmetadata:\n  name: a: b\n');

    expect([e.file, e.line]).toEqual(['in.yaml', 4]);
    expect(e.message).toMatch(/^in\.yaml:4:\d+: /);
  });

  test('an alias bomb is refused as an input error, not expanded', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    const e = parseError(lines.join('\n') + '\n');

    expect([e.file, e.line]).toEqual(['in.yaml', 1]);
    expect(e.detail).toMatch(/alias/i);
  });
});

describe('parseSource properties', () => {
  /** Independent of the code under test: what counts as a Kubernetes object. */
  const isK8s = (v: any) => typeof v === 'object' && v !== null && !Array.isArray(v)
    && typeof v.apiVersion === 'string' && v.apiVersion !== '' && typeof v.kind === 'string' && v.kind !== '';

  const k8sObject = fc.record({
    apiVersion: fc.constantFrom('v1', 'apps/v1', 'cloud.tencent.com/v1alpha1'),
    kind: fc.constantFrom('Service', 'ConfigMap', 'Ingress', 'TkeServiceConfig'),
    metadata: fc.record({ name: fc.string({ minLength: 1 }) }),
    data: fc.jsonValue(),
  });

  test('any sequence of JSON values written as YAML documents: objects in order, the rest skipped, lines in range', () => {
    fc.assert(fc.property(fc.array(fc.oneof(fc.jsonValue(), k8sObject), { maxLength: 8 }), (docs) => {
      // A plain `<<` key is a YAML merge key (for kubectl too), not data: leave it to the merge test.
      fc.pre(!JSON.stringify(docs).includes('"<<"'));
      const text = docs.map((d) => stringify(d)).map((s) => `---\n${s}`).join('');
      const lineCount = text.split('\n').length;

      const got = parse(text);

      const expected = docs.filter(isK8s);
      expect(JSON.stringify(got.objects.map((o) => o.object))).toBe(JSON.stringify(expected));
      expect(got.objects.length + got.skipped.length).toBe(docs.length);
      for (const at of [...got.objects, ...got.skipped]) {
        expect(at.line).toBeGreaterThanOrEqual(1);
        expect(at.line).toBeLessThanOrEqual(lineCount);
      }
    }), { numRuns: 200 });
  });

  test('any text either parses or fails with an InputError that points inside it; nothing else is thrown', () => {
    const chars = fc.constantFrom('a', ':', ' ', '\n', '-', '{', '}', '[', ']', '"', "'", '&', '*', '#', '!', '|', '>', '\t', ',', '?');
    fc.assert(fc.property(fc.oneof(fc.string(), fc.string({ unit: chars })), (text) => {
      const lineCount = text.split(/\r\n|\r|\n/).length;
      try {
        parse(text);
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        const err = e as InputError;
        expect(err.file).toBe('in.yaml');
        expect(err.line).toBeGreaterThanOrEqual(1);
        expect(err.line).toBeLessThanOrEqual(lineCount);
      }
    }), { numRuns: 500 });
  });
});

describe('the CLI reader and LoopbackChecker.check() agree on lists', () => {
  test('a List read by the CLI (items, with lines) and given whole to check() (List, with itemIndex) give the same findings', () => {
    // GIVEN
    const file = path.join(__dirname, '..', 'fixtures', 'cli', 'kubectl-list.yaml');
    const text = fs.readFileSync(file, 'utf8');
    // WHEN
    const read = parse(text, 'kubectl-list.yaml');
    const viaCli = LoopbackChecker.check(read.objects.map((o) => o.object));
    const whole = LoopbackChecker.check([parseYaml(text)]);
    // THEN: the CLI maps manifestIndex to the item's line; the library points at the List and the item
    expect(viaCli.findings.map((f) => [f.ruleId, f.name, read.objects[f.manifestIndex ?? -1]?.line, f.itemIndex])).toEqual([
      ['TKE-L4-001', 'orders', 10, undefined],
    ]);
    expect(whole.findings.map((f) => [f.ruleId, f.name, f.manifestIndex, f.itemIndex])).toEqual([['TKE-L4-001', 'orders', 0, 1]]);
    expect(whole.findings.map((f) => f.message)).toEqual(viaCli.findings.map((f) => f.message));
  });
});

describe('reading real-world input', () => {
  const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n';

  function tolerant(text: string | Buffer, file = 'in.yaml'): ParsedInput {
    const into = emptyInput();
    parseSource(file, text, into, { continueOnError: true });
    return into;
  }

  test.each([
    ['UTF-8 with a byte order mark', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SERVICE)])],
    ['UTF-16 LE with a byte order mark', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(SERVICE, 'utf16le')])],
    ['UTF-16 BE with a byte order mark', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(SERVICE, 'utf16le').swap16()])],
    ['UTF-16 LE without a byte order mark', Buffer.from(SERVICE, 'utf16le')],
    ['UTF-16 BE without a byte order mark', Buffer.from(SERVICE, 'utf16le').swap16()],
  ])('%s is decoded', (_, bytes) => {
    expect(decodeManifest(bytes)).toBe(SERVICE);
    expect(tolerant(bytes).objects.map((o) => o.object.metadata.name)).toEqual(['web']);
  });

  test('non-ASCII UTF-8 stays UTF-8', () => {
    expect(decodeManifest(Buffer.from('a: 名字\n'))).toBe('a: 名字\n');
  });

  test.each([
    ['a value', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Values.name }}\n', 4, 9],
    ['a value with text after it', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ include "x" . }}-svc\n', 4, 9],
    ['a control line', '{{- if .Values.enabled }}\napiVersion: v1\nkind: Service\n{{- end }}\n', 1, 1],
  ])('an unrendered template in %s is named as such, at its line and column', (_, text, line, column) => {
    const got = tolerant(text, 'chart/templates/svc.yaml');
    expect(got.errors.map((e) => [e.file, e.line, e.column, e.detail])).toEqual([['chart/templates/svc.yaml', line, column, TEMPLATE_MESSAGE]]);
    expect(got.errors[0].message).toBe(`chart/templates/svc.yaml:${line}:${column}: looks like an unrendered Helm/Go template; render it first (\`helm template ... | cdk8s-tke-loopback check -\`)`);
  });

  test('braces inside a quoted or block string are data, not a template', () => {
    const got = tolerant('apiVersion: v1\nkind: ConfigMap\ndata:\n  a: "{{ x }}"\n  b: |\n    {{ define "t" }}{{ end }}\n');
    expect(got.errors).toEqual([]);
    expect(got.objects.map((o) => o.object.data)).toEqual([{ a: '{{ x }}', b: '{{ define "t" }}{{ end }}\n' }]);
  });

  test('with continueOnError, a broken document is an error and the other documents of the file are still read', () => {
    const got = tolerant(`${SERVICE}---\nkind: A\n  bad: [\n---\n${SERVICE.replace('web', 'api')}`);
    expect(got.objects.map((o) => o.object.metadata.name)).toEqual(['web', 'api']);
    expect(got.errors.map((e) => e.line)).toEqual([6]);
  });

  test('without continueOnError the first error is thrown, as before', () => {
    expect(() => parse('a: [\n')).toThrow(InputError);
  });

  test('many aliases of one large object are refused by their expanded size, before anything is expanded', () => {
    const labels = Array.from({ length: 2_000 }, (_, i) => `      l${i}: v`).join('\n');
    const text = [
      'apiVersion: v1', 'kind: List', 'items:',
      '  - &svc', '    apiVersion: v1', '    kind: Service', '    metadata:', '     name: web', '     labels:', labels.replace(/^ {6}/gm, '       '),
      ...Array.from({ length: 99 }, () => '  - *svc'),
    ].join('\n') + '\n';
    const started = Date.now();
    const got = tolerant(text);
    expect(got.objects).toEqual([]);
    expect(got.errors.map((e) => e.detail)).toEqual([
      `its aliases expand to more than ${MAX_ALIAS_EXPANDED_NODES} nodes; write the objects out instead of aliasing them`,
    ]);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  test('a few aliases of a small block are expanded as usual', () => {
    const got = tolerant('apiVersion: v1\nkind: A\nmetadata:\n  labels: &l {app: web}\nspec:\n  selector: *l\n');
    expect(got.errors).toEqual([]);
    expect(got.objects[0].object.spec.selector).toEqual({ app: 'web' });
  });

  test('block literal strings two levels down remember the line their content starts on', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: coredns\ndata:\n  Corefile: |\n    .:53 {\n    }\n  other: "x"\n';
    expect(tolerant(text).objects[0].valueLines).toEqual({ 'data.Corefile': 7 });
  });

  test('slim keeps what the rules read and drops the rest', () => {
    const text = [
      'apiVersion: v1', 'kind: Secret', 'metadata:', '  name: s', '  managedFields: [{manager: x}]',
      '  annotations: {kubectl.kubernetes.io/last-applied-configuration: "{}", keep: "yes"}', 'data: {k: dmFsdWU=}',
      '---', 'apiVersion: v1', 'kind: Service', 'metadata: {name: web}', 'spec: {type: LoadBalancer}', 'status: {loadBalancer: {}}',
      '---', 'apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: coredns, namespace: kube-system}', 'data: {Corefile: ".:53 {}"}',
      '---', 'apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: dashboards}', 'data: {big: "..."}',
    ].join('\n') + '\n';
    const into = emptyInput();
    parseSource('in.yaml', text, into, { slim: true });
    expect(into.objects.map((o) => o.object)).toEqual([
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', annotations: { keep: 'yes' } } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { type: 'LoadBalancer' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' }, data: { Corefile: '.:53 {}' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dashboards' } },
    ]);
  });
});

describe('reading files', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tke-input-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a file larger than the limit is refused, naming the limit; so is a device that never ends', () => {
    const file = path.join(dir, 'big.yaml');
    fs.writeFileSync(file, 'a'.repeat(2048));
    expect(readFileBounded(file, 4096).length).toBe(2048);
    expect(() => readFileBounded(file, 1024)).toThrow(/big\.yaml: larger than the input limit of 1024 bytes/);
    if (fs.existsSync('/dev/zero')) {
      expect(() => readFileBounded('/dev/zero', 1024 * 1024)).toThrow(/\/dev\/zero: larger than the input limit of 1 MiB/);
    }
    expect(DEFAULT_MAX_INPUT_BYTES).toBe(64 * 1024 * 1024);
  });

  test('construct-metadata.json (written by cdk8s synth) is not a manifest file', () => {
    fs.writeFileSync(path.join(dir, 'app.k8s.yaml'), 'apiVersion: v1\nkind: A\n');
    fs.writeFileSync(path.join(dir, 'construct-metadata.json'), '{"version": "1.0.0", "resources": {}}');
    expect(findManifestFiles(dir).map((f) => path.basename(f))).toEqual(['app.k8s.yaml']);
    const got = readInputs([dir]);
    expect([got.files.length, got.skipped]).toEqual([1, []]);
  });

  test('with continueOnError, a missing path is an error and the next path is still read', () => {
    fs.writeFileSync(path.join(dir, 'a.yaml'), 'apiVersion: v1\nkind: A\n');
    const got = readInputs([path.join(dir, 'missing.yaml'), dir], undefined, { continueOnError: true });
    expect(got.errors.map((e) => e.message)).toEqual([`${path.join(dir, 'missing.yaml')}: cannot read: no such file or directory`]);
    expect(got.objects.map((o) => o.object.kind)).toEqual(['A']);
  });
});
