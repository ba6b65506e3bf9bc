import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LoopbackChecker } from '../../src';
import { readYamlFile } from '../harness/validate';

const ROOT = path.join(__dirname, '..', '..');

/** Every example app (examples/<name>/main.ts), whichever issue added it. */
const NAMES = fs.readdirSync(path.join(ROOT, 'examples')).filter((n) => fs.existsSync(path.join(ROOT, 'examples', n, 'main.ts'))).sort();

function listYaml(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listYaml(path.join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [path.join(dir, e.name)] : [],
  );
}

describe('the checker on every example', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'checker-examples-'));
  execFileSync(
    path.join(ROOT, 'node_modules', '.bin', 'ts-node'),
    ['--transpile-only', path.join(ROOT, 'scripts', 'synth-examples.ts'), '--outdir', outdir],
    { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' },
  );

  test('there are examples to check', () => {
    expect(NAMES.length).toBeGreaterThan(0);
  });

  test.each(NAMES)('%s has no error-level finding', (name) => {
    const manifests = listYaml(path.join(outdir, name)).sort().flatMap((f) => readYamlFile(f));
    expect(manifests.length).toBeGreaterThan(0);
    const report = LoopbackChecker.check(manifests);
    expect(report.findings.filter((f) => f.level === 'error')).toEqual([]);
    expect(report.passed).toEqual(true);
  });
});
