import * as fs from 'fs';
import * as path from 'path';
import { examplesOutput } from './harness/examples';

const GOLDEN = path.join(__dirname, 'fixtures', 'examples-golden');

function listFiles(dir: string, prefix = ''): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(path.join(dir, e.name), path.join(prefix, e.name)) : [path.join(prefix, e.name)],
  ).sort();
}

// A refactoring must not change a synthesized manifest. When a change is meant to, run
// `npx projen examples-golden`, review the diff of test/fixtures/examples-golden/, and commit it.
describe('the examples synthesize exactly the committed output', () => {
  const { outdir, names } = examplesOutput();

  test('every example has committed output, and nothing else does', () => {
    expect(fs.readdirSync(GOLDEN).sort()).toEqual(names);
  });

  test.each(names)('%s', (name) => {
    const files = listFiles(path.join(outdir, name));
    expect(files).toEqual(listFiles(path.join(GOLDEN, name)));
    for (const file of files) {
      const actual = fs.readFileSync(path.join(outdir, name, file), 'utf8');
      const expected = fs.readFileSync(path.join(GOLDEN, name, file), 'utf8');
      expect([file, actual]).toEqual([file, expected]);
    }
  });
});
