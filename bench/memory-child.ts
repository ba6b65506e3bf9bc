/**
 * Child process for the memory figures: runs one synth workload once in a fresh process and prints the growth of
 * the peak resident set size over the resident set size just before the workload, in bytes.
 * Usage: memory-child.ts <workload> <n>
 */
import * as synth from './synth';

const [workload, n] = process.argv.slice(2);
const fn = (synth as any)[workload];
if (typeof fn !== 'function') {
  console.error(`unknown workload ${workload}`);
  process.exit(2);
}
(globalThis as any).gc?.();
const before = process.memoryUsage().rss;
const output = fn(Number(n));
const peak = process.resourceUsage().maxRSS * 1024;
console.log(JSON.stringify({ workload, n: Number(n), growth: peak - before, objects: output }));
