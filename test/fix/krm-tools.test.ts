/**
 * End to end with the real tools: `kpt fn eval --exec` (a KRM function on a package) and
 * `kubectl kustomize --enable-alpha-plugins` (an exec transformer plugin). Both run the built binary.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { LoopbackChecker } from '../../src';
import { BIN, REPO_ROOT, requireCompiledLib } from '../checks/cli-helpers';

beforeAll(() => requireCompiledLib());

const CHART = fs.readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'fix', 'chart-output.yaml'), 'utf-8');

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(command, args, { cwd, encoding: 'utf-8', timeout: 120_000, env: { ...process.env, ...env } });
  if (r.error) throw new Error(`cannot run ${command} (it must be installed for these tests): ${r.error.message}`);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A one-line script that runs the binary's fix mode. */
function script(file: string, args = ''): void {
  fs.writeFileSync(file, `#!/bin/sh\nexec "${process.execPath}" "${BIN}" fix ${args}\n`, { mode: 0o755 });
}

function values(text: string): any[] {
  return parseAllDocuments(text).map((d: any) => d.toJS());
}

function byName(objects: any[], kind: string, name: string): any {
  return objects.find((o) => o.kind === kind && o.metadata?.name === name);
}

describe('kpt fn eval --exec', () => {
  test('GIVEN a package WHEN the function runs THEN the files are fixed in place and the TkeServiceConfig lands next to its Ingress', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tke-kpt-'));
    fs.mkdirSync(path.join(dir, 'pkg', 'web'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'pkg', 'web', 'app.yaml'), CHART);
    script(path.join(dir, 'fix.sh'));
    const r = run('kpt', ['fn', 'eval', 'pkg', '--exec', './fix.sh', '--truncate-output=false'], dir);
    expect(r.stderr + r.stdout).toMatch(/\[PASS\]/);
    expect(r.code).toBe(0);
    expect(fs.readdirSync(path.join(dir, 'pkg', 'web')).sort()).toEqual(['app.yaml', 'tkeserviceconfig_shop-loopback.yaml']);
    const app = values(fs.readFileSync(path.join(dir, 'pkg', 'web', 'app.yaml'), 'utf-8'));
    const added = values(fs.readFileSync(path.join(dir, 'pkg', 'web', 'tkeserviceconfig_shop-loopback.yaml'), 'utf-8'));
    expect(byName(app, 'Service', 'shop-web').metadata.annotations['service.cloud.tencent.com/prevent-loopback']).toEqual('true');
    expect(byName(app, 'Ingress', 'shop').metadata.annotations['ingress.cloud.tencent.com/tke-service-config']).toEqual('shop-loopback');
    expect(added).toEqual([{
      apiVersion: 'cloud.tencent.com/v1alpha1',
      kind: 'TkeServiceConfig',
      metadata: { name: 'shop-loopback' },
      spec: { loadBalancer: { l7Listeners: [{ protocol: 'HTTP', port: 80, keepaliveEnable: 1 }, { protocol: 'HTTPS', port: 443, keepaliveEnable: 1 }] } },
    }]);
    expect(LoopbackChecker.check([...app, ...added]).findings).toEqual([]);
    // The results list each change with its resource.
    expect(r.stderr + r.stdout).toMatch(/\[info\] v1\/Service\/shop-web: fixed: added service.cloud.tencent.com\/prevent-loopback: "true"/);
    // The comments of the package survive.
    expect(fs.readFileSync(path.join(dir, 'pkg', 'web', 'app.yaml'), 'utf-8')).toContain('# public name');
  });

  test('GIVEN options after -- (a ConfigMap functionConfig) THEN only the selected rule is fixed', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tke-kpt-'));
    fs.mkdirSync(path.join(dir, 'pkg'));
    fs.writeFileSync(path.join(dir, 'pkg', 'app.yaml'), CHART);
    script(path.join(dir, 'fix.sh'));
    const r = run('kpt', ['fn', 'eval', 'pkg', '--exec', './fix.sh', '--truncate-output=false', '--', 'rules=TKE-L7-001', 'fail-on=never'], dir);
    expect(r.code).toBe(0);
    const app = values(fs.readFileSync(path.join(dir, 'pkg', 'app.yaml'), 'utf-8'));
    expect(byName(app, 'Service', 'shop-web').metadata.annotations['service.cloud.tencent.com/prevent-loopback']).toBeUndefined();
    expect(byName(app, 'Ingress', 'shop').metadata.annotations['ingress.cloud.tencent.com/tke-service-config']).toEqual('shop-loopback');
    expect(r.stderr + r.stdout).toMatch(/\[error\] v1\/Service\/shop-web: .*not fixed: TKE-L4-001 was not selected/);
  });

  test('GIVEN a risk fix mode cannot fix THEN the function fails and kpt leaves the package unchanged', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tke-kpt-'));
    fs.mkdirSync(path.join(dir, 'pkg'));
    const ingress = 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: legacy\n  annotations:\n' +
      '    kubernetes.io/ingress.subnetId: subnet-12345678\n    ingress.cloud.tencent.com/tke-service-config: elsewhere\n';
    fs.writeFileSync(path.join(dir, 'pkg', 'ing.yaml'), ingress);
    script(path.join(dir, 'fix.sh'));
    const r = run('kpt', ['fn', 'eval', 'pkg', '--exec', './fix.sh', '--truncate-output=false'], dir);
    expect(r.code).not.toBe(0);
    expect(r.stderr + r.stdout).toMatch(/\[warning\] networking.k8s.io\/v1\/Ingress\/legacy: .*not fixed: Ingress legacy is bound to TkeServiceConfig default\/elsewhere .*which is not in the manifests.*does not invent one/);
    expect(fs.readFileSync(path.join(dir, 'pkg', 'ing.yaml'), 'utf-8')).toEqual(ingress);
  });
});

