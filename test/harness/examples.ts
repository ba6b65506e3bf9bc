/**
 * The example apps' synthesized output, written once per jest run by test/global-setup.ts.
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

/** What the example runner wrote: where, what it printed, and which examples exist. */
export interface ExamplesOutput {
  /** `<outdir>/<name>/` holds each example's manifests. */
  readonly outdir: string;
  /** What `npm run examples` prints for the same run (the files it wrote). */
  readonly stdout: string;
  /** Errors of examples that failed to synthesize (empty when all succeeded). */
  readonly stderr: string;
  /** Every examples/<name>/ with a main.ts, sorted. */
  readonly names: string[];
}

export function examplesOutput(): ExamplesOutput {
  const outdir = process.env.TKE_LOOPBACK_EXAMPLES_OUTDIR;
  if (!outdir || !fs.existsSync(path.join(outdir, 'stdout.txt'))) {
    throw new Error('example output is missing: run the tests through jest, whose globalSetup (test/global-setup.ts) synthesizes the examples');
  }
  const names = fs.readdirSync(path.join(ROOT, 'examples'))
    .filter((n) => fs.existsSync(path.join(ROOT, 'examples', n, 'main.ts')))
    .sort();
  return {
    outdir,
    stdout: fs.readFileSync(path.join(outdir, 'stdout.txt'), 'utf8'),
    stderr: fs.readFileSync(path.join(outdir, 'stderr.txt'), 'utf8'),
    names,
  };
}
