/**
 * Synthesizes every example app (examples/<name>/main.ts) into <outdir>/<name>/ and lists the files it
 * wrote. Usage: ts-node scripts/synth-examples.ts [--outdir DIR] [name ...]
 * The default outdir is dist/examples. Exits non-zero when an example fails to synthesize.
 *
 * The test suite calls `synthExamples()` once per jest run (test/global-setup.ts) instead of spawning this
 * script from each test file.
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

/** What `synthExamples` did: the lines it would print, and how many examples failed. */
export interface SynthExamplesResult {
  readonly stdout: string[];
  readonly stderr: string[];
  readonly failed: number;
}

/** Synthesizes the named examples (all when `only` is empty) into `<outdir>/<name>/`. */
export function synthExamples(outdir: string, only: string[] = []): SynthExamplesResult {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const names = fs.readdirSync(EXAMPLES)
    .filter((n) => fs.existsSync(path.join(EXAMPLES, n, 'main.ts')))
    .filter((n) => only.length === 0 || only.includes(n))
    .sort();
  if (names.length === 0) {
    stderr.push(`no examples found${only.length ? ` named ${only.join(', ')}` : ''} in ${EXAMPLES}`);
    return { stdout, stderr, failed: 1 };
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
      stdout.push(`${name}:`);
      for (const file of listFiles(target).sort()) stdout.push(`  ${path.relative(process.cwd(), file)}`);
    } catch (e: any) {
      failed++;
      stderr.push(`${name}: FAILED\n${e?.stack ?? e}`);
    }
  }
  delete process.env.CDK8S_OUTDIR;
  return { stdout, stderr, failed };
}

function main(argv: string[]): number {
  let outdir = path.join(ROOT, 'dist', 'examples');
  const only: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--outdir') outdir = path.resolve(argv[++i] ?? '');
    else only.push(argv[i]);
  }
  const result = synthExamples(outdir, only);
  for (const line of result.stdout) console.log(line);
  for (const line of result.stderr) console.error(line);
  return result.failed === 0 ? 0 : 1;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
