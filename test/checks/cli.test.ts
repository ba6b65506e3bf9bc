import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import { parseAllDocuments } from 'yaml';
import { FIXTURES, REPO_ROOT, requireCompiledLib, runBin, runInProcess } from './cli-helpers';
import { FindingLevel, LoopbackChecker, LoopbackFinding } from '../../src';

beforeAll(() => requireCompiledLib());

/** The CLI, run in this process through `runCli`'s I/O seam (the real binary is tested at the end). */
const cli = runInProcess;

/** The library's findings for the Kubernetes objects of one fixture file (parsed here, independently). */
function libraryFindings(file: string): LoopbackFinding[] {
  const docs = parseAllDocuments(fs.readFileSync(path.join(FIXTURES, file), 'utf-8'));
  const objects = (Array.isArray(docs) ? docs : []).map((d) => d.toJS()).filter((o) => o && o.apiVersion && o.kind);
  return LoopbackChecker.check(objects).findings;
}

/** The single finding the library reports for a fixture file. */
function onlyFinding(file: string): LoopbackFinding {
  const findings = libraryFindings(file);
  expect(findings.length).toBe(1);
  return findings[0];
}

describe('exit codes', () => {
  test('0: no finding at or above the fail level (a suppressed finding is listed, not counted)', async () => {
    // WHEN
    const r = await cli(['check', 'protected.yaml']);
    // THEN
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      'protected.yaml:18: suppressed TKE-L4-001 Service shop/legacy: no client in the cluster calls this CLB\n' +
      'cdk8s-tke-loopback: 2 objects checked in 1 file, 0 documents skipped: 0 errors, 0 warnings, 1 suppressed: ' +
      'passed (--fail-on error)\n',
    );
  });

  test('1: an error finding, reported with file, line, level, rule, object, message and fix', async () => {
    const f = onlyFinding('private-lb.yaml');
    expect([f.ruleId, f.level, f.kind, f.namespace, f.name]).toEqual(['TKE-L4-001', FindingLevel.ERROR, 'Service', 'shop', 'web']);

    const r = await cli(['check', 'private-lb.yaml']);

    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const object = f.message.startsWith('Service shop/web') ? '' : 'Service shop/web: ';
    expect(r.stdout.split('\n')).toEqual([
      `private-lb.yaml:11: error TKE-L4-001 ${object}${f.message} Fix: ${f.fix}`,
      'cdk8s-tke-loopback: 2 objects checked in 1 file, 0 documents skipped: 1 error, 0 warnings, 0 suppressed: ' +
      'FAILED (--fail-on error)',
      '',
    ]);
  });

  test('2: a parse error names the file, line and column, and the other files are still checked and reported', async () => {
    const f = onlyFinding('private-lb.yaml');

    const r = await cli(['check', 'private-lb.yaml', 'parse-error.yaml']);

    expect(r.code).toBe(2);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`private-lb.yaml:11: error TKE-L4-001 ${f.message} Fix: ${f.fix}`);
    // The flow map opened on line 7 is still open when line 8 starts at column 1.
    expect(lines[1]).toMatch(/^parse-error\.yaml:8:1: error: Flow map .+$/);
    expect(lines[2]).toBe('cdk8s-tke-loopback: 2 objects checked in 2 files, 0 documents skipped: 1 error, 0 warnings, 0 suppressed: ' +
      'INCOMPLETE (1 input error), FAILED (--fail-on error)');
    expect(r.stderr).toMatch(/^cdk8s-tke-loopback: parse-error\.yaml:8:1: Flow map .+\n$/);
  });

  test('2 (not 1): a parse error together with error findings still exits 2, in JSON and SARIF too', async () => {
    const json = await cli(['check', '--format', 'json', 'private-lb.yaml', 'parse-error.yaml']);
    const sarif = await cli(['check', '--format', 'sarif', 'private-lb.yaml', 'parse-error.yaml']);

    expect(json.code).toBe(2);
    const out = JSON.parse(json.stdout);
    expect([out.passed, out.complete, out.findings.map((x: any) => x.ruleId)]).toEqual([false, false, ['TKE-L4-001']]);
    expect(out.errors).toEqual([{ file: 'parse-error.yaml', line: 8, column: 1, message: expect.stringMatching(/^Flow map/) }]);
    expect(sarif.code).toBe(2);
    const invocation = JSON.parse(sarif.stdout).runs[0].invocations[0];
    expect(invocation.executionSuccessful).toBe(false);
    expect(invocation.toolExecutionNotifications).toEqual([{
      level: 'error',
      message: { text: expect.stringMatching(/^Flow map/) },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'parse-error.yaml' }, region: { startLine: 8, startColumn: 1 } } }],
    }]);
  });

  test('2: a parse error on standard input is reported as <stdin> with its line', async () => {
    const r = await cli(['check', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n   bad: indentation\n' });

    expect(r.code).toBe(2);
    // Line 5 is indented deeper than `name: a`, which yaml reports where that value starts.
    expect(r.stdout).toMatch(/^<stdin>:4:9: error: .+\n/);
    expect(r.stderr).toMatch(/^cdk8s-tke-loopback: <stdin>:4:9: .+\n$/);
  });

  test('2: a duplicate key is a parse error', async () => {
    const r = await cli(['check', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nkind: Secret\n' });

    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^cdk8s-tke-loopback: <stdin>:3:1: Map keys must be unique\n$/);
  });

  test('2: an input that does not exist is named; the others are checked', async () => {
    const r = await cli(['check', 'private-lb.yaml', 'no-such-file.yaml']);

    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^private-lb\.yaml:11: error TKE-L4-001 /);
    expect(r.stdout).toContain('\nno-such-file.yaml: error: cannot read: no such file or directory\n');
    expect(r.stderr).toBe('cdk8s-tke-loopback: no-such-file.yaml: cannot read: no such file or directory\n');
  });

  test.each([
    [[], 'no command given'],
    [['lint', 'x.yaml'], 'unknown command "lint"'],
    [['check'], 'no input: give files, directories, or - for standard input'],
    [['check', '--format', 'xml', 'a.yaml'], '--format must be one of text, json, sarif, got "xml"'],
    [['check', '--fail-on=info', 'a.yaml'], '--fail-on must be "error" or "warning", got "info"'],
    [['check', '--format'], 'option --format needs a value'],
    [['check', '--strict', 'a.yaml'], 'unknown option --strict'],
    [['check', '-', '-'], '- (standard input) can be given only once'],
  ])('2: usage error for %j', async (args, message) => {
    const r = await cli(args);

    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe(`cdk8s-tke-loopback: ${message}`);
    expect(r.stderr).toContain('Usage: cdk8s-tke-loopback check [options] <files|dirs|->');
  });

  test('0: --help prints the usage on stdout', async () => {
    const r = await cli(['check', '--help']);

    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('Usage: cdk8s-tke-loopback check [options] <files|dirs|->');
  });
});

