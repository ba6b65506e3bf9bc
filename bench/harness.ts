/**
 * Shared benchmark harness: every figure is a ratio against a baseline measured in the same process
 * run, alternating candidate and baseline, taking the median of several runs after a warm-up.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** One timed figure. */
export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline?: number;
  readonly ratio?: number;
  readonly target?: number;
  readonly met?: boolean;
}

export interface CompareOptions {
  /** Timed runs of each side, after the warm-up. At least 5. */
  readonly runs?: number;
  /** Untimed warm-up runs of each side. */
  readonly warmup?: number;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function gc(): void {
  const g = (globalThis as any).gc;
  if (typeof g === 'function') g();
}

/** Milliseconds one call takes. */
export function timeOnce(fn: () => unknown): number {
  gc();
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * Measures `candidate` and `baseline` alternately, `runs` times each (candidate first on even rounds, baseline first
 * on odd ones, so that neither side always runs on the heels of the other), and returns both lists.
 */
export function alternate(candidate: () => number, baseline: () => number, runs: number): { c: number[]; b: number[] } {
  const c: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) {
      c.push(candidate());
      b.push(baseline());
    } else {
      b.push(baseline());
      c.push(candidate());
    }
  }
  return { c, b };
}

/**
 * Times `candidate` and `baseline` alternately (see `alternate()`) and returns the medians in milliseconds and
 * their ratio.
 */
export function compare(candidate: () => unknown, baseline: () => unknown, options: CompareOptions = {}):
{ candidateMs: number; baselineMs: number; ratio: number } {
  const runs = Math.max(5, options.runs ?? 5);
  for (let i = 0; i < (options.warmup ?? 1); i++) {
    candidate();
    baseline();
  }
  const { c, b } = alternate(() => timeOnce(candidate), () => timeOnce(baseline), runs);
  const candidateMs = median(c);
  const baselineMs = median(b);
  return { candidateMs, baselineMs, ratio: candidateMs / baselineMs };
}

/**
 * Heap growth (bytes) while `fn` runs and its result is held: the highest `heapUsed` seen at the end of `fn`
 * minus the `heapUsed` after a full GC before it. Needs `--expose-gc` for meaningful numbers.
 */
export function heapGrowth(fn: () => unknown): number {
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  const result = fn();
  const after = process.memoryUsage().heapUsed;
  // keep the result alive until after the measurement
  if (result === Symbol.for('never')) console.log(result);
  return after - before;
}

/**
 * Peak heap growth (bytes) of one synth workload (exported by bench/synth.ts) run alone in a fresh child process
 * (bench/memory-child.ts) with `--trace-gc`: the largest heap in use seen at any GC after the workload started (or at
 * its end), minus the heap in use when it started.
 */
export function peakHeapGrowth(workload: string, n: number): number {
  const out = execFileSync(process.execPath, [
    '--expose-gc', '--trace-gc', '-r', 'ts-node/register/transpile-only', path.join(__dirname, 'memory-child.ts'), workload, String(n),
  ], { cwd: path.join(__dirname, '..'), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NODE_OPTIONS: '' } });
  const lines = out.split('\n');
  const start = lines.findIndex((l) => l.startsWith('@@memory-start '));
  if (start < 0) throw new Error(`memory-child printed no start marker:\n${out}`);
  const base = Number(lines[start].split(' ')[1]);
  let peak = 0;
  for (const line of lines.slice(start + 1)) {
    const gcLine = /(?:Scavenge|Mark-Compact|Mark-sweep|Minor Mark-Sweep)[^\d]*([\d.]+) \(([\d.]+)\) ->/.exec(line);
    if (gcLine) peak = Math.max(peak, Number(gcLine[1]) * 1024 * 1024);
    if (line.startsWith('{')) peak = Math.max(peak, JSON.parse(line).heapUsedAtEnd);
  }
  return peak - base;
}

/** Median peak heap growth of two synth workloads, each in fresh child processes, alternating, `runs` times each. */
export function memoryRatio(candidate: string, baseline: string, n: number, runs = 5): { candidate: number; baseline: number; ratio: number } {
  const { c, b } = alternate(() => peakHeapGrowth(candidate, n), () => peakHeapGrowth(baseline, n), runs);
  return { candidate: median(c), baseline: median(b), ratio: median(c) / median(b) };
}

