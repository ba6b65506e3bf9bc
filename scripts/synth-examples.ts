/**
 * Synthesizes every example app (examples/<name>/main.ts) into <outdir>/<name>/ and lists the files it
 * wrote. Usage: ts-node scripts/synth-examples.ts [--outdir DIR] [name ...]
 * The default outdir is dist/examples. Exits non-zero when an example fails to synthesize.
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const EXAMPLES = path.join(ROOT, 'examples');

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );
}

function main(argv: string[]): number {
  let outdir = path.join(ROOT, 'dist', 'examples');
  const only: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--outdir') outdir = path.resolve(argv[++i] ?? '');
    else only.push(argv[i]);
  }
  const names = fs.readdirSync(EXAMPLES)
    .filter((n) => fs.existsSync(path.join(EXAMPLES, n, 'main.ts')))
    .filter((n) => only.length === 0 || only.includes(n))
    .sort();
  if (names.length === 0) {
    console.error(`no examples found${only.length ? ` named ${only.join(', ')}` : ''} in ${EXAMPLES}`);
    return 1;
  }
  let failed = 0;
  for (const name of names) {
    const target = path.join(outdir, name);
    fs.rmSync(target, { recursive: true, force: true });
    process.env.CDK8S_OUTDIR = target;
    try {
      // Each example is a cdk8s app: loading it builds the App and calls synth() into CDK8S_OUTDIR.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(path.join(EXAMPLES, name, 'main.ts'));
      console.log(`${name}:`);
      for (const file of listFiles(target).sort()) console.log(`  ${path.relative(process.cwd(), file)}`);
    } catch (e: any) {
      failed++;
      console.error(`${name}: FAILED\n${e?.stack ?? e}`);
    }
  }
  delete process.env.CDK8S_OUTDIR;
  return failed === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