describe('--fail-on', () => {
  test('a warning passes at the default level and fails with --fail-on warning', async () => {
    const f = onlyFinding('local-preferred.yaml');
    expect([f.ruleId, f.level]).toEqual(['TKE-L4-002', FindingLevel.WARNING]);
    const object = f.message.startsWith('Service shop/cart') ? '' : 'Service shop/cart: ';
    const line = `local-preferred.yaml:3: warning TKE-L4-002 ${object}${f.message} Fix: ${f.fix}`;
    const summary = 'cdk8s-tke-loopback: 2 objects checked in 1 file, 0 documents skipped: 0 errors, 1 warning, 0 suppressed: ';

    const byDefault = await cli(['check', 'local-preferred.yaml']);
    const onWarning = await cli(['check', '--fail-on', 'warning', 'local-preferred.yaml']);
    const onWarningEq = await cli(['check', '--fail-on=warning', 'local-preferred.yaml']);

    expect(byDefault.code).toBe(0);
    expect(byDefault.stdout).toBe(`${line}\n${summary}passed (--fail-on error)\n`);
    expect(onWarning.code).toBe(1);
    expect(onWarning.stdout).toBe(`${line}\n${summary}FAILED (--fail-on warning)\n`);
    expect(onWarningEq.code).toBe(1);
  });

  test('--fail-on warning still fails on errors', async () => {
    expect((await cli(['check', '--fail-on', 'warning', 'private-lb.yaml'])).code).toBe(1);
  });
});

