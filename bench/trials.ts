/**
 * Repeats one synth figure as many independent trials and prints their spread: one run of a synth figure moves by
 * 0.05 to 0.1 on a 2-core VM (docs/performance.md), so a change of a few percent shows only over trials.
 * - warm: each trial is a fresh process (`--expose-gc --single-threaded-gc`, as `npm run bench` runs) doing what the
 *   benchmark does: one warm-up, then 11 interleaved runs of N=1000;
 * - cold: each trial is 11 fresh processes per side, alternating, one synth each (bench/cold-child.ts).
 * Usage (after `npx projen compile`): npx ts-node --transpile-only bench/trials.ts <pair> <warm|cold> [trials]
 * (1 to 1000 trials, default 10), where the pair is `services` or `ingresses` (the library against plain cdk8s-plus),
 * or `services-aa` or `ingresses-aa` (plain cdk8s-plus against itself: the noise of the measurement).
 */
import { execFileSync } from 'child_process';
import * as path from 'path';
import { coldRatio, compare, median } from './harness';

/**
 * The pairs a trial compares. The `-aa` pairs compare plain cdk8s-plus with itself (an A/A test): identical code on
 * both sides, so their spread is the noise of the measurement alone, the floor under any synth figure.
 */
const PAIRS: { readonly [name: string]: readonly [string, string] } = {
  'services': ['oursServices', 'plainServices'],
  'ingresses': ['oursIngresses', 'plainIngresses'],
  'services-aa': ['plainServices', 'plainServices'],
  'ingresses-aa': ['plainIngresses', 'plainIngresses'],
};
/** Set in the environment of the process that runs one warm trial (not a command-line flag a user could pass). */
const CHILD_ENV = 'CDK8S_TKE_LOOPBACK_WARM_TRIAL';
const args = process.argv.slice(2);
const [pair, mode, count] = args;
const workloads = Object.prototype.hasOwnProperty.call(PAIRS, pair) ? PAIRS[pair] : undefined;
const trials = count === undefined ? 10 : /^[0-9]{1,4}$/.test(count) ? Number(count) : NaN;
if (args.length > 3 || workloads === undefined || (mode !== 'warm' && mode !== 'cold') || !(trials >= 1 && trials <= 1000)) {
  console.error(`usage: bench/trials.ts <${Object.keys(PAIRS).join('|')}> <warm|cold> [trials, 1 to 1000, default 10]`);
  process.exit(2);
}

if (process.env[CHILD_ENV] === '1') {
  // One warm trial, in this fresh process: what the benchmark's warm figure does.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const synth = require('./synth');
  const r = compare(() => synth[workloads[0]](1000), () => synth[workloads[1]](1000), { runs: 11 });
  console.log(`@@trial ${r.ratio}`);
} else {
  const ratios: number[] = [];
  for (let i = 0; i < trials; i++) {
    let ratio: number;
    if (mode === 'cold') {
      ratio = coldRatio(workloads[0], workloads[1], 1000).ratio;
    } else {
      const out = execFileSync(process.execPath, [
        '--expose-gc', '--single-threaded-gc', '-r', 'ts-node/register/transpile-only', __filename, pair, mode, '1',
      ], { cwd: path.join(__dirname, '..'), encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '', [CHILD_ENV]: '1' } });
      const line = out.split('\n').find((l) => l.startsWith('@@trial '));
      if (line === undefined) throw new Error(`the trial printed no ratio:\n${out}`);
      ratio = Number(line.slice('@@trial '.length));
    }
    ratios.push(ratio);
    console.log(`trial ${i + 1}: ${ratio.toFixed(3)}`);
  }
  const sorted = [...ratios].sort((a, b) => a - b);
  console.log(`${pair} ${mode}, ${trials} trial${trials === 1 ? '' : 's'}: ${sorted.map((r) => r.toFixed(3)).join(', ')}`);
  console.log(`median ${median(sorted).toFixed(3)}; ${sorted.filter((r) => r <= 1.1).length} of ${trials} trials <= 1.10`);
}
