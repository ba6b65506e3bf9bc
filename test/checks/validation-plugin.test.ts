import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ValidationContext } from 'cdk8s-cli/plugins';
import { parseAllDocuments } from 'yaml';
import { FIXTURES, REPO_ROOT, requireCompiledLib } from './cli-helpers';
import { FindingLevel, ILoopbackValidationContext, LoopbackChecker, LoopbackValidation } from '../../src';

const CDK8S_CLI = path.join(REPO_ROOT, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');
const SUBNET = 'service.kubernetes.io/qcloud-loadbalancer-internal-subnetid';
const PREVENT = 'service.cloud.tencent.com/prevent-loopback';
const SUPPRESS = 'cdk8s-tke-loopback/suppress';

/** A Service manifest for the test apps; `annotations` are added to the private-network subnet one. */
function service(name: string, annotations: Record<string, string> = {}): any {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, annotations: { [SUBNET]: 'subnet-12345678', ...annotations } },
    spec: { type: 'LoadBalancer', selector: { app: name }, ports: [{ port: 80 }] },
  };
}

interface SynthResult {
  readonly code: number | null;
  readonly output: string;
  readonly reports: any[];
}

/**
 * Writes a cdk8s app (one chart, namespace `shop`, the given raw objects) and a cdk8s.yaml that lists
 * this package by its local path as a validation plugin into a temp dir, then runs the real
 * `cdk8s synth --validate` there, offline, and returns its exit code, output and JSON reports.
 */
function synthWithPlugin(objects: any[], properties?: Record<string, string>): SynthResult {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tke-loopback-plugin-'));
  try {
    fs.writeFileSync(path.join(dir, 'app.js'), [
      "const { App, Chart, ApiObject } = require('cdk8s');",
      'const app = new App();',
      "const chart = new Chart(app, 'shop', { namespace: 'shop' });",
      `for (const obj of ${JSON.stringify(objects)}) new ApiObject(chart, obj.metadata.name, obj);`,
      'app.synth();',
      '',
    ].join('\n'));
    const validation = {
      package: REPO_ROOT,
      version: '0.0.0',
      class: 'LoopbackValidation',
      ...(properties ? { properties } : {}),
    };
    fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), JSON.stringify({ app: 'node app.js', validations: [validation] }, null, 2));

    const r = spawnSync(process.execPath, [CDK8S_CLI, 'synth', '--validate', '--no-check-upgrade',
      '--validation-reports-output-file', 'reports.json'], {
      cwd: dir,
      encoding: 'utf-8',
      timeout: 120_000,
      env: { ...process.env, NODE_PATH: path.join(REPO_ROOT, 'node_modules') },
    });
    if (r.error) throw r.error;
    const reportsFile = path.join(dir, 'reports.json');
    const reports = fs.existsSync(reportsFile) ? JSON.parse(fs.readFileSync(reportsFile, 'utf-8')).reports : [];
    return { code: r.status, output: `${r.stdout}\n${r.stderr}`, reports };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('cdk8s synth --validate with LoopbackValidation (end to end, real cdk8s-cli)', () => {
  beforeAll(() => requireCompiledLib());

  test('a finding fails synth, and is reported as a violation with its rule, object, manifest and line', () => {
    const unprotected = service('web');
    const [expected] = LoopbackChecker.check([{ ...unprotected, metadata: { ...unprotected.metadata, namespace: 'shop' } }]).findings;

    const r = synthWithPlugin([unprotected]);

    expect(r.code).toBe(2);
    expect(r.output).toContain('Validation failed');
    expect(r.reports.length).toBe(1);
    const report = r.reports[0];
    expect(report.summary).toEqual({
      status: 'failure',
      plugin: REPO_ROOT,
      version: '0.0.0',
      metadata: { failOn: 'error', errors: '1', warnings: '0', suppressed: '0' },
    });
    expect(report.violations).toEqual([{
      ruleName: `TKE-L4-001 (error): ${expected.message.startsWith('Service shop/web') ? expected.message : `Service shop/web: ${expected.message}`}`,
      recommendation: expected.fix,
      fix: 'https://github.com/cdk8s-tke-loopback/cdk8s-tke-loopback/blob/main/RULES.md#tke-l4-001',
      violatingConstructs: [{
        resourceName: 'web',
        locations: ['line 1'],
        manifestPath: path.join('dist', 'shop.k8s.yaml'),
        constructPath: 'shop/web',
      }],
    }]);
  });

  test('a protected Service passes synth with no violation', () => {
    const r = synthWithPlugin([service('web', { [PREVENT]: 'true' })]);

    expect(r.code).toBe(0);
    expect(r.output).toContain('Validations ended succesfully');
    expect(r.reports.map((x) => [x.summary.status, x.violations])).toEqual([['success', []]]);
  });

  test('findings below failOn are reported but pass; failOn: warning makes them fail', () => {
    // A suppression of a rule id that does not exist is a warning (TKE-SUP-002), and the only finding.
    const objects = [service('web', { [PREVENT]: 'true', [SUPPRESS]: 'TKE-XX-999=a rule that does not exist' })];

    const byDefault = synthWithPlugin(objects);
    const onWarning = synthWithPlugin(objects, { failOn: 'warning' });

    expect(byDefault.code).toBe(0);
    const rule = (v: any) => v.ruleName.split(':')[0];
    expect(byDefault.reports.map((x) => [x.summary.status, x.violations.map(rule)]))
      .toEqual([['success', ['TKE-SUP-002 (warning)']]]);
    expect(onWarning.code).toBe(2);
    expect(onWarning.reports.map((x) => [x.summary.status, x.summary.metadata.failOn, x.violations.map(rule)]))
      .toEqual([['failure', 'warning', ['TKE-SUP-002 (warning)']]]);
  });

  test('a misspelled property (fail_on) fails with a message naming it', () => {
    const r = synthWithPlugin([service('web', { [PREVENT]: 'true' })], { fail_on: 'warning' });

    expect(r.code).not.toBe(0);
    expect(r.output).toContain('LoopbackValidation: unknown property "fail_on" (did you mean "failOn"?)');
  });
});