describe('inputs', () => {
  test('standard input (-) is read and shown as <stdin>', async () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'private-lb.yaml'), 'utf-8');

    const r = await cli(['check', '--format', 'json', '-'], { input: text });

    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.files).toEqual(['<stdin>']);
    expect(out.findings.map((f: any) => [f.file, f.line, f.ruleId, f.name])).toEqual([['<stdin>', 11, 'TKE-L4-001', 'web']]);
  });

  test('kind: List (kubectl get -o yaml) is expanded; each item keeps its own line; a non-object item is skipped', async () => {
    const r = await cli(['check', 'kubectl-list.yaml']);

    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.map((l) => l.split(' ').slice(0, 3).join(' '))).toEqual([
      'kubectl-list.yaml:10: error TKE-L4-001',
      'kubectl-list.yaml:25: skipped: List',
      'cdk8s-tke-loopback: 2 objects',
    ]);
    expect(lines[1]).toBe('kubectl-list.yaml:25: skipped: List item 2: a mapping without apiVersion and kind, not a Kubernetes object');
    expect(lines[2]).toBe(
      'cdk8s-tke-loopback: 2 objects checked in 1 file, 1 document skipped: 1 error, 0 warnings, 0 suppressed: FAILED (--fail-on error)',
    );
  });

  test('a directory is searched recursively for .yaml, .yml and .json files, in sorted order; other files are ignored', async () => {
    const r = await cli(['check', '--format', 'json', 'tree']);

    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    // tree/notes.txt is not valid YAML: reading it would have been a parse error (exit 2).
    expect(out.files).toEqual([path.join('tree', 'a', 'svc.yml'), path.join('tree', 'b', 'settings.json')]);
    expect(out.objects).toBe(2);
    expect(out.findings.map((f: any) => [f.file, f.line, f.ruleId, f.kind, f.name])).toEqual([
      [path.join('tree', 'a', 'svc.yml'), 1, 'TKE-L4-001', 'Service', 'search'],
    ]);
  });

  test('documents that are not Kubernetes objects are skipped and reported', async () => {
    const r = await cli(['check', 'skipped.yaml']);

    expect(r.code).toBe(0);
    expect(r.stdout).toBe([
      'skipped.yaml:3: skipped: a string scalar, not a Kubernetes object',
      'skipped.yaml:5: skipped: a sequence, not a Kubernetes object',
      'skipped.yaml:8: skipped: a mapping without apiVersion and kind, not a Kubernetes object',
      'cdk8s-tke-loopback: 1 object checked in 1 file, 3 documents skipped: 0 errors, 0 warnings, 0 suppressed: passed (--fail-on error)',
      '',
    ].join('\n'));
  });

  test('findings map to the right file when several inputs are given', async () => {
    const r = await cli(['check', '--format', 'json', 'protected.yaml', 'private-lb.yaml', 'kubectl-list.yaml']);

    const out = JSON.parse(r.stdout);
    expect(out.findings.map((f: any) => `${f.file}:${f.line} ${f.name}`)).toEqual([
      'private-lb.yaml:11 web',
      'kubectl-list.yaml:10 orders',
    ]);
    expect(out.suppressed.map((f: any) => `${f.file}:${f.line} ${f.name} ${f.reason}`)).toEqual([
      'protected.yaml:18 legacy no client in the cluster calls this CLB',
    ]);
  });

  test('the inputs are never written: contents and modification times are unchanged', async () => {
    const files = listFiles(FIXTURES);
    const before = files.map(fingerprint);

    await cli(['check', FIXTURES]);
    await cli(['check', '--format', 'json', 'private-lb.yaml', 'tree']);
    await cli(['check', '--format', 'sarif', 'kubectl-list.yaml', 'skipped.yaml']);
    await cli(['check', 'parse-error.yaml']);

    expect(files.map(fingerprint)).toEqual(before);
  });
});

