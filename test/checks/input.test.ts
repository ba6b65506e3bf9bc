import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import { parse as parseYaml, stringify } from 'yaml';
import { LoopbackChecker } from '../../src';
import { emptyInput, InputError, parseSource, ParsedInput } from '../../src/checks/input';

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
    expect(parse('')).toEqual({ objects: [], skipped: [], files: ['in.yaml'] });
    expect(parse('# nothing here\n')).toEqual({ objects: [], skipped: [], files: ['in.yaml'] });
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