describe('kubectl kustomize --enable-alpha-plugins', () => {
  /** A kustomization with the chart output as its resource and `transformer` as its transformer. */
  function kustomization(dir: string, transformer: string): void {
    fs.writeFileSync(path.join(dir, 'app.yaml'), CHART);
    fs.writeFileSync(path.join(dir, 'fix.yaml'), transformer);
    fs.writeFileSync(path.join(dir, 'kustomization.yaml'), 'resources:\n- app.yaml\ntransformers:\n- fix.yaml\n');
  }

  test('GIVEN an exec transformer plugin THEN the build output is fixed, the added config included', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tke-kustomize-'));
    const pluginDir = path.join(dir, 'plugins', 'cdk8s-tke-loopback.example', 'v1', 'loopbackfix');
    fs.mkdirSync(pluginDir, { recursive: true });
    script(path.join(pluginDir, 'LoopbackFix'));
    kustomization(path.join(dir), 'apiVersion: cdk8s-tke-loopback.example/v1\nkind: LoopbackFix\nmetadata:\n  name: fix\n');
    const r = run('kubectl', ['kustomize', '--enable-alpha-plugins', dir], dir, { KUSTOMIZE_PLUGIN_HOME: path.join(dir, 'plugins') });
    expect(r.stderr).toEqual('');
    expect(r.code).toBe(0);
    const out = values(r.stdout);
    expect(out.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'ConfigMap/shop-settings', 'Ingress/shop', 'Service/shop-web', 'TkeServiceConfig/shop-loopback',
    ]);
    expect(byName(out, 'Service', 'shop-web').metadata.annotations['service.cloud.tencent.com/prevent-loopback']).toEqual('true');
    expect(byName(out, 'TkeServiceConfig', 'shop-loopback').spec.loadBalancer.l7Listeners).toEqual([
      { protocol: 'HTTP', port: 80, keepaliveEnable: 1 }, { protocol: 'HTTPS', port: 443, keepaliveEnable: 1 },
    ]);
    expect(LoopbackChecker.check(out).findings).toEqual([]);
  });

  test('GIVEN a config.kubernetes.io/function exec transformer THEN kubectl 1.32 skips it silently (no --enable-exec), as docs/fix-mode.md warns', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tke-kustomize-'));
    script(path.join(dir, 'fix.sh'));
    kustomization(dir, 'apiVersion: cdk8s-tke-loopback.example/v1\nkind: LoopbackFix\nmetadata:\n  name: fix\n  annotations:\n' +
      '    config.kubernetes.io/function: |\n      exec:\n        path: ./fix.sh\n');
    const r = run('kubectl', ['kustomize', '--enable-alpha-plugins', dir], dir);
    expect(r.code).toBe(0);
    const out = values(r.stdout);
    // When this fails, kubectl runs exec functions: update docs/fix-mode.md and assert the fixed output here.
    expect(byName(out, 'Service', 'shop-web').metadata.annotations['service.cloud.tencent.com/prevent-loopback']).toBeUndefined();
    expect(run('kubectl', ['kustomize', '--enable-alpha-plugins', '--enable-exec', dir], dir).stderr).toMatch(/unknown flag: --enable-exec/);
  });
});