describe('--format json', () => {
  test('prints the verdict, counts, located findings, suppressed findings and skipped documents', async () => {
    const f = onlyFinding('private-lb.yaml');

    const r = await cli(['check', '--format', 'json', 'private-lb.yaml', 'protected.yaml', 'skipped.yaml']);

    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    const version = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf-8')).version;
    const suppressed = libraryFindings('protected.yaml');
    expect(suppressed).toEqual([]);
    expect({ ...out, suppressed: undefined }).toEqual({
      tool: 'cdk8s-tke-loopback',
      version,
      passed: false,
      complete: true,
      errors: [],
      notes: [],
      failOn: 'error',
      files: ['private-lb.yaml', 'protected.yaml', 'skipped.yaml'],
      objects: 5,
      summary: { errors: 1, warnings: 0, suppressed: 1, skipped: 3, inputErrors: 0 },
      findings: [{
        ruleId: 'TKE-L4-001',
        level: 'error',
        kind: 'Service',
        namespace: 'shop',
        name: 'web',
        message: f.message,
        fix: f.fix,
        file: 'private-lb.yaml',
        line: 11,
      }],
      suppressed: undefined,
      skipped: [
        { file: 'skipped.yaml', line: 3, reason: 'a string scalar, not a Kubernetes object' },
        { file: 'skipped.yaml', line: 5, reason: 'a sequence, not a Kubernetes object' },
        { file: 'skipped.yaml', line: 8, reason: 'a mapping without apiVersion and kind, not a Kubernetes object' },
      ],
    });
    expect(out.suppressed.map((s: any) => [s.ruleId, s.name, s.file, s.line, s.reason])).toEqual([
      ['TKE-L4-001', 'legacy', 'protected.yaml', 18, 'no client in the cluster calls this CLB'],
    ]);
  });

  test('passed is true when the exit code is 0', async () => {
    const r = await cli(['check', '--format', 'json', 'local-preferred.yaml']);

    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).passed).toBe(true);
    expect(JSON.parse(r.stdout).summary).toEqual({ errors: 0, warnings: 1, suppressed: 0, skipped: 0, inputErrors: 0 });
  });
});

describe('--format sarif', () => {
  const validate = sarifValidator();

  test('the log validates against the SARIF 2.1.0 schema and carries rules, results, suppressions and skips', async () => {
    const r = await cli(['check', '--format', 'sarif', 'private-lb.yaml', 'local-preferred.yaml', 'protected.yaml', 'skipped.yaml']);

    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout);
    const valid = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);

    expect(log.version).toBe('2.1.0');
    expect(log.runs.length).toBe(1);
    const run = log.runs[0];
    const rules = LoopbackChecker.rules();
    expect(run.tool.driver.name).toBe('cdk8s-tke-loopback');
    expect(run.tool.driver.rules).toEqual(rules.map((rule) => ({
      id: rule.id,
      shortDescription: { text: rule.cause },
      fullDescription: { text: rule.explanation },
      help: { text: rule.fix },
      defaultConfiguration: { level: rule.level },
    })));

    const ruleIndex = (id: string) => rules.findIndex((rule) => rule.id === id);
    expect(run.results.map((res: any) => ({
      ruleId: res.ruleId,
      ruleIndex: res.ruleIndex,
      level: res.level,
      uri: res.locations[0].physicalLocation.artifactLocation.uri,
      startLine: res.locations[0].physicalLocation.region.startLine,
      object: res.locations[0].logicalLocations[0].fullyQualifiedName,
      suppressions: res.suppressions,
    }))).toEqual([
      { ruleId: 'TKE-L4-001', ruleIndex: ruleIndex('TKE-L4-001'), level: 'error', uri: 'private-lb.yaml', startLine: 11, object: 'Service shop/web', suppressions: undefined },
      { ruleId: 'TKE-L4-002', ruleIndex: ruleIndex('TKE-L4-002'), level: 'warning', uri: 'local-preferred.yaml', startLine: 3, object: 'Service shop/cart', suppressions: undefined },
      {
        ruleId: 'TKE-L4-001',
        ruleIndex: ruleIndex('TKE-L4-001'),
        level: 'error',
        uri: 'protected.yaml',
        startLine: 18,
        object: 'Service shop/legacy',
        suppressions: [{ kind: 'inSource', justification: 'no client in the cluster calls this CLB' }],
      },
    ]);
    const f = onlyFinding('private-lb.yaml');
    expect(run.results[0].message.text).toContain(f.message);
    expect(run.results[0].message.text).toContain(`Fix: ${f.fix}`);

    expect(run.invocations[0].toolExecutionNotifications.map((n: any) => [
      n.message.text, n.locations[0].physicalLocation.artifactLocation.uri, n.locations[0].physicalLocation.region.startLine,
    ])).toEqual([
      ['skipped: a string scalar, not a Kubernetes object', 'skipped.yaml', 3],
      ['skipped: a sequence, not a Kubernetes object', 'skipped.yaml', 5],
      ['skipped: a mapping without apiVersion and kind, not a Kubernetes object', 'skipped.yaml', 8],
    ]);
  });

  test('stdin, directories and a clean run also validate', async () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'kubectl-list.yaml'), 'utf-8');
    const fromStdin = await cli(['check', '--format', 'sarif', '-', 'tree'], { input: text });
    const clean = await cli(['check', '--format', 'sarif', 'protected.yaml']);

    for (const r of [fromStdin, clean]) {
      const ok = validate(JSON.parse(r.stdout));
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
    }
    expect(fromStdin.code).toBe(1);
    expect(clean.code).toBe(0);
    const uris = JSON.parse(fromStdin.stdout).runs[0].results.map((res: any) => res.locations[0].physicalLocation.artifactLocation.uri);
    expect(uris).toEqual(['stdin', 'tree/a/svc.yml']);
  });

  test('the validator rejects a log that breaks the schema (it can fail)', async () => {
    expect(validate({ version: '2.1.0', runs: [{ results: [] }] })).toBe(false);
    expect(validate({ version: '2.0.0', runs: [] })).toBe(false);
  });
});

