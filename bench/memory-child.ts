/**
 * Child process for the memory figures, run with `--expose-gc --trace-gc`: runs one synth workload once in a fresh
 * process. It prints a marker line after a full GC, then runs the workload; V8 prints a line per GC with the heap in
 * use before it ("Scavenge 45.2 (60.1) -> 40.3 (61.1) MB"). The parent takes the largest heap seen after the
 * marker (and at the end) minus the heap at the marker: the peak heap growth of the workload.
 * Usage: memory-child.ts <workload> <n>
 */
import { workloadFromArgs } from './synth';

export const MARKER = '@@memory-start';

const { workload, n, run } = workloadFromArgs(process.argv.slice(2));
(globalThis as any).gc?.();
console.log(`${MARKER} ${process.memoryUsage().heapUsed}`);
const objects = run(n);
console.log(JSON.stringify({ workload, n, objects, heapUsedAtEnd: process.memoryUsage().heapUsed }));