describe('LoopbackValidation (in process, with a recording context)', () => {
  function recordingContext(manifests: string[]) {
    const violations: any[] = [];
    const submitted: any[] = [];
    return {
      violations,
      submitted,
      context: {
        manifests,
        report: {
          addViolation: (v: any) => violations.push(v),
          submit: (status: string, metadata: any) => submitted.push({ status, metadata }),
        },
      },
    };
  }

  test('reports every finding with the manifest path and line, and submits failure', async () => {
    const file = path.join(FIXTURES, 'kubectl-list.yaml');
    const rec = recordingContext([file]);

    await new LoopbackValidation().validate(rec.context);

    expect(rec.violations.map((v) => [v.ruleName.split(':')[0], v.violatingResources])).toEqual([
      ['TKE-L4-001 (error)', [{ resourceName: 'orders', locations: ['line 10'], manifestPath: file }]],
    ]);
    // The recommendation is the fix, not the problem restated; the problem is in the rule name.
    const [finding] = LoopbackChecker.check(parseAllDocuments(fs.readFileSync(file, 'utf-8'))[0].toJS().items).findings;
    expect(rec.violations[0].recommendation).toBe(finding.fix);
    expect(rec.violations[0].ruleName).toContain(finding.message);
    expect(rec.submitted).toEqual([{ status: 'failure', metadata: { failOn: 'error', errors: '1', warnings: '0', suppressed: '0' } }]);
  });

  test('counts suppressed findings and passes when nothing is left', async () => {
    const rec = recordingContext([path.join(FIXTURES, 'protected.yaml')]);

    await new LoopbackValidation({ failOn: FindingLevel.WARNING }).validate(rec.context);

    expect(rec.violations).toEqual([]);
    expect(rec.submitted).toEqual([{ status: 'success', metadata: { failOn: 'warning', errors: '0', warnings: '0', suppressed: '1' } }]);
  });

  test('construct-metadata.json next to the manifests is neither checked nor reported', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tke-plugin-'));
    try {
      const manifest = path.join(dir, 'app.k8s.yaml');
      fs.writeFileSync(manifest, fs.readFileSync(path.join(FIXTURES, 'protected.yaml')));
      const metadata = path.join(dir, 'construct-metadata.json');
      fs.writeFileSync(metadata, '{"version": "1.0.0", "resources": {}}');
      const rec = recordingContext([manifest, metadata]);

      await new LoopbackValidation().validate(rec.context);

      expect(rec.violations).toEqual([]);
      expect(rec.submitted.map((x) => x.status)).toEqual(['success']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a manifest that does not parse is a violation and fails; the others are still checked', async () => {
    const rec = recordingContext([path.join(FIXTURES, 'parse-error.yaml'), path.join(FIXTURES, 'kubectl-list.yaml')]);

    await new LoopbackValidation().validate(rec.context);

    expect(rec.violations.map((v) => v.ruleName.split(':')[0])).toEqual(['TKE-L4-001 (error)', 'input error']);
    expect(rec.violations[1].violatingResources).toEqual([{ resourceName: '', locations: ['line 8'], manifestPath: path.join(FIXTURES, 'parse-error.yaml') }]);
    expect(rec.submitted.map((x) => [x.status, x.metadata.inputErrors])).toEqual([['failure', '1']]);
  });

  test('CLB declarations reach the checker', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tke-plugin-'));
    try {
      const manifest = path.join(dir, 'app.k8s.yaml');
      fs.writeFileSync(manifest, JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'dubbo', annotations: { 'service.kubernetes.io/tke-existed-lbid': 'lb-6swtxdba' } }, spec: { type: 'LoadBalancer' } }));
      const plain = recordingContext([manifest]);
      const declared = recordingContext([manifest]);

      await new LoopbackValidation().validate(plain.context);
      await new LoopbackValidation({ privateClbIds: ['lb-6swtxdba'] }).validate(declared.context);

      expect(plain.violations.map((v) => v.ruleName.split(':')[0])).toEqual(['TKE-CLB-001 (warning)']);
      expect(declared.violations.map((v) => v.ruleName.split(':')[0])).toEqual(['TKE-L4-001 (error)']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test.each([
    [{ fail_on: 'warning' }, /LoopbackValidation: unknown property "fail_on" \(did you mean "failOn"\?\); the properties are failOn, privateClbIds, publicClbIds, proxyMode/],
    [{ strict: true }, /LoopbackValidation: unknown property "strict"; the properties are/],
    [{ privateClbIds: 'lb-1' }, /LoopbackValidation: 'privateClbIds' must be a list of CLB ids \(strings\), got "lb-1"/],
    [{ proxyMode: 'nft' }, /LoopbackValidation: 'proxyMode' must be "ipvs" or "iptables", got "nft"/],
    [{ privateClbIds: ['lb-abcd1234'], publicClbIds: ['lb-abcd1234'] }, /LoopbackValidation: CLB lb-abcd1234 is in both 'privateClbIds' and 'publicClbIds'/],
    ['error', /LoopbackValidation: the properties must be a mapping \(failOn, privateClbIds, publicClbIds, proxyMode\), got "error"/],
    [['failOn'], /LoopbackValidation: the properties must be a mapping .*, got \["failOn"\]/],
  ])('rejects %j with a clear message', (props, message) => {
    expect(() => new LoopbackValidation(props as any)).toThrow(message);
  });

  test('cdk8s-cli\'s ValidationContext fits ILoopbackValidationContext (the compiler checks its report\'s methods)', async () => {
    // jsii has no readonly arrays: cdk8s-cli's `readonly string[]` is copied here; the plugin only reads it.
    const asContext = (c: ValidationContext): ILoopbackValidationContext => ({ manifests: [...c.manifests], report: c.report });
    const rec = recordingContext([path.join(FIXTURES, 'protected.yaml')]);
    await new LoopbackValidation().validate(asContext(rec.context as unknown as ValidationContext));
    expect(rec.submitted.map((x) => x.status)).toEqual(['success']);
  });

  test('null properties (an empty `properties:` in cdk8s.yaml, read by another tool) mean none', () => {
    expect(() => new LoopbackValidation(null as any)).not.toThrow();
  });

  test('rejects an unknown failOn, naming the prop and the value', () => {
    expect(() => new LoopbackValidation({ failOn: 'info' as FindingLevel })).toThrow(
      /LoopbackValidation: 'failOn' must be "error" or "warning", got "info"/,
    );
  });
});