/**
 * An ajv validator for the SARIF 2.1.0 schema in test/fixtures (a draft-04 schema, from the npm package
 * @microsoft/jest-sarif). Its keywords mean the same in draft-07, which ajv speaks, except the draft-04
 * spelling of the schema id. One `pattern` in it (for `language`) is not valid with the `u` flag, hence
 * `unicodeRegExp: false`. Formats are checked with the URL parser and Date.
 */
function sarifValidator() {
  const schema = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'sarif-2.1.0.json'), 'utf-8'));
  const { $schema: draft, id, ...rest } = schema;
  expect(draft).toBe('http://json-schema.org/draft-04/schema#');
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  ajv.addFormat('uri', (s: string) => /^[a-z][a-z0-9+.-]*:/i.test(s) && canParseUrl(s));
  ajv.addFormat('uri-reference', (s: string) => !/\s/.test(s) && canParseUrl(s, 'file:///base/'));
  ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
  return ajv.compile({ ...rest, $id: id });
}

function canParseUrl(s: string, base?: string): boolean {
  try {
    new URL(s, base);
    return true;
  } catch {
    return false;
  }
}

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]);
}

function fingerprint(file: string): string {
  const stat = fs.statSync(file);
  const hash = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  return `${file} ${hash} ${stat.mtimeMs} ${stat.mode}`;
}

describe('the real binary (bin/cdk8s-tke-loopback in a child process)', () => {
  test.each([
    [['check', 'protected.yaml'], 0],
    [['check', 'private-lb.yaml'], 1],
    [['check', 'private-lb.yaml', 'parse-error.yaml'], 2],
    [['check', '--strict', 'a.yaml'], 2],
  ])('%j exits %d, with the same output as in process', async (args, code) => {
    const real = runBin(args);
    const inProcess = await cli(args);

    expect(real.code).toBe(code);
    expect(real).toEqual(inProcess);
  });

  test('standard input is read from the process', () => {
    const r = runBin(['check', '-'], { input: fs.readFileSync(path.join(FIXTURES, 'private-lb.yaml'), 'utf-8') });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^<stdin>:11: error TKE-L4-001 /);
  });
});
