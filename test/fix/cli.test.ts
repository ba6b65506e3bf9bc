/**
 * `cdk8s-tke-loopback fix` through the real binary: the Helm post-renderer protocol (standard input to
 * standard output), exit codes, --in-place, -o, the report, and bad input.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { lineDiff } from './yaml-helpers';
import { LoopbackChecker } from '../../src';
import { REPO_ROOT, requireCompiledLib, runBin } from '../checks/cli-helpers';

beforeAll(() => requireCompiledLib());

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'fix', 'chart-output.yaml');
const CHART = fs.readFileSync(FIXTURE, 'utf-8');
const AUTO_BOUND = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: legacy
  annotations:
    kubernetes.io/ingress.subnetId: subnet-12345678
    ingress.cloud.tencent.com/tke-service-config-auto: "true"
`;

function values(text: string): any[] {
  return parseAllDocuments(text).map((d: any) => d.toJS());
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'tke-fix-'));
}

describe('Helm post-renderer protocol', () => {
  test('GIVEN rendered manifests on stdin and only "fix" as argument THEN the same documents come out fixed and the exit code is 0', () => {
    const r = runBin(['fix'], { input: CHART });
    expect(r.code).toBe(0);
    const docs = values(r.stdout);
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual([
      'Service/shop-web', 'ConfigMap/shop-settings', 'Ingress/shop', 'TkeServiceConfig/shop-loopback',
    ]);
    expect(lineDiff(CHART, r.stdout).removed).toEqual([]);
    expect(LoopbackChecker.check(docs).findings).toEqual([]);
    expect(r.stderr).toMatch(/fixed Service shop-web \(<stdin>:3\) \[TKE-L4-001\]: added service.cloud.tencent.com\/prevent-loopback: "true"/);
    expect(r.stderr).toMatch(/3 change\(s\), 0 risk\(s\) not fixed, 0 suppressed\n$/);
  });

  test('GIVEN its own output THEN fix changes nothing (idempotent through the binary)', () => {
    const once = runBin(['fix', '-'], { input: CHART }).stdout;
    const twice = runBin(['fix', '-'], { input: once });
    expect(twice.stdout).toEqual(once);
    expect(twice.stderr).toMatch(/0 change\(s\)/);
  });

  test('GIVEN a risk fix mode cannot fix THEN the output is still written and the exit code is 1 (0 with --fail-on error for a warning, or never)', () => {
    const r = runBin(['fix'], { input: AUTO_BOUND });
    expect(r.code).toBe(1);
    expect(r.stdout).toEqual(AUTO_BOUND);
    expect(r.stderr).toMatch(/not fixed warning \[TKE-L7-002\] Ingress legacy \(<stdin>:1\)/);
    expect(r.stderr).toMatch(/why: the object uses ingress.cloud.tencent.com\/tke-service-config-auto: "true", so the controller owns legacy-auto-ingress-config .*To proceed/);
    expect(runBin(['fix', '--fail-on', 'error'], { input: AUTO_BOUND }).code).toBe(0);
    expect(runBin(['fix', '--fail-on', 'never'], { input: AUTO_BOUND }).code).toBe(0);
  });

  test('GIVEN unparseable YAML THEN exit 2, file:line on stderr and nothing on stdout (Helm aborts)', () => {
    const r = runBin(['fix'], { input: `${CHART}---\nkind: Service\nmetadata: {name: [oops\n` });
    expect(r.code).toBe(2);
    expect(r.stdout).toEqual('');
    expect(r.stderr).toMatch(/^cdk8s-tke-loopback fix: <stdin>:\d+:\d+: /);
  });

  test('GIVEN --report json THEN the report on stderr is JSON with locations', () => {
    const r = runBin(['fix', '--report', 'json'], { input: CHART });
    const report = JSON.parse(r.stderr);
    expect(report.summary).toEqual({ changes: 3, unfixed: 0, suppressed: 0 });
    expect(report.changes[0]).toEqual(expect.objectContaining({ ruleId: 'TKE-L4-001', kind: 'Service', name: 'shop-web', file: '<stdin>', line: 3 }));
  });
});

describe('files', () => {
  test('GIVEN --in-place THEN changed files are rewritten, unchanged ones untouched, and no temporary file is left', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'chart.yaml'), CHART);
    fs.writeFileSync(path.join(dir, 'plain.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n');
    fs.utimesSync(path.join(dir, 'plain.yaml'), new Date(2000, 1, 1), new Date(2000, 1, 1));
    const r = runBin(['fix', '--in-place', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toEqual('');
    expect(fs.readFileSync(path.join(dir, 'chart.yaml'), 'utf-8')).toEqual(runBin(['fix'], { input: CHART }).stdout);
    expect(fs.statSync(path.join(dir, 'plain.yaml')).mtime.getFullYear()).toBe(2000);
    expect(fs.readdirSync(dir).sort()).toEqual(['chart.yaml', 'plain.yaml']);
  });

  test('GIVEN --in-place and a parse error in one file THEN no file is written and the error names file and line', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'a.yaml'), CHART);
    fs.writeFileSync(path.join(dir, 'b.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: "unterminated\n');
    const r = runBin(['fix', '--in-place', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/b\.yaml:\d+:\d+: /);
    expect(fs.readFileSync(path.join(dir, 'a.yaml'), 'utf-8')).toEqual(CHART);
    expect(fs.readdirSync(dir).sort()).toEqual(['a.yaml', 'b.yaml']);
  });

  test('GIVEN -o DIR THEN every input file is written under DIR with its relative path and the inputs are untouched', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'in', 'sub'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'in', 'sub', 'chart.yaml'), CHART);
    const r = runBin(['fix', '-o', path.join(dir, 'out'), path.join(dir, 'in')]);
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'in', 'sub', 'chart.yaml'), 'utf-8')).toEqual(CHART);
    expect(values(fs.readFileSync(path.join(dir, 'out', 'sub', 'chart.yaml'), 'utf-8'))).toHaveLength(4);
  });
});

describe('bad usage', () => {
  test.each([
    [['fix', '--speed'], /unknown option --speed/],
    [['fix', '--rules', 'TKE-DNS-001'], /--rules may name only TKE-ANN-001, TKE-L4-001, TKE-L7-001, got "TKE-DNS-001"/],
    [['fix', '--l4', 'maybe'], /--l4 must be one of prevent-loopback, none, got "maybe"/],
    [['fix', '--in-place', '-'], /--in-place needs files or directories/],
    [['fix', 'missing.yaml'], /missing\.yaml: cannot read: ENOENT/],
  ])('%p exits 2 with a clear message and empty stdout', (args, message) => {
    const r = runBin(args as string[], { input: CHART });
    expect(r.code).toBe(2);
    expect(r.stdout).toEqual('');
    expect(r.stderr).toMatch(message);
  });

  test('GIVEN a ResourceList without items THEN exit 2 naming the problem', () => {
    const r = runBin(['fix'], { input: 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n' });
    expect(r.code).toBe(2);
    expect(r.stdout).toEqual('');
    expect(r.stderr).toMatch(/<stdin>:1: the ResourceList has no items list/);
  });
});
