import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readYamlFile, validateManifests } from './harness/validate';

const ROOT = path.join(__dirname, '..');

/** Synthesizes every example once, with the same runner as `npm run examples`. */
function synthExamples(): { outdir: string; stdout: string; names: string[] } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'examples-'));
  const stdout = execFileSync(
    path.join(ROOT, 'node_modules', '.bin', 'ts-node'),
    ['--transpile-only', path.join(ROOT, 'scripts', 'synth-examples.ts'), '--outdir', outdir],
    { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' },
  );
  const names = fs.readdirSync(path.join(ROOT, 'examples')).filter((n) => fs.existsSync(path.join(ROOT, 'examples', n, 'main.ts')));
  return { outdir, stdout, names };
}

describe('examples', () => {
  const { outdir, stdout, names } = synthExamples();

  test('there is at least one example', () => {
    expect(names.length).toBeGreaterThan(0);
  });

  test.each(names)('%s synthesizes YAML that the harness validates, and the runner lists its files', (name) => {
    const files = fs.readdirSync(path.join(outdir, name)).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(0);
    const manifests = files.flatMap((f) => readYamlFile(path.join(outdir, name, f)));
    expect(manifests.length).toBeGreaterThan(0);
    validateManifests(manifests);
    expect(stdout).toContain(`${name}:`);
    for (const f of files) expect(stdout).toContain(f);
  });

  test('ingress-keepalive-l1 turns keepalive on for listeners 80 and 443', () => {
    const manifests = readYamlFile(path.join(outdir, 'ingress-keepalive-l1', 'ingress-keepalive-l1.k8s.yaml'));
    const config = manifests.find((m) => m.kind === 'TkeServiceConfig');
    const ingress = manifests.find((m) => m.kind === 'Ingress');
    expect(config.spec.loadBalancer.l7Listeners).toEqual([
      { protocol: 'HTTP', port: 80, keepaliveEnable: 1 },
      { protocol: 'HTTPS', port: 443, keepaliveEnable: 1 },
    ]);
    expect(ingress.metadata.annotations['ingress.cloud.tencent.com/tke-service-config']).toEqual(config.metadata.name);
    expect(config.metadata.namespace).toEqual(ingress.metadata.namespace);
  });
});

describe('example coredns-single-domain', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'example-coredns-'));
  execFileSync(path.join(ROOT, 'node_modules', '.bin', 'ts-node'),
    ['--transpile-only', path.join(ROOT, 'scripts', 'synth-examples.ts'), '--outdir', outdir, 'coredns-single-domain'],
    { cwd: ROOT, stdio: 'pipe' });

  test('rewrites roc.oa.com to the Service and keeps every line of the live Corefile', () => {
    const manifests = readYamlFile(path.join(outdir, 'coredns-single-domain', 'coredns.k8s.yaml'));
    const service = readYamlFile(path.join(outdir, 'coredns-single-domain', 'server.k8s.yaml')).find((m) => m.kind === 'Service');
    const configMap = manifests.find((m) => m.kind === 'ConfigMap');
    const live = fs.readFileSync(path.join(ROOT, 'examples', 'coredns-single-domain', 'live-corefile.txt'), 'utf8');
    const rewrite = `    rewrite name exact roc.oa.com ${service.metadata.name}.${service.metadata.namespace}.svc.cluster.local\n`;
    expect([configMap.metadata.name, configMap.metadata.namespace]).toEqual(['coredns', 'kube-system']);
    expect(configMap.data.Corefile).toEqual(live.replace('    kubernetes ', `${rewrite}    kubernetes `));
    expect(rewrite).toEqual('    rewrite name exact roc.oa.com server.prod.svc.cluster.local\n');
  });
});