/** The prefix of the line on which bench/cold-child.ts prints its time. */
export const COLD_PREFIX = '@@cold-ms ';

/**
 * Milliseconds of one synth workload (exported by bench/synth.ts) run once in a fresh child process
 * (bench/cold-child.ts) with Node's default flags: the cold synth that `cdk8s synth` does, module loading excluded.
 * `NODE_OPTIONS` is not passed on, so that the child's flags are the defaults whatever the parent runs with.
 */
export function coldSynthMs(workload: string, n: number): number {
  const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'cold-child.ts'), workload, String(n)], {
    cwd: path.join(__dirname, '..'), encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' },
  });
  const line = out.split('\n').find((l) => l.startsWith(COLD_PREFIX));
  if (line === undefined) throw new Error(`cold-child printed no time:\n${out}`);
  return Number(line.slice(COLD_PREFIX.length));
}

/**
 * Median cold synth time of two workloads, each run once per fresh child process, alternating (see `alternate()`),
 * `runs` times each.
 */
export function coldRatio(candidate: string, baseline: string, n: number, runs = 11): { candidateMs: number; baselineMs: number; ratio: number } {
  const { c, b } = alternate(() => coldSynthMs(candidate, n), () => coldSynthMs(baseline, n), runs);
  const candidateMs = median(c);
  const baselineMs = median(b);
  return { candidateMs, baselineMs, ratio: candidateMs / baselineMs };
}

/** Median wall-clock milliseconds of running a command, alternating with a baseline command. */
export function compareCommands(candidate: string[], baseline: string[], options: CompareOptions & { cwd?: string } = {}):
{ candidateMs: number; baselineMs: number; ratio: number } {
  const run = (cmd: string[]) => () => {
    try {
      execFileSync(cmd[0], cmd.slice(1), { cwd: options.cwd, stdio: 'pipe', maxBuffer: 1024 * 1024 * 1024 });
    } catch (e: any) {
      // a non-zero exit (for example findings at the fail level) is still a complete run
      if (e.status === null || e.status === undefined || e.status > 1) throw e;
    }
  };
  return compare(run(candidate), run(baseline), options);
}

/** Formats and prints one figure line, ending with the ratio. */
export function report(figure: Figure): Figure {
  const value = figure.unit === 'ms' ? figure.value.toFixed(1) : figure.value.toFixed(2);
  const base = figure.baseline !== undefined ? ` vs ${figure.unit === 'ms' ? figure.baseline.toFixed(1) : figure.baseline.toFixed(2)} ${figure.unit} baseline` : '';
  const target = figure.target !== undefined ? ` (target <= ${figure.target}: ${figure.met ? 'met' : 'MISSED'})` : '';
  const ratio = figure.ratio !== undefined ? `, ratio ${figure.ratio.toFixed(3)}` : '';
  console.log(`${figure.name}: ${value} ${figure.unit}${base}${ratio}${target}`);
  return figure;
}

/** A figure with a ratio and a target. */
export function ratioFigure(name: string, candidate: number, baseline: number, unit: string, target?: number): Figure {
  const ratio = candidate / baseline;
  return report({ name, value: candidate, baseline, unit, ratio, target, met: target === undefined ? undefined : ratio <= target });
}

/** The prefix of the line on which a benchmark process hands its figures to bench/run.ts. */
export const RESULTS_PREFIX = '@@bench-results ';

/** Hands a benchmark's figures to bench/run.ts, which writes them all to bench/results.json. */
export function writeResults(section: string, figures: Figure[]): void {
  console.log(RESULTS_PREFIX + JSON.stringify({ section, figures }));
}

/** Writes bench/results.json with every section's figures and the machine they were measured on. */
export function saveResults(sections: Record<string, Figure[]>, seconds: number): string {
  const file = path.join(__dirname, 'results.json');
  const result = {
    date: new Date().toISOString(),
    machine: { cores: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, platform: `${os.platform()} ${os.arch()}` },
    seconds,
    ...sections,
  };
  fs.writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  return file;
}
