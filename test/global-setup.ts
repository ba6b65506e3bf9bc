/**
 * Jest global setup: synthesizes every example app once per test run, in-process, so that the tests that
 * read example output (test/examples.test.ts, test/checks/examples.test.ts) share one synth instead of
 * each spawning ts-node. The output directory is passed to the test workers in
 * `TKE_LOOPBACK_EXAMPLES_OUTDIR`; test/harness/examples.ts reads it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthExamples } from '../scripts/synth-examples';

export default function globalSetup(): void {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'tke-loopback-examples-'));
  const result = synthExamples(outdir);
  fs.writeFileSync(path.join(outdir, 'stdout.txt'), result.stdout.join('\n') + '\n');
  fs.writeFileSync(path.join(outdir, 'stderr.txt'), result.stderr.join('\n'));
  process.env.TKE_LOOPBACK_EXAMPLES_OUTDIR = outdir;
}
