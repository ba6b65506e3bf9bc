/**
 * Child process for the cold synth figures: runs one synth workload (exported by bench/synth.ts) once, in a fresh
 * process with Node's default flags, the way `cdk8s synth` runs an app: every function of cdk8s, cdk8s-plus and the
 * library runs for the first time, nothing is warmed up. Module loading is done before the timer starts (it is the
 * same on both sides). Prints one line, `@@cold-ms <milliseconds>`.
 * Usage: cold-child.ts <workload> <n>
 */
import { COLD_PREFIX } from './harness';
import { workloadFromArgs } from './synth';

const { n, run } = workloadFromArgs(process.argv.slice(2));
const start = process.hrtime.bigint();
run(n);
console.log(`${COLD_PREFIX}${Number(process.hrtime.bigint() - start) / 1e6}`);
