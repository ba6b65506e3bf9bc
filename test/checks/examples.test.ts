import * as fs from 'fs';
import * as path from 'path';
import { LoopbackChecker } from '../../src';
import { examplesOutput } from '../harness/examples';
import { readYamlFile } from '../harness/validate';


function listYaml(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listYaml(path.join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [path.join(dir, e.name)] : [],
  );
}

describe('the checker on every example', () => {
  const { outdir, names: NAMES } = examplesOutput();

  test.each(NAMES)('%s has no error-level finding', (name) => {
    const manifests = listYaml(path.join(outdir, name)).sort().flatMap((f) => readYamlFile(f));
    expect(manifests.length).toBeGreaterThan(0);
    const report = LoopbackChecker.check(manifests);
    expect(report.findings.filter((f) => f.level === 'error')).toEqual([]);
    expect(report.passed).toEqual(true);
  });
});
